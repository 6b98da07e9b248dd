#include "auth/reauthenticate.h"

#include "auth/password_policy.h"
#include "auth/recovery_codes.h"
#include "auth/totp_credentials.h"

namespace rampart::auth {

bool NeedsSecondFactorToReauthenticate(storage::Database& db, std::int64_t user_id) {
  storage::Lease c = db.Read();
  return HasConfirmedTotp(*c, user_id);
}

ReauthOutcome Reauthenticate(storage::Database& db, const SecretBox& box,
                             const ReauthAttempt& attempt, const SignInPolicy& policy,
                             std::int64_t now) {
  ReauthOutcome out;
  std::optional<storage::Row> user;
  {
    storage::Lease c = db.Read();
    user = c->QueryOne(
        "SELECT u.password_hash, EXISTS (SELECT 1 FROM totp_credentials t WHERE t.user_id = u.id "
        "AND t.confirmed_at IS NOT NULL) FROM users u WHERE u.id = ? AND u.disabled = 0",
        {attempt.user_id});
  }
  if (!user) {
    out.reason = "session_gone";
    return out;
  }
  const ThrottleKeys keys{AccountThrottleKey(attempt.user_id),
                          ClientThrottleKey(attempt.client_address)};
  const SignInThrottle throttle(policy.throttle);
  bool throttled = false;
  {
    storage::Lease w = db.Write();
    throttled = !throttle.Check(*w, keys, now).allowed;
  }
  // Verified even when throttled: the refusal then takes as long as any other.
  const bool bounded = attempt.password.size() <= 4096 && attempt.code.size() <= 64;
  const std::optional<std::string> normalized =
      bounded ? NormalizePassword(attempt.password) : std::nullopt;
  const bool password_ok = normalized && VerifyPassword(user->Text(0), *normalized);
  const bool enrolled = user->Int(1) != 0;

  storage::Lease w = db.Write();
  storage::Transaction tx(*w);
  bool code_ok = !enrolled;
  // The code is only tried after the password: a wrong password must not burn a TOTP step or a
  // recovery code.
  if (enrolled && password_ok && !throttled) {
    if (attempt.code.size() > 8) {
      code_ok = ConsumeRecoveryCode(*w, attempt.user_id, attempt.code, now);
    } else {
      code_ok = VerifyUserTotp(*w, box, attempt.user_id, attempt.code, now).outcome ==
                TotpOutcome::kAccepted;
    }
  }
  if (throttled || !password_ok || !code_ok) {
    out.reason = throttled ? "throttled" : !password_ok ? "bad_password" : "bad_code";
    if (!throttled) throttle.RecordFailure(*w, keys, now);
    tx.Commit();
    return out;
  }
  throttle.RecordSuccess(*w, keys);
  out.token = RotateSession(*w, attempt.session_token, attempt.second_factor, now,
                            TimeoutsFor(policy, attempt.role));
  if (out.token.empty()) {
    out.reason = "session_gone";
    return out;
  }
  tx.Commit();
  out.ok = true;
  out.reason = "reauthenticated";
  return out;
}

}  // namespace rampart::auth
