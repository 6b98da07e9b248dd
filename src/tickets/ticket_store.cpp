#include "tickets/ticket_store.h"

#include <array>
#include <stdexcept>

#include "auth/actor.h"
#include "mail/notify/notifications.h"

namespace rampart::tickets {
namespace {

storage::Value Opt(const std::optional<std::int64_t>& v) {
  return v ? storage::Value{*v} : storage::Value{nullptr};
}
storage::Value Opt(const std::optional<std::string>& v) {
  return v ? storage::Value{*v} : storage::Value{nullptr};
}

// Reads the columns in the order both ticket queries below list them.
TicketRow TicketFromRow(const storage::Row& row) {
  TicketRow t;
  t.id = row.Int(0);
  t.number = row.Int(1);
  t.subject = row.Text(2);
  t.requester_id = row.Int(3);
  t.organization_id = row.OptionalInt(4);
  const auto status = ParseStatus(row.Text(5));
  const auto priority = ParsePriority(row.Text(6));
  // The table's CHECK constraints admit only the names these parse.
  if (!status || !priority) throw std::logic_error("ticket status or priority outside CHECK");
  t.status = *status;
  t.priority = *priority;
  t.department_id = row.OptionalInt(7);
  t.assignee_id = row.OptionalInt(8);
  t.channel = row.Text(9);
  t.created_at = row.Int(10);
  t.updated_at = row.Int(11);
  t.due_at = row.OptionalInt(12);
  t.first_response_at = row.OptionalInt(13);
  t.solved_at = row.OptionalInt(14);
  t.merged_into_id = row.OptionalInt(15);
  t.last_message_at = row.OptionalInt(16);
  t.last_agent_reply_at = row.OptionalInt(17);
  return t;
}

}  // namespace

auth::TicketFacts FactsOf(const TicketRow& ticket) {
  return {ticket.requester_id, ticket.organization_id, ticket.department_id, ticket.assignee_id};
}

std::optional<TicketRow> FindTicketByNumber(storage::Connection& c, std::int64_t number) {
  const auto row = c.QueryOne(
      "SELECT id, number, subject, requester_id, organization_id, status, priority, "
      "department_id, assignee_id, channel, created_at, updated_at, due_at, first_response_at, "
      "solved_at, merged_into_id, last_message_at, last_agent_reply_at FROM tickets WHERE number = "
      "?",
      {number});
  if (!row) return std::nullopt;
  return TicketFromRow(*row);
}

std::optional<TicketRow> FindTicketById(storage::Connection& c, std::int64_t id) {
  const auto row = c.QueryOne(
      "SELECT id, number, subject, requester_id, organization_id, status, priority, "
      "department_id, assignee_id, channel, created_at, updated_at, due_at, first_response_at, "
      "solved_at, merged_into_id, last_message_at, last_agent_reply_at FROM tickets WHERE id = ?",
      {id});
  if (!row) return std::nullopt;
  return TicketFromRow(*row);
}

std::vector<TicketRow> FindTicketsByIds(storage::Connection& c, const std::string& ids_json) {
  // CROSS JOIN keeps json_each outermost: one primary-key lookup per id, in the list's order.
  std::vector<TicketRow> tickets;
  c.ForEach(
      "SELECT t.id, t.number, t.subject, t.requester_id, t.organization_id, t.status, "
      "t.priority, t.department_id, t.assignee_id, t.channel, t.created_at, t.updated_at, "
      "t.due_at, t.first_response_at, t.solved_at, t.merged_into_id, t.last_message_at, "
      "t.last_agent_reply_at FROM json_each(?) AS j CROSS JOIN tickets AS t ON t.id = j.value "
      "ORDER BY j.key",
      std::vector<storage::Value>{ids_json},
      [&](const storage::Row& row) { tickets.push_back(TicketFromRow(row)); });
  return tickets;
}

std::int64_t NextTicketNumber(storage::Connection& c) {
  return c.QueryOne("SELECT coalesce(max(number), 1000) + 1 FROM tickets")->Int(0);
}

std::int64_t InsertTicket(storage::Connection& c, const TicketRow& t) {
  c.Execute(
      "INSERT INTO tickets (number, subject, requester_id, organization_id, status, priority, "
      "department_id, assignee_id, channel, created_at, updated_at, due_at, first_response_at, "
      "solved_at, merged_into_id, last_message_at, last_agent_reply_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {t.number, t.subject, t.requester_id, Opt(t.organization_id),
       std::string(StatusName(t.status)), std::string(PriorityName(t.priority)),
       Opt(t.department_id), Opt(t.assignee_id), t.channel, t.created_at, t.updated_at,
       Opt(t.due_at), Opt(t.first_response_at), Opt(t.solved_at), Opt(t.merged_into_id),
       Opt(t.last_message_at), Opt(t.last_agent_reply_at)});
  return c.LastInsertId();
}

