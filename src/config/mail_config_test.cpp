#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "config/config.h"

namespace rampart::config {
namespace {

LoadResult LoadToml(const std::string& text,
                    const std::map<std::string, std::string>& environment = {}) {
  char path[] = "/tmp/rampart-config-XXXXXX";
  const int fd = mkstemp(path);
  close(fd);
  std::ofstream(path) << text;
  LoadResult r = Load(std::filesystem::path(path), environment);
  unlink(path);
  return r;
}

bool HasProblem(const LoadResult& r, const std::string& key) {
  return std::any_of(r.problems.begin(), r.problems.end(),
                     [&](const Problem& p) { return p.key == key; });
}

const char* const kValid =
    "[mail]\nfrom_address = \"support@help.example\"\nfrom_name = \"Help\"\n"
    "[mail.smtp]\nhost = \"smtp.example\"\nport = 465\nsecurity = \"tls\"\n"
    "username = \"rampart\"\n"
    "[mail.dkim]\ndomain = \"help.example\"\nselector = \"s1\"\nkey_file = \"/k.pem\"\n";

TEST(MailConfig, OffByDefaultWithSafeDefaults) {
  const LoadResult r = Load(std::nullopt, {});
  ASSERT_TRUE(r.Ok());
  EXPECT_FALSE(r.config.mail.Enabled());
  EXPECT_FALSE(r.config.mail.insecure_skip_verify);
  EXPECT_EQ(r.config.mail.smtp_security, "starttls");
  EXPECT_EQ(r.config.mail.give_up_after_s, 2 * 86400);
}

TEST(MailConfig, ReadsTheSectionAndThePasswordOnlyFromTheEnvironment) {
  const LoadResult r = LoadToml(kValid, {{"RAMPART_MAIL_SMTP_PASSWORD", "s3cret"}});
  ASSERT_TRUE(r.Ok()) << r.problems.front().ToString();
  EXPECT_TRUE(r.config.mail.Enabled());
  EXPECT_EQ(r.config.mail.smtp_port, 465);
  EXPECT_EQ(r.config.mail.smtp_security, "tls");
  EXPECT_EQ(r.config.mail.smtp_password, "s3cret");
  EXPECT_EQ(r.config.mail.dkim_selector, "s1");
  // Never printed by `config check`.
  for (const auto& [key, value] : Describe(r.config)) {
    EXPECT_EQ(value.find("s3cret"), std::string::npos) << key;
  }
  const LoadResult password_in_file =
      LoadToml("[mail.smtp]\nhost = \"smtp.example\"\npassword = \"s3cret\"\n");
  EXPECT_TRUE(HasProblem(password_in_file, "mail.smtp.password"));
  EXPECT_TRUE(password_in_file.config.mail.smtp_password.empty());
}

TEST(MailConfig, ProblemsNameTheirField) {
  const LoadResult r = Load(std::nullopt, {{"RAMPART_MAIL_SMTP_HOST", "smtp.example"},
                                           {"RAMPART_MAIL_SMTP_SECURITY", "none"},
                                           {"RAMPART_MAIL_SMTP_PORT", "0"},
                                           {"RAMPART_MAIL_SMTP_INSECURE_SKIP_VERIFY", "yes"},
                                           {"RAMPART_MAIL_REPLY_ADDRESS", "a@b\r\nBcc: x@y"},
                                           {"RAMPART_MAIL_GIVE_UP_AFTER_S", "1"}});
  for (const char* key : {"mail.smtp.security", "mail.smtp.port", "mail.smtp.insecure_skip_verify",
                          "mail.reply_address", "mail.give_up_after_s", "mail.from_address"}) {
    EXPECT_TRUE(HasProblem(r, key)) << key;
  }
}

TEST(MailConfig, DkimKeysAreCompleteAndAlignedWithFrom) {
  EXPECT_TRUE(HasProblem(Load(std::nullopt, {{"RAMPART_MAIL_FROM_ADDRESS", "support@help.example"},
                                             {"RAMPART_MAIL_DKIM_DOMAIN", "other.example"},
                                             {"RAMPART_MAIL_DKIM_SELECTOR", "s1"},
                                             {"RAMPART_MAIL_DKIM_KEY_FILE", "/k.pem"}}),
                         "mail.dkim.domain"));
  EXPECT_TRUE(HasProblem(Load(std::nullopt, {{"RAMPART_MAIL_FROM_ADDRESS", "support@help.example"},
                                             {"RAMPART_MAIL_DKIM_DOMAIN", "HELP.example"}}),
                         "mail.dkim.key_file"));
  EXPECT_TRUE(HasProblem(LoadToml(std::string(kValid) + "ed25519_key_file = \"/e.pem\"\n"),
                         "mail.dkim.ed25519_key_file"));
  EXPECT_TRUE(LoadToml(std::string(kValid) + "ed25519_key_file = \"/e.pem\"\n" +
                       "ed25519_selector = \"e1\"\n")
                  .Ok());
}

}  // namespace
}  // namespace rampart::config
