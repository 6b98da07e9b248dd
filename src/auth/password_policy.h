#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.h"

namespace rampart::auth {

// What a new password must satisfy, per audience (staff, customers), within NIST SP 800-63B
// bounds (Rev 3 §5.1.1.2 and Rev 4 §3.1.1.2). Lengths count Unicode code points after NFKC.
//
// Composition rules ("a digit and a symbol") and periodic expiry are off by default, as NIST
// Rev 4 says verifiers SHALL NOT impose them; an administrator who must follow an older rule
// book can turn them on at /admin/security, and the page says what NIST advises.
struct PasswordPolicy {
  // Accounts that sign in with the password alone (Rev 4: SHALL be at least 15).
  std::size_t min_length = 15;
  // Accounts with a second factor (Rev 4: MAY be shorter, SHALL be at least 8).
  std::size_t min_length_with_second_factor = 8;
  std::size_t max_length = 256;
  // How many earlier passwords, besides the current one, may not be chosen again.
  std::size_t history = 5;
  // Days after which a password must be changed; 0: never (the default).
  std::size_t expiry_days = 0;
  // Composition rules, each off by default.
  bool require_mixed_case = false;  // an upper- and a lower-case letter
  bool require_digit = false;
  bool require_symbol = false;  // a character that is neither a letter, a digit nor a space
};

inline constexpr std::size_t kPasswordMinLengthFloor = 8;
inline constexpr std::size_t kPasswordMaxLengthFloor = 128;  // SP 800-63B: SHOULD allow >= 64
inline constexpr std::size_t kPasswordMaxLengthCeiling = 1024;
inline constexpr std::size_t kPasswordHistoryCeiling = 24;
inline constexpr std::size_t kPasswordExpiryCeilingDays = 3650;

// The rules of `policy` in words, one sentence each, for the forms that set a password.
std::vector<std::string> DescribePasswordPolicy(const PasswordPolicy& policy);

// Every way `policy` leaves those bounds, as "field: problem"; empty when it is usable. For
// configuration checks. CheckPassword never applies a value weaker than the bounds anyway.
std::vector<std::string> PasswordPolicyProblems(const PasswordPolicy& policy);

// Who the password is for: the words it must not contain.
struct PasswordContext {
  bool has_second_factor = false;
  std::string_view email;
  std::string_view name;
  // More words to refuse, e.g. the helpdesk's or the organization's name. "rampart" and
  // "helpdesk" are always refused.
  std::vector<std::string_view> words;
};

// The outcome of a check. `reason` is stable snake_case for APIs, logs and metrics: "" when the
// password is acceptable, else one of invalid_utf8, invalid_character, too_short, too_long,
// common_password, repetitive, sequential, missing_mixed_case, missing_digit, missing_symbol,
// contains_email_or_name, reused. `user_text` says
// which rule failed, in words for the person choosing the password.
struct PasswordVerdict {
  std::string_view reason;
  std::string user_text;
  bool Ok() const { return reason.empty(); }
  explicit operator bool() const { return Ok(); }
};

// The NFKC form of `password`: the form to hash and to verify, so that the same password typed
// on another keyboard or OS (composed or decomposed accents, full-width letters) still matches.
// Nothing when the input is not valid UTF-8.
std::optional<std::string> NormalizePassword(std::string_view password);
// Case-folded NFKC, for comparisons only (blocklist, context words); never hashed, because the
// password itself stays case-sensitive.
std::string FoldPassword(std::string_view normalized);
std::size_t CountCodePoints(std::string_view utf8);

// Every rule that needs no stored data, in the order a person would want to hear about them.
PasswordVerdict CheckPassword(const PasswordPolicy& policy, std::string_view password,
                              const PasswordContext& context);

// The current hash of the user and up to `history` earlier ones, newest first.
std::vector<std::string> RecentPasswordHashes(storage::Connection& c, std::int64_t user_id,
                                              std::size_t history);
// Refuses a password matching any of `recent_hashes`. Costs one argon2id verification per hash,
// so run it outside any write transaction, after CheckPassword passed.
PasswordVerdict CheckPasswordReuse(const std::vector<std::string>& recent_hashes,
                                   std::string_view password);
// On a password change: keeps the outgoing hash and forgets all but the newest `history`.
void RecordPasswordHistory(storage::Connection& c, std::int64_t user_id,
                           const std::string& previous_hash, std::int64_t now, std::size_t history);

}  // namespace rampart::auth
