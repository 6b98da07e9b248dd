#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/authorize.h"
#include "storage/database.h"
#include "tickets/admin_store.h"
#include "tickets/custom_fields.h"

// What admins change about the helpdesk's structure: organizations, departments and custom
// field definitions. Every action requires settings.helpdesk (auth::Authorize) before it reads
// anything, runs one transaction and appends an audit event in it. Names are checked as one
// line of text; markup in them is kept verbatim and escaped wherever it is shown.
namespace rampart::tickets {

inline constexpr std::size_t kMaxOrganizationNameChars = 200;
inline constexpr std::size_t kMaxDepartmentNameChars = 100;
inline constexpr std::int64_t kMaxMembersListed = 500;
inline constexpr std::int64_t kMaxCustomFields = 100;
inline constexpr std::size_t kMaxFieldOptions = 100;

std::vector<OrganizationRow> ListOrganizations(const auth::Actor& actor, storage::Database& db);
std::int64_t CreateOrganization(const auth::Actor& actor, storage::Database& db,
                                std::string_view name, bool shared_tickets, std::int64_t now);
// Renames the organization and sets whether members see each other's tickets, in one
// transaction with an audit event per change. Sharing takes effect on each member's next
// request.
void EditOrganization(const auth::Actor& actor, storage::Database& db, std::int64_t id,
                      std::string_view name, bool shared_tickets, std::int64_t now);
struct OrganizationDetail {
  OrganizationRow organization;
  std::vector<MemberRow> members;  // at most kMaxMembersListed
};
OrganizationDetail GetOrganization(const auth::Actor& actor, storage::Database& db,
                                   std::int64_t id);

std::vector<DepartmentRow> ListDepartments(const auth::Actor& actor, storage::Database& db);
std::int64_t CreateDepartment(const auth::Actor& actor, storage::Database& db,
                              std::string_view name, std::int64_t now);
void RenameDepartment(const auth::Actor& actor, storage::Database& db, std::int64_t id,
                      std::string_view name, std::int64_t now);
// Deletes a department. One that still has tickets or members needs `move_to`, another
// department that receives them (each ticket's history records the move); otherwise
// core::Conflict. Deleting never orphans a ticket into the shared inbox by accident.
void DeleteDepartment(const auth::Actor& actor, storage::Database& db, std::int64_t id,
                      std::optional<std::int64_t> move_to, std::int64_t now);

struct FieldInput {
  std::string key;  // creation only: [a-z][a-z0-9_]{0,49}; fixed afterwards (the API uses it)
  std::string label;
  std::string kind;  // creation only
  bool required = false;
  bool end_user_visible = false;
  bool end_user_editable = false;
  // Dropdowns: one option per line, "value" or "value | label".
  std::string options;
};
std::vector<FieldDefinition> ListFields(const auth::Actor& actor, storage::Database& db);
std::int64_t CreateField(const auth::Actor& actor, storage::Database& db, const FieldInput& input,
                         std::int64_t now);
// Changes the label, flags and options. An option still held by a ticket cannot be removed
// (core::Invalid on "options").
void UpdateField(const auth::Actor& actor, storage::Database& db, std::int64_t id,
                 const FieldInput& input, std::int64_t now);
// Fields are deactivated, never deleted: tickets keep their values and history.
void SetFieldActive(const auth::Actor& actor, storage::Database& db, std::int64_t id, bool active,
                    std::int64_t now);

}  // namespace rampart::tickets
