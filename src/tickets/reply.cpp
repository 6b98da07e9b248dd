#include "tickets/reply.h"

#include "core/errors.h"
#include "tickets/change_status.h"
#include "tickets/policy.h"
#include "tickets/text_rules.h"
#include "tickets/ticket_store.h"

namespace rampart::tickets {

PostedMessage Reply(const auth::Actor& actor, storage::Database& db, const ReplyRequest& request,
                    std::int64_t now) {
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  PostedMessage posted = ReplyIn(*c, actor, request, now);
  tx.Commit();
  return posted;
}

PostedMessage ReplyIn(storage::Connection& c, const auth::Actor& actor, const ReplyRequest& request,
                      std::int64_t now) {
  RequirePermission(actor, auth::Permission::kTicketReply);
  const bool staff = ActsAsStaff(actor);
  if (request.status) {
    if (!staff) throw core::Invalid("status", "may only be set by staff");
    RequirePermission(actor, auth::Permission::kTicketChangeStatus);
  }
  const std::string body = CheckBody(request.body);

  TicketRow t = LoadTicketFor(c, actor, auth::Permission::kTicketReply, request.ticket);
  if (t.merged_into_id) throw core::Conflict("This ticket was merged into another; reply there.");
  if (t.status == Status::kClosed) {
    throw core::Conflict("This ticket is closed; please open a new one.");
  }

  NewMessage message;
  message.ticket_id = t.id;
  message.author_id = AuthorIdOf(actor);
  message.author_kind = AuthorKindOf(actor);
  message.body = body;
  message.created_at = now;
  const std::int64_t message_id = InsertMessage(c, message);

  const Status before = t.status;
  t.updated_at = now;
  t.last_message_at = now;
  if (staff) {
    t.last_agent_reply_at = now;
    if (!t.first_response_at) t.first_response_at = now;
    if (request.status) ApplyStatus(t, *request.status, now);
  } else {
    // The customer answered: whatever the ticket waited for, it now waits for staff.
    ApplyStatus(t, Status::kOpen, now);
  }
  UpdateTicket(c, t);

  const auto actor_id = ActorUserId(actor);
  AppendEvent(c, t.id, actor_id, now, "reply", std::nullopt, std::to_string(message_id));
  if (t.status != before) {
    AppendEvent(c, t.id, actor_id, now, "status", std::string(StatusName(before)),
                std::string(StatusName(t.status)));
  }
  return {message_id, t.status};
}

}  // namespace rampart::tickets
