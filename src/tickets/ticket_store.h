#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "auth/authorize.h"
#include "storage/database.h"
#include "tickets/attachments.h"
#include "tickets/ticket.h"

// The ticket domain's SQL, in one place. Actions call these inside the one transaction they
// run; nothing here checks permissions (the actions do, through auth::Authorize, first).
namespace rampart::tickets {

// One row of `tickets`, as the actions read and write it.
struct TicketRow {
  std::int64_t id = 0;
  std::int64_t number = 0;
  std::string subject;
  std::int64_t requester_id = 0;
  std::optional<std::int64_t> organization_id;
  Status status = Status::kOpen;
  Priority priority = Priority::kNormal;
  std::optional<std::int64_t> department_id;
  std::optional<std::int64_t> assignee_id;
  std::string channel = "web";
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> due_at;
  std::optional<std::int64_t> first_response_at;
  std::optional<std::int64_t> solved_at;
  std::optional<std::int64_t> merged_into_id;
  std::optional<std::int64_t> last_message_at;
  std::optional<std::int64_t> last_agent_reply_at;
};

// What Authorize needs to know about a ticket.
auth::TicketFacts FactsOf(const TicketRow& ticket);

std::optional<TicketRow> FindTicketByNumber(storage::Connection& c, std::int64_t number);
std::optional<TicketRow> FindTicketById(storage::Connection& c, std::int64_t id);
// The tickets with these ids (a JSON array of integers), in the array's order, in one statement;
// ids without a ticket are left out.
std::vector<TicketRow> FindTicketsByIds(storage::Connection& c, const std::string& ids_json);
// The next public number; call inside the write transaction that inserts the ticket.
std::int64_t NextTicketNumber(storage::Connection& c);
// Inserts `ticket` (its id is ignored) and returns the new id.
std::int64_t InsertTicket(storage::Connection& c, const TicketRow& ticket);
// Writes every mutable column of `ticket` back.
void UpdateTicket(storage::Connection& c, const TicketRow& ticket);

struct NewMessage {
  std::int64_t ticket_id = 0;
  std::int64_t author_id = 0;
  AuthorKind author_kind = AuthorKind::kEndUser;
  std::string body;
  bool internal = false;
  std::int64_t created_at = 0;
};
// Inserts the message and its search document; returns the message id.
std::int64_t InsertMessage(storage::Connection& c, const NewMessage& message);
// Bulk loading: inserts the message without its search document. The caller must index the
// messages with IndexMessages before its transaction commits.
std::int64_t InsertMessageUnindexed(storage::Connection& c, const NewMessage& message);
// Adds the search documents of messages first_id..last_id in one statement. SQLite opens a
// statement savepoint for most writes, and FTS5 writes its pending terms out at each one, so
// documents added one statement at a time become one index segment each; a range added at once
// becomes one segment (twenty times faster for demo data). Also writes each message's search
// scope (ticket, department, assignee, requester, organization, internal) for the filter.
void IndexMessages(storage::Connection& c, std::int64_t first_id, std::int64_t last_id);
// Moves every message of one ticket to another, search documents and attachments included (the
// documents carry the ticket's subject and requester). Returns how many moved.
std::int64_t MoveMessages(storage::Connection& c, std::int64_t from_ticket_id,
                          std::int64_t to_ticket_id);

struct ThreadMessage {
  std::int64_t id = 0;
  std::int64_t author_id = 0;
  std::string author_name;
  AuthorKind author_kind = AuthorKind::kEndUser;
  bool internal = false;
  std::string body;
  std::int64_t created_at = 0;
  std::vector<AttachmentInfo> attachments;  // filled by GetTicket
};
// The thread in order. Internal notes only when `include_internal`.
std::vector<ThreadMessage> LoadThread(storage::Connection& c, std::int64_t ticket_id,
                                      bool include_internal);

// An id as history stores it (decimal text), or nothing.
std::optional<std::string> IdText(const std::optional<std::int64_t>& id);

// One line of the ticket's history.
void AppendEvent(storage::Connection& c, std::int64_t ticket_id,
                 std::optional<std::int64_t> actor_id, std::int64_t at, std::string_view field,
                 const std::optional<std::string>& old_value,
                 const std::optional<std::string>& new_value);

// The audit log lives in audit/; these keep the tickets' call sites short.
inline void AppendAudit(storage::Connection& c, std::int64_t at,
                        std::optional<std::int64_t> actor_id, std::string_view event,
                        std::string_view target, std::string_view detail) {
  audit::Append(c, at, actor_id, event, target, "", detail);
}
inline std::string AuditHash(std::string_view prev_hash, std::int64_t at,
                             std::optional<std::int64_t> actor_id, std::string_view event,
                             std::string_view target, std::string_view client,
                             std::string_view detail) {
  return audit::Hash(prev_hash, at, actor_id, event, target, client, detail);
}

// What the actions need to know about a user.
struct UserFacts {
  std::int64_t id = 0;
  std::string email;
  std::string name;
  auth::Role role = auth::Role::kEndUser;
  auth::PermissionSet permissions;
  bool disabled = false;
  std::optional<std::int64_t> organization_id;
  bool organization_shares_tickets = false;
  bool all_departments = false;
  std::vector<std::int64_t> department_ids;
};
std::optional<UserFacts> FindUser(storage::Connection& c, std::int64_t id);
std::optional<std::int64_t> FindUserIdByEmail(storage::Connection& c, const std::string& email);
std::string UserName(storage::Connection& c, std::int64_t id);
bool DepartmentExists(storage::Connection& c, std::int64_t id);
std::string DepartmentName(storage::Connection& c, std::int64_t id);
// The department's name, or nothing when there is no such department.
std::optional<std::string> FindDepartmentName(storage::Connection& c, std::int64_t id);
std::vector<std::int64_t> AllDepartmentIds(storage::Connection& c);

std::vector<std::string> LoadTags(storage::Connection& c, std::int64_t ticket_id);
void AddTag(storage::Connection& c, std::int64_t ticket_id, const std::string& tag);
void RemoveTag(storage::Connection& c, std::int64_t ticket_id, const std::string& tag);

struct StoredFieldValue {
  std::int64_t field_id = 0;
  std::string value;
};
std::vector<StoredFieldValue> LoadFieldValues(storage::Connection& c, std::int64_t ticket_id);
void SetFieldValue(storage::Connection& c, std::int64_t ticket_id, std::int64_t field_id,
                   const std::string& value);
void ClearFieldValue(storage::Connection& c, std::int64_t ticket_id, std::int64_t field_id);

std::vector<std::string> LoadCcs(storage::Connection& c, std::int64_t ticket_id);
void AddCc(storage::Connection& c, std::int64_t ticket_id, const std::string& email,
           std::optional<std::int64_t> added_by, std::int64_t at);
void RemoveCc(storage::Connection& c, std::int64_t ticket_id, const std::string& email);

// Re-indexes the search documents of a requester's tickets after their name or email changed.
// Call after updating the user, in the same transaction, with the values as they were: an
// external-content index removes a document by the text it indexed.
void ReindexRequester(storage::Connection& c, std::int64_t user_id, const std::string& old_name,
                      const std::string& old_email);
// Rebuilds the whole search index from the messages (repair; slow on large helpdesks).
void RebuildSearchIndex(storage::Connection& c);

// Queues the mail that tells the ticket's requester and CCs about a staff member's public
// reply: one outbox row each (kind "reply"), in the caller's transaction, so that the mail
// exists exactly when the reply does. The author gets no copy; disabled requesters get none.
// The mail module fixes each row's Message-ID (with the recipient's reply token) and threading
// headers before the first attempt and composes, signs and sends it.
void EnqueueReplyMail(storage::Connection& c, const TicketRow& ticket, std::int64_t author_id,
                      const std::string& body, std::int64_t now);
// The notices below follow the same rules: queued in the caller's transaction from the admin's
// templates (mail/notify), never to the actor about their own action, never to a disabled user.
// The requester hears that their new ticket was received (unless acknowledgements are off, or
// staff opened the ticket for themselves); `body` is the ticket's first message.
void EnqueueAcknowledgement(storage::Connection& c, const TicketRow& ticket,
                            std::optional<std::int64_t> staff_actor_id, const std::string& body,
                            std::int64_t now);
// The ticket's (new) assignee hears that it is theirs, unless they assigned it themselves.
void EnqueueAssignmentNotice(storage::Connection& c, const TicketRow& ticket,
                             std::optional<std::int64_t> actor_id, std::int64_t now);
// The assigned agent hears that the customer side answered; nobody when unassigned.
void EnqueueCustomerReplyNotice(storage::Connection& c, const TicketRow& ticket,
                                std::int64_t author_id, const std::string& body, std::int64_t now);

// A read transaction: the reads of one action see one snapshot.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(storage::Connection& c);
  ~ReadSnapshot();
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

 private:
  storage::Connection& connection_;
};

}  // namespace rampart::tickets
