#include "auth/totp.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/random.h"

namespace rampart::auth {
namespace {

// RFC 6238 Appendix B and RFC 4226 Appendix D use this ASCII key.
const std::string kRfcKey = "12345678901234567890";

struct CommandResult {
  int status = -1;
  std::string out;
};

// Runs a shell command and captures its standard output. The tools come from scripts/deps.sh;
// a missing tool exits 127 and fails the test rather than skipping it.
CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    result.out.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  while (!result.out.empty() && (result.out.back() == '\n' || result.out.back() == '\r')) {
    result.out.pop_back();
  }
  return result;
}

TEST(Base32, EncodesRfc4648Vectors) {
  EXPECT_EQ(Base32Encode(""), "");
  EXPECT_EQ(Base32Encode("f"), "MY");
  EXPECT_EQ(Base32Encode("fo"), "MZXQ");
  EXPECT_EQ(Base32Encode("foo"), "MZXW6");
  EXPECT_EQ(Base32Encode("foob"), "MZXW6YQ");
  EXPECT_EQ(Base32Encode("fooba"), "MZXW6YTB");
  EXPECT_EQ(Base32Encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(Base32Encode(kRfcKey), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

TEST(Base32, DecodesEitherCase) {
  EXPECT_EQ(Base32Decode("MZXW6YTBOI"), "foobar");
  EXPECT_EQ(Base32Decode("mzxw6ytboi"), "foobar");
  EXPECT_EQ(Base32Decode("gezdgnbvgy3tqojqGEZDGNBVGY3TQOJQ"), kRfcKey);
  EXPECT_EQ(Base32Decode(""), "");
}

TEST(Base32, RefusesAnythingButCanonicalText) {
  EXPECT_FALSE(Base32Decode("MZXW6YTBOI======"));  // padding
  EXPECT_FALSE(Base32Decode("MZXW 6YTB"));         // space
  EXPECT_FALSE(Base32Decode("MZXW6YT0"));          // 0 is not in the alphabet
  EXPECT_FALSE(Base32Decode("MZXW6YT1"));          // nor 1, 8, 9
  EXPECT_FALSE(Base32Decode("MZXW6YT8"));
  EXPECT_FALSE(Base32Decode(std::string("MZ\0W", 4)));
  EXPECT_FALSE(Base32Decode("M\xc3\xa9XW"));  // non-ASCII
  EXPECT_FALSE(Base32Decode("M"));            // impossible lengths
  EXPECT_FALSE(Base32Decode("MZX"));
  EXPECT_FALSE(Base32Decode("MZXW6Y"));
  EXPECT_EQ(Base32Decode("MY"), "f");
  EXPECT_FALSE(Base32Decode("MZ"));  // the same byte with non-zero spare bits
}

TEST(Base32, RoundTripsRandomBytes) {
  for (std::size_t size = 0; size < 40; ++size) {
    std::string bytes(size, '\0');
    core::FillRandom(bytes.data(), bytes.size());
    EXPECT_EQ(Base32Decode(Base32Encode(bytes)), bytes) << size;
  }
}

TEST(Hotp, MatchesRfc4226AppendixD) {
  const std::array<const char*, 10> expected = {"755224", "287082", "359152", "969429", "338314",
                                                "254676", "287922", "162583", "399871", "520489"};
  for (std::uint64_t counter = 0; counter < expected.size(); ++counter) {
    EXPECT_EQ(HotpCode(kRfcKey, counter), expected[counter]) << counter;
  }
}

TEST(Totp, MatchesRfc6238AppendixBSha1) {
  const std::array<std::pair<std::int64_t, const char*>, 6> vectors = {{
      {59, "94287082"},
      {1111111109, "07081804"},
      {1111111111, "14050471"},
      {1234567890, "89005924"},
      {2000000000, "69279037"},
      {20000000000, "65353130"},  // past 2038: 64-bit time
  }};
  for (const auto& [time, code] : vectors) {
    EXPECT_EQ(TotpCode(kRfcKey, time, 8), code) << time;
    // The 6-digit code is the last six digits of the 8-digit one.
    EXPECT_EQ(TotpCode(kRfcKey, time), std::string(code).substr(2)) << time;
  }
  EXPECT_EQ(TotpStep(59), 1);
  EXPECT_EQ(TotpStep(1111111109), 0x023523EC);
  EXPECT_EQ(TotpStep(20000000000), 0x27BC86AA);
}

TEST(Totp, AgreesWithOathtool) {
  // An independent implementation (Debian's oath-toolkit) on random secrets and times.
  for (int i = 0; i < 5; ++i) {
    const std::string secret = GenerateTotpSecret();
    const std::int64_t now =
        1000000000 + static_cast<std::int64_t>(core::RandomUint64() % 2000000000);
    const CommandResult r = RunCommand("oathtool --totp -b " + Base32Encode(secret) + " --now @" +
                                       std::to_string(now) + " 2>&1");
    ASSERT_EQ(r.status, 0) << "oathtool failed (is scripts/deps.sh run?): " << r.out;
    EXPECT_EQ(r.out, TotpCode(secret, now)) << now;
  }
}

TEST(Totp, SecretsAre160RandomBits) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string secret = GenerateTotpSecret();
    EXPECT_EQ(secret.size(), 20u);
    EXPECT_EQ(Base32Encode(secret).size(), 32u);
    seen.insert(secret);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Totp, AcceptsOneStepEitherSideOnly) {
  const std::string secret = GenerateTotpSecret();
  const std::int64_t now = 1700000015;  // step 56666667, 15 s into it
  const std::int64_t step = TotpStep(now);
  EXPECT_EQ(VerifyTotp(secret, TotpCode(secret, now), now, 0), step);
  EXPECT_EQ(VerifyTotp(secret, TotpCode(secret, now - 30), now, 0), step - 1);
  EXPECT_EQ(VerifyTotp(secret, TotpCode(secret, now + 30), now, 0), step + 1);
  EXPECT_FALSE(VerifyTotp(secret, TotpCode(secret, now - 60), now, 0));
  EXPECT_FALSE(VerifyTotp(secret, TotpCode(secret, now + 60), now, 0));
  EXPECT_EQ(CheckTotp(secret, TotpCode(secret, now - 60), now, 0).reason, "otp_wrong");
}

TEST(Totp, ReplayedCodeIsRefused) {
  const std::string secret = GenerateTotpSecret();
  const std::int64_t now = 1700000015;
  const std::string code = TotpCode(secret, now);
  const auto first = VerifyTotp(secret, code, now, 0);
  ASSERT_TRUE(first);
  // The same code again, a few seconds later in the same step.
  const TotpVerdict again = CheckTotp(secret, code, now + 5, *first);
  EXPECT_EQ(again.outcome, TotpOutcome::kReplayed);
  EXPECT_EQ(again.reason, "otp_replayed");
  // Still refused in the next step, where it is the previous step's code.
  EXPECT_FALSE(VerifyTotp(secret, code, now + 30, *first));
  // A code for an earlier step than the one used is refused too.
  EXPECT_FALSE(VerifyTotp(secret, TotpCode(secret, now - 30), now, *first));
  // The next step's code is fine.
  EXPECT_EQ(VerifyTotp(secret, TotpCode(secret, now + 30), now + 30, *first), *first + 1);
}

TEST(Totp, MalformedCodesAreWrong) {
  const std::string secret = GenerateTotpSecret();
  const std::int64_t now = 1700000015;
  const std::string code = TotpCode(secret, now);
  EXPECT_FALSE(VerifyTotp(secret, code.substr(0, 5), now, 0));
  EXPECT_FALSE(VerifyTotp(secret, code + "0", now, 0));
  EXPECT_FALSE(VerifyTotp(secret, " " + code.substr(1), now, 0));
  EXPECT_FALSE(VerifyTotp(secret, "", now, 0));
  EXPECT_FALSE(VerifyTotp(secret, std::string("12345\0", 6), now, 0));
  EXPECT_FALSE(VerifyTotp(secret, "\xd9\xa1\xd9\xa2\xd9\xa3", now, 0));  // Arabic-Indic digits
  EXPECT_FALSE(VerifyTotp("", code, now, 0));
  EXPECT_FALSE(VerifyTotp(secret, code, -1, 0));
}

TEST(Totp, UriFollowsKeyUriFormatAndEncodesNames) {
  EXPECT_EQ(TotpUri("Rampart", "alice@example.com", kRfcKey),
            "otpauth://totp/Rampart:alice%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            "&issuer=Rampart&algorithm=SHA1&digits=6&period=30");
  const std::string hostile = TotpUri("Acme & Co: \"Support\"", "x?&secret=AAAA#<b>", kRfcKey);
  EXPECT_EQ(hostile,
            "otpauth://totp/Acme%20%26%20Co%3A%20%22Support%22:x%3F%26secret%3DAAAA%23%3Cb%3E"
            "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme%20%26%20Co%3A%20%22Support%22"
            "&algorithm=SHA1&digits=6&period=30");
  EXPECT_EQ(TotpUri("", "b\xc3\xa9", "a"),
            "otpauth://totp/b%C3%A9?secret=ME&algorithm=SHA1"
            "&digits=6&period=30");
}

TEST(Totp, QrSvgIsOnlyShapes) {
  const std::string uri =
      TotpUri("Rampart", "<script>alert(1)</script>@example.com", GenerateTotpSecret());
  const std::string svg = QrCodeSvg(uri);
  // Nothing but the fixed tags and numeric path data: no user text, no script, no handlers.
  // (Checked by hand: std::regex recurses per character and overflows the stack on 10 KB.)
  const std::string view_box = "viewBox=\"0 0 ";
  const std::size_t size_at = svg.find(view_box) + view_box.size();
  const std::string size = svg.substr(size_at, svg.find(' ', size_at) - size_at);
  const std::string head =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + " " + size +
      "\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR "
      "code\"><rect width=\"" +
      size + "\" height=\"" + size + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"M";
  const std::string tail = "z\"/></svg>";
  ASSERT_EQ(svg.rfind(head, 0), 0u) << svg.substr(0, 300);
  ASSERT_EQ(svg.substr(svg.size() - tail.size()), tail);
  const std::string path = svg.substr(head.size(), svg.size() - head.size() - tail.size());
  EXPECT_EQ(path.find_first_not_of("0123456789 Mhvz-"), std::string::npos);
  EXPECT_EQ(svg.find("script"), std::string::npos);
  EXPECT_EQ(svg.find("example"), std::string::npos);
  EXPECT_LT(svg.size(), 40000u);
  EXPECT_THROW(QrCodeSvg(std::string(5000, 'x')), std::invalid_argument);
}

TEST(Totp, QrSvgDecodesBackToTheUri) {
  // Renders the SVG with librsvg and reads it back with ZBar: both independent of libqrencode.
  char tmpl[] = "/tmp/rampart-qr-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const std::filesystem::path dir = tmpl;
  const std::string uri =
      TotpUri("Rampart Helpdesk", "ana.lopez+test@example.com", GenerateTotpSecret());
  std::ofstream(dir / "qr.svg") << QrCodeSvg(uri);
  const CommandResult render =
      RunCommand("rsvg-convert -w 400 -h 400 -o " + (dir / "qr.png").string() + " " +
                 (dir / "qr.svg").string() + " 2>&1");
  ASSERT_EQ(render.status, 0) << "rsvg-convert failed (is scripts/deps.sh run?): " << render.out;
  const CommandResult decoded =
      RunCommand("zbarimg --nodbus --quiet --raw " + (dir / "qr.png").string());
  std::filesystem::remove_all(dir);
  ASSERT_EQ(decoded.status, 0) << "zbarimg failed (is scripts/deps.sh run?): " << decoded.out;
  EXPECT_EQ(decoded.out, uri);
}

}  // namespace
}  // namespace rampart::auth
