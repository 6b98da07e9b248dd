#include "auth/password_hash.h"

#include <argon2.h>
#include <sodium.h>

#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "auth/argon2_phc.h"

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

// The memory argon2id works in, reserved up front: one block per hash allowed at once, touched
// at reservation so the pages are resident. A flood of sign-ins then reuses the same memory
// instead of mapping (and faulting in) 64 MiB per attempt, so the server's footprint under the
// flood is what it was before it. libargon2 wipes a block before handing it back. A request
// larger than the blocks (an old hash at a higher cost) or beyond them gets its own memory.
class HashArenas {
 public:
  HashArenas() = default;
  HashArenas(const HashArenas&) = delete;
  HashArenas& operator=(const HashArenas&) = delete;
  // At exit, after the hashing threads have stopped: the reserve goes back like any memory.
  ~HashArenas() {
    for (const Block& b : owned_) std::free(b.data);
  }
  void Reserve(int count, std::size_t bytes) {
    std::lock_guard lock(mutex_);
    for (int i = 0; i < count; ++i) {
      auto* block = static_cast<std::uint8_t*>(std::aligned_alloc(kAlignment, Round(bytes)));
      if (block == nullptr) throw std::runtime_error("argon2id: cannot reserve hashing memory");
      sodium_memzero(block, bytes);  // writing every page makes it resident now, not mid-flood
      owned_.push_back({block, bytes});
      idle_.push_back(owned_.back());
    }
  }
  std::uint8_t* Take(std::size_t bytes) {
    {
      std::lock_guard lock(mutex_);
      for (auto it = idle_.begin(); it != idle_.end(); ++it) {
        if (it->bytes >= bytes) {
          std::uint8_t* block = it->data;
          idle_.erase(it);
          return block;
        }
      }
    }
    return static_cast<std::uint8_t*>(std::aligned_alloc(kAlignment, Round(bytes)));
  }
  void Give(std::uint8_t* block) {
    std::lock_guard lock(mutex_);
    for (const Block& b : owned_) {
      if (b.data == block) {
        idle_.push_back(b);
        return;
      }
    }
    std::free(block);
  }

 private:
  static constexpr std::size_t kAlignment = 64;
  static std::size_t Round(std::size_t bytes) {
    return (bytes + kAlignment - 1) / kAlignment * kAlignment;
  }
  struct Block {
    std::uint8_t* data;
    std::size_t bytes;
  };
  std::mutex mutex_;
  std::vector<Block> owned_;  // reserved for the life of the process
  std::vector<Block> idle_;
};

HashArenas& Arenas() {
  static HashArenas arenas;
  return arenas;
}

int TakeArena(std::uint8_t** memory, std::size_t bytes) {
  *memory = Arenas().Take(bytes);
  return *memory != nullptr ? ARGON2_OK : ARGON2_MEMORY_ALLOCATION_ERROR;
}

void GiveArena(std::uint8_t* memory, std::size_t /*bytes*/) {
  Arenas().Give(memory);
}

// argon2id over `password` with the parameters and salt of `phc`, into `out` (its size is the
// hash length). Runs inside the gate; the memory comes from the arenas.
int Argon2id(const Argon2idPhc& phc, std::string_view password, std::vector<std::uint8_t>& out) {
  argon2_context ctx{};
  ctx.out = out.data();
  ctx.outlen = static_cast<std::uint32_t>(out.size());
  // libargon2 takes non-const pointers; with the flags below it never writes the password.
  ctx.pwd = reinterpret_cast<std::uint8_t*>(const_cast<char*>(password.data()));
  ctx.pwdlen = static_cast<std::uint32_t>(password.size());
  ctx.salt = const_cast<std::uint8_t*>(phc.salt.data());
  ctx.saltlen = static_cast<std::uint32_t>(phc.salt.size());
  ctx.t_cost = phc.passes;
  ctx.m_cost = phc.memory_kib;
  ctx.lanes = phc.lanes;
  ctx.threads = 1;
  ctx.version = ARGON2_VERSION_13;
  ctx.allocate_cbk = TakeArena;
  ctx.free_cbk = GiveArena;
  ctx.flags = ARGON2_DEFAULT_FLAGS;
  GateGuard guard;
  return argon2_ctx(&ctx, Argon2_id);
}

void EnsureSodium() {
  static const int kInit = sodium_init();
  if (kInit < 0) throw std::runtime_error("libsodium failed to initialise");
}

}  // namespace

void SetMaxConcurrentHashes(int count) {
  Gate().SetLimit(count);
}

void ReserveHashMemory(int count, const HashCost& cost) {
  Arenas().Reserve(count, cost.memory_bytes);
}

std::string HashPassword(std::string_view password, const HashCost& cost) {
  EnsureSodium();
  if (cost.passes < kMinimumHashCost.passes || cost.memory_bytes < kMinimumHashCost.memory_bytes) {
    throw std::invalid_argument("argon2id cost below the OWASP floor");
  }
  if (password.size() > kMaxHashedPasswordBytes) {
    throw std::invalid_argument("password too long to hash");
  }
  Argon2idPhc phc;
  phc.memory_kib = static_cast<std::uint32_t>(cost.memory_bytes / 1024);
  phc.passes = static_cast<std::uint32_t>(cost.passes);
  phc.lanes = 1;
  phc.salt.resize(crypto_pwhash_SALTBYTES);
  randombytes_buf(phc.salt.data(), phc.salt.size());
  phc.hash.resize(32);
  if (const int rc = Argon2id(phc, password, phc.hash); rc != ARGON2_OK) {
    throw std::runtime_error(std::string("argon2id: ") + argon2_error_message(rc));
  }
  return FormatArgon2idPhc(phc);
}

bool VerifyPassword(const std::string& stored_hash, std::string_view password) {
  EnsureSodium();
  const auto phc = ParseArgon2idPhc(stored_hash);
  if (!phc || password.size() > kMaxHashedPasswordBytes) return false;
  std::vector<std::uint8_t> computed(phc->hash.size());
  if (Argon2id(*phc, password, computed) != ARGON2_OK) return false;
  const bool same = sodium_memcmp(computed.data(), phc->hash.data(), computed.size()) == 0;
  sodium_memzero(computed.data(), computed.size());
  return same;
}

bool NeedsRehash(const std::string& stored_hash, const HashCost& cost) {
  EnsureSodium();
  return crypto_pwhash_str_needs_rehash(stored_hash.c_str(), cost.passes, cost.memory_bytes) != 0;
}

}  // namespace rampart::auth
