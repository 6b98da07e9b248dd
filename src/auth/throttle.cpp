#include "auth/throttle.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>

#include "core/strings.h"

namespace rampart::auth {
namespace {

constexpr std::int64_t kMaxFailuresCounted = 1000000;  // keeps the counter far from overflow
constexpr std::size_t kMaxAddressChars = 64;

ThrottleRules Bounded(ThrottleRules rules) {
  rules.delay_from_failure = std::max(rules.delay_from_failure, 1);
  rules.first_delay_seconds = std::clamp<std::int64_t>(rules.first_delay_seconds, 1, 3600);
  rules.max_delay_seconds =
      std::clamp<std::int64_t>(rules.max_delay_seconds, rules.first_delay_seconds, 86400);
  rules.lockout_failures = std::clamp(rules.lockout_failures, 1, kHardLockFailures);
  rules.lockout_seconds = std::clamp<std::int64_t>(rules.lockout_seconds, 0, 86400);
  return rules;
}

// How long after the latest of `failures` consecutive failures the next attempt must wait.
std::int64_t WaitAfter(const ThrottleRules& rules, std::int64_t failures) {
  std::int64_t wait = 0;
  if (failures >= rules.delay_from_failure) {
    wait = rules.first_delay_seconds;
    for (std::int64_t i = rules.delay_from_failure; i < failures && wait < rules.max_delay_seconds;
         ++i) {
      wait *= 2;
    }
    wait = std::min(wait, rules.max_delay_seconds);
  }
  if (failures >= rules.lockout_failures) wait = std::max(wait, rules.lockout_seconds);
  return wait;
}

struct Entry {
  std::int64_t failures = 0;
  std::int64_t last_failure_at = 0;
  std::int64_t locked_until = 0;
};

std::optional<Entry> Load(storage::Connection& c, const std::string& key) {
  const auto row = c.QueryOne(
      "SELECT failures, last_failure_at, locked_until FROM sign_in_throttle WHERE key = ?", {key});
  if (!row) return std::nullopt;
  return Entry{row->Int(0), row->Int(1), row->Int(2)};
}

ThrottleDecision Decide(const Entry& entry, const ThrottleRules& rules, std::int64_t now) {
  if (entry.locked_until == kLockedIndefinitely) return {false, 0, "account_locked"};
  if (entry.locked_until > now) {
    return {false, entry.locked_until - now,
            entry.failures >= rules.lockout_failures ? "sign_in_locked" : "sign_in_delayed"};
  }
  return {};
}

int Severity(const ThrottleDecision& d) {
  if (d.allowed) return 0;
  if (d.reason == "account_locked") return 3;
  if (d.reason == "sign_in_locked") return 2;
  return 1;
}

ThrottleDecision Worse(const ThrottleDecision& a, const ThrottleDecision& b) {
  if (a.allowed) return b;
  if (b.allowed) return a;
  ThrottleDecision worst = Severity(a) >= Severity(b) ? a : b;
  if (worst.reason != "account_locked") {
    worst.retry_after_seconds = std::max(a.retry_after_seconds, b.retry_after_seconds);
  }
  return worst;
}

}  // namespace

std::string AccountThrottleKey(std::int64_t user_id) {
  return "account:" + std::to_string(user_id);
}

std::string UnknownAccountThrottleKey(const ServerKey& key, std::string_view email) {
  const std::string digest = KeyedHash(key, HashPurpose::kThrottleName, core::ToLower(email));
  return "name:" + core::HexEncode(std::string_view(digest).substr(0, 16));
}

std::string ClientThrottleKey(std::string_view address) {
  std::string text(address.substr(0, kMaxAddressChars));
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (const auto zone = text.find('%'); zone != std::string::npos) {
    text.resize(zone);  // drop an IPv6 zone ("fe80::1%eth0")
  }
  std::array<unsigned char, 16> v6{};
  if (text.find(':') != std::string::npos && ::inet_pton(AF_INET6, text.c_str(), v6.data()) == 1) {
    char out[INET6_ADDRSTRLEN] = {};
    static constexpr std::array<unsigned char, 12> kMappedPrefix = {0, 0, 0, 0, 0,    0,
                                                                    0, 0, 0, 0, 0xff, 0xff};
    if (std::equal(kMappedPrefix.begin(), kMappedPrefix.end(), v6.begin())) {
      // ::ffff:192.0.2.1 is the IPv4 client 192.0.2.1, however the socket reported it.
      ::inet_ntop(AF_INET, v6.data() + 12, out, sizeof out);
      return std::string("ip:") + out;
    }
    std::fill(v6.begin() + 8, v6.end(), 0);
    ::inet_ntop(AF_INET6, v6.data(), out, sizeof out);
    return std::string("ip:") + out + "/64";
  }
  return "ip:" + text;
}

SignInThrottle::SignInThrottle(const ThrottlePolicy& policy) : policy_(policy) {
  policy_.account = Bounded(policy_.account);
  policy_.client = Bounded(policy_.client);
  // Never forget a client while it is still held back.
  policy_.client_forget_after_seconds =
      std::max({policy_.client_forget_after_seconds, policy_.client.max_delay_seconds,
                policy_.client.lockout_seconds});
}

ThrottleDecision SignInThrottle::Check(storage::Connection& c, const ThrottleKeys& keys,
                                       std::int64_t now) const {
  ThrottleDecision decision;
  if (!keys.account.empty()) {
    if (const auto entry = Load(c, keys.account)) {
      decision = Worse(decision, Decide(*entry, policy_.account, now));
    }
  }
  if (!keys.client.empty()) {
    if (const auto entry = Load(c, keys.client)) {
      decision = Worse(decision, Decide(*entry, policy_.client, now));
    }
  }
  return decision;
}

ThrottleDecision SignInThrottle::RecordFailure(storage::Connection& c, const ThrottleKeys& keys,
                                               std::int64_t now) const {
  const auto record = [&](const std::string& key, const ThrottleRules& rules, bool is_client) {
    if (key.empty()) return;
    const std::optional<Entry> entry = Load(c, key);
    std::int64_t failures = entry ? entry->failures : 0;
    if (is_client && entry && entry->last_failure_at + policy_.client_forget_after_seconds <= now) {
      failures = 0;  // a quiet day: start over
    }
    failures = std::min(failures + 1, kMaxFailuresCounted);
    std::int64_t locked_until = 0;
    if (!is_client && failures >= kHardLockFailures) {
      locked_until = kLockedIndefinitely;
    } else if (const std::int64_t wait = WaitAfter(rules, failures); wait > 0) {
      locked_until = now + wait;
    }
    c.Execute(
        "INSERT INTO sign_in_throttle (key, failures, last_failure_at, locked_until) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, "
        "last_failure_at = excluded.last_failure_at, locked_until = excluded.locked_until",
        {key, failures, now, locked_until});
  };
  record(keys.account, policy_.account, false);
  record(keys.client, policy_.client, true);
  return Check(c, keys, now);
}

void SignInThrottle::RecordSuccess(storage::Connection& c, const ThrottleKeys& keys) const {
  if (!keys.account.empty()) Unlock(c, keys.account);
  if (!keys.client.empty()) Unlock(c, keys.client);
}

void SignInThrottle::Unlock(storage::Connection& c, std::string_view key) {
  c.Execute("DELETE FROM sign_in_throttle WHERE key = ?", {std::string(key)});
}

void SignInThrottle::Prune(storage::Connection& c, std::int64_t now) const {
  c.Execute(
      "DELETE FROM sign_in_throttle WHERE key LIKE 'ip:%' AND locked_until <= ? "
      "AND last_failure_at <= ?",
      {now, now - policy_.client_forget_after_seconds});
}

}  // namespace rampart::auth
