#include "tickets/helpdesk_admin.h"

#include <algorithm>

#include "core/errors.h"
#include "core/strings.h"
#include "tickets/policy.h"
#include "tickets/text_rules.h"
#include "tickets/ticket_store.h"

namespace rampart::tickets {
namespace {

void RequireSettings(const auth::Actor& actor) {
  RequirePermission(actor, auth::Permission::kSettingsHelpdesk);
}

std::string IdTarget(std::string_view kind, std::int64_t id) {
  return std::string(kind) + ":" + std::to_string(id);
}

std::string CheckKey(std::string_view key) {
  const bool ok = !key.empty() && key.size() <= 50 && key[0] >= 'a' && key[0] <= 'z' &&
                  std::all_of(key.begin(), key.end(), [](char c) {
                    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                  });
  if (!ok) {
    throw core::Invalid("key", "must start with a letter and use only a-z, 0-9 and _ (at most 50)");
  }
  return std::string(key);
}

std::vector<std::pair<std::string, std::string>> ParseOptions(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> options;
  if (text.size() > 64 * 1024) throw core::Invalid("options", "are too long");
  for (std::string_view line : core::Split(text, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (core::Trim(line).empty()) continue;
    std::string_view value = line;
    std::string_view label = line;
    if (const auto bar = line.find('|'); bar != std::string_view::npos) {
      value = line.substr(0, bar);
      label = line.substr(bar + 1);
    }
    std::string v = CheckLine(value, "options", 100);
    std::string l = CheckLine(label, "options", 200);
    if (std::any_of(options.begin(), options.end(), [&](const auto& o) { return o.first == v; })) {
      throw core::Invalid("options", "list the value \"" + v + "\" twice");
    }
    options.emplace_back(std::move(v), std::move(l));
    if (options.size() > kMaxFieldOptions) {
      throw core::Invalid("options", "may be at most 100 per field");
    }
  }
  return options;
}

FieldRow RowOf(const FieldInput& input, std::string key, FieldKind kind) {
  FieldRow row;
  row.key = std::move(key);
  row.label = CheckLine(input.label, "label", 100);
  row.kind = std::string(FieldKindName(kind));
  row.required = input.required;
  row.end_user_visible = input.end_user_visible || input.end_user_editable;
  row.end_user_editable = input.end_user_editable;
  return row;
}

}  // namespace

// ---- Organizations ----

std::vector<OrganizationRow> ListOrganizations(const auth::Actor& actor, storage::Database& db) {
  RequireSettings(actor);
  storage::Lease c = db.Read();
  return SelectOrganizations(*c);
}

std::int64_t CreateOrganization(const auth::Actor& actor, storage::Database& db,
                                std::string_view name, bool shared_tickets, std::int64_t now) {
  RequireSettings(actor);
  const std::string checked = CheckLine(name, "name", kMaxOrganizationNameChars);
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  if (OrganizationNameTaken(*c, checked, 0)) {
    throw core::Invalid("name", "is already used by another organization");
  }
  const std::int64_t id = InsertOrganization(*c, checked, shared_tickets, now);
  AppendAudit(*c, now, ActorUserId(actor), "organization.created", IdTarget("organization", id),
              shared_tickets ? "shared_tickets=1" : "shared_tickets=0");
  tx.Commit();
  return id;
}

void EditOrganization(const auth::Actor& actor, storage::Database& db, std::int64_t id,
                      std::string_view name, bool shared_tickets, std::int64_t now) {
  RequireSettings(actor);
  const std::string checked = CheckLine(name, "name", kMaxOrganizationNameChars);
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  const auto org = SelectOrganization(*c, id);
  if (!org) throw core::NotFound("no organization " + std::to_string(id));
  if (org->name == checked && org->shared_tickets == shared_tickets) return;
  if (org->name != checked && OrganizationNameTaken(*c, checked, id)) {
    throw core::Invalid("name", "is already used by another organization");
  }
  UpdateOrganization(*c, id, checked, shared_tickets);
  if (org->name != checked) {
    AppendAudit(*c, now, ActorUserId(actor), "organization.renamed", IdTarget("organization", id),
                "");
  }
  if (org->shared_tickets != shared_tickets) {
    AppendAudit(*c, now, ActorUserId(actor), "organization.sharing_changed",
                IdTarget("organization", id),
                shared_tickets ? "shared_tickets=1" : "shared_tickets=0");
  }
  tx.Commit();
}

OrganizationDetail GetOrganization(const auth::Actor& actor, storage::Database& db,
                                   std::int64_t id) {
  RequireSettings(actor);
  storage::Lease c = db.Read();
  const auto org = SelectOrganization(*c, id);
  if (!org) throw core::NotFound("no organization " + std::to_string(id));
  return {*org, SelectOrganizationMembers(*c, id, kMaxMembersListed)};
}

// ---- Departments ----

std::vector<DepartmentRow> ListDepartments(const auth::Actor& actor, storage::Database& db) {
  RequireSettings(actor);
  storage::Lease c = db.Read();
  return SelectDepartments(*c);
}

std::int64_t CreateDepartment(const auth::Actor& actor, storage::Database& db,
                              std::string_view name, std::int64_t now) {
  RequireSettings(actor);
  const std::string checked = CheckLine(name, "name", kMaxDepartmentNameChars);
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  if (DepartmentNameTaken(*c, checked, 0)) {
    throw core::Invalid("name", "is already used by another department");
  }
  const std::int64_t id = InsertDepartment(*c, checked, now);
  AppendAudit(*c, now, ActorUserId(actor), "department.created", IdTarget("department", id), "");
  tx.Commit();
  return id;
}

void RenameDepartment(const auth::Actor& actor, storage::Database& db, std::int64_t id,
                      std::string_view name, std::int64_t now) {
  RequireSettings(actor);
  const std::string checked = CheckLine(name, "name", kMaxDepartmentNameChars);
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  const auto department = SelectDepartment(*c, id);
  if (!department) throw core::NotFound("no department " + std::to_string(id));
  if (department->name == checked) return;
  if (DepartmentNameTaken(*c, checked, id)) {
    throw core::Invalid("name", "is already used by another department");
  }
  UpdateDepartmentName(*c, id, checked);
  AppendAudit(*c, now, ActorUserId(actor), "department.renamed", IdTarget("department", id), "");
  tx.Commit();
}

void DeleteDepartment(const auth::Actor& actor, storage::Database& db, std::int64_t id,
                      std::optional<std::int64_t> move_to, std::int64_t now) {
  RequireSettings(actor);
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  const auto department = SelectDepartment(*c, id);
  if (!department) throw core::NotFound("no department " + std::to_string(id));
  const bool empty = department->tickets == 0 && department->members == 0;
  if (move_to) {
    if (*move_to == id) throw core::Invalid("move_to", "must be another department");
    if (!SelectDepartment(*c, *move_to)) throw core::Invalid("move_to", "is not a department");
  } else if (!empty) {
    throw core::Conflict("This department still has " + std::to_string(department->tickets) +
                         " tickets and " + std::to_string(department->members) +
                         " members: choose a department to move them to.");
  }
  const std::int64_t moved = MoveDepartmentAndDelete(*c, id, move_to, ActorUserId(actor), now);
  AppendAudit(*c, now, ActorUserId(actor), "department.deleted", IdTarget("department", id),
              move_to ? "moved_to=" + std::to_string(*move_to) + " tickets=" + std::to_string(moved)
                      : "empty");
  tx.Commit();
}

// ---- Custom fields ----

std::vector<FieldDefinition> ListFields(const auth::Actor& actor, storage::Database& db) {
  RequireSettings(actor);
  storage::Lease c = db.Read();
  return LoadFieldDefinitions(*c);
}

std::int64_t CreateField(const auth::Actor& actor, storage::Database& db, const FieldInput& input,
                         std::int64_t now) {
  RequireSettings(actor);
  const auto kind = ParseFieldKind(input.kind);
  if (!kind) throw core::Invalid("kind", "must be text, number, date or dropdown");
  const FieldRow row = RowOf(input, CheckKey(input.key), *kind);
  const auto options = ParseOptions(input.options);
  if (*kind == FieldKind::kDropdown && options.empty()) {
    throw core::Invalid("options", "a dropdown needs at least one option");
  }
  if (*kind != FieldKind::kDropdown && !options.empty()) {
    throw core::Invalid("options", "only dropdowns have options");
  }
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  if (CountFields(*c) >= kMaxCustomFields) {
    throw core::Conflict("A helpdesk can have at most 100 custom fields.");
  }
  if (FieldKeyTaken(*c, row.key)) throw core::Invalid("key", "is already used by another field");
  const std::int64_t id = InsertField(*c, row, now);
  ReplaceFieldOptions(*c, id, options);
  AppendAudit(*c, now, ActorUserId(actor), "custom_field.created", IdTarget("custom_field", id),
              "key=" + row.key + " kind=" + row.kind);
  tx.Commit();
  return id;
}

void UpdateField(const auth::Actor& actor, storage::Database& db, std::int64_t id,
                 const FieldInput& input, std::int64_t now) {
  RequireSettings(actor);
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  const auto fields = LoadFieldDefinitions(*c);
  const auto it =
      std::find_if(fields.begin(), fields.end(), [&](const auto& f) { return f.id == id; });
  if (it == fields.end()) throw core::NotFound("no custom field " + std::to_string(id));
  const FieldRow row = RowOf(input, it->key, it->kind);
  const auto options = ParseOptions(input.options);
  if (it->kind == FieldKind::kDropdown) {
    if (options.empty()) throw core::Invalid("options", "a dropdown needs at least one option");
    for (const FieldOption& old : it->options) {
      const bool kept = std::any_of(options.begin(), options.end(),
                                    [&](const auto& o) { return o.first == old.value; });
      if (!kept && CountFieldValueUses(*c, id, old.value) > 0) {
        throw core::Invalid(
            "options", "\"" + old.value + "\" is still chosen on tickets and cannot be removed");
      }
    }
  } else if (!options.empty()) {
    throw core::Invalid("options", "only dropdowns have options");
  }
  tickets::UpdateField(*c, id, row);
  if (it->kind == FieldKind::kDropdown) ReplaceFieldOptions(*c, id, options);
  AppendAudit(*c, now, ActorUserId(actor), "custom_field.updated", IdTarget("custom_field", id),
              "key=" + it->key);
  tx.Commit();
}

void SetFieldActive(const auth::Actor& actor, storage::Database& db, std::int64_t id, bool active,
                    std::int64_t now) {
  RequireSettings(actor);
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  const auto fields = LoadFieldDefinitions(*c);
  const auto it =
      std::find_if(fields.begin(), fields.end(), [&](const auto& f) { return f.id == id; });
  if (it == fields.end()) throw core::NotFound("no custom field " + std::to_string(id));
  if (it->archived == !active) return;
  SetFieldArchivedAt(*c, id, active ? std::nullopt : std::optional<std::int64_t>(now));
  AppendAudit(*c, now, ActorUserId(actor),
              active ? "custom_field.activated" : "custom_field.deactivated",
              IdTarget("custom_field", id), "key=" + it->key);
  tx.Commit();
}

}  // namespace rampart::tickets
