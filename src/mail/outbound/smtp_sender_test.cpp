#include "mail/outbound/smtp_sender.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/mail_servers.h"

namespace rampart::mail {
namespace {

using testing::ChildProcess;
using testing::MakeSelfSignedCertificate;
using testing::ScratchDir;

const std::string kSink = std::string(RAMPART_SOURCE_DIR) + "/tests/support/smtp_sink.py";
const std::string kMessage =
    "From: support@help.example\r\nTo: ana@customer.example\r\nSubject: Hello\r\n\r\nBody\r\n";

std::string Read(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class SmtpSenderTest : public ::testing::Test {
 protected:
  SmtpSenderTest() { MakeSelfSignedCertificate(certs_.Path()); }
  SmtpSettings Settings(int port) const {
    SmtpSettings s;
    s.host = "127.0.0.1";
    s.port = port;
    s.username = "rampart";
    s.password = "sink-password";
    s.ca_file = (certs_.Path() / "cert.pem").string();
    s.timeout_seconds = 10;
    return s;
  }
  ScratchDir certs_;
  ScratchDir spool_;
};

TEST_F(SmtpSenderTest, SendsOverStartTlsWithAuth) {
  ChildProcess sink({"/usr/bin/python3", kSink, spool_.Path().string(), "starttls",
                     (certs_.Path() / "cert.pem").string(), (certs_.Path() / "key.pem").string()});
  const auto outcome =
      SendMail(Settings(sink.Port()), "bounce@help.example", {"ana@customer.example"}, kMessage);
  ASSERT_EQ(outcome.kind, SmtpOutcome::Kind::kSent) << outcome.detail;
  EXPECT_NE(Read(spool_.Path() / "1.eml").find("Subject: Hello"), std::string::npos);
  const std::string meta = Read(spool_.Path() / "1.json");
  EXPECT_NE(meta.find("\"tls\": true"), std::string::npos) << meta;
  EXPECT_NE(meta.find("\"authenticated\": true"), std::string::npos) << meta;
}

TEST_F(SmtpSenderTest, RefusesAServerWithoutStartTlsAndSendsNoCredentials) {
  ChildProcess sink({"/usr/bin/python3", kSink, spool_.Path().string(), "plain"});
  const auto outcome =
      SendMail(Settings(sink.Port()), "bounce@help.example", {"ana@customer.example"}, kMessage);
  EXPECT_EQ(outcome.kind, SmtpOutcome::Kind::kTemporary);
  EXPECT_FALSE(std::filesystem::exists(spool_.Path() / "auth.log"));
  EXPECT_FALSE(std::filesystem::exists(spool_.Path() / "1.eml"));
}

TEST_F(SmtpSenderTest, RefusesACertificateThatDoesNotVerify) {
  // The server's certificate names another host: TLS fails before AUTH.
  ScratchDir wrong;
  MakeSelfSignedCertificate(wrong.Path(), "DNS:mail.elsewhere.example");
  ChildProcess sink({"/usr/bin/python3", kSink, spool_.Path().string(), "starttls",
                     (wrong.Path() / "cert.pem").string(), (wrong.Path() / "key.pem").string()});
  SmtpSettings settings = Settings(sink.Port());
  settings.ca_file = (wrong.Path() / "cert.pem").string();
  EXPECT_EQ(SendMail(settings, "bounce@help.example", {"ana@customer.example"}, kMessage).kind,
            SmtpOutcome::Kind::kTemporary);
  // A certificate nobody vouches for (the system store does not hold it).
  settings.ca_file.clear();
  EXPECT_EQ(SendMail(settings, "bounce@help.example", {"ana@customer.example"}, kMessage).kind,
            SmtpOutcome::Kind::kTemporary);
  EXPECT_FALSE(std::filesystem::exists(spool_.Path() / "auth.log"));
  EXPECT_FALSE(std::filesystem::exists(spool_.Path() / "1.eml"));
}

TEST_F(SmtpSenderTest, WrongPasswordIsNotSent) {
  ChildProcess sink({"/usr/bin/python3", kSink, spool_.Path().string(), "starttls",
                     (certs_.Path() / "cert.pem").string(), (certs_.Path() / "key.pem").string()});
  SmtpSettings settings = Settings(sink.Port());
  settings.password = "wrong";
  const auto outcome =
      SendMail(settings, "bounce@help.example", {"ana@customer.example"}, kMessage);
  EXPECT_NE(outcome.kind, SmtpOutcome::Kind::kSent);
  EXPECT_EQ(outcome.smtp_code, 535);
  EXPECT_EQ(outcome.detail.find("wrong"), std::string::npos);  // no credentials in the detail
  EXPECT_FALSE(std::filesystem::exists(spool_.Path() / "1.eml"));
}

TEST(SmtpEnvelope, AddressesThatCouldInjectCommandsAreRefusedBeforeConnecting) {
  SmtpSettings nowhere;
  nowhere.host = "127.0.0.1";
  nowhere.port = 1;  // nothing listens: a refused address must fail before trying
  for (const char* bad : {"ana@customer.example\r\nRCPT TO:<x@evil.example>", "a b@example",
                          "<ana@customer.example>", "ana", "@example", "ana@"}) {
    const auto outcome = SendMail(nowhere, "bounce@help.example", {bad}, kMessage);
    EXPECT_EQ(outcome.kind, SmtpOutcome::Kind::kPermanent) << bad;
    EXPECT_EQ(outcome.detail, "invalid recipient address") << bad;
  }
  EXPECT_EQ(SendMail(nowhere, "x\n@y", {"ana@customer.example"}, kMessage).kind,
            SmtpOutcome::Kind::kPermanent);
}

}  // namespace
}  // namespace rampart::mail
