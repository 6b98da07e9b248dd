#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rampart::auth {

// The parts of an argon2id PHC string, "$argon2id$v=19$m=65536,t=2,p=1$<salt>$<hash>" (salt and
// hash in unpadded standard base64), the form libsodium writes and Rampart stores.
struct Argon2idPhc {
  std::uint32_t memory_kib = 0;
  std::uint32_t passes = 0;
  std::uint32_t lanes = 1;
  std::vector<std::uint8_t> salt;
  std::vector<std::uint8_t> hash;
};

// Strict: argon2id, version 19, parameters in this order, decimal without leading zeros, within
// the bounds below (a stored string naming 4 TiB of memory is refused, not attempted), base64
// that decodes exactly. Anything else is nullopt: a hash Rampart cannot have written.
std::optional<Argon2idPhc> ParseArgon2idPhc(std::string_view encoded);
std::string FormatArgon2idPhc(const Argon2idPhc& phc);

inline constexpr std::uint32_t kMaxPhcMemoryKib = 4u * 1024 * 1024;  // 4 GiB
inline constexpr std::uint32_t kMaxPhcPasses = 64;
inline constexpr std::uint32_t kMaxPhcLanes = 16;

}  // namespace rampart::auth