void UpdateTicket(storage::Connection& c, const TicketRow& t) {
  c.Execute(
      "UPDATE tickets SET status = ?, priority = ?, department_id = ?, assignee_id = ?, "
      "updated_at = ?, due_at = ?, first_response_at = ?, solved_at = ?, merged_into_id = ?, "
      "last_message_at = ?, last_agent_reply_at = ? WHERE id = ?",
      {std::string(StatusName(t.status)), std::string(PriorityName(t.priority)),
       Opt(t.department_id), Opt(t.assignee_id), t.updated_at, Opt(t.due_at),
       Opt(t.first_response_at), Opt(t.solved_at), Opt(t.merged_into_id), Opt(t.last_message_at),
       Opt(t.last_agent_reply_at), t.id});
}

std::int64_t InsertMessageUnindexed(storage::Connection& c, const NewMessage& m) {
  c.Execute(
      "INSERT INTO messages (ticket_id, author_id, body, internal, created_at, author_kind) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {m.ticket_id, m.author_id, m.body, std::int64_t{m.internal ? 1 : 0}, m.created_at,
       std::string(AuthorKindName(m.author_kind))});
  return c.LastInsertId();
}

std::int64_t InsertMessage(storage::Connection& c, const NewMessage& m) {
  const std::int64_t id = InsertMessageUnindexed(c, m);
  IndexMessages(c, id, id);
  return id;
}

void IndexMessages(storage::Connection& c, std::int64_t first_id, std::int64_t last_id) {
  // Indexed from the view the index reads back, so that the text it indexes is exactly the text
  // a later 'delete' will present.
  c.Execute(
      "INSERT INTO ticket_search (rowid, subject, body, requester) "
      "SELECT id, subject, body, requester FROM ticket_search_source WHERE id BETWEEN ? AND ?",
      {first_id, last_id});
  // Who may find them, read by search's permission filter instead of the message and ticket
  // (migration 14; triggers keep the ticket's side in step from here on).
  c.Execute(
      "INSERT INTO ticket_search_scope (message_id, ticket_id, department_id, assignee_id, "
      "requester_id, organization_id, internal) "
      "SELECT m.id, m.ticket_id, t.department_id, t.assignee_id, t.requester_id, "
      "t.organization_id, m.internal FROM messages AS m JOIN tickets AS t ON t.id = m.ticket_id "
      "WHERE m.id BETWEEN ? AND ?",
      {first_id, last_id});
}

std::int64_t MoveMessages(storage::Connection& c, std::int64_t from_ticket_id,
                          std::int64_t to_ticket_id) {
  std::vector<std::int64_t> ids;
  for (const auto& row :
       c.Query("SELECT id FROM messages WHERE ticket_id = ? ORDER BY id", {from_ticket_id})) {
    ids.push_back(row.Int(0));
  }
  c.Execute(
      "INSERT INTO ticket_search (ticket_search, rowid, subject, body, requester) "
      "SELECT 'delete', id, subject, body, requester FROM ticket_search_source "
      "WHERE ticket_id = ?",
      {from_ticket_id});
  c.Execute("UPDATE messages SET ticket_id = ? WHERE ticket_id = ?",
            {to_ticket_id, from_ticket_id});
  // Files follow their messages: who may open them is decided by the ticket they are on now.
  c.Execute("UPDATE attachments SET ticket_id = ? WHERE ticket_id = ?",
            {to_ticket_id, from_ticket_id});
  for (std::int64_t id : ids) {
    c.Execute(
        "INSERT INTO ticket_search (rowid, subject, body, requester) "
        "SELECT id, subject, body, requester FROM ticket_search_source WHERE id = ?",
        {id});
  }
  return static_cast<std::int64_t>(ids.size());
}

