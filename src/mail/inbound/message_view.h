#pragma once
// How a ticket's messages that came by mail are shown: their sanitized HTML (for the sandboxed
// frame) and, to staff, what was decided about their sender.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "auth/authorize.h"
#include "storage/database.h"
#include "tickets/get_ticket.h"

namespace rampart::mail {

// The sender checks of one imported message, as ingest stored them.
struct SenderChecks {
  std::string dkim;         // "none", "pass example.com", "fail example.com (reason)"
  std::string spf;          // "none" or the trusted receiver's result, "pass bob@example.com"
  std::string dmarc;        // pass, fail, none, ...
  std::string aligned_by;   // "dkim", "spf" or "" when not aligned
  std::string reply_token;  // "valid", "invalid" or "" (none)
};

struct MessageMailFacts {
  bool has_html = false;
  // Staff only: nullopt for customers, and for messages that did not come by mail.
  std::optional<SenderChecks> checks;
};

// The mail facts of the messages of `view`, by message id. `view` is what tickets::GetTicket
// returned for the same actor, so only messages the actor may see are looked at (a customer's
// view has no internal notes); sender checks are given to staff only.
std::map<std::int64_t, MessageMailFacts> MailFactsOf(const auth::Actor& actor,
                                                     storage::Database& db,
                                                     const tickets::TicketView& view);

// The stored sanitized HTML of message `message_id` of ticket `number`. Throws core::NotFound
// when the actor may not see the ticket or that message (an internal note for a customer), when
// the message is not on that ticket, or when it has no HTML: the answers look the same.
std::string MessageHtml(const auth::Actor& actor, storage::Database& db, std::string_view number,
                        std::int64_t message_id);

// One line for agents: "DKIM pass example.com · SPF pass (trusted receiver) · DMARC aligned
// (dkim) · reply token valid".
std::string DescribeSenderChecks(const SenderChecks& checks);

}  // namespace rampart::mail
