#include "tickets/add_note.h"

#include "tickets/policy.h"
#include "tickets/text_rules.h"
#include "tickets/ticket_store.h"

namespace rampart::tickets {

PostedMessage AddNote(const auth::Actor& actor, storage::Database& db, const NoteRequest& request,
                      std::int64_t now) {
  RequirePermission(actor, auth::Permission::kTicketNote);
  const std::string body = CheckBody(request.body);

  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  TicketRow t = LoadTicketFor(*c, actor, auth::Permission::kTicketNote, request.ticket);

  NewMessage message;
  message.ticket_id = t.id;
  message.author_id = AuthorIdOf(actor);
  message.author_kind = AuthorKindOf(actor);
  message.body = body;
  message.internal = true;
  message.created_at = now;
  const std::int64_t message_id = InsertMessage(*c, message);

  t.updated_at = now;
  UpdateTicket(*c, t);
  AppendEvent(*c, t.id, ActorUserId(actor), now, "note", std::nullopt, std::to_string(message_id));
  tx.Commit();
  return {message_id, t.status};
}

}  // namespace rampart::tickets
