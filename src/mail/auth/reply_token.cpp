#include "mail/auth/reply_token.h"

#include <openssl/crypto.h>

#include <cctype>
#include <charconv>

namespace rampart::mail {
namespace {

constexpr std::string_view kPrefix = "rmp-";
constexpr std::size_t kMacCharacters = 26;  // 128 bits in base32 (RFC 4648 alphabet, lowercase)
constexpr std::size_t kMaxNumberDigits = 18;

std::string Base32(std::string_view bytes, std::size_t characters) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.size() < characters) {
      out.push_back(kAlphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  return out;
}

std::string LowerAddress(std::string_view address) {
  std::string out(address);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsMacCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7');
}

}  // namespace

std::string ReplyTokens::Mac(std::int64_t ticket_number, std::string_view recipient) const {
  const std::string data =
      "ticket:" + std::to_string(ticket_number) + "\n" + LowerAddress(recipient);
  return Base32(auth::KeyedHash(key_, auth::HashPurpose::kMailReplyToken, data), kMacCharacters);
}

std::string ReplyTokens::Make(std::int64_t ticket_number, std::string_view recipient) const {
  return std::string(kPrefix) + std::to_string(ticket_number) + "-" + Mac(ticket_number, recipient);
}

std::optional<std::int64_t> ReplyTokens::Verify(std::string_view token,
                                                std::string_view sender) const {
  if (token.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  token.remove_prefix(kPrefix.size());
  const auto dash = token.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash > kMaxNumberDigits) return std::nullopt;
  std::int64_t number = 0;
  const auto [end, error] = std::from_chars(token.data(), token.data() + dash, number);
  if (error != std::errc() || end != token.data() + dash || number <= 0) return std::nullopt;
  const std::string_view mac = token.substr(dash + 1);
  if (mac.size() != kMacCharacters) return std::nullopt;
  const std::string expected = Mac(number, sender);
  if (CRYPTO_memcmp(expected.data(), mac.data(), kMacCharacters) != 0) return std::nullopt;
  return number;
}

std::string FindReplyToken(std::string_view value) {
  for (std::size_t at = value.find(kPrefix); at != std::string_view::npos;
       at = value.find(kPrefix, at + 1)) {
    std::size_t i = at + kPrefix.size();
    const std::size_t digits_start = i;
    while (i < value.size() && std::isdigit(static_cast<unsigned char>(value[i])) != 0) ++i;
    if (i == digits_start || i - digits_start > kMaxNumberDigits) continue;
    if (i >= value.size() || value[i] != '-') continue;
    const std::size_t mac_start = ++i;
    while (i < value.size() && IsMacCharacter(value[i])) ++i;
    if (i - mac_start != kMacCharacters) continue;
    return std::string(value.substr(at, i - at));
  }
  return {};
}

}  // namespace rampart::mail
