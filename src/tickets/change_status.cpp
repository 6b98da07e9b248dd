#include "tickets/change_status.h"

#include "core/errors.h"
#include "tickets/policy.h"

namespace rampart::tickets {

bool ApplyStatus(TicketRow& ticket, Status to, std::int64_t now) {
  if (ticket.status == to) return false;
  ticket.status = to;
  if (IsUnsolved(to)) {
    ticket.solved_at.reset();
  } else if (!ticket.solved_at) {
    ticket.solved_at = now;  // solved then closed keeps the time it was solved
  }
  return true;
}

TicketChange ChangeStatus(const auth::Actor& actor, storage::Database& db,
                          const StatusRequest& request, std::int64_t now) {
  RequirePermission(actor, auth::Permission::kTicketChangeStatus);
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  TicketRow t = LoadTicketFor(*c, actor, auth::Permission::kTicketChangeStatus, request.ticket);
  if (t.status == Status::kClosed && request.status != Status::kClosed) {
    throw core::Conflict("This ticket is closed; closed tickets cannot be reopened.");
  }
  if (!ActsAsStaff(actor)) {
    // Authorize lets organization colleagues reach a shared ticket; deciding its fate stays
    // with the person who asked.
    if (t.requester_id != actor.user_id) {
      throw core::Forbidden("status change by a colleague of the requester");
    }
    const bool closing = request.status == Status::kSolved || request.status == Status::kClosed;
    const bool reopening = request.status == Status::kOpen && t.status == Status::kSolved;
    if (!closing && !reopening) {
      throw core::Invalid("status", "you may close your ticket, or reopen it once solved");
    }
  }
  const Status before = t.status;
  if (!ApplyStatus(t, request.status, now)) return {t.number, false, t.updated_at};
  t.updated_at = now;
  UpdateTicket(*c, t);
  AppendEvent(*c, t.id, ActorUserId(actor), now, "status", std::string(StatusName(before)),
              std::string(StatusName(t.status)));
  tx.Commit();
  return {t.number, true, now};
}

}  // namespace rampart::tickets
