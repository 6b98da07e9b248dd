#pragma once
#include <memory>

#include "core/clock.h"
#include "http/message.h"
#include "storage/database.h"
#include "tickets/attachments.h"
#include "web/presence.h"

namespace rampart::web {

// The customer portal and the agent workspace: adapters that parse a request, call one ticket
// action with the signed-in actor, and render. Authorization is the actions' (auth::Authorize);
// a ticket out of reach is a 404 from the action, never a page.
class TicketPages {
 public:
  TicketPages(storage::Database& db, const core::Clock& clock,
              const tickets::AttachmentStore& files)
      : db_(db), clock_(clock), files_(files) {}

  http::Response PortalList(http::Request& request) const;
  http::Response PortalNewForm(http::Request& request) const;
  http::Response PortalCreate(http::Request& request) const;
  http::Response PortalTicket(http::Request& request) const;
  http::Response PortalReply(http::Request& request) const;
  http::Response PortalStatus(http::Request& request) const;
  http::Response PortalSearch(http::Request& request) const;

  http::Response AgentQueue(http::Request& request) const;
  http::Response AgentTicket(http::Request& request) const;
  http::Response AgentReply(http::Request& request) const;
  http::Response AgentStatus(http::Request& request) const;
  http::Response AgentPriority(http::Request& request) const;
  http::Response AgentAssign(http::Request& request) const;
  http::Response AgentMerge(http::Request& request) const;
  http::Response AgentSearch(http::Request& request) const;

  // One download route for portal and workspace: tickets::OpenAttachment decides who may.
  http::Response Attachment(http::Request& request) const;

 private:
  storage::Database& db_;
  const core::Clock& clock_;
  const tickets::AttachmentStore& files_;
  mutable Presence presence_;
};

}  // namespace rampart::web
