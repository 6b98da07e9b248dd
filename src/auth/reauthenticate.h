#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/secret_box.h"
#include "auth/sign_in.h"
#include "storage/database.h"

namespace rampart::auth {

struct ReauthAttempt {
  std::int64_t user_id = 0;
  Role role = Role::kEndUser;
  std::string session_token;  // the session confirming its password
  SecondFactor second_factor = SecondFactor::kNone;
  std::string password;
  std::string code;  // TOTP or recovery code; required when the user has 2FA
  std::string client_address;
};

struct ReauthOutcome {
  bool ok = false;
  // Stable: "reauthenticated", "bad_password", "bad_code", "throttled", "session_gone".
  std::string_view reason;
  std::string token;  // the session's new cookie value (a new id, as at sign-in)
};

// Confirms that the person at a signed-in session still knows the password (and the second
// factor when enrolled) before a sensitive action. Throttled on the same account and client
// counters as sign-in, so it is no side door for guessing; a throttled attempt costs the same
// work and looks like a wrong password. On success the session gets a new id with a fresh
// re-authentication time.
ReauthOutcome Reauthenticate(storage::Database& db, const SecretBox& box,
                             const ReauthAttempt& attempt, const SignInPolicy& policy,
                             std::int64_t now);

// Whether the user has a confirmed second factor (the form asks for the code then).
bool NeedsSecondFactorToReauthenticate(storage::Database& db, std::int64_t user_id);

}  // namespace rampart::auth
