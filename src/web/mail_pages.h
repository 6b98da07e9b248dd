#pragma once
#include <memory>

#include "core/clock.h"
#include "http/message.h"
#include "storage/database.h"
#include "tickets/attachments.h"

namespace rampart::web {

// How people see inbound mail: a message's HTML body as a sandboxed document of its own (for
// the frame on the ticket pages), and the held and quarantined mail agents and admins decide
// about. Adapters: parse, one mail action, render.
class MailPages {
 public:
  MailPages(storage::Database& db, const core::Clock& clock,
            std::shared_ptr<const tickets::AttachmentStore> files)
      : db_(db), clock_(clock), files_(std::move(files)) {}

  // GET /tickets/{number}/messages/{id}/html[?images=1]: the stored sanitized HTML, with its
  // own CSP (sandbox, no scripts, no external fetches unless images=1), framable by us only.
  // Images the mail carries in its own parts (cid:) are written in as data: URLs.
  http::Response MessageFrame(http::Request& request) const;

  http::Response WaitingList(http::Request& request) const;
  http::Response WaitingDetail(http::Request& request) const;
  http::Response ReleaseNewTicket(http::Request& request) const;
  http::Response ReleaseToTicket(http::Request& request) const;
  http::Response Discard(http::Request& request) const;

 private:
  storage::Database& db_;
  const core::Clock& clock_;
  std::shared_ptr<const tickets::AttachmentStore> files_;  // null: inline images not shown
};

}  // namespace rampart::web
