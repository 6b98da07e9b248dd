#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "auth/secret_box.h"
#include "storage/database.h"

namespace rampart::auth {

// How failures on one key slow further sign-ins. From the `delay_from_failure`th consecutive
// failure on, the next attempt must wait first_delay_seconds, doubling with each failure up to
// max_delay_seconds; from `lockout_failures` on, every failure locks the key for at least
// lockout_seconds.
struct ThrottleRules {
  int delay_from_failure = 5;
  std::int64_t first_delay_seconds = 1;
  std::int64_t max_delay_seconds = 15 * 60;
  int lockout_failures = 10;  // at most kHardLockFailures
  std::int64_t lockout_seconds = 15 * 60;
};

// NIST SP 800-63B §5.2.2: at most 100 consecutive failures on one account. At this count the
// account stays locked until Unlock (a password reset or an administrator), however long the
// attacker waits. Client addresses are never locked indefinitely: one address can be a whole
// office behind NAT, and a lock there would let anyone deny service to everyone in it.
inline constexpr int kHardLockFailures = 100;
inline constexpr std::int64_t kLockedIndefinitely = std::numeric_limits<std::int64_t>::max();

struct ThrottlePolicy {
  ThrottleRules account;
  ThrottleRules client{20, 1, 15 * 60, kHardLockFailures, 15 * 60};
  // A client address's failures are forgotten after a quiet day. Account failures are not: the
  // 100-failure bound counts consecutive failures however slowly they come.
  std::int64_t client_forget_after_seconds = 24 * 60 * 60;
};

// The rows sign_in_throttle keeps for one attempt. Either may be empty (not tracked).
struct ThrottleKeys {
  std::string account;  // AccountThrottleKey or UnknownAccountThrottleKey
  std::string client;   // ClientThrottleKey
};

// "account:7".
std::string AccountThrottleKey(std::int64_t user_id);
// For a sign-in naming an email no account has: throttled exactly like an account (so the
// responses do not tell which emails exist), keyed by a keyed hash so the table stores no email.
std::string UnknownAccountThrottleKey(const ServerKey& key, std::string_view email);
// "ip:192.0.2.1". IPv6 addresses count per /64 ("ip:2001:db8:1:2::/64"): one subscriber
// usually holds a whole /64 and could otherwise rotate through it.
std::string ClientThrottleKey(std::string_view address);

struct ThrottleDecision {
  bool allowed = true;
  // Seconds until the next attempt may be made (for Retry-After); 0 when allowed, and 0 for an
  // indefinite lock, which waiting does not lift.
  std::int64_t retry_after_seconds = 0;
  // Stable: "", "sign_in_delayed", "sign_in_locked" or "account_locked".
  std::string_view reason;
  explicit operator bool() const { return allowed; }
};

// Sign-in throttling on the sign_in_throttle table. Decisions take `now` from the caller (the
// server's clock), so tests need no sleeps. Use:
//   Check before verifying anything; when it refuses, answer 429 without verifying and without
//   recording a failure. After verifying, RecordFailure or RecordSuccess in the same write
//   transaction as the rest of the sign-in.
class SignInThrottle {
 public:
  explicit SignInThrottle(const ThrottlePolicy& policy = {});

  ThrottleDecision Check(storage::Connection& c, const ThrottleKeys& keys, std::int64_t now) const;
  // Counts a failure on both keys; returns the decision for the next attempt.
  ThrottleDecision RecordFailure(storage::Connection& c, const ThrottleKeys& keys,
                                 std::int64_t now) const;
  // A success clears both keys (NIST: a success SHOULD reset the count).
  void RecordSuccess(storage::Connection& c, const ThrottleKeys& keys) const;
  // Lifts every delay and lock on one key (password reset, administrator).
  static void Unlock(storage::Connection& c, std::string_view key);
  // Deletes client rows that no longer hold anything back; for a periodic job.
  void Prune(storage::Connection& c, std::int64_t now) const;

  const ThrottlePolicy& Policy() const { return policy_; }

 private:
  ThrottlePolicy policy_;
};

}  // namespace rampart::auth
