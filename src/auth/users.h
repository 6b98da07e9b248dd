#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/password_hash.h"
#include "storage/database.h"

namespace rampart::auth {

enum class Role { kOwner, kAdmin, kAgent, kEndUser };
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);
inline bool IsStaff(Role role) {
  return role != Role::kEndUser;
}

struct NewUser {
  std::string email;
  std::string name;
  Role role = Role::kEndUser;
  std::string password;
  std::optional<std::string> department;  // staff only: created when absent
  bool must_change_password = false;
  // Set by user administration (access/): a custom staff role, the department scope of a
  // staff assignment and an end user's organization. Checked there, stored here.
  std::optional<std::int64_t> custom_role_id;
  bool all_departments = false;
  std::vector<std::int64_t> department_ids;
  std::optional<std::int64_t> organization_id;
};

// A new user whose input was checked and whose password was hashed: hashing takes ~100 ms and
// must happen before the writer is taken.
struct PreparedUser {
  NewUser user;
  std::string name;  // the given name, or the email's local part
  std::string password_hash;
};

// Checks an email address the way a helpdesk needs it: one '@', a dotted domain, no spaces or
// control characters, at most 254 bytes. Returns the reason it is not acceptable, or "".
std::string EmailProblem(std::string_view email);
// The password rules that hold before the admin's policy exists: 15..1024 bytes of valid UTF-8
// (NIST SP 800-63B for a single-factor account). Returns the broken rule, or "".
std::string BasicPasswordProblem(std::string_view password);

// Creates a user, hashing the password with argon2id. Throws core::Invalid for bad input and
// core::Conflict when the email is taken.
std::int64_t CreateUser(storage::Database& db, const NewUser& user, const HashCost& cost,
                        std::int64_t now);
// CreateUser in two steps, for callers that write more in the same transaction (an audit event):
// Prepare checks and hashes (throws core::Invalid); Insert runs inside the caller's write
// transaction and throws core::Conflict when the email is taken.
PreparedUser PrepareUser(const NewUser& user, const HashCost& cost);
std::int64_t InsertUser(storage::Connection& c, const PreparedUser& user, std::int64_t now);

std::int64_t CountUsers(storage::Database& db);
std::optional<std::int64_t> FindUserId(storage::Connection& c, const std::string& email);
// The department's id, creating it when absent (inside the caller's write transaction).
std::int64_t EnsureDepartment(storage::Connection& c, const std::string& name, std::int64_t now);

}  // namespace rampart::auth
