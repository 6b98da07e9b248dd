#include "auth/argon2_phc.h"

#include <sodium.h>

#include <charconv>

namespace rampart::auth {
namespace {

constexpr int kBase64 = sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
constexpr std::size_t kMinSaltBytes = 8, kMaxSaltBytes = 64;
constexpr std::size_t kMinHashBytes = 16, kMaxHashBytes = 64;

// Consumes `prefix` then a decimal number in [1, max] without sign or leading zero.
bool ReadNumber(std::string_view& s, std::string_view prefix, std::uint32_t max,
                std::uint32_t& out) {
  if (s.substr(0, prefix.size()) != prefix) return false;
  s.remove_prefix(prefix.size());
  if (s.empty() || s.front() == '0') return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc() || out < 1 || out > max) return false;
  s.remove_prefix(static_cast<std::size_t>(end - s.data()));
  return true;
}

// Consumes base64 up to the next '$' (or the end) and decodes it exactly.
bool ReadBase64(std::string_view& s, std::size_t min, std::size_t max,
                std::vector<std::uint8_t>& out) {
  const std::size_t end = s.find('$');
  const std::string_view text = s.substr(0, end);
  s.remove_prefix(end == std::string_view::npos ? s.size() : end);
  if (text.empty() || text.size() > (max * 4 + 2) / 3) return false;
  out.resize(max);
  std::size_t length = 0;
  const char* stop = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &length, &stop,
                        kBase64) != 0 ||
      stop != text.data() + text.size() || length < min) {
    return false;
  }
  out.resize(length);
  // Unpadded base64 has one canonical form per byte string: re-encoding must give it back.
  std::string again(sodium_base64_ENCODED_LEN(length, kBase64), '\0');
  sodium_bin2base64(again.data(), again.size(), out.data(), length, kBase64);
  again.resize(again.find('\0'));
  return again == text;
}

std::string Base64(const std::vector<std::uint8_t>& bytes) {
  std::string text(sodium_base64_ENCODED_LEN(bytes.size(), kBase64), '\0');
  sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(), kBase64);
  text.resize(text.find('\0'));
  return text;
}

}  // namespace

std::optional<Argon2idPhc> ParseArgon2idPhc(std::string_view s) {
  Argon2idPhc phc;
  std::uint32_t version = 0;
  if (!ReadNumber(s, "$argon2id$v=", 255, version) || version != 19) return std::nullopt;
  if (!ReadNumber(s, "$m=", kMaxPhcMemoryKib, phc.memory_kib) ||
      !ReadNumber(s, ",t=", kMaxPhcPasses, phc.passes) ||
      !ReadNumber(s, ",p=", kMaxPhcLanes, phc.lanes)) {
    return std::nullopt;
  }
  // argon2 needs at least 8 KiB per lane.
  if (phc.memory_kib < 8 * phc.lanes) return std::nullopt;
  if (s.substr(0, 1) != "$") return std::nullopt;
  s.remove_prefix(1);
  if (!ReadBase64(s, kMinSaltBytes, kMaxSaltBytes, phc.salt)) return std::nullopt;
  if (s.substr(0, 1) != "$") return std::nullopt;
  s.remove_prefix(1);
  if (!ReadBase64(s, kMinHashBytes, kMaxHashBytes, phc.hash) || !s.empty()) return std::nullopt;
  return phc;
}

std::string FormatArgon2idPhc(const Argon2idPhc& phc) {
  return "$argon2id$v=19$m=" + std::to_string(phc.memory_kib) + ",t=" + std::to_string(phc.passes) +
         ",p=" + std::to_string(phc.lanes) + "$" + Base64(phc.salt) + "$" + Base64(phc.hash);
}

}  // namespace rampart::auth