std::vector<ThreadMessage> LoadThread(storage::Connection& c, std::int64_t ticket_id,
                                      bool include_internal) {
  // Two statements rather than one with a flag: which one runs is plain in a review.
  const std::vector<storage::Row> rows =
      include_internal
          ? c.Query(
                "SELECT m.id, m.author_id, u.name, m.author_kind, m.internal, m.body, "
                "m.created_at FROM messages AS m JOIN users AS u ON u.id = m.author_id "
                "WHERE m.ticket_id = ? ORDER BY m.id",
                {ticket_id})
          : c.Query(
                "SELECT m.id, m.author_id, u.name, m.author_kind, m.internal, m.body, "
                "m.created_at FROM messages AS m JOIN users AS u ON u.id = m.author_id "
                "WHERE m.ticket_id = ? AND m.internal = 0 ORDER BY m.id",
                {ticket_id});
  std::vector<ThreadMessage> thread;
  thread.reserve(rows.size());
  for (const auto& row : rows) {
    ThreadMessage m;
    m.id = row.Int(0);
    m.author_id = row.Int(1);
    m.author_name = row.Text(2);
    m.author_kind = ParseAuthorKind(row.Text(3)).value_or(AuthorKind::kSystem);
    m.internal = row.Int(4) != 0;
    m.body = row.Text(5);
    m.created_at = row.Int(6);
    thread.push_back(std::move(m));
  }
  return thread;
}

std::optional<std::string> IdText(const std::optional<std::int64_t>& id) {
  if (!id) return std::nullopt;
  return std::to_string(*id);
}

