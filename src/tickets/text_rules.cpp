#include "tickets/text_rules.h"

#include <algorithm>

#include "auth/users.h"
#include "core/errors.h"
#include "core/strings.h"
#include "tickets/ticket.h"

namespace rampart::tickets {
namespace {

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\n' || c == '\t'; });
}

}  // namespace

std::size_t CountCharacters(std::string_view utf8) {
  // Continuation bytes (10xxxxxx) do not start a character.
  return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool HasForbiddenControls(std::string_view utf8, std::string_view allowed) {
  if (core::HasControlCharacters(utf8, allowed)) return true;
  // U+0080..U+009F are encoded as C2 80..C2 9F.
  for (std::size_t i = 0; i + 1 < utf8.size(); ++i) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    const auto next = static_cast<unsigned char>(utf8[i + 1]);
    if (lead == 0xC2 && next >= 0x80 && next <= 0x9F) return true;
  }
  return false;
}

std::string CheckSubject(std::string_view subject) {
  if (!core::IsValidUtf8(subject)) throw core::Invalid("subject", "must be valid UTF-8");
  if (HasForbiddenControls(subject, "")) {
    throw core::Invalid("subject", "must be one line without control characters");
  }
  if (IsBlank(subject)) throw core::Invalid("subject", "must not be empty");
  if (CountCharacters(subject) > kMaxSubjectChars) {
    throw core::Invalid("subject", "must be at most 300 characters");
  }
  return std::string(subject);
}

std::string CheckLine(std::string_view text, std::string_view field, std::size_t max_chars) {
  const std::string name(field);
  if (!core::IsValidUtf8(text)) throw core::Invalid(name, "must be valid UTF-8");
  if (HasForbiddenControls(text, "")) {
    throw core::Invalid(name, "must be one line without control characters");
  }
  const std::string_view trimmed = core::Trim(text);
  if (trimmed.empty()) throw core::Invalid(name, "must not be empty");
  if (CountCharacters(trimmed) > max_chars) {
    throw core::Invalid(name, "must be at most " + std::to_string(max_chars) + " characters");
  }
  return std::string(trimmed);
}

std::string CheckBody(std::string_view body, std::string_view field) {
  const std::string name(field);
  if (!core::IsValidUtf8(body)) throw core::Invalid(name, "must be valid UTF-8");
  // Refuse before copying: a 100 MB body must not be duplicated to be refused.
  if (body.size() > 4 * kMaxBodyChars)
    throw core::Invalid(name, "must be at most 100000 characters");
  std::string out;
  out.reserve(body.size());
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\r' && i + 1 < body.size() && body[i + 1] == '\n') continue;
    out.push_back(body[i]);
  }
  if (HasForbiddenControls(out, "\n\t")) {
    throw core::Invalid(name,
                        "must not contain control characters other than line breaks and tabs");
  }
  if (IsBlank(out)) throw core::Invalid(name, "must not be empty");
  if (CountCharacters(out) > kMaxBodyChars) {
    throw core::Invalid(name, "must be at most 100000 characters");
  }
  return out;
}

std::vector<std::string> CheckTags(const std::vector<std::string>& tags) {
  if (tags.size() > kMaxTags) throw core::Invalid("tags", "at most 20 tags");
  std::vector<std::string> out;
  out.reserve(tags.size());
  for (const std::string& raw : tags) {
    std::string tag = core::ToLower(raw);
    const bool ok = !tag.empty() && tag.size() <= kMaxTagBytes &&
                    ((tag.front() >= 'a' && tag.front() <= 'z') ||
                     (tag.front() >= '0' && tag.front() <= '9')) &&
                    std::all_of(tag.begin(), tag.end(), [](char c) {
                      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                             c == '.' || c == '-';
                    });
    if (!ok) {
      throw core::Invalid("tags",
                          "each tag is 1 to 50 letters, digits, '.', '_' or '-', starting with a "
                          "letter or digit");
    }
    out.push_back(std::move(tag));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> CheckCcs(const std::vector<std::string>& emails) {
  if (emails.size() > kMaxCcs) throw core::Invalid("ccs", "at most 20 addresses");
  std::vector<std::string> out;
  for (const std::string& email : emails) {
    if (std::string problem = auth::EmailProblem(email); !problem.empty()) {
      throw core::Invalid("ccs", problem);
    }
    const bool seen = std::any_of(out.begin(), out.end(), [&](const std::string& e) {
      return core::EqualsIgnoreCase(e, email);
    });
    if (!seen) out.push_back(email);
  }
  return out;
}

void CheckDueAt(std::int64_t due_at) {
  constexpr std::int64_t kYear2000 = 946'684'800;
  constexpr std::int64_t kYear10000 = 253'402'300'800;
  if (due_at < kYear2000 || due_at >= kYear10000) {
    throw core::Invalid("due_at", "must be a time between the years 2000 and 9999");
  }
}

}  // namespace rampart::tickets
