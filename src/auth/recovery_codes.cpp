#include "auth/recovery_codes.h"

#include <sodium.h>

#include "auth/totp.h"
#include "core/random.h"
#include "core/strings.h"

namespace rampart::auth {
namespace {

constexpr std::size_t kCodeBytes = 10;  // 80 bits, 16 base32 characters
constexpr std::size_t kCodeChars = 16;

std::string Format(const std::string& canonical) {
  std::string out;
  for (std::size_t i = 0; i < canonical.size(); ++i) {
    if (i > 0 && i % 4 == 0) out.push_back('-');
    out.push_back(canonical[i]);
  }
  return out;
}

}  // namespace

RecoveryCodeSet GenerateRecoveryCodes(const HashCost& cost) {
  RecoveryCodeSet set;
  for (int i = 0; i < kRecoveryCodeCount; ++i) {
    unsigned char raw[kCodeBytes];
    core::FillRandom(raw, sizeof raw);
    const std::string canonical = core::ToLower(
        Base32Encode(std::string_view(reinterpret_cast<const char*>(raw), sizeof raw)));
    sodium_memzero(raw, sizeof raw);
    set.hashes.push_back(HashPassword(canonical, cost));
    set.codes.push_back(Format(canonical));
  }
  return set;
}

void StoreRecoveryCodes(storage::Connection& c, std::int64_t user_id,
                        const std::vector<std::string>& hashes) {
  c.Execute("DELETE FROM recovery_codes WHERE user_id = ?", {user_id});
  for (const std::string& hash : hashes) {
    c.Execute("INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)", {user_id, hash});
  }
}

std::optional<std::string> CanonicalRecoveryCode(std::string_view typed) {
  // Bounded before any work: nothing longer can be a code with its dashes and a few spaces.
  if (typed.size() > 64) return std::nullopt;
  std::string canonical;
  for (const char c : typed) {
    if (c == '-' || c == ' ') continue;
    canonical.push_back(c);
  }
  if (canonical.size() != kCodeChars || !Base32Decode(canonical)) return std::nullopt;
  return core::ToLower(canonical);
}

std::vector<StoredRecoveryCode> UnusedRecoveryCodes(storage::Connection& c, std::int64_t user_id) {
  std::vector<StoredRecoveryCode> codes;
  for (const storage::Row& row :
       c.Query("SELECT id, code_hash FROM recovery_codes WHERE user_id = ? AND used_at IS NULL "
               "ORDER BY id",
               {user_id})) {
    codes.push_back({row.Int(0), row.Text(1)});
  }
  return codes;
}

std::int64_t CountUnusedRecoveryCodes(storage::Connection& c, std::int64_t user_id) {
  return c
      .QueryOne("SELECT count(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL",
                {user_id})
      ->Int(0);
}

std::optional<std::int64_t> MatchRecoveryCode(const std::vector<StoredRecoveryCode>& codes,
                                              std::string_view typed) {
  const std::optional<std::string> canonical = CanonicalRecoveryCode(typed);
  if (!canonical) return std::nullopt;
  for (const StoredRecoveryCode& code : codes) {
    if (VerifyPassword(code.hash, *canonical)) return code.id;
  }
  return std::nullopt;
}

bool MarkRecoveryCodeUsed(storage::Connection& c, std::int64_t code_id, std::int64_t now) {
  c.Execute("UPDATE recovery_codes SET used_at = ? WHERE id = ? AND used_at IS NULL",
            {now, code_id});
  return c.Changes() == 1;
}

bool ConsumeRecoveryCode(storage::Connection& c, std::int64_t user_id, std::string_view typed,
                         std::int64_t now) {
  const std::optional<std::int64_t> id = MatchRecoveryCode(UnusedRecoveryCodes(c, user_id), typed);
  return id && MarkRecoveryCodeUsed(c, *id, now);
}

}  // namespace rampart::auth