void AppendEvent(storage::Connection& c, std::int64_t ticket_id,
                 std::optional<std::int64_t> actor_id, std::int64_t at, std::string_view field,
                 const std::optional<std::string>& old_value,
                 const std::optional<std::string>& new_value) {
  c.Execute(
      "INSERT INTO ticket_events (ticket_id, actor_id, at, field, old_value, new_value) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {ticket_id, Opt(actor_id), at, std::string(field), Opt(old_value), Opt(new_value)});
}

std::optional<UserFacts> FindUser(storage::Connection& c, std::int64_t id) {
  const auto row = c.QueryOne(
      "SELECT u.id, u.email, u.name, u.role, u.disabled, u.organization_id, "
      "coalesce(o.shared_tickets, 0), u.all_departments, u.role_id, "
      "coalesce(r.all_departments, 0) FROM users AS u "
      "LEFT JOIN organizations AS o ON o.id = u.organization_id "
      "LEFT JOIN roles AS r ON r.id = u.role_id WHERE u.id = ?",
      {id});
  if (!row) return std::nullopt;
  UserFacts u;
  u.id = row->Int(0);
  u.email = row->Text(1);
  u.name = row->Text(2);
  u.role = auth::ParseRole(row->Text(3)).value_or(auth::Role::kEndUser);
  u.disabled = row->Int(4) != 0;
  u.organization_id = row->OptionalInt(5);
  u.organization_shares_tickets = row->Int(6) != 0;
  const auto custom_role = row->OptionalInt(8);
  u.all_departments = row->Int(7) != 0 || (custom_role && row->Int(9) != 0);
  u.permissions = auth::EffectivePermissions(c, u.role, custom_role);
  for (const auto& d : c.Query(
           "SELECT department_id FROM user_departments WHERE user_id = ? ORDER BY department_id",
           {id})) {
    u.department_ids.push_back(d.Int(0));
  }
  return u;
}

std::optional<std::int64_t> FindUserIdByEmail(storage::Connection& c, const std::string& email) {
  const auto row = c.QueryOne("SELECT id FROM users WHERE email = ?", {email});
  if (!row) return std::nullopt;
  return row->Int(0);
}

std::string UserName(storage::Connection& c, std::int64_t id) {
  const auto row = c.QueryOne("SELECT name FROM users WHERE id = ?", {id});
  return row ? row->Text(0) : std::string();
}

bool DepartmentExists(storage::Connection& c, std::int64_t id) {
  return c.QueryOne("SELECT 1 FROM departments WHERE id = ?", {id}).has_value();
}

std::string DepartmentName(storage::Connection& c, std::int64_t id) {
  const auto row = c.QueryOne("SELECT name FROM departments WHERE id = ?", {id});
  return row ? row->Text(0) : std::string();
}

std::optional<std::string> FindDepartmentName(storage::Connection& c, std::int64_t id) {
  const auto row = c.QueryOne("SELECT name FROM departments WHERE id = ?", {id});
  if (!row) return std::nullopt;
  return row->Text(0);
}

std::vector<std::int64_t> AllDepartmentIds(storage::Connection& c) {
  std::vector<std::int64_t> ids;
  for (const auto& row : c.Query("SELECT id FROM departments ORDER BY id")) {
    ids.push_back(row.Int(0));
  }
  return ids;
}

std::vector<std::string> LoadTags(storage::Connection& c, std::int64_t ticket_id) {
  std::vector<std::string> tags;
  for (const auto& row :
       c.Query("SELECT tag FROM ticket_tags WHERE ticket_id = ? ORDER BY tag", {ticket_id})) {
    tags.push_back(row.Text(0));
  }
  return tags;
}

void AddTag(storage::Connection& c, std::int64_t ticket_id, const std::string& tag) {
  c.Execute("INSERT OR IGNORE INTO ticket_tags (ticket_id, tag) VALUES (?, ?)", {ticket_id, tag});
}

void RemoveTag(storage::Connection& c, std::int64_t ticket_id, const std::string& tag) {
  c.Execute("DELETE FROM ticket_tags WHERE ticket_id = ? AND tag = ?", {ticket_id, tag});
}

std::vector<StoredFieldValue> LoadFieldValues(storage::Connection& c, std::int64_t ticket_id) {
  std::vector<StoredFieldValue> values;
  for (const auto& row : c.Query(
           "SELECT field_id, value FROM ticket_field_values WHERE ticket_id = ? ORDER BY field_id",
           {ticket_id})) {
    values.push_back({row.Int(0), row.Text(1)});
  }
  return values;
}

void SetFieldValue(storage::Connection& c, std::int64_t ticket_id, std::int64_t field_id,
                   const std::string& value) {
  c.Execute(
      "INSERT INTO ticket_field_values (ticket_id, field_id, value) VALUES (?, ?, ?) "
      "ON CONFLICT (ticket_id, field_id) DO UPDATE SET value = excluded.value",
      {ticket_id, field_id, value});
}

void ClearFieldValue(storage::Connection& c, std::int64_t ticket_id, std::int64_t field_id) {
  c.Execute("DELETE FROM ticket_field_values WHERE ticket_id = ? AND field_id = ?",
            {ticket_id, field_id});
}

std::vector<std::string> LoadCcs(storage::Connection& c, std::int64_t ticket_id) {
  std::vector<std::string> ccs;
  for (const auto& row :
       c.Query("SELECT email FROM ticket_ccs WHERE ticket_id = ? ORDER BY email", {ticket_id})) {
    ccs.push_back(row.Text(0));
  }
  return ccs;
}

void AddCc(storage::Connection& c, std::int64_t ticket_id, const std::string& email,
           std::optional<std::int64_t> added_by, std::int64_t at) {
  c.Execute(
      "INSERT OR IGNORE INTO ticket_ccs (ticket_id, email, user_id, added_by, added_at) "
      "VALUES (?, ?, (SELECT id FROM users WHERE email = ?), ?, ?)",
      {ticket_id, email, email, Opt(added_by), at});
}

void RemoveCc(storage::Connection& c, std::int64_t ticket_id, const std::string& email) {
  c.Execute("DELETE FROM ticket_ccs WHERE ticket_id = ? AND email = ?", {ticket_id, email});
}

void ReindexRequester(storage::Connection& c, std::int64_t user_id, const std::string& old_name,
                      const std::string& old_email) {
  c.Execute(
      "INSERT INTO ticket_search (ticket_search, rowid, subject, body, requester) "
      "SELECT 'delete', s.id, s.subject, s.body, ? || ' ' || ? FROM ticket_search_source AS s "
      "WHERE s.ticket_id IN (SELECT id FROM tickets WHERE requester_id = ?)",
      {old_name, old_email, user_id});
  c.Execute(
      "INSERT INTO ticket_search (rowid, subject, body, requester) "
      "SELECT s.id, s.subject, s.body, s.requester FROM ticket_search_source AS s "
      "WHERE s.ticket_id IN (SELECT id FROM tickets WHERE requester_id = ?)",
      {user_id});
}

void RebuildSearchIndex(storage::Connection& c) {
  c.Execute("INSERT INTO ticket_search (ticket_search) VALUES ('rebuild')");
  c.Execute("DELETE FROM ticket_search_scope");
  c.Execute(
      "INSERT INTO ticket_search_scope (message_id, ticket_id, department_id, assignee_id, "
      "requester_id, organization_id, internal) "
      "SELECT m.id, m.ticket_id, t.department_id, t.assignee_id, t.requester_id, "
      "t.organization_id, m.internal FROM messages AS m JOIN tickets AS t ON t.id = m.ticket_id");
}

namespace {

// An active user's address and name, for mail; nothing for a disabled or missing one.
std::optional<std::pair<std::string, std::string>> MailableUser(storage::Connection& c,
                                                                std::int64_t id) {
  const auto row = c.QueryOne("SELECT email, name FROM users WHERE id = ? AND disabled = 0", {id});
  if (!row) return std::nullopt;
  return std::pair{row->Text(0), row->Text(1)};
}

// The placeholders every notice about this ticket can use. `to_staff` picks the agent's link.
mail::TemplateValues TicketValues(storage::Connection& c, const TicketRow& ticket,
                                  std::optional<std::int64_t> agent_id, const std::string& body,
                                  bool to_staff) {
  const std::string number = FormatTicketNumber(ticket.number);
  return {{"ticket.number", number},
          {"ticket.subject", ticket.subject},
          {"requester.name", UserName(c, ticket.requester_id)},
          {"agent.name", agent_id ? UserName(c, *agent_id) : std::string()},
          {"message.body", body},
          {"ticket.url",
           mail::PublicLink(c, (to_staff ? "/agent/tickets/" : "/portal/tickets/") + number)}};
}

}  // namespace

void EnqueueReplyMail(storage::Connection& c, const TicketRow& ticket, std::int64_t author_id,
                      const std::string& body, std::int64_t now) {
  const mail::TemplateValues values = TicketValues(c, ticket, author_id, body, false);
  for (const auto& row :
       c.Query("SELECT r.email FROM ("
               "  SELECT u.email AS email FROM users AS u WHERE u.id = ? AND u.disabled = 0"
               "  UNION SELECT cc.email FROM ticket_ccs AS cc WHERE cc.ticket_id = ?) AS r "
               "WHERE lower(r.email) NOT IN (SELECT lower(a.email) FROM users AS a WHERE a.id = ?) "
               "ORDER BY r.email",
               {ticket.requester_id, ticket.id, author_id})) {
    mail::EnqueueNotification(c, mail::NotificationKind::kAgentReply, row.Text(0), ticket.id,
                              values, now);
  }
}

void EnqueueAcknowledgement(storage::Connection& c, const TicketRow& ticket,
                            std::optional<std::int64_t> staff_actor_id, const std::string& body,
                            std::int64_t now) {
  if (staff_actor_id == ticket.requester_id || !mail::AcknowledgementsEnabled(c)) return;
  const auto requester = MailableUser(c, ticket.requester_id);
  if (!requester) return;
  mail::EnqueueNotification(c, mail::NotificationKind::kAcknowledgement, requester->first,
                            ticket.id, TicketValues(c, ticket, std::nullopt, body, false), now);
}

void EnqueueAssignmentNotice(storage::Connection& c, const TicketRow& ticket,
                             std::optional<std::int64_t> actor_id, std::int64_t now) {
  if (!ticket.assignee_id || ticket.assignee_id == actor_id) return;
  const auto agent = MailableUser(c, *ticket.assignee_id);
  if (!agent) return;
  mail::EnqueueNotification(c, mail::NotificationKind::kAssignment, agent->first, ticket.id,
                            TicketValues(c, ticket, ticket.assignee_id, "", true), now);
}

void EnqueueCustomerReplyNotice(storage::Connection& c, const TicketRow& ticket,
                                std::int64_t author_id, const std::string& body, std::int64_t now) {
  if (!ticket.assignee_id || *ticket.assignee_id == author_id) return;
  const auto agent = MailableUser(c, *ticket.assignee_id);
  if (!agent) return;
  mail::EnqueueNotification(c, mail::NotificationKind::kCustomerReply, agent->first, ticket.id,
                            TicketValues(c, ticket, ticket.assignee_id, body, true), now);
}

ReadSnapshot::ReadSnapshot(storage::Connection& c) : connection_(c) {
  connection_.Execute("BEGIN");
}

ReadSnapshot::~ReadSnapshot() {
  try {
    connection_.Rollback();
  } catch (...) {  // NOLINT(bugprone-empty-catch): a read transaction has nothing to undo; the
                   // connection resets itself on its next BEGIN.
  }
}

}  // namespace rampart::tickets
