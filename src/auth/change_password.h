#pragma once
#include <cstdint>
#include <string>

#include "auth/password_hash.h"
#include "auth/password_policy.h"
#include "storage/database.h"

namespace rampart::auth {

struct PasswordChange {
  std::int64_t user_id = 0;
  std::string current_password;
  std::string new_password;
  std::string keep_session_token;  // the session making the change stays signed in
  std::string client_address;      // for the audit log
};

// Changes a password: the current one must be given (re-authentication for a sensitive
// action), the new one must pass the policy and not be among the last `policy.history`; every
// other session of the user is signed out and `password.changed` is audited. Throws core::Invalid
// naming the field.
void ChangePassword(storage::Database& db, const PasswordChange& change,
                    const PasswordPolicy& policy, const HashCost& cost, std::int64_t now);

}  // namespace rampart::auth
