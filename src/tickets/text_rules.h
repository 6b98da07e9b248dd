#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rampart::tickets {

// The rules for text that people type into tickets. Each Check function returns the value as it
// is stored, or throws core::Invalid naming the field and the rule. Text is stored verbatim
// (markup included: escaping is the renderer's job); what is refused is what no renderer can
// make safe or sensible: invalid UTF-8, control characters, blank or oversized text.

// 1..300 characters on one line: no control characters at all.
std::string CheckSubject(std::string_view subject);
// 1..100,000 characters; line breaks and tabs allowed. CRLF becomes LF (browsers submit CRLF);
// a lone CR is refused like any other control character.
std::string CheckBody(std::string_view body, std::string_view field = "body");
// Lower-cases ASCII letters, then requires [a-z0-9][a-z0-9_.-]* of at most 50 bytes. Returns the
// tags sorted and without duplicates; at most kMaxTags.
std::vector<std::string> CheckTags(const std::vector<std::string>& tags);
// Addresses to copy: each a valid email, at most kMaxCcs, duplicates (ignoring case) dropped.
std::vector<std::string> CheckCcs(const std::vector<std::string>& emails);

// A name or title: 1..max_chars characters on one line, trimmed of surrounding spaces, valid
// UTF-8 without control characters. Throws core::Invalid(field, rule).
std::string CheckLine(std::string_view text, std::string_view field, std::size_t max_chars);

// A due date as Unix seconds: from 2000 to 9999, so that a unit mix-up (milliseconds) or a
// negative number is caught here rather than shown as a date nobody can read.
void CheckDueAt(std::int64_t due_at);

// Characters (code points) in valid UTF-8.
std::size_t CountCharacters(std::string_view utf8);
// C0 controls and DEL (except those in `allowed`), and the C1 controls U+0080..U+009F, which
// terminals and some mail clients still act on.
bool HasForbiddenControls(std::string_view utf8, std::string_view allowed);

}  // namespace rampart::tickets
