#include "mail/outbound/retry_policy.h"

#include <algorithm>

namespace rampart::mail {

std::int64_t RetryDelaySeconds(std::int64_t attempts, std::uint64_t random) {
  // 60 << 6 is past the cap already; clamping the shift keeps it defined for any count.
  const std::int64_t doublings = std::clamp<std::int64_t>(attempts - 1, 0, 6);
  const std::int64_t base = std::min(kFirstRetrySeconds << doublings, kLongestRetrySeconds);
  const auto spread = static_cast<std::uint64_t>(base / 5 + 1);
  return base + static_cast<std::int64_t>(random % spread);
}

}  // namespace rampart::mail
