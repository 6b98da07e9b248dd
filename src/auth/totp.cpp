#include "auth/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <qrencode.h>

#include <array>
#include <memory>
#include <stdexcept>

#include "core/random.h"
#include "core/strings.h"

namespace rampart::auth {
namespace {

constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int Base32Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c)) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

std::uint32_t Pow10(int digits) {
  std::uint32_t p = 1;
  for (int i = 0; i < digits; ++i) p *= 10;
  return p;
}

bool IsDigits(std::string_view code, std::size_t size) {
  if (code.size() != size) return false;
  for (const char c : code) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

struct QrFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

}  // namespace

std::string Base32Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char ch : bytes) {
    buffer = (buffer << 8) | static_cast<unsigned char>(ch);
    bits += 8;
    while (bits >= 5) {
      out.push_back(kBase32Alphabet[(buffer >> (bits - 5)) & 0x1F]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kBase32Alphabet[(buffer << (5 - bits)) & 0x1F]);
  return out;
}

std::optional<std::string> Base32Decode(std::string_view text) {
  // 1, 3 or 6 characters past a full 8-character group cannot come from whole bytes.
  const std::size_t tail = text.size() % 8;
  if (tail == 1 || tail == 3 || tail == 6) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 5 / 8);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : text) {
    const int value = Base32Value(c);
    if (value < 0) return std::nullopt;
    buffer = ((buffer << 5) | static_cast<std::uint32_t>(value)) & 0xFFFF;
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<char>((buffer >> (bits - 8)) & 0xFF));
      bits -= 8;
    }
  }
  // Left-over bits must be zero padding; otherwise two spellings would decode alike.
  if (bits > 0 && (buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

std::string GenerateTotpSecret() {
  std::string secret(kTotpSecretBytes, '\0');
  core::FillRandom(secret.data(), secret.size());
  return secret;
}

std::string HotpCode(std::string_view secret, std::uint64_t counter, int digits) {
  if (digits < 6 || digits > 8) throw std::invalid_argument("HOTP codes have 6 to 8 digits");
  std::array<unsigned char, 8> message{};
  for (int i = 7; i >= 0; --i) {
    message[static_cast<std::size_t>(i)] = static_cast<unsigned char>(counter & 0xFF);
    counter >>= 8;
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_size = 0;
  // HMAC-SHA-1 is what RFC 4226/6238 and the authenticator apps use; SHA-1's collision
  // weakness does not affect HMAC. libsodium has no HMAC-SHA-1, hence OpenSSL here.
  if (HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()), message.data(),
           message.size(), mac.data(), &mac_size) == nullptr ||
      mac_size != 20) {
    throw std::runtime_error("HMAC-SHA-1 failed");
  }
  // Dynamic truncation, RFC 4226 §5.3.
  const unsigned offset = mac[19] & 0x0F;
  const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7F) << 24) |
                               (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                               (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
                               static_cast<std::uint32_t>(mac[offset + 3]);
  std::string code = std::to_string(binary % Pow10(digits));
  code.insert(0, static_cast<std::size_t>(digits) - code.size(), '0');
  return code;
}

std::int64_t TotpStep(std::int64_t unix_time) {
  return unix_time < 0 ? -1 : unix_time / kTotpPeriodSeconds;
}

std::string TotpCode(std::string_view secret, std::int64_t unix_time, int digits) {
  const std::int64_t step = TotpStep(unix_time);
  if (step < 0) throw std::invalid_argument("TOTP needs a time after the Unix epoch");
  return HotpCode(secret, static_cast<std::uint64_t>(step), digits);
}

TotpVerdict CheckTotp(std::string_view secret, std::string_view code, std::int64_t now,
                      std::int64_t last_used_step) {
  const std::int64_t current = TotpStep(now);
  if (current < 0 || secret.empty() || !IsDigits(code, kTotpDigits)) {
    return {TotpOutcome::kWrong, 0, "otp_wrong"};
  }
  // The current step first, then the one before (slow typing), then the one after (clock skew).
  // Every candidate is computed and compared in constant time, whatever matched earlier.
  const std::array<std::int64_t, 3> candidates = {current, current - kTotpWindowSteps,
                                                  current + kTotpWindowSteps};
  std::optional<std::int64_t> accepted;
  std::optional<std::int64_t> replayed;
  for (const std::int64_t step : candidates) {
    if (step < 0) continue;
    const bool match =
        core::ConstantTimeEquals(HotpCode(secret, static_cast<std::uint64_t>(step)), code);
    if (!match) continue;
    if (step > last_used_step) {
      if (!accepted) accepted = step;
    } else if (!replayed) {
      replayed = step;
    }
  }
  if (accepted) return {TotpOutcome::kAccepted, *accepted, ""};
  if (replayed) return {TotpOutcome::kReplayed, *replayed, "otp_replayed"};
  return {TotpOutcome::kWrong, 0, "otp_wrong"};
}

std::optional<std::int64_t> VerifyTotp(std::string_view secret, std::string_view code,
                                       std::int64_t now, std::int64_t last_used_step) {
  const TotpVerdict verdict = CheckTotp(secret, code, now, last_used_step);
  if (verdict.outcome != TotpOutcome::kAccepted) return std::nullopt;
  return verdict.step;
}

std::string TotpUri(std::string_view issuer, std::string_view account, std::string_view secret) {
  // Built with append(): GCC 12 reports a false -Wrestrict on chains of operator+ here.
  std::string uri = "otpauth://totp/";
  if (!issuer.empty()) uri.append(PercentEncode(issuer)).append(":");
  uri.append(PercentEncode(account)).append("?secret=").append(Base32Encode(secret));
  if (!issuer.empty()) uri.append("&issuer=").append(PercentEncode(issuer));
  uri.append("&algorithm=SHA1&digits=")
      .append(std::to_string(kTotpDigits))
      .append("&period=")
      .append(std::to_string(kTotpPeriodSeconds));
  return uri;
}

std::string QrCodeSvg(std::string_view text) {
  const std::unique_ptr<QRcode, QrFree> qr(
      QRcode_encodeData(static_cast<int>(text.size()),
                        reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M));
  if (!qr) throw std::invalid_argument("text does not fit in a QR code");
  constexpr int kQuiet = 4;
  const int width = qr->width;
  const std::string size = std::to_string(width + 2 * kQuiet);
  std::string path;
  // One horizontal run of dark modules per subpath keeps the markup small (about 10 KB for a
  // typical otpauth URI).
  for (int y = 0; y < width; ++y) {
    int x = 0;
    while (x < width) {
      const auto dark = [&](int col) {
        return (qr->data[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                         static_cast<std::size_t>(col)] &
                1) != 0;
      };
      if (!dark(x)) {
        ++x;
        continue;
      }
      int end = x;
      while (end < width && dark(end)) ++end;
      path.append("M")
          .append(std::to_string(x + kQuiet))
          .append(" ")
          .append(std::to_string(y + kQuiet))
          .append("h")
          .append(std::to_string(end - x))
          .append("v1h-")
          .append(std::to_string(end - x))
          .append("z");
      x = end;
    }
  }
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ";
  svg.append(size).append(" ").append(size);
  svg.append("\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code\">");
  svg.append("<rect width=\"").append(size).append("\" height=\"").append(size);
  svg.append("\" fill=\"#fff\"/><path fill=\"#000\" d=\"").append(path).append("\"/></svg>");
  return svg;
}

}  // namespace rampart::auth
