#include "tickets/add_note.h"

#include "tickets/policy.h"
#include "tickets/text_rules.h"
#include "tickets/ticket_store.h"

namespace rampart::tickets {

PostedMessage AddNote(const auth::Actor& actor, storage::Database& db, const NoteRequest& request,
                      std::int64_t now, const AttachmentStore* files) {
  RequirePermission(actor, auth::Permission::kTicketNote);
  const std::string body = CheckMessageBody(request.body, !request.attachments.empty());
  StagedAttachments staged = RequireStore(files, request.attachments.size()) != nullptr
                                 ? files->Stage(request.attachments)
                                 : StagedAttachments{};

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
  std::vector<AttachmentInfo> attached = staged.Record(*c, message_id, ActorUserId(actor), now);

  t.updated_at = now;
  UpdateTicket(*c, t);
  AppendEvent(*c, t.id, ActorUserId(actor), now, "note", std::nullopt, std::to_string(message_id));
  tx.Commit();
  staged.Keep();
  return {message_id, t.status, std::move(attached)};
}

}  // namespace rampart::tickets
