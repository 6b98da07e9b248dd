#include "auth/totp_credentials.h"

#include <sodium.h>

#include "core/errors.h"

namespace rampart::auth {
namespace {

std::string AssociatedData(std::int64_t user_id) {
  return "totp:" + std::to_string(user_id);
}

}  // namespace

void StoreTotpEnrollment(storage::Connection& c, const SecretBox& box, std::int64_t user_id,
                         const std::string& secret, std::int64_t now) {
  const std::string sealed = box.Seal(secret, AssociatedData(user_id));
  c.Execute(
      "INSERT INTO totp_credentials (user_id, secret_encrypted, confirmed_at, last_step, "
      "created_at) VALUES (?, ?, NULL, 0, ?) ON CONFLICT (user_id) DO UPDATE SET "
      "secret_encrypted = excluded.secret_encrypted, confirmed_at = NULL, last_step = 0, "
      "created_at = excluded.created_at",
      {user_id, storage::Blob{sealed}, now});
}

bool HasConfirmedTotp(storage::Connection& c, std::int64_t user_id) {
  return c
      .QueryOne("SELECT 1 FROM totp_credentials WHERE user_id = ? AND confirmed_at IS NOT NULL",
                {user_id})
      .has_value();
}

TotpVerdict VerifyUserTotp(storage::Connection& c, const SecretBox& box, std::int64_t user_id,
                           std::string_view code, std::int64_t now) {
  const auto row = c.QueryOne(
      "SELECT secret_encrypted, last_step FROM totp_credentials WHERE user_id = ?", {user_id});
  if (!row) return {TotpOutcome::kWrong, 0, "otp_wrong"};
  std::optional<std::string> secret = box.Open(row->Bytes(0), AssociatedData(user_id));
  if (!secret) {
    throw core::InternalError("crypt_decrypt_fail: TOTP secret of user " + std::to_string(user_id) +
                              " does not open");
  }
  std::string& plain = *secret;
  const TotpVerdict verdict = CheckTotp(plain, code, now, row->Int(1));
  // The secret does not linger in freed memory.
  const std::size_t size = plain.size();
  sodium_memzero(plain.data(), size);
  if (verdict.outcome != TotpOutcome::kAccepted) return verdict;
  c.Execute(
      "UPDATE totp_credentials SET last_step = ?, confirmed_at = coalesce(confirmed_at, ?) "
      "WHERE user_id = ? AND last_step < ?",
      {verdict.step, now, user_id, verdict.step});
  if (c.Changes() != 1) return {TotpOutcome::kReplayed, verdict.step, "otp_replayed"};
  return verdict;
}

void RemoveTotp(storage::Connection& c, std::int64_t user_id) {
  c.Execute("DELETE FROM totp_credentials WHERE user_id = ?", {user_id});
}

}  // namespace rampart::auth
