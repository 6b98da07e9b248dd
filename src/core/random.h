#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace rampart::core {

// Cryptographically secure randomness (libsodium). Every id that grants access, every token and
// every generated password comes from here.
void FillRandom(void* data, std::size_t size);
std::uint64_t RandomUint64();
// `bytes` random bytes, hex encoded (2 * bytes characters).
std::string RandomHex(std::size_t bytes);
// `bytes` random bytes, base64url encoded without padding: for tokens in URLs and cookies.
std::string RandomToken(std::size_t bytes);
// 16 hex characters naming one request in logs and error pages. Not a secret (it is shown to the
// client), so it comes from a per-thread generator seeded once, not from the kernel each time.
std::string RequestId();
// A password a person can type: groups of lowercase letters and digits, no look-alikes.
std::string RandomPassword(std::size_t groups = 4);

}  // namespace rampart::core
