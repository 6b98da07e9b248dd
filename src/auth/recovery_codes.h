#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/password_hash.h"
#include "storage/database.h"

namespace rampart::auth {

// Ten single-use codes of 16 base32 characters (80 bits each), shown to the user once as
// "abcd-efgh-ijkl-mnop" and stored only as argon2id hashes (ASVS 6.5.2: lookup secrets under
// 112 bits get a salted password hash). 80 random bits already defeat guessing, so the hash cost
// can stay at kMinimumHashCost: verifying a code may take up to ten hashes.
inline constexpr int kRecoveryCodeCount = 10;

struct RecoveryCodeSet {
  std::vector<std::string> codes;   // formatted, to show once and never store
  std::vector<std::string> hashes;  // to store
};

// New codes and their hashes. No database work: the hashing takes a while and must not hold
// the write connection.
RecoveryCodeSet GenerateRecoveryCodes(const HashCost& cost);
// Replaces all of the user's codes, used or not, with `hashes`: regenerating invalidates every
// earlier code. Run it inside the caller's write transaction.
void StoreRecoveryCodes(storage::Connection& c, std::int64_t user_id,
                        const std::vector<std::string>& hashes);

// What a person typed, reduced to the 16 lower-case characters that were hashed: dashes and
// spaces are dropped and case is ignored. Nothing when it cannot be a recovery code.
std::optional<std::string> CanonicalRecoveryCode(std::string_view typed);

struct StoredRecoveryCode {
  std::int64_t id = 0;
  std::string hash;
};
std::vector<StoredRecoveryCode> UnusedRecoveryCodes(storage::Connection& c, std::int64_t user_id);
std::int64_t CountUnusedRecoveryCodes(storage::Connection& c, std::int64_t user_id);
// The id of the stored code that `typed` matches, or nothing. Pure hashing work, no database.
std::optional<std::int64_t> MatchRecoveryCode(const std::vector<StoredRecoveryCode>& codes,
                                              std::string_view typed);
// Marks a code used, only if it still is unused: of two requests racing with one code, exactly
// one gets true.
bool MarkRecoveryCodeUsed(storage::Connection& c, std::int64_t code_id, std::int64_t now);

// The three steps above on one connection: true when `typed` was an unused code of this user,
// which is now used. Callers that keep write transactions short run the steps themselves, with
// the matching outside the write transaction.
bool ConsumeRecoveryCode(storage::Connection& c, std::int64_t user_id, std::string_view typed,
                         std::int64_t now);

}  // namespace rampart::auth
