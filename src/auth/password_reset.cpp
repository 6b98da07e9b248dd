#include "auth/password_reset.h"

#include "audit/audit_log.h"
#include "auth/sessions.h"
#include "auth/throttle.h"
#include "auth/totp_credentials.h"
#include "core/errors.h"
#include "core/random.h"

namespace rampart::auth {
namespace {

// Each request counts; from the 4th on an address or an account waits a minute, doubling up
// to an hour, and is forgotten after a quiet day. "Client" rules for both: a flood of requests
// must never lock the owner of an account out of resetting it for good.
ThrottlePolicy ResetThrottle(int free_requests) {
  ThrottlePolicy p;
  p.client = ThrottleRules{free_requests, 60, 3600, kHardLockFailures, 3600};
  p.client_forget_after_seconds = 24 * 3600;
  return p;
}

storage::Blob TokenHash(const ServerKey& key, std::string_view token) {
  return storage::Blob{KeyedHash(key, HashPurpose::kPasswordResetToken, token)};
}

core::RequestError InvalidLink() {
  return core::RequestError(410, "reset_link_invalid",
                            "This password reset link is not valid any more: it was used, it "
                            "expired, or it is incomplete. Ask for a new one.",
                            "unknown, used or expired password reset token");
}

std::string ResetMailBody(std::string_view public_url, const std::string& token) {
  std::string body;
  body += "Someone (hopefully you) asked to reset the password of your Rampart account.\n\n";
  body += "To choose a new password, open this link within 30 minutes:\n\n";
  body += std::string(public_url) + "/login/reset/" + token + "\n\n";
  body +=
      "The link works once. If you did not ask for this, ignore this message: your password "
      "stays as it is.\n";
  return body;
}

}  // namespace

PasswordResetRequestOutcome RequestPasswordReset(storage::Database& db, const ServerKey& key,
                                                 const PasswordResetRequest& request,
                                                 std::string_view public_url, std::int64_t now) {
  PasswordResetRequestOutcome out;
  std::optional<storage::Row> user;
  if (!request.email.empty() && request.email.size() <= 254) {
    storage::Lease c = db.Read();
    user = c->QueryOne("SELECT id, email, disabled FROM users WHERE email = ?", {request.email});
  }
  // Made in every case, so that the branches cost about the same.
  const std::string token = core::RandomToken(32);
  const storage::Blob hash = TokenHash(key, token);
  const std::string account_key =
      "reset:" + (user ? AccountThrottleKey(user->Int(0))
                       : UnknownAccountThrottleKey(key, request.email.substr(0, 254)));
  const std::string client_key = "reset:" + ClientThrottleKey(request.client_address);
  const SignInThrottle per_account(ResetThrottle(3));
  const SignInThrottle per_client(ResetThrottle(10));

  storage::Lease w = db.Write();
  storage::Transaction tx(*w);
  const bool throttled = !per_account.Check(*w, {"", account_key}, now).allowed ||
                         !per_client.Check(*w, {"", client_key}, now).allowed;
  if (!throttled) {
    per_account.RecordFailure(*w, {"", account_key}, now);
    per_client.RecordFailure(*w, {"", client_key}, now);
  }
  if (user) out.user_id = user->Int(0);
  if (throttled) {
    out.reason = "throttled";
  } else if (!user) {
    out.reason = "unknown_email";
  } else if (user->Int(2) != 0) {
    out.reason = "disabled";
  } else {
    const std::int64_t id = user->Int(0);
    w->Execute("UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL",
               {now, id});
    w->Execute(
        "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) "
        "VALUES (?, ?, ?, ?)",
        {hash, id, now, now + kPasswordResetLifetimeSeconds});
    w->Execute(
        "INSERT INTO outbox (kind, recipient, subject, body, created_at) "
        "VALUES ('password_reset', ?, ?, ?, ?)",
        {user->Text(1), std::string("Reset your Rampart password"),
         ResetMailBody(public_url, token), now});
    audit::Append(*w, now, std::nullopt, "password.reset_requested", "user:" + std::to_string(id),
                  request.client_address, "");
    out.reason = "mail_queued";
  }
  tx.Commit();
  return out;
}

bool PasswordResetUsable(storage::Database& db, const ServerKey& key, std::string_view token,
                         std::int64_t now) {
  if (token.size() != 43) return false;
  storage::Lease c = db.Read();
  return c
      ->QueryOne(
          "SELECT 1 FROM password_resets r JOIN users u ON u.id = r.user_id "
          "WHERE r.token_hash = ? AND r.used_at IS NULL AND r.expires_at > ? AND u.disabled = 0",
          {TokenHash(key, token), now})
      .has_value();
}

std::int64_t CompletePasswordReset(storage::Database& db, const ServerKey& key,
                                   const PasswordResetCompletion& completion,
                                   const std::function<PasswordPolicy(Role)>& policy_for,
                                   const HashCost& cost, std::int64_t now) {
  if (completion.token.size() != 43) throw InvalidLink();
  const storage::Blob hash = TokenHash(key, completion.token);
  std::optional<storage::Row> user;
  std::vector<std::string> recent;
  bool second_factor = false;
  PasswordPolicy policy;
  {
    storage::Lease c = db.Read();
    user = c->QueryOne(
        "SELECT u.id, u.email, u.name, u.role, u.password_hash FROM password_resets r "
        "JOIN users u ON u.id = r.user_id WHERE r.token_hash = ? AND r.used_at IS NULL "
        "AND r.expires_at > ? AND u.disabled = 0",
        {hash, now});
    if (!user) throw InvalidLink();
    policy = policy_for(ParseRole(user->Text(3)).value_or(Role::kEndUser));
    recent = RecentPasswordHashes(*c, user->Int(0), policy.history);
    second_factor = HasConfirmedTotp(*c, user->Int(0));
  }
  const std::int64_t id = user->Int(0);
  const PasswordVerdict verdict =
      CheckPassword(policy, completion.new_password,
                    PasswordContext{second_factor, user->Text(1), user->Text(2), {}});
  if (!verdict) throw core::Invalid("new_password", verdict.user_text);
  const std::string normalized = *NormalizePassword(completion.new_password);
  if (const PasswordVerdict reused = CheckPasswordReuse(recent, normalized); !reused) {
    throw core::Invalid("new_password", reused.user_text);
  }
  const std::string new_hash = HashPassword(normalized, cost);
  storage::Lease w = db.Write();
  storage::Transaction tx(*w);
  // Used up first and conditionally: of two submissions racing with one link, one wins.
  w->Execute(
      "UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL "
      "AND expires_at > ?",
      {now, hash, now});
  if (w->Changes() != 1) throw InvalidLink();
  w->Execute(
      "UPDATE users SET password_hash = ?, must_change_password = 0, password_changed_at = ? "
      "WHERE id = ?",
      {new_hash, now, id});
  RecordPasswordHistory(*w, id, user->Text(4), now, policy.history);
  RevokeOtherSessions(*w, id, "");
  SignInThrottle::Unlock(*w, AccountThrottleKey(id));
  SignInThrottle::Unlock(*w, "reset:" + AccountThrottleKey(id));
  audit::Append(*w, now, id, "password.reset", "user:" + std::to_string(id),
                completion.client_address, "all sessions signed out");
  tx.Commit();
  return id;
}

}  // namespace rampart::auth
