#include "mime/compose.h"

#include <gtest/gtest.h>

#include "mime/email_message.h"

namespace rampart::mime {
namespace {

OutgoingEmail Reply() {
  OutgoingEmail e;
  e.from = {"Rampart Support", "support@help.example"};
  e.to = {{"Jürgen Müller", "juergen@customer.example"}};
  e.reply_to = {{"", "support+rmp-7-abc@help.example"}};
  e.subject = "[RMP-7] Drucker kaputt – bitte helfen";
  e.message_id = "rmp-7-abc.x1@help.example";
  e.in_reply_to = {"orig@customer.example"};
  e.references = {"first@customer.example", "orig@customer.example"};
  e.date = 1795942800;
  e.text_body = "Grüße,\nwe are on it.";
  e.html_body = "<p>Grüße, we are on it.</p>";
  return e;
}

TEST(ComposeEmail, RoundTripsThroughTheParser) {
  const ComposedEmail composed = ComposeEmail(Reply());
  ASSERT_TRUE(composed.errors.empty());
  for (unsigned char c : composed.bytes) EXPECT_LT(c, 0x80);  // 7-bit clean after encoding
  EXPECT_NE(composed.bytes.find("\r\n"), std::string::npos);
  const ParsedEmail parsed = ParseEmail(composed.bytes);
  ASSERT_EQ(parsed.error, EmailError::kNone);
  EXPECT_EQ(parsed.message.subject, "[RMP-7] Drucker kaputt – bitte helfen");
  EXPECT_EQ(parsed.message.to[0].name, "Jürgen Müller");
  EXPECT_EQ(parsed.message.message_id, "rmp-7-abc.x1@help.example");
  EXPECT_EQ(parsed.message.references,
            (std::vector<std::string>{"first@customer.example", "orig@customer.example"}));
  EXPECT_EQ(parsed.message.text_body, "Grüße,\nwe are on it.");
  EXPECT_NE(parsed.message.html_body.find("<p>Grüße"), std::string::npos);
  EXPECT_EQ(parsed.message.reply_to[0].address, "support+rmp-7-abc@help.example");
}

TEST(ComposeEmail, LineBreaksInUserValuesNeverMakeNewHeaders) {
  OutgoingEmail e = Reply();
  e.subject = "Hello\r\nBcc: victim@elsewhere.example\r\n\r\nInjected body";
  e.to[0].name = "Ana\r\nX-Injected: yes";
  const ComposedEmail composed = ComposeEmail(e);
  ASSERT_TRUE(composed.errors.empty());
  const ParsedEmail parsed = ParseEmail(composed.bytes);
  EXPECT_EQ(parsed.message.Header("Bcc"), "");
  EXPECT_EQ(parsed.message.Header("X-Injected"), "");
  EXPECT_NE(parsed.message.subject.find("Bcc: victim"), std::string::npos);  // inert text
  EXPECT_EQ(composed.bytes.find("\r\nBcc:"), std::string::npos);
}

TEST(ComposeEmail, BadAddressesAndIdsAreRefusedByField) {
  OutgoingEmail e = Reply();
  e.to = {{"", "ana@customer.example\r\nBcc: x@evil.example"}};
  e.cc = {{"", "Ana <ana@customer.example>"}};
  e.in_reply_to = {"a b@c"};
  const ComposedEmail composed = ComposeEmail(e);
  EXPECT_TRUE(composed.bytes.empty());
  ASSERT_EQ(composed.errors.size(), 3u);
  EXPECT_EQ(composed.errors[0].field, "to");
  EXPECT_EQ(composed.errors[1].field, "cc");
  EXPECT_EQ(composed.errors[2].field, "in_reply_to");
  e = Reply();
  e.message_id = "<bracketed@x>";
  EXPECT_EQ(ComposeEmail(e).errors.at(0).field, "message_id");
}

TEST(ComposeEmail, NotificationsSayTheyAreAutomatic) {
  OutgoingEmail e = Reply();
  e.auto_submitted = true;
  e.html_body.clear();
  const ParsedEmail parsed = ParseEmail(ComposeEmail(e).bytes);
  EXPECT_EQ(parsed.message.Header("Auto-Submitted"), "auto-generated");
  EXPECT_TRUE(parsed.message.html_body.empty());
}

}  // namespace
}  // namespace rampart::mime
