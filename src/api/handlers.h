#pragma once
#include "core/clock.h"
#include "http/message.h"
#include "storage/database.h"
#include "tickets/attachments.h"
#include "tickets/ticket_committer.h"
#include "tickets/user_names.h"

namespace rampart::api {

// The API v1 handlers: adapters that read the request strictly (api/json_io.h), call one ticket
// action as the caller's actor on channel kApi, and render JSON. Authorization is the actions'
// (auth::Authorize): a ticket out of reach is a 404 from the action, exactly as on the web.
class Handlers {
 public:
  Handlers(storage::Database& db, tickets::TicketCommitter& committer, const core::Clock& clock,
           const tickets::AttachmentStore& files)
      : db_(db), committer_(committer), clock_(clock), files_(files) {}

  http::Response Me(http::Request& request) const;
  http::Response ListTickets(http::Request& request) const;
  http::Response CreateTicket(http::Request& request) const;
  http::Response GetTicket(http::Request& request) const;
  http::Response PatchTicket(http::Request& request) const;
  http::Response ListMessages(http::Request& request) const;
  http::Response PostMessage(http::Request& request) const;
  http::Response Search(http::Request& request) const;
  // A new message carrying one file: multipart/form-data (a file part, optional `body` and
  // `internal` fields), or the raw bytes with ?filename= (and optional &internal=true).
  http::Response PostAttachment(http::Request& request) const;
  // The file's bytes with the download headers (security::FileDownload); 404 when not visible.
  http::Response GetAttachment(http::Request& request) const;
  // The hand-written OpenAPI 3.0 document compiled into the binary.
  static http::Response OpenApi(http::Request& request);

 private:
  storage::Database& db_;
  // Creations go through the group commit: many API clients share one fsync.
  tickets::TicketCommitter& committer_;
  const core::Clock& clock_;
  const tickets::AttachmentStore& files_;
  // People's names for the queue's rows, kept between requests (see tickets/user_names.h).
  mutable tickets::UserNameCache names_;
};

}  // namespace rampart::api
