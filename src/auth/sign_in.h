#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include <memory>

#include "auth/password_hash.h"
#include "auth/secret_box.h"
#include "auth/sessions.h"
#include "auth/throttle.h"
#include "auth/users.h"
#include "storage/database.h"

namespace rampart::auth {

struct SignInPolicy {
  HashCost hash_cost;
  ThrottlePolicy throttle;
  // Names unknown emails in the throttle table without storing them (a keyed hash).
  std::shared_ptr<const ServerKey> server_key;
  SessionTimeouts staff;
  SessionTimeouts end_users;
  // Whether a role must use a second factor (default: owners and admins).
  std::function<bool(Role)> requires_second_factor = [](Role r) {
    return r == Role::kOwner || r == Role::kAdmin;
  };
  // Days after which a role's password must be changed (0: never, the default).
  std::function<std::int64_t(Role)> password_expiry_days = [](Role) { return std::int64_t{0}; };
  // Whether an account of this role may sign in from this address (staff IP allowlist). Asked
  // before any password work is done.
  std::function<bool(Role, const std::string& address)> address_allowed =
      [](Role, const std::string&) { return true; };
};

struct SignInAttempt {
  std::string email;
  std::string password;
  std::string client_address;
  std::string user_agent;
};

struct SignInOutcome {
  bool ok = false;
  // Stable reason for logs and audit ("bad_credentials", "disabled", "throttled"); never shown
  // as is: a throttled attempt looks exactly like a wrong password to the client.
  std::string reason;
  std::string token;  // the new session's cookie value
  std::int64_t user_id = 0;
  Role role = Role::kEndUser;
  SecondFactor second_factor = SecondFactor::kNone;
  bool must_change_password = false;
};

const SessionTimeouts& TimeoutsFor(const SignInPolicy& policy, Role role);

// Checks the email and password and opens a new session. An unknown email costs the same
// argon2id work as a wrong password, and both give the same outcome, so the answer does not
// reveal which accounts exist. Rehashes the password when the configured cost changed.
SignInOutcome SignIn(storage::Database& db, const SignInAttempt& attempt,
                     const SignInPolicy& policy, std::int64_t now);

}  // namespace rampart::auth
