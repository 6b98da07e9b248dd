#include "mail/inbound/mbox_reader.h"

#include <gtest/gtest.h>

#include <sstream>
#include <vector>

namespace rampart::mail {
namespace {

std::vector<MboxMessage> ReadAll(const std::string& mbox, std::size_t limit = 1 << 20) {
  std::istringstream in(mbox);
  MboxReader reader(in, limit);
  std::vector<MboxMessage> out;
  while (auto m = reader.Next()) out.push_back(std::move(*m));
  return out;
}

TEST(MboxReader, SplitsAtSeparatorsAndDropsTheBlankLineBeforeEach) {
  const auto messages = ReadAll(
      "From ana@customer.example Mon Nov 30 02:00:00 2026\n"
      "Subject: one\n\nfirst body\n\n"
      "From bo@customer.example Mon Nov 30 02:01:00 2026\n"
      "Subject: two\n\nsecond body\n\n\nwith a blank line kept\n");
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].raw, "Subject: one\n\nfirst body\n");
  EXPECT_EQ(messages[1].raw, "Subject: two\n\nsecond body\n\n\nwith a blank line kept\n");
  EXPECT_FALSE(messages[0].truncated);
}

TEST(MboxReader, UnquotesOneLevelOfFromLinesInMboxrdAndMboxo) {
  const auto messages = ReadAll(
      "From a@b Mon Nov 30 02:00:00 2026\n"
      "Subject: quoted\n\n>From the start\n>>From deeper\n> From not quoted\nFromage\n");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].raw,
            "Subject: quoted\n\nFrom the start\n>From deeper\n> From not quoted\nFromage\n");
}

TEST(MboxReader, KeepsCrlfLineEnds) {
  const auto messages = ReadAll(
      "From a@b Mon Nov 30 02:00:00 2026\r\nSubject: x\r\n\r\nbody\r\n\r\n"
      "From a@b Mon Nov 30 02:00:00 2026\r\nSubject: y\r\n\r\nbody\r\n");
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].raw, "Subject: x\r\n\r\nbody\r\n");
  EXPECT_EQ(messages[1].raw, "Subject: y\r\n\r\nbody\r\n");
}

TEST(MboxReader, ASingleMessageWithoutSeparatorIsReadWhole) {
  const auto messages = ReadAll("Subject: piped\r\n\r\n>From stays quoted\r\n\r\n");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].raw, "Subject: piped\r\n\r\n>From stays quoted\r\n\r\n");
}

TEST(MboxReader, AnOversizedMessageIsCutAtTheLimitPlusOneAndTheNextOneIsIntact) {
  const std::string big(5000, 'x');
  const auto messages =
      ReadAll("From a@b Mon Nov 30 02:00:00 2026\nSubject: big\n\n" + big + "\n" + big +
                  "\n\nFrom a@b Mon Nov 30 02:00:00 2026\n"
                  "Subject: small\n\nok\n",
              1000);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_TRUE(messages[0].truncated);
  EXPECT_EQ(messages[0].raw.size(), 1001u);
  EXPECT_FALSE(messages[1].truncated);
  EXPECT_EQ(messages[1].raw, "Subject: small\n\nok\n");
}

TEST(MboxReader, AnEndlessLineIsCutNotHeld) {
  const std::string endless(3 << 20, 'y');  // no line end at all
  const auto messages =
      ReadAll("From a@b Mon Nov 30 02:00:00 2026\nSubject: x\n\n" + endless, 1000);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_TRUE(messages[0].truncated);
  EXPECT_EQ(messages[0].raw.size(), 1001u);
}

TEST(MboxReader, EmptyInputHasNoMessages) {
  EXPECT_TRUE(ReadAll("").empty());
}

}  // namespace
}  // namespace rampart::mail
