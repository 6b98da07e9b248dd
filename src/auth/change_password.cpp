#include "auth/change_password.h"

#include "audit/audit_log.h"
#include "auth/sessions.h"
#include "auth/totp_credentials.h"
#include "core/errors.h"

namespace rampart::auth {

void ChangePassword(storage::Database& db, const PasswordChange& change,
                    const PasswordPolicy& policy, const HashCost& cost, std::int64_t now) {
  std::optional<storage::Row> user;
  std::vector<std::string> recent;
  bool second_factor = false;
  {
    storage::Lease c = db.Read();
    user =
        c->QueryOne("SELECT email, name, password_hash FROM users WHERE id = ?", {change.user_id});
    if (!user) throw core::NotFound("user gone while changing password");
    recent = RecentPasswordHashes(*c, change.user_id, policy.history);
    second_factor = HasConfirmedTotp(*c, change.user_id);
  }
  const auto current = NormalizePassword(change.current_password);
  if (!current || !VerifyPassword(user->Text(2), *current)) {
    throw core::Invalid("current_password", "is not correct");
  }
  const PasswordVerdict verdict =
      CheckPassword(policy, change.new_password,
                    PasswordContext{second_factor, user->Text(0), user->Text(1), {}});
  if (!verdict) throw core::Invalid("new_password", verdict.user_text);
  const std::string normalized = *NormalizePassword(change.new_password);
  recent.push_back(user->Text(2));
  if (const PasswordVerdict reused = CheckPasswordReuse(recent, normalized); !reused) {
    throw core::Invalid("new_password", reused.user_text);
  }
  const std::string hash = HashPassword(normalized, cost);
  storage::Lease w = db.Write();
  storage::Transaction tx(*w);
  w->Execute(
      "UPDATE users SET password_hash = ?, must_change_password = 0, password_changed_at = ? "
      "WHERE id = ? AND password_hash = ?",
      {hash, now, change.user_id, user->Text(2)});
  // Another change won the race: the current password given above is no longer current.
  if (w->Changes() != 1) throw core::Conflict("The password was changed meanwhile. Try again.");
  RecordPasswordHistory(*w, change.user_id, user->Text(2), now, policy.history);
  const int signed_out = RevokeOtherSessions(*w, change.user_id, change.keep_session_token);
  audit::Append(*w, now, change.user_id, "password.changed",
                "user:" + std::to_string(change.user_id), change.client_address,
                "other sessions signed out: " + std::to_string(signed_out));
  tx.Commit();
}

}  // namespace rampart::auth
