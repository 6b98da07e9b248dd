#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "auth/authorize.h"
#include "storage/database.h"
#include "tickets/ticket.h"

namespace rampart::tickets {

struct ReplyRequest {
  std::string ticket;  // public number, "RMP-1042"
  std::string body;
  // Staff only: submit the reply and set the status in one step ("reply and mark pending").
  std::optional<Status> status;
};

struct PostedMessage {
  std::int64_t message_id = 0;
  Status status = Status::kOpen;  // the ticket's status afterwards
};

// A public reply on the ticket's thread. End users reply only on tickets they reach, and their
// reply reopens the ticket (solved, pending or on hold become open); the first staff reply sets
// first_response_at. Closed and merged tickets take no replies (core::Conflict): a follow-up
// after closing is a new ticket.
PostedMessage Reply(const auth::Actor& actor, storage::Database& db, const ReplyRequest& request,
                    std::int64_t now);

// The same inside a write transaction the caller runs (inbound mail records the message and
// its reply in one commit, so a message is never imported twice or lost). Checks everything
// Reply checks.
PostedMessage ReplyIn(storage::Connection& c, const auth::Actor& actor, const ReplyRequest& request,
                      std::int64_t now);

}  // namespace rampart::tickets
