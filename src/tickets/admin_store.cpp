#include "tickets/admin_store.h"

namespace rampart::tickets {
namespace {

storage::Value Opt(const std::optional<std::int64_t>& v) {
  if (v) return *v;
  return nullptr;
}

CannedRow CannedOf(const storage::Row& row) {
  return {row.Int(0), row.OptionalInt(1), row.Text(2), row.Text(3), row.Int(4)};
}

}  // namespace

std::vector<OrganizationRow> SelectOrganizations(storage::Connection& c) {
  std::vector<OrganizationRow> out;
  for (const storage::Row& row :
       c.Query("SELECT o.id, o.name, o.shared_tickets, "
               "(SELECT count(*) FROM users AS u WHERE u.organization_id = o.id) "
               "FROM organizations AS o ORDER BY o.name LIMIT 1000")) {
    out.push_back({row.Int(0), row.Text(1), row.Int(2) != 0, row.Int(3)});
  }
  return out;
}

std::optional<OrganizationRow> SelectOrganization(storage::Connection& c, std::int64_t id) {
  const auto row = c.QueryOne(
      "SELECT o.id, o.name, o.shared_tickets, "
      "(SELECT count(*) FROM users AS u WHERE u.organization_id = o.id) "
      "FROM organizations AS o WHERE o.id = ?",
      {id});
  if (!row) return std::nullopt;
  return OrganizationRow{row->Int(0), row->Text(1), row->Int(2) != 0, row->Int(3)};
}

bool OrganizationNameTaken(storage::Connection& c, const std::string& name,
                           std::int64_t except_id) {
  return c.QueryOne("SELECT 1 FROM organizations WHERE name = ? AND id <> ?", {name, except_id})
      .has_value();
}

std::int64_t InsertOrganization(storage::Connection& c, const std::string& name, bool shared,
                                std::int64_t now) {
  c.Execute("INSERT INTO organizations (name, shared_tickets, created_at) VALUES (?, ?, ?)",
            {name, std::int64_t{shared ? 1 : 0}, now});
  return c.LastInsertId();
}

void UpdateOrganization(storage::Connection& c, std::int64_t id, const std::string& name,
                        bool shared) {
  c.Execute("UPDATE organizations SET name = ?, shared_tickets = ? WHERE id = ?",
            {name, std::int64_t{shared ? 1 : 0}, id});
}

std::vector<MemberRow> SelectOrganizationMembers(storage::Connection& c, std::int64_t id,
                                                 std::int64_t limit) {
  std::vector<MemberRow> out;
  for (const storage::Row& row :
       c.Query("SELECT id, name, email FROM users WHERE organization_id = ? ORDER BY name, id "
               "LIMIT ?",
               {id, limit})) {
    out.push_back({row.Int(0), row.Text(1), row.Text(2)});
  }
  return out;
}

std::vector<DepartmentRow> SelectDepartments(storage::Connection& c) {
  std::vector<DepartmentRow> out;
  for (const storage::Row& row :
       c.Query("SELECT d.id, d.name, "
               "(SELECT count(*) FROM tickets AS t WHERE t.department_id = d.id), "
               "(SELECT count(*) FROM user_departments AS m WHERE m.department_id = d.id) "
               "FROM departments AS d ORDER BY d.name LIMIT 1000")) {
    out.push_back({row.Int(0), row.Text(1), row.Int(2), row.Int(3)});
  }
  return out;
}

std::optional<DepartmentRow> SelectDepartment(storage::Connection& c, std::int64_t id) {
  const auto row = c.QueryOne(
      "SELECT d.id, d.name, "
      "(SELECT count(*) FROM tickets AS t WHERE t.department_id = d.id), "
      "(SELECT count(*) FROM user_departments AS m WHERE m.department_id = d.id) "
      "FROM departments AS d WHERE d.id = ?",
      {id});
  if (!row) return std::nullopt;
  return DepartmentRow{row->Int(0), row->Text(1), row->Int(2), row->Int(3)};
}

bool DepartmentNameTaken(storage::Connection& c, const std::string& name, std::int64_t except_id) {
  return c.QueryOne("SELECT 1 FROM departments WHERE name = ? AND id <> ?", {name, except_id})
      .has_value();
}

std::int64_t InsertDepartment(storage::Connection& c, const std::string& name, std::int64_t now) {
  c.Execute("INSERT INTO departments (name, created_at) VALUES (?, ?)", {name, now});
  return c.LastInsertId();
}

void UpdateDepartmentName(storage::Connection& c, std::int64_t id, const std::string& name) {
  c.Execute("UPDATE departments SET name = ? WHERE id = ?", {name, id});
}

std::int64_t MoveDepartmentAndDelete(storage::Connection& c, std::int64_t from,
                                     std::optional<std::int64_t> to,
                                     std::optional<std::int64_t> actor_id, std::int64_t now) {
  std::int64_t moved = 0;
  if (to) {
    // History first, while the tickets still name the old department.
    c.Execute(
        "INSERT INTO ticket_events (ticket_id, actor_id, at, field, old_value, new_value) "
        "SELECT id, ?, ?, 'department', CAST(? AS TEXT), CAST(? AS TEXT) FROM tickets "
        "WHERE department_id = ?",
        {Opt(actor_id), now, from, *to, from});
    c.Execute("UPDATE tickets SET department_id = ?, updated_at = ? WHERE department_id = ?",
              {*to, now, from});
    moved = c.Changes();
    c.Execute(
        "INSERT OR IGNORE INTO user_departments (user_id, department_id) "
        "SELECT user_id, ? FROM user_departments WHERE department_id = ?",
        {*to, from});
  }
  c.Execute("DELETE FROM user_departments WHERE department_id = ?", {from});
  c.Execute("DELETE FROM departments WHERE id = ?", {from});
  return moved;
}

std::int64_t CountFields(storage::Connection& c) {
  return c.QueryOne("SELECT count(*) FROM custom_fields")->Int(0);
}

bool FieldKeyTaken(storage::Connection& c, const std::string& key) {
  return c.QueryOne("SELECT 1 FROM custom_fields WHERE key = ?", {key}).has_value();
}

std::int64_t InsertField(storage::Connection& c, const FieldRow& f, std::int64_t now) {
  c.Execute(
      "INSERT INTO custom_fields (key, label, kind, required, end_user_visible, "
      "end_user_editable, position, created_at) VALUES (?, ?, ?, ?, ?, ?, "
      "(SELECT coalesce(max(position), 0) + 1 FROM custom_fields), ?)",
      {f.key, f.label, f.kind, std::int64_t{f.required ? 1 : 0},
       std::int64_t{f.end_user_visible ? 1 : 0}, std::int64_t{f.end_user_editable ? 1 : 0}, now});
  return c.LastInsertId();
}

void UpdateField(storage::Connection& c, std::int64_t id, const FieldRow& f) {
  c.Execute(
      "UPDATE custom_fields SET label = ?, required = ?, end_user_visible = ?, "
      "end_user_editable = ? WHERE id = ?",
      {f.label, std::int64_t{f.required ? 1 : 0}, std::int64_t{f.end_user_visible ? 1 : 0},
       std::int64_t{f.end_user_editable ? 1 : 0}, id});
}

void SetFieldArchivedAt(storage::Connection& c, std::int64_t id, std::optional<std::int64_t> at) {
  c.Execute("UPDATE custom_fields SET archived_at = ? WHERE id = ?", {Opt(at), id});
}

void ReplaceFieldOptions(storage::Connection& c, std::int64_t field_id,
                         const std::vector<std::pair<std::string, std::string>>& options) {
  c.Execute("DELETE FROM custom_field_options WHERE field_id = ?", {field_id});
  std::int64_t position = 0;
  for (const auto& [value, label] : options) {
    c.Execute(
        "INSERT INTO custom_field_options (field_id, value, label, position) VALUES (?, ?, ?, ?)",
        {field_id, value, label, ++position});
  }
}

std::int64_t CountFieldValueUses(storage::Connection& c, std::int64_t field_id,
                                 const std::string& value) {
  return c
      .QueryOne("SELECT count(*) FROM ticket_field_values WHERE field_id = ? AND value = ?",
                {field_id, value})
      ->Int(0);
}

std::vector<CannedRow> SelectCannedFor(storage::Connection& c, std::int64_t owner_id) {
  std::vector<CannedRow> out;
  for (const storage::Row& row :
       c.Query("SELECT id, owner_id, title, body, updated_at FROM canned_responses "
               "WHERE owner_id IS NULL OR owner_id = ? "
               "ORDER BY owner_id IS NOT NULL, title, id LIMIT 1000",
               {owner_id})) {
    out.push_back(CannedOf(row));
  }
  return out;
}

std::vector<CannedRow> SelectSharedCanned(storage::Connection& c) {
  std::vector<CannedRow> out;
  for (const storage::Row& row :
       c.Query("SELECT id, owner_id, title, body, updated_at FROM canned_responses "
               "WHERE owner_id IS NULL ORDER BY title, id LIMIT 1000")) {
    out.push_back(CannedOf(row));
  }
  return out;
}

std::optional<CannedRow> SelectCanned(storage::Connection& c, std::int64_t id) {
  const auto row = c.QueryOne(
      "SELECT id, owner_id, title, body, updated_at FROM canned_responses WHERE id = ?", {id});
  if (!row) return std::nullopt;
  return CannedOf(*row);
}

std::int64_t CountCanned(storage::Connection& c, std::optional<std::int64_t> owner_id) {
  if (!owner_id) {
    return c.QueryOne("SELECT count(*) FROM canned_responses WHERE owner_id IS NULL")->Int(0);
  }
  return c.QueryOne("SELECT count(*) FROM canned_responses WHERE owner_id = ?", {*owner_id})
      ->Int(0);
}

std::int64_t InsertCanned(storage::Connection& c, const CannedRow& row, std::int64_t now) {
  c.Execute(
      "INSERT INTO canned_responses (owner_id, title, body, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?)",
      {Opt(row.owner_id), row.title, row.body, now, now});
  return c.LastInsertId();
}

void UpdateCanned(storage::Connection& c, std::int64_t id, const std::string& title,
                  const std::string& body, std::int64_t now) {
  c.Execute("UPDATE canned_responses SET title = ?, body = ?, updated_at = ? WHERE id = ?",
            {title, body, now, id});
}

void DeleteCanned(storage::Connection& c, std::int64_t id) {
  c.Execute("DELETE FROM canned_responses WHERE id = ?", {id});
}

std::optional<std::string> SelectSetting(storage::Connection& c, const std::string& key) {
  const auto row = c.QueryOne("SELECT value FROM settings WHERE key = ?", {key});
  if (!row) return std::nullopt;
  return row->Text(0);
}

void UpsertSetting(storage::Connection& c, const std::string& key, const std::string& value) {
  c.Execute(
      "INSERT INTO settings (key, value) VALUES (?, ?) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      {key, value});
}

void InsertInvite(storage::Connection& c, const std::string& token_hash, const InviteRow& row,
                  std::optional<std::int64_t> created_by) {
  c.Execute(
      "INSERT INTO portal_invites (token_hash, email, kind, created_by, created_at, expires_at) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {storage::Blob{token_hash}, row.email, row.kind, Opt(created_by), row.created_at,
       row.expires_at});
}

std::optional<InviteRow> SelectInvite(storage::Connection& c, const std::string& token_hash) {
  const auto row = c.QueryOne(
      "SELECT email, kind, created_at, expires_at, used_at FROM portal_invites "
      "WHERE token_hash = ?",
      {storage::Blob{token_hash}});
  if (!row) return std::nullopt;
  return InviteRow{row->Text(0), row->Text(1), row->Int(2), row->Int(3), row->OptionalInt(4)};
}

bool MarkInviteUsed(storage::Connection& c, const std::string& token_hash, std::int64_t now) {
  c.Execute("UPDATE portal_invites SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
            {now, storage::Blob{token_hash}});
  return c.Changes() == 1;
}

std::vector<InviteRow> SelectPendingInvites(storage::Connection& c, std::int64_t now,
                                            std::int64_t limit) {
  std::vector<InviteRow> out;
  for (const storage::Row& row :
       c.Query("SELECT email, kind, created_at, expires_at, used_at FROM portal_invites "
               "WHERE kind = 'invite' AND used_at IS NULL AND expires_at > ? "
               "ORDER BY created_at DESC LIMIT ?",
               {now, limit})) {
    out.push_back({row.Text(0), row.Text(1), row.Int(2), row.Int(3), row.OptionalInt(4)});
  }
  return out;
}

std::vector<std::pair<std::int64_t, std::string>> SelectActiveStaff(storage::Connection& c) {
  std::vector<std::pair<std::int64_t, std::string>> out;
  for (const storage::Row& row :
       c.Query("SELECT id, name FROM users WHERE role <> 'end_user' AND disabled = 0 "
               "ORDER BY name, id LIMIT 1000")) {
    out.emplace_back(row.Int(0), row.Text(1));
  }
  return out;
}

std::int64_t InsertEndUser(storage::Connection& c, const std::string& email,
                           const std::string& name, const std::string& password_hash,
                           std::int64_t now) {
  c.Execute(
      "INSERT INTO users (email, name, role, password_hash, created_at, password_changed_at) "
      "VALUES (?, ?, 'end_user', ?, ?, ?)",
      {email, name, password_hash, now, now});
  return c.LastInsertId();
}

void InsertOutboxMail(storage::Connection& c, const std::string& kind, const std::string& recipient,
                      const std::string& subject, const std::string& body, std::int64_t now) {
  c.Execute(
      "INSERT INTO outbox (kind, recipient, subject, body, created_at) VALUES (?, ?, ?, ?, ?)",
      {kind, recipient, subject, body, now});
}

std::vector<OutboxMail> SelectUnsentOutbox(storage::Connection& c, std::int64_t limit) {
  std::vector<OutboxMail> out;
  for (const storage::Row& row :
       c.Query("SELECT kind, recipient, subject, body FROM outbox WHERE sent_at IS NULL "
               "ORDER BY id LIMIT ?",
               {limit})) {
    out.push_back({row.Text(0), row.Text(1), row.Text(2), row.Text(3)});
  }
  return out;
}

}  // namespace rampart::tickets
