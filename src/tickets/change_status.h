#pragma once
#include <cstdint>
#include <string>

#include "auth/authorize.h"
#include "storage/database.h"
#include "tickets/ticket.h"
#include "tickets/ticket_store.h"

namespace rampart::tickets {

struct StatusRequest {
  std::string ticket;  // public number
  Status status = Status::kOpen;
};

// What a field-changing action did.
struct TicketChange {
  std::int64_t number = 0;
  bool changed = false;  // false when the ticket already was as asked
  std::int64_t updated_at = 0;
};

// Staff move a ticket between any statuses except out of closed (closed is final: a follow-up
// is a new ticket). End users may only close their own tickets (mark solved or closed) and
// reopen their own solved tickets; a colleague who sees a ticket through organization sharing
// may read and answer it but not change its status (core::Forbidden).
TicketChange ChangeStatus(const auth::Actor& actor, storage::Database& db,
                          const StatusRequest& request, std::int64_t now);

// Sets the status on the row with its side effects: solved_at is set when the ticket becomes
// solved or closed, and cleared when it is reopened. Returns false when nothing changed.
bool ApplyStatus(TicketRow& ticket, Status to, std::int64_t now);

}  // namespace rampart::tickets
