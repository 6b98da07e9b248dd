#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rampart::auth {

// RFC 6238 with the parameters every authenticator app supports: HMAC-SHA-1, 6 digits, 30 s
// steps counted from the Unix epoch, a 160-bit secret (RFC 4226 §4 recommends 160 bits).
inline constexpr int kTotpDigits = 6;
inline constexpr std::int64_t kTotpPeriodSeconds = 30;
inline constexpr std::size_t kTotpSecretBytes = 20;
// Steps accepted either side of the server's own (RFC 6238 §5.2: at most one for network delay).
inline constexpr std::int64_t kTotpWindowSteps = 1;

// RFC 4648 base32 with the upper-case alphabet and no padding, as authenticator apps expect.
std::string Base32Encode(std::string_view bytes);
// Accepts either case; refuses padding, spaces, characters outside the alphabet, impossible
// lengths and non-zero trailing bits, so that one secret has exactly one spelling.
std::optional<std::string> Base32Decode(std::string_view text);

// A new TOTP secret: 20 bytes from the CSPRNG.
std::string GenerateTotpSecret();

// The RFC 4226 HOTP value for `counter`, as `digits` (6..8) decimal digits with leading zeros.
std::string HotpCode(std::string_view secret, std::uint64_t counter, int digits = kTotpDigits);
// The time step that contains `unix_time` (negative times have none: -1).
std::int64_t TotpStep(std::int64_t unix_time);
// The code an authenticator app shows at `unix_time`.
std::string TotpCode(std::string_view secret, std::int64_t unix_time, int digits = kTotpDigits);

enum class TotpOutcome { kAccepted, kReplayed, kWrong };
struct TotpVerdict {
  TotpOutcome outcome = TotpOutcome::kWrong;
  std::int64_t step = 0;    // the step the code belongs to, when it matched one
  std::string_view reason;  // "", "otp_replayed" or "otp_wrong": stable, for logs and metrics
};

// Checks a 6-digit code against the steps now-1, now and now+1. A code is accepted only for a
// step after `last_used_step`, the last step this user had accepted (0 before the first use):
// that makes each code single-use and also refuses an older code once a newer one was used
// (RFC 6238 §5.2, NIST SP 800-63B §5.1.4.2). The caller stores the returned step as the new
// last_used_step, conditionally on it still being larger, so two racing requests cannot both win.
// `now` must be the server's clock, never a time the client sent.
TotpVerdict CheckTotp(std::string_view secret, std::string_view code, std::int64_t now,
                      std::int64_t last_used_step);
// The accepted step, or nothing (wrong, replayed or malformed code).
std::optional<std::int64_t> VerifyTotp(std::string_view secret, std::string_view code,
                                       std::int64_t now, std::int64_t last_used_step);

// otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=ISSUER&algorithm=SHA1&digits=6&period=30
// (the Key URI format), with issuer and account percent-encoded (RFC 3986 unreserved kept).
std::string TotpUri(std::string_view issuer, std::string_view account, std::string_view secret);

// `text` as a QR code (error correction M) in an inline SVG: one <path> of dark modules on a
// white <rect>, with a 4-module quiet zone. The markup holds only numbers derived from the
// module matrix, so nothing from `text` reaches the page as markup. Throws on text too long
// for a QR code.
std::string QrCodeSvg(std::string_view text);

}  // namespace rampart::auth
