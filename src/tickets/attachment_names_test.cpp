#include "tickets/attachment_names.h"

#include <gtest/gtest.h>

#include <string>

namespace rampart::tickets {
namespace {

TEST(NormalizeFilename, KeepsOrdinaryNames) {
  EXPECT_EQ(NormalizeFilename("report.pdf"), "report.pdf");
  EXPECT_EQ(NormalizeFilename("Fehlerbericht \xC3\xBC.txt"), "Fehlerbericht \xC3\xBC.txt");
  EXPECT_EQ(NormalizeFilename(".htaccess"), ".htaccess");
}

TEST(NormalizeFilename, RemovesBidiOverridesAndIsolates) {
  // "invoice\u202Egpj.exe" shows as "invoiceexe.jpg".
  EXPECT_EQ(NormalizeFilename("invoice\xE2\x80\xAEgpj.exe"), "invoicegpj.exe");
  // U+2066..U+2069 (isolates), U+200E/U+200F (marks), U+200B (zero width space), U+FEFF.
  EXPECT_EQ(NormalizeFilename("\xE2\x81\xA6"
                              "a\xE2\x81\xA7"
                              "b\xE2\x81\xA8"
                              "c\xE2\x81\xA9"
                              "\xE2\x80\x8E"
                              "d\xE2\x80\x8F\xE2\x80\x8B\xEF\xBB\xBF.txt"),
            "abcd.txt");
}

TEST(NormalizeFilename, RemovesControlCharactersAndSeparatorsOfLines) {
  EXPECT_EQ(NormalizeFilename(std::string("a\0b\r\nc\x7F\td.txt", 13)), "abcd.txt");
  EXPECT_EQ(NormalizeFilename("a\xC2\x85"
                              "b.txt"),
            "ab.txt");  // NEL (C1)
  EXPECT_EQ(NormalizeFilename("a\xE2\x80\xA8"
                              "b\xE2\x80\xA9.txt"),
            "ab.txt");  // U+2028/9
  EXPECT_EQ(NormalizeFilename("a\xEE\x80\x80"
                              "b.txt"),
            "ab.txt");  // private use
}

TEST(NormalizeFilename, AppliesNfkcBeforeLookingForSeparators) {
  // Full-width solidus and reverse solidus become '/' and '\' under NFKC: then separators.
  EXPECT_EQ(NormalizeFilename("..\xEF\xBC\x8F..\xEF\xBC\x8F"
                              "etc\xEF\xBC\xBCpasswd"),
            "passwd");
  EXPECT_EQ(NormalizeFilename("\xEF\xAC\x81le.txt"), "file.txt");  // the "fi" ligature
  EXPECT_EQ(NormalizeFilename("\xEF\xBC\xA1.txt"), "A.txt");       // full-width A
  EXPECT_EQ(NormalizeFilename("e\xCC\x81.txt"), "\xC3\xA9.txt");   // composed
}

TEST(NormalizeFilename, KeepsOnlyTheLastPathComponent) {
  EXPECT_EQ(NormalizeFilename("../../etc/passwd"), "passwd");
  EXPECT_EQ(NormalizeFilename("C:\\Users\\ana\\scan.png"), "scan.png");
  EXPECT_EQ(NormalizeFilename("dir/"), "attachment");
}

TEST(NormalizeFilename, FallsBackForEmptyOrDotNames) {
  EXPECT_EQ(NormalizeFilename(""), "attachment");
  EXPECT_EQ(NormalizeFilename("   "), "attachment");
  EXPECT_EQ(NormalizeFilename(".."), "attachment");
  EXPECT_EQ(NormalizeFilename("\xE2\x80\xAE\xE2\x80\xAE"), "attachment");
  EXPECT_EQ(NormalizeFilename("\xFF\xFE\xC0\xAF"), "attachment");  // no valid UTF-8 at all
}

TEST(NormalizeFilename, DropsInvalidUtf8AndTrims) {
  EXPECT_EQ(NormalizeFilename("  a\xFF"
                              "b.txt \xE3\x80\x80"),
            "ab.txt");  // U+3000 space
}

TEST(NormalizeFilename, CapsLengthKeepingAShortExtension) {
  const std::string name = NormalizeFilename(std::string(400, 'x') + ".pdf");
  EXPECT_EQ(name.size(), kMaxFilenameChars);
  EXPECT_EQ(name.substr(name.size() - 4), ".pdf");
  EXPECT_EQ(NormalizeFilename(std::string(400, 'y')).size(), kMaxFilenameChars);
  // Characters, not bytes: 200 two-byte letters become 150 of them.
  std::string umlauts;
  for (int i = 0; i < 200; ++i) umlauts += "\xC3\xBC";
  EXPECT_EQ(NormalizeFilename(umlauts).size(), kMaxFilenameChars * 2);
}

TEST(NormalizeFilename, LeavesMarkupAloneForTheRendererToEscape) {
  // A name is text; escaping is the template's and the header builder's job. The '/' of a
  // closing tag is a separator like any other.
  EXPECT_EQ(NormalizeFilename("\"><img src=x onerror=alert(1)>.png"),
            "\"><img src=x onerror=alert(1)>.png");
  EXPECT_EQ(NormalizeFilename("<script>alert(1)</script>.png"), "script>.png");
}

TEST(ContentDisposition, GivesAnAsciiFallbackAndTheExactNameEncoded) {
  EXPECT_EQ(ContentDisposition("r\xC3\xA9sum\xC3\xA9 1.pdf", false),
            "attachment; filename=\"r_sum_ 1.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%201.pdf");
  EXPECT_EQ(ContentDisposition("a.png", true),
            "inline; filename=\"a.png\"; filename*=UTF-8''a.png");
}

TEST(ContentDisposition, CannotBeBrokenOutOfByQuotesOrHeaderSyntax) {
  const std::string v = ContentDisposition("\"><img src=x onerror=alert(1)>;x=\"%0d.png", false);
  EXPECT_EQ(
      v,
      "attachment; filename=\"_><img src=x onerror=alert(1)>;x=__0d.png\"; "
      "filename*=UTF-8''%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E%3Bx%3D%22%250d.png");
  EXPECT_EQ(v.find('\r'), std::string::npos);
  EXPECT_EQ(v.find('\n'), std::string::npos);
}

TEST(IsInlineImageType, OnlyRasterImages) {
  for (const char* t : {"image/png", "image/jpeg", "image/gif", "image/webp"}) {
    EXPECT_TRUE(IsInlineImageType(t)) << t;
  }
  for (const char* t : {"image/svg+xml", "text/html", "application/pdf", "text/plain",
                        "application/octet-stream", "image/PNG", ""}) {
    EXPECT_FALSE(IsInlineImageType(t)) << t;
  }
}

}  // namespace
}  // namespace rampart::tickets
