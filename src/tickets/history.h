#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/authorize.h"
#include "storage/database.h"

namespace rampart::tickets {

// One change to a ticket. Values are as stored: status and priority names, ids as decimal text
// (assignee, department), message ids for "reply" and "note", public numbers for merges.
struct HistoryEntry {
  std::int64_t at = 0;
  std::optional<std::int64_t> actor_id;  // nullopt: the system
  std::string actor_name;
  std::string field;
  std::optional<std::string> old_value;
  std::optional<std::string> new_value;
};

// The ticket's history, oldest first. Staff see every entry; end users see only what their
// own view of the ticket already shows (creation, status, public replies, merges), never notes,
// assignments, tags or staff-only fields.
std::vector<HistoryEntry> TicketHistory(const auth::Actor& actor, storage::Database& db,
                                        std::string_view number);

}  // namespace rampart::tickets
