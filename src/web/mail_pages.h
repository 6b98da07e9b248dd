#pragma once
#include "core/clock.h"
#include "http/message.h"
#include "storage/database.h"

namespace rampart::web {

// How people see inbound mail: a message's HTML body as a sandboxed document of its own (for
// the frame on the ticket pages), and the held and quarantined mail agents and admins decide
// about. Adapters: parse, one mail action, render.
class MailPages {
 public:
  MailPages(storage::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // GET /tickets/{number}/messages/{id}/html[?images=1]: the stored sanitized HTML, with its
  // own CSP (sandbox, no scripts, no external fetches unless images=1), framable by us only.
  http::Response MessageFrame(http::Request& request) const;

  http::Response WaitingList(http::Request& request) const;
  http::Response WaitingDetail(http::Request& request) const;
  http::Response ReleaseNewTicket(http::Request& request) const;
  http::Response ReleaseToTicket(http::Request& request) const;
  http::Response Discard(http::Request& request) const;

 private:
  storage::Database& db_;
  const core::Clock& clock_;
};

}  // namespace rampart::web
