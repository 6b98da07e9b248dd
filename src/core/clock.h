#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace rampart::core {

// Time source, injectable so that tests of expiry and throttling need no sleeps.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() const = 0;
  std::int64_t NowUnixSeconds() const {
    return std::chrono::duration_cast<std::chrono::seconds>(Now().time_since_epoch()).count();
  }
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::now();
  }
};

// Formats a Unix time as RFC 3339 UTC ("2026-11-29T19:55:41Z").
std::string FormatUtc(std::int64_t unix_seconds);
// The same text appended to `out`: for lists and pages that write a time per row.
void AppendUtc(std::string& out, std::int64_t unix_seconds);

}  // namespace rampart::core
