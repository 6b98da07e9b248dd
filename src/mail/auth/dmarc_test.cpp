#include "mail/auth/dmarc.h"

#include <gtest/gtest.h>

namespace rampart::mail {
namespace {

class DmarcTest : public ::testing::Test {
 protected:
  static const PublicSuffixList& Suffixes() {
    static const PublicSuffixList list = PublicSuffixList::Load();
    return list;
  }
  DmarcVerdict Evaluate(const SenderEvidence& evidence) {
    return EvaluateDmarc(evidence, dns_, Suffixes());
  }
  FixtureResolver dns_;
};

TEST(DmarcRecord, ParsesTagsAndRefusesWhatIsNotARecord) {
  auto record =
      ParseDmarcRecord("v=DMARC1; p=reject; sp=quarantine; adkim=s; aspf=r; rua=mailto:x@y");
  ASSERT_TRUE(record);
  EXPECT_EQ(record->policy, "reject");
  EXPECT_EQ(record->subdomain_policy, "quarantine");
  EXPECT_EQ(record->dkim_alignment, DmarcAlignment::kStrict);
  EXPECT_EQ(record->spf_alignment, DmarcAlignment::kRelaxed);
  EXPECT_FALSE(ParseDmarcRecord("p=reject; v=DMARC1"));
  EXPECT_FALSE(ParseDmarcRecord("v=spf1 -all"));
  EXPECT_FALSE(ParseDmarcRecord("v=DMARC1; p=maybe"));
  EXPECT_FALSE(ParseDmarcRecord("v=DMARC1; adkim=x"));
  EXPECT_FALSE(ParseDmarcRecord(""));
}

TEST_F(DmarcTest, AlignedDkimPassPasses) {
  dns_.Add("_dmarc.customer.example", "v=DMARC1; p=reject");
  const auto verdict = Evaluate({"customer.example", {"mail.customer.example"}, ""});
  EXPECT_EQ(verdict.result, DmarcVerdict::Result::kPass);
  EXPECT_TRUE(verdict.aligned_pass);
  EXPECT_EQ(verdict.aligned_by, "dkim:mail.customer.example");
  EXPECT_EQ(verdict.policy, "reject");
}

TEST_F(DmarcTest, StrictAlignmentNeedsTheSameName) {
  dns_.Add("_dmarc.customer.example", "v=DMARC1; p=reject; adkim=s; aspf=s");
  EXPECT_EQ(
      Evaluate({"customer.example", {"mail.customer.example"}, "bounce.customer.example"}).result,
      DmarcVerdict::Result::kFail);
  EXPECT_EQ(Evaluate({"customer.example", {"customer.example"}, ""}).result,
            DmarcVerdict::Result::kPass);
}

TEST_F(DmarcTest, ASignatureOfAnotherDomainDoesNotAlign) {
  // The forger signs with their own domain and passes SPF for it: both verify, neither aligns.
  dns_.Add("_dmarc.customer.example", "v=DMARC1; p=none");
  const auto verdict = Evaluate({"customer.example", {"forger.example"}, "forger.example"});
  EXPECT_EQ(verdict.result, DmarcVerdict::Result::kFail);
  EXPECT_FALSE(verdict.aligned_pass);
  EXPECT_EQ(verdict.policy, "none");
}

TEST_F(DmarcTest, SiblingsUnderAPublicSuffixAreDifferentOrganizations) {
  dns_.Add("_dmarc.alice.github.io", "v=DMARC1; p=reject");
  EXPECT_FALSE(Evaluate({"alice.github.io", {"mallory.github.io"}, ""}).aligned_pass);
  EXPECT_FALSE(Evaluate({"example.co.uk", {"other.co.uk"}, ""}).aligned_pass);
}

TEST_F(DmarcTest, SubdomainsFallBackToTheOrganizationalPolicyAndItsSp) {
  dns_.Add("_dmarc.customer.example", "v=DMARC1; p=reject; sp=quarantine");
  const auto verdict = Evaluate({"eu.customer.example", {}, "customer.example"});
  EXPECT_EQ(verdict.result, DmarcVerdict::Result::kPass);
  EXPECT_EQ(verdict.aligned_by, "spf:customer.example");
  EXPECT_EQ(verdict.policy, "quarantine");
}

TEST_F(DmarcTest, NoPolicyStillReportsAlignment) {
  const auto verdict = Evaluate({"small.example", {"small.example"}, ""});
  EXPECT_EQ(verdict.result, DmarcVerdict::Result::kNone);
  EXPECT_TRUE(verdict.aligned_pass);
  EXPECT_EQ(verdict.policy, "");
}

TEST_F(DmarcTest, TwoRecordsMeanNoPolicyAndDnsFailureIsTemporary) {
  dns_.Add("_dmarc.twice.example", "v=DMARC1; p=reject");
  dns_.Add("_dmarc.twice.example", "v=DMARC1; p=none");
  EXPECT_EQ(Evaluate({"twice.example", {}, ""}).result, DmarcVerdict::Result::kNone);
  dns_.AddTempFail("_dmarc.flaky.example");
  EXPECT_EQ(Evaluate({"flaky.example", {}, ""}).result, DmarcVerdict::Result::kTempError);
}

TEST(DmarcEvidence, OnlyPassesCountAndMailFromIsReducedToItsDomain) {
  const std::vector<AuthResult> trusted = {
      {"spf", "pass", {{"smtp.mailfrom", "bounce@mail.customer.example"}}},
      {"dkim", "fail", {{"header.d", "customer.example"}}},
      {"dkim", "pass", {{"header.d", "esp.example"}}},
  };
  const auto evidence = EvidenceFrom("Customer.Example", trusted, {"customer.example"});
  EXPECT_EQ(evidence.from_domain, "customer.example");
  EXPECT_EQ(evidence.spf_pass_domain, "mail.customer.example");
  EXPECT_EQ(evidence.dkim_pass_domains,
            (std::vector<std::string>{"customer.example", "esp.example"}));
}

}  // namespace
}  // namespace rampart::mail
