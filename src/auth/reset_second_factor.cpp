#include "auth/reset_second_factor.h"

#include "audit/audit_log.h"
#include "auth/recovery_codes.h"
#include "auth/sessions.h"
#include "auth/totp_credentials.h"
#include "core/errors.h"

namespace rampart::auth {
namespace {

void RequireOwner(const Actor& actor) {
  if (!Authorize(actor, Permission::kUserManage)) {
    throw core::Forbidden("2fa reset without user.manage");
  }
  if (actor.role != Role::kOwner) {
    throw core::RequestError(403, "owner_only",
                             "Only an owner can reset another person's two-factor "
                             "authentication.",
                             "2fa reset by a non-owner");
  }
}

std::optional<SecondFactorAccount> Load(storage::Connection& c, std::int64_t user_id) {
  const auto row = c.QueryOne("SELECT id, email, name, role FROM users WHERE id = ?", {user_id});
  if (!row) return std::nullopt;
  SecondFactorAccount a;
  a.user_id = row->Int(0);
  a.email = row->Text(1);
  a.name = row->Text(2);
  a.role = ParseRole(row->Text(3)).value_or(Role::kEndUser);
  a.enrolled = HasConfirmedTotp(c, user_id);
  a.unused_recovery_codes = CountUnusedRecoveryCodes(c, user_id);
  return a;
}

}  // namespace

SecondFactorAccount ViewSecondFactor(storage::Database& db, const Actor& actor,
                                     std::int64_t user_id) {
  RequireOwner(actor);
  storage::Lease c = db.Read();
  auto account = Load(*c, user_id);
  if (!account) throw core::NotFound("no user " + std::to_string(user_id));
  return *account;
}

void ResetSecondFactor(storage::Database& db, const Actor& actor, std::int64_t user_id,
                       const std::string& client_address, std::int64_t now) {
  RequireOwner(actor);
  if (user_id == actor.user_id) {
    throw core::Invalid("user",
                        "You cannot reset your own two-factor authentication here: sign in with "
                        "a recovery code, or ask another owner.");
  }
  storage::Lease w = db.Write();
  storage::Transaction tx(*w);
  const auto account = Load(*w, user_id);
  if (!account) throw core::NotFound("no user " + std::to_string(user_id));
  RemoveTotp(*w, user_id);
  w->Execute("DELETE FROM recovery_codes WHERE user_id = ?", {user_id});
  const int sessions = RevokeOtherSessions(*w, user_id, "");
  w->Execute(
      "INSERT INTO outbox (kind, recipient, subject, body, created_at) "
      "VALUES ('security_notice', ?, ?, ?, ?)",
      {account->email, std::string("Your two-factor authentication was reset"),
       std::string("An owner of your Rampart helpdesk removed the two-factor authentication of "
                   "your account and signed out all your sessions. When you next sign in, you "
                   "will be asked to set it up again if your role requires it.\n\nIf you did not "
                   "ask for this, contact an owner of the helpdesk.\n"),
       now});
  audit::Append(*w, now, actor.user_id, "2fa.reset", "user:" + std::to_string(user_id),
                client_address,
                std::string(account->enrolled ? "was enrolled" : "was not enrolled") +
                    "; sessions signed out: " + std::to_string(sessions));
  tx.Commit();
}

}  // namespace rampart::auth
