#include "mail/auth/dns_records.h"

#include <gtest/gtest.h>

#include "core/errors.h"

namespace rampart::mail {
namespace {

auth::Actor Admin() {
  auth::Actor a;
  a.user_id = 1;
  a.role = auth::Role::kAdmin;
  a.permissions = auth::BuiltInPermissions(a.role);
  return a;
}

MailDnsSettings Settings() {
  MailDnsSettings s;
  s.from_address = "support@Help.Example";
  s.dkim_domain = "help.example";
  s.smtp_host = "smtp.relay.example";
  s.dkim_keys.push_back({"s1", "v=DKIM1; k=rsa; p=AAAABBBB"});
  return s;
}

TEST(MailDnsRecords, DkimSpfAndDmarcFromTheConfiguration) {
  const auto records = MailDnsRecords(Admin(), Settings());
  ASSERT_EQ(records.size(), 3U);
  EXPECT_EQ(records[0].kind, "DKIM");
  EXPECT_EQ(records[0].name, "s1._domainkey.help.example");
  EXPECT_EQ(records[0].value, "v=DKIM1; k=rsa; p=AAAABBBB");
  EXPECT_TRUE(records[0].exact);
  EXPECT_EQ(records[1].name, "help.example");
  EXPECT_EQ(records[1].value, "v=spf1 mx a:smtp.relay.example -all");
  EXPECT_FALSE(records[1].exact);
  EXPECT_EQ(records[2].name, "_dmarc.help.example");
  EXPECT_EQ(records[2].value, "v=DMARC1; p=quarantine; rua=mailto:support@Help.Example");
  EXPECT_TRUE(MailDnsRecords(Admin(), MailDnsSettings{}).empty()) << "nothing configured";
}

TEST(MailDnsRecords, NeedsTheHelpdeskPermission) {
  auth::Actor agent;
  agent.user_id = 2;
  agent.role = auth::Role::kAgent;
  agent.permissions = auth::BuiltInPermissions(agent.role);
  FixtureResolver dns;
  EXPECT_THROW(MailDnsRecords(agent, Settings()), core::Forbidden);
  EXPECT_THROW(CheckMailDns(agent, Settings(), dns), core::Forbidden);
}

std::vector<DnsRecordState> States(FixtureResolver& dns) {
  std::vector<DnsRecordState> out;
  for (const auto& c : CheckMailDns(Admin(), Settings(), dns)) out.push_back(c.state);
  return out;
}

TEST(CheckMailDns, MatchesWhatIsPublishedAsSuggested) {
  FixtureResolver dns;
  // White space inside p= and around tags does not matter (RFC 6376 §3.2); case of the name
  // does not either.
  dns.Add("S1._domainkey.help.example", "v=DKIM1;  k=rsa; p=AAAA BBBB");
  dns.Add("help.example", "google-site-verification=x");
  dns.Add("help.example", "v=spf1  MX a:smtp.relay.example -all");
  dns.Add("_dmarc.help.example", "v=DMARC1;p=quarantine; rua=mailto:support@Help.Example");
  using S = DnsRecordState;
  EXPECT_EQ(States(dns), (std::vector<S>{S::kMatches, S::kMatches, S::kMatches}));
}

TEST(CheckMailDns, TellsMissingFoundDifferentAndUnknownApart) {
  using S = DnsRecordState;
  FixtureResolver missing;
  EXPECT_EQ(States(missing), (std::vector<S>{S::kMissing, S::kMissing, S::kMissing}));

  FixtureResolver other;
  other.Add("s1._domainkey.help.example", "v=DKIM1; k=rsa; p=CCCC");
  other.Add("help.example", "v=spf1 include:_spf.provider.example -all");
  other.Add("_dmarc.help.example", "v=DMARC1; p=none");
  const auto checks = CheckMailDns(Admin(), Settings(), other);
  EXPECT_EQ(checks[0].state, S::kDifferent);
  EXPECT_EQ(checks[0].found, (std::vector<std::string>{"v=DKIM1; k=rsa; p=CCCC"}));
  EXPECT_EQ(checks[1].state, S::kFound);
  EXPECT_EQ(checks[2].state, S::kFound);
  EXPECT_EQ(checks[2].found, (std::vector<std::string>{"v=DMARC1; p=none"}));

  FixtureResolver twice;
  twice.Add("help.example", "v=spf1 -all");
  twice.Add("help.example", "v=spf1 mx -all");
  twice.Add("_dmarc.help.example", "v=DMARC1; p=reject");
  twice.Add("_dmarc.help.example", "v=DMARC1; p=none");
  twice.AddTempFail("s1._domainkey.help.example");
  EXPECT_EQ(States(twice), (std::vector<S>{S::kUnknown, S::kDifferent, S::kDifferent}));

  // "v=spf10" is not SPF; a key with another type is another key.
  FixtureResolver lookalike;
  lookalike.Add("help.example", "v=spf10 mx -all");
  lookalike.Add("s1._domainkey.help.example", "v=DKIM1; k=ed25519; p=AAAABBBB");
  EXPECT_EQ(States(lookalike), (std::vector<S>{S::kDifferent, S::kMissing, S::kMissing}));
}

TEST(CheckMailDns, BoundsWhatItShowsOfHostileAnswers) {
  FixtureResolver dns;
  for (int i = 0; i < 50; ++i) dns.Add("s1._domainkey.help.example", std::string(100000, 'x'));
  const auto checks = CheckMailDns(Admin(), Settings(), dns);
  ASSERT_EQ(checks[0].found.size(), 10U);
  EXPECT_LT(checks[0].found[0].size(), 2100U);
}

}  // namespace
}  // namespace rampart::mail
