#include "tickets/attachment_names.h"

#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include <array>
#include <cstdlib>
#include <memory>
#include <vector>

namespace rampart::tickets {
namespace {

// The viewed bytes as libunistring's unsigned type (a view of the caller's buffer, which
// outlives the call).
const std::uint8_t* Bytes(std::string_view s) {
  // cppcheck-suppress returnDanglingLifetime ; the pointer is into the caller's buffer, not `s`
  return reinterpret_cast<const std::uint8_t*>(s.data());
}

std::vector<ucs4_t> DecodeDroppingInvalid(std::string_view s) {
  std::vector<ucs4_t> out;
  const std::uint8_t* p = Bytes(s);
  std::size_t left = s.size();
  while (left > 0) {
    ucs4_t uc = 0;
    const int n = u8_mbtoucr(&uc, p, left);
    if (n < 0) {  // invalid or truncated: skip one byte
      ++p;
      --left;
      continue;
    }
    out.push_back(uc);
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return out;
}

std::string Encode(const std::vector<ucs4_t>& code_points) {
  std::string out;
  for (ucs4_t uc : code_points) {
    std::array<std::uint8_t, 6> buf{};
    const int n = u8_uctomb(buf.data(), uc, static_cast<int>(buf.size()));
    if (n > 0) out.append(reinterpret_cast<const char*>(buf.data()), static_cast<std::size_t>(n));
  }
  return out;
}

std::string Nfkc(const std::string& s) {
  std::size_t length = 0;
  // libunistring returns memory from malloc.
  std::unique_ptr<std::uint8_t, decltype(&std::free)> out(
      u8_normalize(UNINORM_NFKC, Bytes(s), s.size(), nullptr, &length), &std::free);
  if (!out) return s;
  return {reinterpret_cast<const char*>(out.get()), length};
}

bool Removed(ucs4_t uc) {
  static const uc_general_category_t kRemoved = uc_general_category_or(
      uc_general_category_or(uc_general_category_or(UC_CATEGORY_Cc, UC_CATEGORY_Cf),
                             uc_general_category_or(UC_CATEGORY_Zl, UC_CATEGORY_Zp)),
      uc_general_category_or(UC_CATEGORY_Co, UC_CATEGORY_Cs));
  // U+FFFD stands for bytes someone else could not decode: it says nothing about the file.
  return uc == 0xFFFD || uc_is_general_category(uc, kRemoved);
}

bool IsSpace(ucs4_t uc) {
  return uc == ' ' || uc_is_general_category(uc, UC_CATEGORY_Zs);
}

}  // namespace

std::string NormalizeFilename(std::string_view raw) {
  const std::vector<ucs4_t> decoded = DecodeDroppingInvalid(raw);
  const std::vector<ucs4_t> composed = DecodeDroppingInvalid(Nfkc(Encode(decoded)));
  std::vector<ucs4_t> kept;
  for (ucs4_t uc : composed) {
    if (uc == '/' || uc == '\\') {
      kept.clear();  // keep what follows the last separator
      continue;
    }
    if (!Removed(uc)) kept.push_back(uc);
  }
  // Removing characters can leave a new combining sequence behind: compose once more.
  std::vector<ucs4_t> name = DecodeDroppingInvalid(Nfkc(Encode(kept)));
  while (!name.empty() && IsSpace(name.front())) name.erase(name.begin());
  while (!name.empty() && IsSpace(name.back())) name.pop_back();
  if (name.size() > kMaxFilenameChars) {
    std::size_t dot = name.size();
    for (std::size_t i = name.size(); i-- > 0;) {
      if (name[i] == '.') {
        dot = i;
        break;
      }
    }
    const std::size_t extension = name.size() - dot;
    if (dot > 0 && dot < name.size() && extension <= 16) {
      std::vector<ucs4_t> capped(name.begin(),
                                 name.begin() + static_cast<long>(kMaxFilenameChars - extension));
      capped.insert(capped.end(), name.begin() + static_cast<long>(dot), name.end());
      name = std::move(capped);
    } else {
      name.resize(kMaxFilenameChars);
    }
    while (!name.empty() && IsSpace(name.back())) name.pop_back();
  }
  bool only_dots = true;
  for (ucs4_t uc : name) only_dots = only_dots && uc == '.';
  if (only_dots) return kFallbackFilename;
  return Encode(name);
}

std::string ContentDisposition(std::string_view filename, bool inline_display) {
  std::string ascii;
  for (const ucs4_t uc : DecodeDroppingInvalid(filename)) {
    // '%' too: some clients percent-decode the plain parameter.
    const bool plain = uc >= 0x20 && uc < 0x7F && uc != '"' && uc != '\\' && uc != '%';
    ascii.push_back(plain ? static_cast<char>(uc) : '_');
  }
  if (ascii.empty()) ascii = kFallbackFilename;
  std::string encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const unsigned char ch : filename) {
    const bool attr_char =
        (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
        std::string_view("!#$&+-.^_`|~").find(static_cast<char>(ch)) != std::string_view::npos;
    if (attr_char) {
      encoded.push_back(static_cast<char>(ch));
    } else {
      encoded.push_back('%');
      encoded.push_back(kHex[ch >> 4]);
      encoded.push_back(kHex[ch & 0x0F]);
    }
  }
  return std::string(inline_display ? "inline" : "attachment") + "; filename=\"" + ascii +
         "\"; filename*=UTF-8''" + encoded;
}

bool IsInlineImageType(std::string_view sniffed_type) {
  return sniffed_type == "image/png" || sniffed_type == "image/jpeg" ||
         sniffed_type == "image/gif" || sniffed_type == "image/webp";
}

}  // namespace rampart::tickets
