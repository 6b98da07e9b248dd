#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/authorize.h"
#include "storage/database.h"
#include "tickets/ticket.h"

namespace rampart::tickets {

inline constexpr std::size_t kMaxBulkTickets = 50;

struct BulkRequest {
  enum class Change { kAssign, kStatus };
  Change change = Change::kAssign;
  std::vector<std::string> tickets;         // public numbers
  std::optional<std::int64_t> assignee_id;  // kAssign; nullopt unassigns
  Status status = Status::kOpen;            // kStatus
};

struct BulkSkip {
  std::string ticket;
  std::string reason;  // user words: why this one was left alone
};

struct BulkOutcome {
  std::vector<std::string> changed;    // numbers as given
  std::vector<std::string> unchanged;  // already as asked
  std::vector<BulkSkip> skipped;
};

// Applies one change to several tickets from the queue. Each ticket goes through the same action
// as on its own page (Assign or ChangeStatus, each calling auth::Authorize on that ticket in its
// own transaction), so a ticket the actor may not touch is skipped and reported, never changed.
// At most kMaxBulkTickets numbers (core::Invalid on "tickets" otherwise); duplicates count once.
BulkOutcome BulkUpdate(const auth::Actor& actor, storage::Database& db, const BulkRequest& request,
                       std::int64_t now);

struct AgentChoice {
  std::int64_t id = 0;
  std::string name;
};
// Active staff, by name, for the "assign to" choice (ticket.assign). Assign still checks that
// the chosen agent can see each ticket.
std::vector<AgentChoice> ListAssignableAgents(const auth::Actor& actor, storage::Database& db);

}  // namespace rampart::tickets
