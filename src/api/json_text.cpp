#include "api/json_text.h"

#include <array>
#include <charconv>
#include <chrono>

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

void AppendDigits(std::string& out, unsigned value, int width) {
  std::array<char, 4> digits{};
  for (int i = width - 1; i >= 0; --i) {
    digits[static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(digits.data(), static_cast<std::size_t>(width));
}

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
  using namespace std::chrono;
  // Four-digit years by calendar arithmetic (no time zone lock, no strftime); anything else, as
  // rare as it is odd, the way core::FormatUtc writes it (strftime does not pad a year).
  constexpr std::int64_t kFirst = -30610224000;  // 1000-01-01T00:00:00Z
  constexpr std::int64_t kLast = 253402300799;   // 9999-12-31T23:59:59Z
  if (unix_seconds < kFirst || unix_seconds > kLast) {
    AppendJsonString(out, core::FormatUtc(unix_seconds));
    return;
  }
  const sys_seconds time{seconds{unix_seconds}};
  const sys_days day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss clock{time - day};
  out.push_back('"');
  AppendDigits(out, static_cast<unsigned>(static_cast<int>(date.year())), 4);
  out.push_back('-');
  AppendDigits(out, static_cast<unsigned>(date.month()), 2);
  out.push_back('-');
  AppendDigits(out, static_cast<unsigned>(date.day()), 2);
  out.push_back('T');
  AppendDigits(out, static_cast<unsigned>(clock.hours().count()), 2);
  out.push_back(':');
  AppendDigits(out, static_cast<unsigned>(clock.minutes().count()), 2);
  out.push_back(':');
  AppendDigits(out, static_cast<unsigned>(clock.seconds().count()), 2);
  out += "Z\"";
}

void AppendJsonTime(std::string& out, const std::optional<std::int64_t>& unix_seconds) {
  if (unix_seconds) {
    AppendJsonTime(out, *unix_seconds);
  } else {
    out += "null";
  }
}

}  // namespace rampart::api
