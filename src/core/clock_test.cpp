#include "core/clock.h"

#include <gtest/gtest.h>

#include <array>
#include <ctime>
#include <random>
#include <vector>

namespace rampart::core {
namespace {

// The text FormatUtc wrote before it did its own calendar arithmetic.
std::string Strftime(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::array<char, 32> buf{};
  const std::size_t n = std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf.data(), n);
}

TEST(FormatUtc, WritesWhatStrftimeWrites) {
  std::mt19937_64 random(11);  // NOLINT(cert-msc51-cpp): fixed, so that a failure reproduces
  // The epoch, leap days (2000-02-29, 2100 is not a leap year), the ends of the calendar range
  // and the odd years outside it.
  std::vector<std::int64_t> times = {0,
                                     -1,
                                     951782400,
                                     951868799,
                                     4107542400,
                                     4107628799,
                                     1798761599,
                                     1798761600,
                                     -30610224000,
                                     -30610224001,
                                     253402300799,
                                     253402300800,
                                     -62135596800,
                                     -62135596801};
  for (int i = 0; i < 20000; ++i) {
    times.push_back(static_cast<std::int64_t>(random() % 280000000000ULL) - 31000000000LL);
  }
  for (const std::int64_t t : times) ASSERT_EQ(FormatUtc(t), Strftime(t)) << t;
}

TEST(AppendUtc, AppendsToWhatIsThere) {
  std::string out = "at ";
  AppendUtc(out, 1796000000);
  EXPECT_EQ(out, "at 2026-11-30T00:53:20Z");
}

}  // namespace
}  // namespace rampart::core
