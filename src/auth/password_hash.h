#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace rampart::auth {

// argon2id cost. OWASP's floor is 19 MiB with 2 passes; the default is 64 MiB, 2 passes.
struct HashCost {
  std::uint64_t passes = 2;
  std::size_t memory_bytes = 64u * 1024 * 1024;
};
inline constexpr HashCost kMinimumHashCost{2, 19u * 1024 * 1024};

// Limits how many hashes run at once: each takes memory_bytes, so a flood of sign-ins must
// queue instead of exhausting memory. Set once at start-up.
void SetMaxConcurrentHashes(int count);

// Reserves (and touches) the memory of `count` hashes at `cost` for the life of the process, so
// that hashing under load reuses it instead of growing the server. Call once at start-up with
// the gate's limit; hashes beyond the reserve still work, with memory of their own.
void ReserveHashMemory(int count, const HashCost& cost);

// Longer input is refused (policy allows 256 characters, i.e. at most 1,024 bytes of UTF-8).
inline constexpr std::size_t kMaxHashedPasswordBytes = 4096;

// A PHC string "$argon2id$v=19$m=65536,t=2,p=1$...": the only form a password is ever stored in
// (the same form libsodium's crypto_pwhash_str writes; hashes from either verify with the other).
std::string HashPassword(std::string_view password, const HashCost& cost);
bool VerifyPassword(const std::string& stored_hash, std::string_view password);
bool NeedsRehash(const std::string& stored_hash, const HashCost& cost);

}  // namespace rampart::auth
