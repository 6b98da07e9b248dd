#pragma once
#include <cstdint>

namespace rampart::mail {

// When to try a temporarily refused message again: one minute after the first failure, doubling
// up to an hour, plus up to a fifth more at random so that many messages refused at once (the
// relay was down) do not all return in the same second.
// `attempts` counts the failed attempts so far (1 after the first); `random` is any 64-bit value.
std::int64_t RetryDelaySeconds(std::int64_t attempts, std::uint64_t random);

inline constexpr std::int64_t kFirstRetrySeconds = 60;
inline constexpr std::int64_t kLongestRetrySeconds = 3600;

}  // namespace rampart::mail
