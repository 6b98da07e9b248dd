#include "tickets/assign.h"

#include "core/errors.h"
#include "tickets/policy.h"
#include "tickets/ticket_store.h"

namespace rampart::tickets {
TicketChange Assign(const auth::Actor& actor, storage::Database& db, const AssignRequest& request,
                    std::int64_t now) {
  RequirePermission(actor, auth::Permission::kTicketAssign);
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  TicketRow t = LoadTicketFor(*c, actor, auth::Permission::kTicketAssign, request.ticket);
  RequireNotClosed(t);
  if (request.assignee_id) {
    const auto assignee = FindUser(*c, *request.assignee_id);
    // Judged as if unassigned: otherwise the assignment itself would grant the sight it needs.
    auth::TicketFacts facts = FactsOf(t);
    facts.assignee_id.reset();
    if (!assignee || assignee->disabled || !auth::IsStaff(assignee->role) ||
        !auth::Authorize(ActorFor(*assignee), auth::Permission::kTicketView, &facts)) {
      throw core::Invalid("assignee", "must be an active agent who can see this ticket");
    }
  }
  if (t.assignee_id == request.assignee_id) return {t.number, false, t.updated_at};
  const auto before = t.assignee_id;
  t.assignee_id = request.assignee_id;
  t.updated_at = now;
  UpdateTicket(*c, t);
  AppendEvent(*c, t.id, ActorUserId(actor), now, "assignee", IdText(before), IdText(t.assignee_id));
  EnqueueAssignmentNotice(*c, t, ActorUserId(actor), now);
  tx.Commit();
  return {t.number, true, now};
}

}  // namespace rampart::tickets
