#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace rampart::core {

std::string ToLower(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::string_view Trim(std::string_view s);
std::vector<std::string_view> Split(std::string_view s, char separator);
std::string HexEncode(std::string_view bytes);
// Standard base64 with padding (RFC 4648 section 4): for data: URLs.
std::string Base64Encode(std::string_view bytes);
std::string Base64UrlEncode(std::string_view bytes);
// Compares in time that depends only on the lengths, for secrets and tokens.
bool ConstantTimeEquals(std::string_view a, std::string_view b);
// True when s is valid UTF-8 without overlong forms or surrogates.
bool IsValidUtf8(std::string_view s);
// True when s contains a control character (C0, DEL) other than those in `allowed`.
bool HasControlCharacters(std::string_view s, std::string_view allowed = "");

}  // namespace rampart::core

namespace rampart::core {
// s as a JSON string literal, quotes included; invalid UTF-8 bytes become U+FFFD.
std::string JsonQuote(std::string_view s);
}  // namespace rampart::core
