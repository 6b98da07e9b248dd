#include "core/random.h"

#include <sodium.h>

#include <stdexcept>
#include <string_view>
#include <vector>

#include "core/strings.h"

namespace rampart::core {
namespace {

void EnsureSodium() {
  // sodium_init is idempotent and thread-safe; it returns 1 when already initialised.
  static const int kInit = sodium_init();
  if (kInit < 0) throw std::runtime_error("libsodium failed to initialise");
}

}  // namespace

void FillRandom(void* data, std::size_t size) {
  EnsureSodium();
  randombytes_buf(data, size);
}

std::uint64_t RandomUint64() {
  std::uint64_t value = 0;
  FillRandom(&value, sizeof value);
  return value;
}

std::string RandomHex(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  FillRandom(raw.data(), raw.size());
  return HexEncode(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
}

std::string RandomToken(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  FillRandom(raw.data(), raw.size());
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
}

std::string RequestId() {
  // xorshift64*: fast, and unpredictability does not matter for a public reference.
  thread_local std::uint64_t state = RandomUint64() | 1;
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  const std::uint64_t value = state * 0x2545F4914F6CDD1DULL;
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 0; i < 16; ++i)
    out[static_cast<std::size_t>(i)] = kDigits[(value >> (60 - 4 * i)) & 0xF];
  return out;
}

std::string RandomPassword(std::size_t groups) {
  // 31 symbols without 0/o, 1/l/i: 5 characters per group give ~24.8 bits; 4 groups ~99 bits.
  static constexpr std::string_view kAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  EnsureSodium();
  std::string out;
  for (std::size_t g = 0; g < groups; ++g) {
    if (g > 0) out.push_back('-');
    for (int i = 0; i < 5; ++i) {
      out.push_back(kAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kAlphabet.size()))]);
    }
  }
  return out;
}

}  // namespace rampart::core
