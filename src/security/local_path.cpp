#include "security/local_path.h"

#include <array>

namespace rampart::security {

std::string LocalPathOrEmpty(std::string_view candidate) {
  constexpr std::size_t kMaxLength = 1000;
  if (candidate.empty() || candidate.size() > kMaxLength || candidate.front() != '/') return "";
  if (candidate.size() > 1 && (candidate[1] == '/' || candidate[1] == '\\')) return "";
  for (const char ch : candidate) {
    const auto u = static_cast<unsigned char>(ch);
    // '%' too: a value decoded once more by someone downstream must not turn into "//".
    if (u < 0x21 || u >= 0x7f || ch == '\\' || ch == '%') return "";
  }
  return std::string(candidate);
}

std::string EncodeQueryValue(std::string_view value) {
  static constexpr std::array<char, 16> kHex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                                '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
  std::string out;
  out.reserve(value.size());
  for (const char ch : value) {
    const auto u = static_cast<unsigned char>(ch);
    const bool plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                       (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' ||
                       ch == '~' || ch == '/';
    if (plain) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xF]);
    }
  }
  return out;
}

}  // namespace rampart::security
