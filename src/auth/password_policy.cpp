#include "auth/password_policy.h"

#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <memory>
#include <set>
#include <stdexcept>

#include "auth/common_passwords.h"
#include "auth/password_hash.h"
#include "core/strings.h"

namespace rampart::auth {
namespace {

struct FreeDeleter {
  // libunistring returns memory from malloc.
  void operator()(void* p) const { std::free(p); }
};

const std::uint8_t* Bytes(std::string_view s) {
  return reinterpret_cast<const std::uint8_t*>(s.data());
}

std::u32string ToCodePoints(std::string_view utf8) {
  std::size_t length = 0;
  const std::unique_ptr<std::uint32_t, FreeDeleter> converted(
      u8_to_u32(Bytes(utf8), utf8.size(), nullptr, &length));
  if (!converted && length != 0) throw std::runtime_error("UTF-8 to code points failed");
  std::u32string out;
  out.reserve(length);
  for (std::size_t i = 0; i < length; ++i) out.push_back(static_cast<char32_t>(converted.get()[i]));
  return out;
}

PasswordVerdict Refuse(std::string_view reason, std::string user_text) {
  return PasswordVerdict{reason, std::move(user_text)};
}

bool IsControl(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

// Only a few distinct characters, or one unit said over and over ("abcabcabc",
// "passwordpassword").
bool IsRepetitive(const std::u32string& s) {
  const std::set<char32_t> distinct(s.begin(), s.end());
  if (distinct.size() <= 3) return true;
  for (std::size_t period = 1; period <= s.size() / 2; ++period) {
    bool repeats = true;
    for (std::size_t i = period; i < s.size() && repeats; ++i) repeats = s[i] == s[i - period];
    if (repeats) return true;
  }
  return false;
}

// Neighbours in an alphabet or on a keyboard row, either direction.
bool IsSequentialStep(char32_t a, char32_t b) {
  if (b == a + 1 || a == b + 1) return true;  // abc, 321, and other scripts' alphabets
  static constexpr std::array<std::u32string_view, 4> kRows = {U"1234567890", U"qwertyuiop",
                                                               U"asdfghjkl", U"zxcvbnm"};
  for (const std::u32string_view row : kRows) {
    for (std::size_t i = 0; i + 1 < row.size(); ++i) {
      if ((row[i] == a && row[i + 1] == b) || (row[i] == b && row[i + 1] == a)) return true;
    }
  }
  return false;
}

// Made only of runs of three or more neighbours ("1234567890abcdef", "qwertyuiop123456",
// "aaabbbcccddd" once doubled letters are collapsed).
bool IsSequential(const std::u32string& s) {
  std::u32string collapsed;
  for (const char32_t c : s) {
    if (collapsed.empty() || collapsed.back() != c) collapsed.push_back(c);
  }
  if (collapsed.size() < 3) return false;
  std::size_t run_start = 0;
  for (std::size_t i = 1; i <= collapsed.size(); ++i) {
    if (i < collapsed.size() && IsSequentialStep(collapsed[i - 1], collapsed[i])) continue;
    if (i - run_start < 3) return false;
    run_start = i;
  }
  return true;
}

// The words of `text` (split at spaces and common punctuation) that are long enough to matter.
void AddWords(std::string_view text, std::vector<std::string>& words) {
  const auto normalized = NormalizePassword(text);
  if (!normalized) return;
  const std::string folded = FoldPassword(*normalized);
  const auto add = [&](std::string_view word) {
    if (CountCodePoints(word) >= 4) words.emplace_back(word);
  };
  add(folded);
  std::size_t start = 0;
  for (std::size_t i = 0; i <= folded.size(); ++i) {
    if (i == folded.size() ||
        std::string_view(" \t.,;:_+-'\"()/@!&").find(folded[i]) != std::string_view::npos) {
      if (i > start && i - start < folded.size())
        add(std::string_view(folded).substr(start, i - start));
      start = i + 1;
    }
  }
}

}  // namespace

std::vector<std::string> PasswordPolicyProblems(const PasswordPolicy& policy) {
  std::vector<std::string> problems;
  const auto floor = std::to_string(kPasswordMinLengthFloor);
  if (policy.min_length < kPasswordMinLengthFloor) {
    problems.push_back("min_length: must be at least " + floor);
  }
  if (policy.min_length_with_second_factor < kPasswordMinLengthFloor) {
    problems.push_back("min_length_with_second_factor: must be at least " + floor);
  }
  if (policy.min_length_with_second_factor > policy.min_length) {
    problems.push_back("min_length_with_second_factor: must not exceed min_length");
  }
  if (policy.max_length < kPasswordMaxLengthFloor ||
      policy.max_length > kPasswordMaxLengthCeiling) {
    problems.push_back("max_length: must be " + std::to_string(kPasswordMaxLengthFloor) + " to " +
                       std::to_string(kPasswordMaxLengthCeiling));
  }
  if (policy.min_length > policy.max_length) {
    problems.push_back("min_length: must not exceed max_length");
  }
  if (policy.history > kPasswordHistoryCeiling) {
    problems.push_back("history: must be at most " + std::to_string(kPasswordHistoryCeiling));
  }
  return problems;
}

std::vector<std::string> DescribePasswordPolicy(const PasswordPolicy& policy) {
  const std::size_t max_length =
      std::clamp(policy.max_length, kPasswordMaxLengthFloor, kPasswordMaxLengthCeiling);
  const std::size_t plain = std::clamp(policy.min_length, kPasswordMinLengthFloor, max_length);
  const std::size_t with_2fa =
      std::clamp(policy.min_length_with_second_factor, kPasswordMinLengthFloor, plain);
  std::vector<std::string> out;
  std::string length = "At least " + std::to_string(plain) + " characters";
  if (with_2fa != plain) {
    length += " (" + std::to_string(with_2fa) + " with two-factor authentication)";
  }
  out.push_back(length + ", up to " + std::to_string(max_length) + ".");
  out.push_back("Spaces and letters of any language are welcome.");
  out.push_back(
      "Not a common or breached password, not your name or email, and no pattern like \"aaaa\" "
      "or \"1234\".");
  if (policy.history > 0) {
    out.push_back("Not one of your last " + std::to_string(policy.history + 1) + " passwords.");
  }
  if (policy.require_mixed_case) out.push_back("An upper-case and a lower-case letter.");
  if (policy.require_digit) out.push_back("A digit (0-9).");
  if (policy.require_symbol) out.push_back("A symbol (not a letter, digit or space).");
  if (policy.expiry_days > 0) {
    out.push_back("It must be changed every " + std::to_string(policy.expiry_days) + " days.");
  }
  return out;
}

std::optional<std::string> NormalizePassword(std::string_view password) {
  if (!core::IsValidUtf8(password)) return std::nullopt;
  if (password.empty()) return std::string();
  std::size_t length = 0;
  const std::unique_ptr<std::uint8_t, FreeDeleter> normalized(
      u8_normalize(UNINORM_NFKC, Bytes(password), password.size(), nullptr, &length));
  if (!normalized) throw std::runtime_error("NFKC normalization failed");
  return std::string(reinterpret_cast<const char*>(normalized.get()), length);
}

std::string FoldPassword(std::string_view normalized) {
  if (normalized.empty()) return std::string();
  std::size_t length = 0;
  // No language: the same folding whatever the server's locale (no Turkish dotless i surprises).
  const std::unique_ptr<std::uint8_t, FreeDeleter> folded(
      u8_casefold(Bytes(normalized), normalized.size(), nullptr, UNINORM_NFKC, nullptr, &length));
  if (!folded) throw std::runtime_error("case folding failed");
  return std::string(reinterpret_cast<const char*>(folded.get()), length);
}

std::size_t CountCodePoints(std::string_view utf8) {
  return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

PasswordVerdict CheckPassword(const PasswordPolicy& policy, std::string_view password,
                              const PasswordContext& context) {
  // Never weaker than the bounds, whatever the configuration says.
  const std::size_t max_length =
      std::clamp(policy.max_length, kPasswordMaxLengthFloor, kPasswordMaxLengthCeiling);
  const std::size_t min_length = std::clamp(
      context.has_second_factor ? policy.min_length_with_second_factor : policy.min_length,
      kPasswordMinLengthFloor, max_length);
  const std::string too_long_text = "Use at most " + std::to_string(max_length) + " characters.";

  // Bound the work before normalizing: a code point takes at most 4 bytes, so longer input
  // cannot be acceptable (and NFKC can expand a character up to 18-fold).
  if (password.size() > 4 * max_length) return Refuse("too_long", too_long_text);
  const std::optional<std::string> normalized = NormalizePassword(password);
  if (!normalized) {
    return Refuse("invalid_utf8", "The password contains bytes that are not valid text (UTF-8).");
  }
  const std::u32string code_points = ToCodePoints(*normalized);
  if (std::any_of(code_points.begin(), code_points.end(), IsControl)) {
    return Refuse("invalid_character",
                  "The password contains a control character such as a line break or tab.");
  }
  if (code_points.size() < min_length) {
    return Refuse("too_short", "Use at least " + std::to_string(min_length) + " characters.");
  }
  if (code_points.size() > max_length) return Refuse("too_long", too_long_text);

  const std::string folded = FoldPassword(*normalized);
  if (IsCommonPassword(folded)) {
    return Refuse("common_password",
                  "This password is on a list of common or breached passwords that attackers "
                  "try first. Choose another.");
  }
  const std::u32string folded_points = ToCodePoints(folded);
  if (IsRepetitive(folded_points)) {
    return Refuse("repetitive",
                  "The password repeats the same characters or the same part. Choose one "
                  "without repetition.");
  }
  if (IsSequential(folded_points)) {
    return Refuse("sequential",
                  "The password is made of sequences such as abcd, 1234 or qwerty. Choose "
                  "another.");
  }

  if (policy.require_mixed_case && (std::none_of(code_points.begin(), code_points.end(),
                                                 [](char32_t c) { return uc_is_upper(c); }) ||
                                    std::none_of(code_points.begin(), code_points.end(),
                                                 [](char32_t c) { return uc_is_lower(c); }))) {
    return Refuse("missing_mixed_case",
                  "This helpdesk requires an upper-case and a lower-case letter in passwords.");
  }
  if (policy.require_digit && std::none_of(code_points.begin(), code_points.end(),
                                           [](char32_t c) { return uc_is_digit(c); })) {
    return Refuse("missing_digit", "This helpdesk requires a digit (0-9) in passwords.");
  }
  if (policy.require_symbol && std::none_of(code_points.begin(), code_points.end(), [](char32_t c) {
        return !uc_is_alnum(c) && !uc_is_space(c);
      })) {
    return Refuse("missing_symbol",
                  "This helpdesk requires a symbol (a character that is not a letter, a digit or "
                  "a space) in passwords.");
  }

  std::vector<std::string> words;
  const std::size_t at = context.email.rfind('@');
  AddWords(context.email.substr(0, at), words);
  AddWords(context.name, words);
  for (const std::string_view word : context.words) AddWords(word, words);
  AddWords("rampart helpdesk", words);
  for (const std::string& word : words) {
    if (folded.find(word) != std::string::npos) {
      return Refuse("contains_email_or_name",
                    "The password contains your email address, your name or the name of this "
                    "service. Choose one without them.");
    }
  }
  return PasswordVerdict{};
}

std::vector<std::string> RecentPasswordHashes(storage::Connection& c, std::int64_t user_id,
                                              std::size_t history) {
  std::vector<std::string> hashes;
  if (auto row = c.QueryOne("SELECT password_hash FROM users WHERE id = ?", {user_id})) {
    hashes.push_back(row->Text(0));
  }
  const auto limit = static_cast<std::int64_t>(std::min(history, kPasswordHistoryCeiling));
  for (const storage::Row& row :
       c.Query("SELECT password_hash FROM password_history WHERE user_id = ? "
               "ORDER BY id DESC LIMIT ?",
               {user_id, limit})) {
    hashes.push_back(row.Text(0));
  }
  return hashes;
}

PasswordVerdict CheckPasswordReuse(const std::vector<std::string>& recent_hashes,
                                   std::string_view password) {
  const std::optional<std::string> normalized = NormalizePassword(password);
  if (!normalized) {
    return Refuse("invalid_utf8", "The password contains bytes that are not valid text (UTF-8).");
  }
  for (const std::string& hash : recent_hashes) {
    if (VerifyPassword(hash, *normalized)) {
      return Refuse("reused", "You used this password recently. Choose a new one.");
    }
  }
  return PasswordVerdict{};
}

void RecordPasswordHistory(storage::Connection& c, std::int64_t user_id,
                           const std::string& previous_hash, std::int64_t now,
                           std::size_t history) {
  const auto keep = static_cast<std::int64_t>(std::min(history, kPasswordHistoryCeiling));
  if (keep > 0) {
    c.Execute("INSERT INTO password_history (user_id, password_hash, created_at) VALUES (?, ?, ?)",
              {user_id, previous_hash, now});
  }
  c.Execute(
      "DELETE FROM password_history WHERE user_id = ? AND id NOT IN "
      "(SELECT id FROM password_history WHERE user_id = ? ORDER BY id DESC LIMIT ?)",
      {user_id, user_id, keep});
}

}  // namespace rampart::auth
