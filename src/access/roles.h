#pragma once
// Roles: the four built-in ones (fixed) and custom staff roles made of named permissions.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/authorize.h"
#include "storage/database.h"

namespace rampart::access {

struct RoleInfo {
  std::int64_t id = 0;
  std::string name;
  std::optional<auth::Role> builtin;  // nullopt: a custom staff role
  std::string description;
  bool all_departments = false;  // holders reach every department
  auth::PermissionSet permissions;
  std::int64_t holders = 0;
  // The kind of account a holder has: the built-in role, or staff for a custom one.
  auth::Role Kind() const { return builtin.value_or(auth::Role::kAgent); }
};

struct RoleInput {
  std::string name;
  std::string description;
  bool all_departments = false;
  auth::PermissionSet permissions;
};

// Every role, built-in first. Needs role.manage or user.manage (who assigns roles sees them).
std::vector<RoleInfo> ListRoles(const auth::Actor& actor, storage::Database& db);
// The same list for the role editor: needs role.manage.
std::vector<RoleInfo> ManageRoles(const auth::Actor& actor, storage::Database& db);
// One role; core::NotFound when there is none.
RoleInfo GetRole(const auth::Actor& actor, storage::Database& db, std::int64_t id);
// The role row without a permission check, inside the caller's transaction.
std::optional<RoleInfo> FindRole(storage::Connection& c, std::int64_t id);

// Custom roles. Need role.manage; nobody can put a permission into a role that they do not
// hold, nor change a role that grants more than they hold. A change applies to every holder
// at their next request, and signs them out everywhere (a new session after a privilege change).
std::int64_t CreateRole(const auth::Actor& actor, storage::Database& db, const RoleInput& input,
                        std::int64_t now);
void UpdateRole(const auth::Actor& actor, storage::Database& db, std::int64_t id,
                const RoleInput& input, std::int64_t now);
// Refused (core::Conflict) while anyone holds the role.
void DeleteRole(const auth::Actor& actor, storage::Database& db, std::int64_t id, std::int64_t now);

}  // namespace rampart::access
