#include "mail/auth/dns_fixture_file.h"

#include <gtest/gtest.h>

#include <sstream>

namespace rampart::mail {
namespace {

TEST(DnsFixtureFile, ReadsRecordsJoiningStringsAndSkippingComments) {
  std::istringstream in(
      "# fixture for the bench\n"
      "\n"
      "sel._domainkey.customer.example TXT \"v=DKIM1; k=rsa; \" \"p=ABC\"\r\n"
      "  _dmarc.Customer.Example.  txt \"v=DMARC1; p=reject\"\n"
      "_dmarc.customer.example TXT \"a \\\"quoted\\\" \\\\ value\"\n");
  FixtureResolver resolver;
  LoadDnsFixture(in, resolver);
  const TxtAnswer key = resolver.LookupTxt("sel._domainkey.customer.example");
  ASSERT_EQ(key.status, TxtAnswer::Status::kFound);
  ASSERT_EQ(key.records.size(), 1u);
  EXPECT_EQ(key.records[0], "v=DKIM1; k=rsa; p=ABC");
  const TxtAnswer dmarc = resolver.LookupTxt("_dmarc.customer.example");
  ASSERT_EQ(dmarc.records.size(), 2u);
  EXPECT_EQ(dmarc.records[0], "v=DMARC1; p=reject");
  EXPECT_EQ(dmarc.records[1], "a \"quoted\" \\ value");
  EXPECT_EQ(resolver.LookupTxt("other.example").status, TxtAnswer::Status::kNoRecords);
}

TEST(DnsFixtureFile, AMalformedLineIsRefusedWithItsNumber) {
  for (const char* bad : {"name TXT unquoted\n", "name A \"1.2.3.4\"\n", "name TXT \"open\n",
                          "name TXT\n", "name TXT \"x\" trailing\n"}) {
    std::istringstream in(std::string("ok TXT \"fine\"\n") + bad);
    FixtureResolver resolver;
    try {
      LoadDnsFixture(in, resolver);
      ADD_FAILURE() << "accepted: " << bad;
    } catch (const DnsFixtureError& e) {
      EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace rampart::mail
