#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "auth/authorize.h"
#include "storage/database.h"
#include "tickets/change_status.h"

namespace rampart::tickets {

struct AssignRequest {
  std::string ticket;                       // public number
  std::optional<std::int64_t> assignee_id;  // nullopt: unassign
};

// Gives the ticket to an agent (ticket.assign). The assignee must be active staff who can see
// the ticket where it is: assigning must never be a way to hand a ticket to someone outside its
// department (Authorize lets an assignee see what is assigned to them). core::Invalid otherwise.
TicketChange Assign(const auth::Actor& actor, storage::Database& db, const AssignRequest& request,
                    std::int64_t now);

}  // namespace rampart::tickets
