#include "mail/auth/reply_token.h"

#include <gtest/gtest.h>

namespace rampart::mail {
namespace {

auth::ServerKey TestKey(char fill) {
  return auth::ServerKey::FromBytes(std::string(32, fill), 1);
}

TEST(ReplyTokens, RoundTripForTheRecipient) {
  const auto key = TestKey('k');
  const ReplyTokens tokens(key);
  const std::string token = tokens.Make(1042, "Ana@Customer.Example");
  EXPECT_EQ(token.rfind("rmp-1042-", 0), 0u);
  EXPECT_EQ(tokens.Verify(token, "ana@customer.example"), 1042);
}

TEST(ReplyTokens, AnotherSenderAnotherTicketOrAnotherKeyProveNothing) {
  const auto key = TestKey('k');
  const ReplyTokens tokens(key);
  const std::string token = tokens.Make(1042, "ana@customer.example");
  EXPECT_FALSE(tokens.Verify(token, "mallory@forger.example"));
  // The number moved to another ticket with the same mac.
  std::string moved = token;
  moved.replace(4, 4, "1043");
  EXPECT_FALSE(tokens.Verify(moved, "ana@customer.example"));
  const auto other_key = TestKey('o');
  EXPECT_FALSE(ReplyTokens(other_key).Verify(token, "ana@customer.example"));
  // Every single-character change of the mac fails.
  for (std::size_t i = token.size() - 26; i < token.size(); ++i) {
    std::string changed = token;
    changed[i] = changed[i] == 'a' ? 'b' : 'a';
    EXPECT_FALSE(tokens.Verify(changed, "ana@customer.example")) << changed;
  }
}

TEST(ReplyTokens, MalformedTokensAreRefused) {
  const auto key = TestKey('k');
  const ReplyTokens tokens(key);
  for (const char* bad :
       {"", "rmp-", "rmp--abc", "rmp-12", "rmp-0-aaaaaaaaaaaaaaaaaaaaaaaaaa",
        "rmp-99999999999999999999-aaaaaaaaaaaaaaaaaaaaaaaaaa", "rmp-12-aaaaaaaaaaaaaaaaaaaaaaaaa",
        "RMP-12-aaaaaaaaaaaaaaaaaaaaaaaaaa"}) {
    EXPECT_FALSE(tokens.Verify(bad, "ana@customer.example")) << bad;
  }
}

TEST(ReplyTokens, FoundInsideHeaders) {
  const auto key = TestKey('k');
  const std::string token = ReplyTokens(key).Make(7, "ana@customer.example");
  EXPECT_EQ(FindReplyToken("<" + token + ".x9f@help.example>"), token);
  EXPECT_EQ(FindReplyToken("<a@b> <c@d> <" + token + "@help.example>"), token);
  EXPECT_EQ(FindReplyToken("support+" + token + "@help.example"), token);
  EXPECT_EQ(FindReplyToken("Re: [RMP-7] rmp-7-short"), "");
}

}  // namespace
}  // namespace rampart::mail
