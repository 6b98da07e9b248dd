#include "mime/email_message.h"

#include <gtest/gtest.h>

namespace rampart::mime {
namespace {

const std::string kMail =
    "Return-Path: <bounce@customer.example>\r\n"
    "Authentication-Results: mx.help.example; spf=pass smtp.mailfrom=customer.example\r\n"
    "From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@customer.example>\r\n"
    "To: Support <support@help.example>, team: a@help.example, b@help.example;\r\n"
    "Cc: ana@customer.example\r\n"
    "Subject: =?ISO-8859-1?Q?Drucker_kaputt_=E4_bitte_helfen?=\r\n"
    "Date: Sun, 29 Nov 2026 10:00:00 +0100\r\n"
    "Message-ID: <abc.123@customer.example>\r\n"
    "In-Reply-To: <rmp-7-aaaa@help.example>\r\n"
    "References: <first@customer.example>\r\n <rmp-7-aaaa@help.example>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"outer\"\r\n"
    "\r\n"
    "--outer\r\n"
    "Content-Type: multipart/alternative; boundary=\"alt\"\r\n"
    "\r\n"
    "--alt\r\n"
    "Content-Type: text/plain; charset=iso-8859-1\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "Gr=FC=DFe, der Drucker ist kaputt. Sehr lange Zeile mit weichem =\r\n"
    "Umbruch.\r\n"
    "--alt\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "\r\n"
    "<p>Gr\xC3\xBC\xC3\x9F"
    "e <img src=\"cid:logo@customer.example\"></p>\r\n"
    "--alt--\r\n"
    "--outer\r\n"
    "Content-Type: image/png\r\n"
    "Content-ID: <logo@customer.example>\r\n"
    "Content-Disposition: inline\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "iVBORw0KGgo=\r\n"
    "--outer\r\n"
    "Content-Type: application/octet-stream\r\n"
    "Content-Disposition: attachment; filename*=UTF-8''Fehlerbericht%20%C3%BC.bin\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "AAECAwQ=\r\n"
    "--outer\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "From: someone@elsewhere.example\r\n"
    "Subject: Original\r\n"
    "\r\n"
    "Forwarded text\r\n"
    "--outer--\r\n";

TEST(ParseEmail, HeadersAddressesBodiesAndAttachments) {
  const ParsedEmail parsed = ParseEmail(kMail);
  ASSERT_EQ(parsed.error, EmailError::kNone);
  const EmailMessage& m = parsed.message;
  EXPECT_EQ(m.from.name, "J\xC3\xBCrgen M\xC3\xBCller");
  EXPECT_EQ(m.from.address, "juergen@customer.example");
  ASSERT_EQ(m.to.size(), 3u);  // the group's members count as recipients
  EXPECT_EQ(m.to[0].address, "support@help.example");
  EXPECT_EQ(m.to[2].address, "b@help.example");
  ASSERT_EQ(m.cc.size(), 1u);
  EXPECT_EQ(m.subject, "Drucker kaputt \xC3\xA4 bitte helfen");
  EXPECT_EQ(m.message_id, "abc.123@customer.example");
  EXPECT_EQ(m.in_reply_to, std::vector<std::string>{"rmp-7-aaaa@help.example"});
  EXPECT_EQ(m.references,
            (std::vector<std::string>{"first@customer.example", "rmp-7-aaaa@help.example"}));
  EXPECT_EQ(m.date, 1795942800);
  EXPECT_EQ(m.Header("authentication-results"),
            "mx.help.example; spf=pass smtp.mailfrom=customer.example");
  EXPECT_EQ(m.text_body,
            "Gr\xC3\xBC\xC3\x9F"
            "e, der Drucker ist kaputt. Sehr lange Zeile mit weichem Umbruch.");
  EXPECT_NE(m.html_body.find("cid:logo@customer.example"), std::string::npos);
  ASSERT_EQ(m.attachments.size(), 3u);
  EXPECT_TRUE(m.attachments[0].is_inline);
  EXPECT_EQ(m.attachments[0].content_id, "logo@customer.example");
  EXPECT_EQ(m.attachments[0].bytes, std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(m.attachments[1].filename, "Fehlerbericht \xC3\xBC.bin");
  EXPECT_EQ(m.attachments[1].bytes, std::string("\x00\x01\x02\x03\x04", 5));
  EXPECT_FALSE(m.attachments[1].is_inline);
  EXPECT_EQ(m.attachments[2].filename, "Original.eml");
  EXPECT_NE(m.attachments[2].bytes.find("Forwarded text"), std::string::npos);
  EXPECT_FALSE(m.truncated);
}

TEST(ParseEmail, CharsetsBecomeValidUtf8) {
  const ParsedEmail sjis = ParseEmail(
      "From: a@b.example\r\nSubject: =?Shift_JIS?B?g2WDWINn?=\r\n"
      "Content-Type: text/plain; charset=Shift_JIS\r\nContent-Transfer-Encoding: base64\r\n\r\n"
      "g2WDWINn\r\n");
  EXPECT_EQ(sjis.message.subject, "\xE3\x83\x86\xE3\x82\xB9\xE3\x83\x88");  // テスト
  EXPECT_EQ(sjis.message.text_body, "\xE3\x83\x86\xE3\x82\xB9\xE3\x83\x88");
  // A part that lies about its charset still comes out as valid UTF-8.
  const ParsedEmail lying = ParseEmail(
      "From: a@b.example\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nbad \xFF\xFE bytes\r\n");
  const std::string& text = lying.message.text_body;
  EXPECT_EQ(text.find('\xFF'), std::string::npos) << text;
  EXPECT_EQ(text.find('\xFE'), std::string::npos) << text;
  EXPECT_EQ(text.rfind("bad ", 0), 0u) << text;
  EXPECT_NE(text.find(" bytes"), std::string::npos) << text;
}

TEST(ParseEmail, LimitsAreApplied) {
  EmailLimits limits;
  limits.max_message_bytes = 100;
  EXPECT_EQ(ParseEmail(std::string(101, 'a'), limits).error, EmailError::kTooLarge);
  limits = {};
  limits.max_parts = 3;
  const ParsedEmail parsed = ParseEmail(kMail, limits);
  EXPECT_TRUE(parsed.message.truncated);
  EXPECT_LT(parsed.message.attachments.size(), 3u);
  // Deeply nested multiparts stop at the depth limit instead of recursing on.
  std::string deep = "From: a@b.example\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n";
  for (int i = 0; i < 60; ++i) {
    deep.append("--b").append(std::to_string(i));
    deep.append("\r\nContent-Type: multipart/mixed; boundary=b").append(std::to_string(i + 1));
    deep.append("\r\n\r\n");
  }
  EXPECT_TRUE(ParseEmail(deep).message.truncated);
}

TEST(ParseEmail, GarbageIsReadWithoutCrashing) {
  for (const std::string& input :
       {std::string(), std::string("\r\n\r\n"), std::string("no headers at all"),
        std::string("From: <<<>>>\r\nTo: ,,,;;;\r\nDate: yesterday\r\n\r\n"),
        std::string("Content-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\n--\r\n"),
        std::string("From: a@b\r\n\0\0\0\r\n\r\nbody", 20)}) {
    const ParsedEmail parsed = ParseEmail(input);
    EXPECT_EQ(parsed.message.date, 0) << input;
  }
}

TEST(MessageIds, BoundedAndPlausible) {
  EXPECT_EQ(MessageIds("<a@b> junk <c@d>"), (std::vector<std::string>{"a@b", "c@d"}));
  EXPECT_TRUE(MessageIds("<> <with space@x> <unterminated").empty());
  std::string many;
  for (int i = 0; i < 500; ++i) many.append("<").append(std::to_string(i)).append("@x> ");
  EXPECT_EQ(MessageIds(many).size(), 100u);
}

}  // namespace
}  // namespace rampart::mime
