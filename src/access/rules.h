#pragma once
// The rules of who may give which access to whom. Every action of this module that grants,
// changes or removes access calls these first; the web pages, the API and the CLI only reach
// them through those actions.
#include <cstdint>
#include <string>
#include <vector>

#include "auth/authorize.h"

namespace rampart::access {

// Access as a role assignment gives it: the kind of account, what it grants, where it reaches.
struct Grant {
  auth::Role kind = auth::Role::kEndUser;
  auth::PermissionSet permissions;
  bool all_departments = false;
  std::vector<std::int64_t> department_ids;
};

// Throws core::RequestError 403 unless the actor holds `permission` (user.manage, role.manage).
void RequirePermission(const auth::Actor& actor, auth::Permission permission);

// Nobody can grant a permission they do not hold, nor a department they do not reach; only
// owners make owners. Throws a 403 that names the rule.
void RequireMayGrant(const auth::Actor& actor, const Grant& grant);

// Nobody changes someone who holds more than they do, and only owners change owners.
// `target_id` is the user being changed; `current` what they hold now.
void RequireMayChange(const auth::Actor& actor, std::int64_t target_id, const Grant& current);

// Whether the actor reaches every department (owners, admins, all-department staff, the system).
bool ReachesAllDepartments(const auth::Actor& actor);

}  // namespace rampart::access
