#include "mail/notify/notification_template.h"

#include <gtest/gtest.h>

#include "core/errors.h"

namespace rampart::mail {
namespace {

const TemplateValues kValues = {
    {"ticket.number", "RMP-1042"},  {"ticket.subject", "Printer offline"},
    {"requester.name", "Ana"},      {"agent.name", "Sam"},
    {"message.body", "Try again."}, {"ticket.url", "https://help.example/portal/tickets/RMP-1042"}};

std::string RefusalOf(const MailTemplate& t) {
  try {
    CheckTemplate(t);
  } catch (const core::Invalid& e) {
    return e.UserText();
  }
  return "accepted";
}

TEST(NotificationTemplate, FillsEveryKnownPlaceholderAsPlainText) {
  EXPECT_EQ(Fill("{{requester.name}}: [{{ticket.number}}] {{ticket.subject}} by {{agent.name}}\n"
                 "{{message.body}} {{ticket.url}}",
                 kValues),
            "Ana: [RMP-1042] Printer offline by Sam\nTry again. "
            "https://help.example/portal/tickets/RMP-1042");
  EXPECT_EQ(Fill("no placeholders", kValues), "no placeholders");
  EXPECT_EQ(Fill("{{agent.name}}", {}), "");  // a known placeholder without a value
  EXPECT_EQ(Fill("tail {{", kValues), "tail {{");
}

TEST(NotificationTemplate, AValueThatLooksLikeAPlaceholderIsNotFilledAgain) {
  TemplateValues values = kValues;
  values["message.body"] = "{{agent.name}} and {{ticket.url}}";
  EXPECT_EQ(Fill("{{message.body}}", values), "{{agent.name}} and {{ticket.url}}");
}

TEST(NotificationTemplate, EveryDefaultPassesItsOwnCheck) {
  for (NotificationKind kind : kNotificationKinds) {
    const MailTemplate t = DefaultTemplate(kind);
    EXPECT_EQ(RefusalOf(t), "accepted") << KindName(kind);
    EXPECT_EQ(ParseKind(KindName(kind)), kind);
  }
  EXPECT_FALSE(ParseKind("password_reset"));
}

TEST(NotificationTemplate, UnknownOrUnclosedPlaceholdersAreRefusedByName) {
  EXPECT_NE(RefusalOf({"[{{ticket.numbr}}]", "body"}).find("unknown placeholder {{ticket.numbr}}"),
            std::string::npos);
  EXPECT_NE(RefusalOf({"ok", "Dear {{requester.password}}"}).find("body: uses the unknown"),
            std::string::npos);
  EXPECT_NE(RefusalOf({"ok", "Dear {{requester.name"}).find("without its"), std::string::npos);
  EXPECT_NE(RefusalOf({"ok", "{{<script>alert(1)</script>}}"}).find("unknown placeholder"),
            std::string::npos);
}

TEST(NotificationTemplate, EmptyOversizedAndNonUtf8TemplatesAreRefused) {
  EXPECT_EQ(RefusalOf({" \r\n", "body"}), "subject: must not be empty");
  EXPECT_EQ(RefusalOf({"ok", ""}), "body: must not be empty");
  EXPECT_EQ(RefusalOf({std::string(301, 'x'), "body"}), "subject: may be at most 300 characters");
  EXPECT_EQ(RefusalOf({std::string(300, 'x'), std::string(10'000, 'y')}), "accepted");
  EXPECT_EQ(RefusalOf({"ok", std::string(10'001, 'y')}), "body: may be at most 10000 characters");
  EXPECT_EQ(RefusalOf({"ok", "bad \xC3\x28 byte"}), "body: must be UTF-8 text");
  // Characters, not bytes: 300 two-byte letters fit.
  std::string umlauts;
  for (int i = 0; i < 300; ++i) umlauts += "\xC3\xBC";
  EXPECT_EQ(RefusalOf({umlauts, "body"}), "accepted");
}

TEST(NotificationTemplate, CheckMakesLineEndsLf) {
  EXPECT_EQ(CheckTemplate({"s", "a\r\nb\r\n"}).body, "a\nb\n");
}

TEST(NotificationTemplate, ASubjectNeverCarriesALineBreakIntoTheHeader) {
  TemplateValues values = kValues;
  values["ticket.subject"] = "Hi\r\nBcc: x@evil.example\r\n\r\nbody";
  const std::string subject = FillSubject("[{{ticket.number}}] {{ticket.subject}}", values);
  EXPECT_EQ(subject.find_first_of("\r\n"), std::string::npos);
  EXPECT_EQ(subject, "[RMP-1042] Hi  Bcc: x@evil.example    body");
  values["ticket.subject"] = std::string(1000, 'a');
  EXPECT_EQ(FillSubject("{{ticket.subject}}", values).size(), kMaxFilledSubjectChars);
  values["ticket.subject"] = std::string("\x7f\t\x01", 3);
  EXPECT_EQ(FillSubject("{{ticket.subject}}", values), "   ");
}

TEST(NotificationTemplate, TheHtmlAlternativeEscapesEverything) {
  const std::string html = HtmlAlternative(
      "<script>alert(1)</script>\n\"><img src=x onerror=alert(1)>\njavascript:alert(1) & 'q'");
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_NE(html.find("javascript:alert(1) &amp; &#39;q&#39;"), std::string::npos);
  // The only elements are the wrapper's own.
  EXPECT_EQ(html.find("href"), std::string::npos);
}

}  // namespace
}  // namespace rampart::mail
