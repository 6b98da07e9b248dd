#include "auth/password_hash.h"

#include <sodium.h>

#include <condition_variable>
#include <mutex>
#include <stdexcept>

namespace rampart::auth {
namespace {

// A counting gate: std::counting_semaphore needs its maximum at compile time.
class HashGate {
 public:
  void SetLimit(int limit) {
    std::lock_guard lock(mutex_);
    limit_ = limit < 1 ? 1 : limit;
    cv_.notify_all();
  }
  void Enter() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return running_ < limit_; });
    ++running_;
  }
  void Leave() {
    {
      std::lock_guard lock(mutex_);
      --running_;
    }
    cv_.notify_one();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int limit_ = 2;
  int running_ = 0;
};

HashGate& Gate() {
  static HashGate gate;
  return gate;
}

class GateGuard {
 public:
  GateGuard() { Gate().Enter(); }
  ~GateGuard() { Gate().Leave(); }
  GateGuard(const GateGuard&) = delete;
  GateGuard& operator=(const GateGuard&) = delete;
};

void EnsureSodium() {
  static const int kInit = sodium_init();
  if (kInit < 0) throw std::runtime_error("libsodium failed to initialise");
}

}  // namespace

void SetMaxConcurrentHashes(int count) {
  Gate().SetLimit(count);
}

std::string HashPassword(std::string_view password, const HashCost& cost) {
  EnsureSodium();
  if (cost.passes < kMinimumHashCost.passes || cost.memory_bytes < kMinimumHashCost.memory_bytes) {
    throw std::invalid_argument("argon2id cost below the OWASP floor");
  }
  char out[crypto_pwhash_STRBYTES];
  GateGuard guard;
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.passes, cost.memory_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("argon2id: out of memory");
  }
  return out;
}

bool VerifyPassword(const std::string& stored_hash, std::string_view password) {
  EnsureSodium();
  if (stored_hash.rfind("$argon2id$", 0) != 0) return false;
  GateGuard guard;
  return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

bool NeedsRehash(const std::string& stored_hash, const HashCost& cost) {
  EnsureSodium();
  return crypto_pwhash_str_needs_rehash(stored_hash.c_str(), cost.passes, cost.memory_bytes) != 0;
}

}  // namespace rampart::auth
