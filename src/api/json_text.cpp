#include "api/json_text.h"

#include <array>
#include <charconv>

#include "core/clock.h"

namespace rampart::api {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void AppendUnicodeEscape(std::string& out, unsigned code) {
  const std::array<char, 6> text = {'\\',
                                    'u',
                                    kHex[(code >> 12) & 0xF],
                                    kHex[(code >> 8) & 0xF],
                                    kHex[(code >> 4) & 0xF],
                                    kHex[code & 0xF]};
  out.append(text.data(), text.size());
}

// Whether the byte needs more than copying: the cases below, in one table lookup.
constexpr std::array<bool, 256> SpecialBytes() {
  std::array<bool, 256> special{};
  for (unsigned c = 0; c < 0x20; ++c) special[c] = true;
  constexpr std::array<unsigned char, 6> kOthers = {'"', '\\', '<', '>', '&', 0xE2};
  for (const unsigned char c : kOthers) special[c] = true;
  return special;
}
constexpr std::array<bool, 256> kSpecial = SpecialBytes();

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  out.push_back('"');
  std::size_t plain_from = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto ch = static_cast<unsigned char>(text[i]);
    if (!kSpecial[ch]) continue;
    if (ch == 0xE2 && !(i + 2 < text.size() && text[i + 1] == '\x80' &&
                        (text[i + 2] == '\xA8' || text[i + 2] == '\xA9'))) {
      continue;  // another character starting with this byte
    }
    out.append(text.data() + plain_from, i - plain_from);
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      case 0xE2:
        // U+2028 and U+2029 end a line in older JavaScript, even inside a string.
        AppendUnicodeEscape(out, text[i + 2] == '\xA8' ? 0x2028 : 0x2029);
        i += 2;
        break;
      default: AppendUnicodeEscape(out, ch); break;  // other controls, <, > and &
    }
    plain_from = i + 1;
  }
  out.append(text.data() + plain_from, text.size() - plain_from);
  out.push_back('"');
}

void AppendJsonInt(std::string& out, std::int64_t value) {
  std::array<char, 24> digits{};
  const auto result = std::to_chars(digits.data(), digits.data() + digits.size(), value);
  out.append(digits.data(), result.ptr);
}

void AppendJsonTime(std::string& out, std::int64_t unix_seconds) {
  // The time's characters (digits, '-', 'T', ':', 'Z') need no escaping.
  out.push_back('"');
  core::AppendUtc(out, unix_seconds);
  out.push_back('"');
}

void AppendJsonTime(std::string& out, const std::optional<std::int64_t>& unix_seconds) {
  if (unix_seconds) {
    AppendJsonTime(out, *unix_seconds);
  } else {
    out += "null";
  }
}

}  // namespace rampart::api
