#include "tickets/reply.h"

#include <stdexcept>

#include "core/errors.h"
#include "tickets/change_status.h"
#include "tickets/policy.h"
#include "tickets/text_rules.h"
#include "tickets/ticket_store.h"

namespace rampart::tickets {
namespace {

// The checks that need no database: permission to reply at all, staff-only fields, the body.
std::string CheckReply(const auth::Actor& actor, const ReplyRequest& request) {
  RequirePermission(actor, auth::Permission::kTicketReply);
  if (request.status) {
    if (!ActsAsStaff(actor)) throw core::Invalid("status", "may only be set by staff");
    RequirePermission(actor, auth::Permission::kTicketChangeStatus);
  }
  return CheckMessageBody(request.body, !request.attachments.empty());
}

// The reply itself, in the caller's transaction; files are the caller's.
PostedMessage InsertReply(storage::Connection& c, const auth::Actor& actor,
                          const ReplyRequest& request, const std::string& body, std::int64_t now) {
  const bool staff = ActsAsStaff(actor);
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
    // The requester and CCs hear of it by mail, queued in this transaction.
    EnqueueReplyMail(c, t, AuthorIdOf(actor), body, now);
  } else {
    // The customer answered: whatever the ticket waited for, it now waits for staff.
    ApplyStatus(t, Status::kOpen, now);
    // The agent working it hears of it by mail, queued in this transaction.
    EnqueueCustomerReplyNotice(c, t, AuthorIdOf(actor), body, now);
  }
  UpdateTicket(c, t);

  const auto actor_id = ActorUserId(actor);
  AppendEvent(c, t.id, actor_id, now, "reply", std::nullopt, std::to_string(message_id));
  if (t.status != before) {
    AppendEvent(c, t.id, actor_id, now, "status", std::string(StatusName(before)),
                std::string(StatusName(t.status)));
  }
  return {message_id, t.status, {}};
}

}  // namespace

std::string CheckMessageBody(std::string_view body, bool has_attachments) {
  if (has_attachments && body.empty()) return "";
  return CheckBody(body);
}

const AttachmentStore* RequireStore(const AttachmentStore* files, std::size_t count) {
  if (count > 0 && files == nullptr) throw std::logic_error("attachments without a store");
  return files;
}

PostedMessage Reply(const auth::Actor& actor, storage::Database& db, const ReplyRequest& request,
                    std::int64_t now, const AttachmentStore* files) {
  const std::string body = CheckReply(actor, request);
  // Written (and fsynced) before the writer is taken: sealing megabytes must not hold up every
  // other writer. A refusal below removes them again.
  StagedAttachments staged = RequireStore(files, request.attachments.size()) != nullptr
                                 ? files->Stage(request.attachments)
                                 : StagedAttachments{};

  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  PostedMessage posted = InsertReply(*c, actor, request, body, now);
  posted.attachments = staged.Record(*c, posted.message_id, ActorUserId(actor), now);
  tx.Commit();
  staged.Keep();
  return posted;
}

PostedMessage ReplyIn(storage::Connection& c, const auth::Actor& actor, const ReplyRequest& request,
                      std::int64_t now) {
  if (!request.attachments.empty()) throw std::logic_error("ReplyIn takes no attachments");
  return InsertReply(c, actor, request, CheckReply(actor, request), now);
}

}  // namespace rampart::tickets
