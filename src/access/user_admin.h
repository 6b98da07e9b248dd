#pragma once
// User administration: accounts, their role, department scope and organization, and whether
// they may sign in. Every change is checked by access/rules.h, audited in its transaction, and
// ends the person's sessions (their next request carries the new access, under a new session).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/authorize.h"
#include "auth/password_hash.h"
#include "storage/database.h"

namespace rampart::access {

struct Named {
  std::int64_t id = 0;
  std::string name;
};

struct UserRecord {
  std::int64_t id = 0;
  std::string email;
  std::string name;
  auth::Role kind = auth::Role::kEndUser;
  std::int64_t role_id = 0;  // the built-in role's row or the custom role
  std::string role_name;
  bool custom_role = false;
  auth::PermissionSet permissions;
  bool all_departments = false;  // the assignment's own scope or the role's
  std::vector<Named> departments;
  std::optional<Named> organization;
  bool disabled = false;
  bool two_factor = false;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> last_sign_in_at;
};

enum class Audience { kEveryone, kStaff, kEndUsers };
struct UserFilter {
  std::string text;                     // part of the email or name
  std::optional<std::int64_t> role_id;  // one role
  Audience audience = Audience::kEveryone;
  std::optional<bool> disabled;
  int limit = 200;
};

// Need user.manage.
std::vector<UserRecord> ListUsers(const auth::Actor& actor, storage::Database& db,
                                  const UserFilter& filter);
UserRecord GetUser(const auth::Actor& actor, storage::Database& db, std::int64_t id);
// Without a permission check, inside the caller's transaction; nullopt when there is none.
std::optional<UserRecord> FindUserRecord(storage::Connection& c, std::int64_t id);
// Departments and organizations, to choose from.
std::vector<Named> ListDepartments(storage::Database& db);
std::vector<Named> ListOrganizations(storage::Database& db);

// The access a person is given.
struct Assignment {
  std::int64_t role_id = 0;
  bool all_departments = false;
  std::vector<std::int64_t> department_ids;     // staff only
  std::optional<std::int64_t> organization_id;  // end users only
};

struct NewAccount {
  std::string email;
  std::string name;
  Assignment access;
};
struct CreatedAccount {
  std::int64_t id = 0;
  // Shown once to the administrator, who passes it on; it must be changed at first sign-in.
  // An administrator never chooses someone's password.
  std::string one_time_password;
};
CreatedAccount CreateAccount(const auth::Actor& actor, storage::Database& db,
                             const NewAccount& account, const auth::HashCost& cost,
                             std::int64_t now);

// Changes role, departments and organization. Refuses (403) what the actor may not grant or
// change, and (409) removing the last active owner.
void ChangeAccess(const auth::Actor& actor, storage::Database& db, std::int64_t user_id,
                  const Assignment& access, std::int64_t now);

// Disables (sessions and API tokens stop working at once) or enables an account.
void SetDisabled(const auth::Actor& actor, storage::Database& db, std::int64_t user_id,
                 bool disabled, std::int64_t now);

}  // namespace rampart::access
