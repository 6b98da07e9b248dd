#pragma once
#include <optional>
#include <string>

#include "auth/authorize.h"
#include "storage/database.h"

namespace rampart::auth {

struct Person {
  Actor actor;
  std::string email;
  std::string name;
  std::optional<std::int64_t> custom_role_id;  // a custom staff role, else the built-in one
  std::string role_name;                       // "Agent", or the custom role's name
  bool must_change_password = false;
  bool disabled = false;
};

// Loads who a user is and what they reach (role, permissions, departments, organization);
// nullopt when the user no longer exists.
std::optional<Person> LoadPerson(storage::Connection& c, std::int64_t user_id);

// The permissions a custom role grants. Names this version does not know are skipped: a role
// written by a newer version never grants more here than it says.
PermissionSet LoadRolePermissions(storage::Connection& c, std::int64_t role_id);

// What a user's role grants: the built-in set for `role`, or the custom role's.
PermissionSet EffectivePermissions(storage::Connection& c, Role role,
                                   std::optional<std::int64_t> custom_role_id);

}  // namespace rampart::auth
