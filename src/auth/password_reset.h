#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "auth/password_hash.h"
#include "auth/password_policy.h"
#include "auth/secret_box.h"
#include "auth/users.h"
#include "storage/database.h"

namespace rampart::auth {

inline constexpr std::int64_t kPasswordResetLifetimeSeconds = 30 * 60;

struct PasswordResetRequest {
  std::string email;
  std::string client_address;
};

// What happened, for logs and metrics only: the person asking is told the same thing in every
// case. "mail_queued", "unknown_email", "disabled", "throttled".
struct PasswordResetRequestOutcome {
  std::string_view reason;
  std::int64_t user_id = 0;  // 0 unless an account matched
};

// Starts a reset: for an active account, a single-use link valid for 30 minutes is written to
// the outbox (`public_url` + "/login/reset/<token>") in the same transaction as its
// password_resets row, which holds only a keyed hash of the token. Earlier unused links of the
// account stop working. Unknown, disabled and throttled requests do comparable work (a token,
// its hash and a throttle write) and queue nothing. Throttled per client address and per
// account (or per unknown email, under a keyed name).
PasswordResetRequestOutcome RequestPasswordReset(storage::Database& db, const ServerKey& key,
                                                 const PasswordResetRequest& request,
                                                 std::string_view public_url, std::int64_t now);

// Whether `token` names a usable reset (known, unused, unexpired, active account).
bool PasswordResetUsable(storage::Database& db, const ServerKey& key, std::string_view token,
                         std::int64_t now);

struct PasswordResetCompletion {
  std::string token;
  std::string new_password;
  std::string client_address;
};

// Sets the new password through the link: the policy of the account's audience applies in
// full (history included), the link is used up, every session of the account is signed out,
// its sign-in throttle is lifted, and `password.reset` is audited, all in one transaction.
// Throws core::RequestError 410 `reset_link_invalid` for an unknown, used or expired link, and
// core::Invalid("new_password", <the rule>) when the password breaks a rule (the link stays
// usable). Returns the user id.
std::int64_t CompletePasswordReset(storage::Database& db, const ServerKey& key,
                                   const PasswordResetCompletion& completion,
                                   const std::function<PasswordPolicy(Role)>& policy_for,
                                   const HashCost& cost, std::int64_t now);

}  // namespace rampart::auth
