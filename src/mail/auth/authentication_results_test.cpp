#include "mail/auth/authentication_results.h"

#include <gtest/gtest.h>

namespace rampart::mail {
namespace {

TEST(AuthenticationResults, ParsesATypicalReceiverHeader) {
  const auto parsed = ParseAuthenticationResults(
      "mx.example.net (Postfix); dkim=pass (2048-bit key) header.d=customer.example "
      "header.s=s1 header.b=AbC/12+=; spf=pass (sender SPF authorized) "
      "smtp.mailfrom=bounce@mail.customer.example; dmarc=pass (p=REJECT) "
      "header.from=customer.example;");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->authserv_id, "mx.example.net");
  ASSERT_EQ(parsed->results.size(), 3u);
  EXPECT_EQ(parsed->results[0].method, "dkim");
  EXPECT_EQ(parsed->results[0].result, "pass");
  EXPECT_EQ(parsed->results[0].Property("header.d"), "customer.example");
  EXPECT_EQ(parsed->results[0].Property("header.b"), "AbC/12+=");
  EXPECT_EQ(parsed->results[1].method, "spf");
  EXPECT_EQ(parsed->results[1].Property("smtp.mailfrom"), "bounce@mail.customer.example");
  EXPECT_EQ(parsed->results[2].Property("header.from"), "customer.example");
}

TEST(AuthenticationResults, VersionsNoneAndReasons) {
  auto parsed = ParseAuthenticationResults("mx.example.net 1; none");
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->results.empty());
  parsed = ParseAuthenticationResults(
      "MX.Example.NET; SPF/1=Fail reason=\"no; match\" smtp.mailfrom=a@b.example");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->authserv_id, "mx.example.net");
  EXPECT_EQ(parsed->results[0].result, "fail");
  EXPECT_EQ(parsed->results[0].Property("smtp.mailfrom"), "a@b.example");
  parsed = ParseAuthenticationResults("mx; spf=none smtp.mailfrom= smtp.helo=relay.example");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->results[0].Property("smtp.mailfrom"), "");
  EXPECT_EQ(parsed->results[0].Property("smtp.helo"), "relay.example");
}

TEST(AuthenticationResults, MalformedHeadersAreRefused) {
  for (const char* bad :
       {"", "; spf=pass", "mx; spf", "mx; spf=", "mx; =pass", "mx (unclosed",
        "mx; dkim=pass header.d=\"unterminated", "mx; spf=pass (((((((((((x)))))))))))",
        "mx; none extra", "mx; spf=pass header.d", "mx; spf=pass )"}) {
    EXPECT_FALSE(ParseAuthenticationResults(bad)) << bad;
  }
  EXPECT_FALSE(ParseAuthenticationResults("mx; spf=pass smtp.mailfrom=" + std::string(9000, 'a')));
}

TEST(AuthenticationResults, OnlyTrustedAuthservIdsCount) {
  const std::vector<std::string> headers = {
      // Written by the sender before the message left: claims everything passed.
      "mx.example.net.evil.example; dkim=pass header.d=bank.example; dmarc=pass",
      "attacker; spf=pass smtp.mailfrom=ceo@bank.example",
      // Our own receiver's verdict.
      "mx.example.net; spf=fail smtp.mailfrom=ceo@bank.example; dkim=none",
  };
  const auto trusted = TrustedResults(headers, {"MX.example.net"});
  ASSERT_EQ(trusted.size(), 2u);
  EXPECT_EQ(trusted[0].method, "spf");
  EXPECT_EQ(trusted[0].result, "fail");
  EXPECT_TRUE(TrustedResults(headers, {}).empty());
}

}  // namespace
}  // namespace rampart::mail
