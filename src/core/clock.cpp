#include "core/clock.h"

#include <array>
#include <chrono>
#include <ctime>
#include <string>

namespace rampart::core {
namespace {

void AppendDigits(std::string& out, unsigned value, int width) {
  std::array<char, 4> digits{};
  for (int i = width - 1; i >= 0; --i) {
    digits[static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(digits.data(), static_cast<std::size_t>(width));
}

// What strftime writes, for the years calendar arithmetic below does not cover.
void AppendByStrftime(std::string& out, std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::array<char, 32> buf{};
  const std::size_t n = std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  out.append(buf.data(), n);
}

}  // namespace

void AppendUtc(std::string& out, std::int64_t unix_seconds) {
  using namespace std::chrono;
  // Four-digit years by calendar arithmetic: no time zone lock, no strftime, no allocation
  // (pages and lists format a time per row). Anything else, as rare as it is odd, the way
  // strftime writes it (it does not pad a year).
  constexpr std::int64_t kFirst = -30610224000;  // 1000-01-01T00:00:00Z
  constexpr std::int64_t kLast = 253402300799;   // 9999-12-31T23:59:59Z
  if (unix_seconds < kFirst || unix_seconds > kLast) {
    AppendByStrftime(out, unix_seconds);
    return;
  }
  const sys_seconds time{seconds{unix_seconds}};
  const sys_days day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss clock{time - day};
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
  out.push_back('Z');
}

std::string FormatUtc(std::int64_t unix_seconds) {
  std::string out;
  out.reserve(24);
  AppendUtc(out, unix_seconds);
  return out;
}

}  // namespace rampart::core
