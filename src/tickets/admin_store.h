#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"

// The SQL of the helpdesk's admin-managed data: organizations, departments, custom field
// definitions, canned responses, portal settings and invitation links. Like ticket_store, it
// checks nothing: the actions call auth::Authorize first and run these inside their one
// transaction.
namespace rampart::tickets {

struct OrganizationRow {
  std::int64_t id = 0;
  std::string name;
  bool shared_tickets = false;
  std::int64_t members = 0;
};
std::vector<OrganizationRow> SelectOrganizations(storage::Connection& c);
std::optional<OrganizationRow> SelectOrganization(storage::Connection& c, std::int64_t id);
bool OrganizationNameTaken(storage::Connection& c, const std::string& name, std::int64_t except_id);
std::int64_t InsertOrganization(storage::Connection& c, const std::string& name, bool shared,
                                std::int64_t now);
void UpdateOrganization(storage::Connection& c, std::int64_t id, const std::string& name,
                        bool shared);

struct MemberRow {
  std::int64_t id = 0;
  std::string name;
  std::string email;
};
std::vector<MemberRow> SelectOrganizationMembers(storage::Connection& c, std::int64_t id,
                                                 std::int64_t limit);

struct DepartmentRow {
  std::int64_t id = 0;
  std::string name;
  std::int64_t tickets = 0;
  std::int64_t members = 0;
};
std::vector<DepartmentRow> SelectDepartments(storage::Connection& c);
std::optional<DepartmentRow> SelectDepartment(storage::Connection& c, std::int64_t id);
bool DepartmentNameTaken(storage::Connection& c, const std::string& name, std::int64_t except_id);
std::int64_t InsertDepartment(storage::Connection& c, const std::string& name, std::int64_t now);
void UpdateDepartmentName(storage::Connection& c, std::int64_t id, const std::string& name);
// Moves the department's tickets (with a history line each) and members to `to`, then deletes
// it. Returns how many tickets moved.
std::int64_t MoveDepartmentAndDelete(storage::Connection& c, std::int64_t from,
                                     std::optional<std::int64_t> to,
                                     std::optional<std::int64_t> actor_id, std::int64_t now);

struct FieldRow {
  std::string key;
  std::string label;
  std::string kind;
  bool required = false;
  bool end_user_visible = false;
  bool end_user_editable = false;
};
std::int64_t CountFields(storage::Connection& c);
bool FieldKeyTaken(storage::Connection& c, const std::string& key);
std::int64_t InsertField(storage::Connection& c, const FieldRow& field, std::int64_t now);
void UpdateField(storage::Connection& c, std::int64_t id, const FieldRow& field);
void SetFieldArchivedAt(storage::Connection& c, std::int64_t id, std::optional<std::int64_t> at);
// Replaces the options of a dropdown, in the given order.
void ReplaceFieldOptions(storage::Connection& c, std::int64_t field_id,
                         const std::vector<std::pair<std::string, std::string>>& options);
// How many tickets hold `value` in the field.
std::int64_t CountFieldValueUses(storage::Connection& c, std::int64_t field_id,
                                 const std::string& value);

struct CannedRow {
  std::int64_t id = 0;
  std::optional<std::int64_t> owner_id;  // nullopt: shared
  std::string title;
  std::string body;
  std::int64_t updated_at = 0;
};
// The shared responses and the personal ones of `owner_id`, shared first, by title.
std::vector<CannedRow> SelectCannedFor(storage::Connection& c, std::int64_t owner_id);
std::vector<CannedRow> SelectSharedCanned(storage::Connection& c);
std::optional<CannedRow> SelectCanned(storage::Connection& c, std::int64_t id);
std::int64_t CountCanned(storage::Connection& c, std::optional<std::int64_t> owner_id);
std::int64_t InsertCanned(storage::Connection& c, const CannedRow& row, std::int64_t now);
void UpdateCanned(storage::Connection& c, std::int64_t id, const std::string& title,
                  const std::string& body, std::int64_t now);
void DeleteCanned(storage::Connection& c, std::int64_t id);

// settings table values, or nullopt.
std::optional<std::string> SelectSetting(storage::Connection& c, const std::string& key);
void UpsertSetting(storage::Connection& c, const std::string& key, const std::string& value);

struct InviteRow {
  std::string email;
  std::string kind;  // "invite" or "sign_up"
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> used_at;
};
void InsertInvite(storage::Connection& c, const std::string& token_hash, const InviteRow& row,
                  std::optional<std::int64_t> created_by);
std::optional<InviteRow> SelectInvite(storage::Connection& c, const std::string& token_hash);
// Marks the link used; false when it already was (two tabs racing).
bool MarkInviteUsed(storage::Connection& c, const std::string& token_hash, std::int64_t now);
// Admin invitations not used yet and not expired, newest first.
std::vector<InviteRow> SelectPendingInvites(storage::Connection& c, std::int64_t now,
                                            std::int64_t limit);

// Active staff (id, name), by name; at most 1000.
std::vector<std::pair<std::int64_t, std::string>> SelectActiveStaff(storage::Connection& c);

// A new end user; returns the id.
std::int64_t InsertEndUser(storage::Connection& c, const std::string& email,
                           const std::string& name, const std::string& password_hash,
                           std::int64_t now);

void InsertOutboxMail(storage::Connection& c, const std::string& kind, const std::string& recipient,
                      const std::string& subject, const std::string& body, std::int64_t now);

struct OutboxMail {
  std::string kind;
  std::string recipient;
  std::string subject;
  std::string body;
};
std::vector<OutboxMail> SelectUnsentOutbox(storage::Connection& c, std::int64_t limit);

}  // namespace rampart::tickets
