#include "mail/auth/dns_fixture_file.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace rampart::mail {
namespace {

TEST(DnsFixture, ReadsOneTxtRecordPerLineAndJoinsItsStrings) {
  FixtureResolver dns = ParseDnsFixture(
      "# comment\n"
      "\n"
      "s1._domainkey.help.example TXT \"v=DKIM1; k=rsa; \" \"p=AB\"\r\n"
      "help.example txt \"v=spf1 -all\"\n"
      "help.example TXT \"say \\\"hi\\\" \\\\ bye\"\n",
      "test");
  EXPECT_EQ(dns.LookupTxt("S1._domainkey.help.example.").records,
            (std::vector<std::string>{"v=DKIM1; k=rsa; p=AB"}));
  EXPECT_EQ(dns.LookupTxt("help.example").records,
            (std::vector<std::string>{"v=spf1 -all", "say \"hi\" \\ bye"}));
  EXPECT_EQ(dns.LookupTxt("other.example").status, TxtAnswer::Status::kNoRecords);
}

TEST(DnsFixture, RefusesMalformedLinesNamingThem) {
  for (const char* bad : {"name-only", "help.example A \"1.2.3.4\"", "help.example TXT v=spf1",
                          "help.example TXT \"open", "help.example TXTX \"v\"",
                          "help.example TXT \"a\" b", "help.example TXT \"bell\x07\""}) {
    try {
      ParseDnsFixture(std::string("# ok\n") + bad + "\n", "f.txt");
      ADD_FAILURE() << "accepted: " << bad;
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()).rfind("f.txt:2: ", 0), 0U) << e.what();
    }
  }
  EXPECT_THROW(LoadDnsFixtureFile("/nonexistent/dns.txt"), std::runtime_error);
}

}  // namespace
}  // namespace rampart::mail
