#include "mail/inbound/inline_images.h"

#include <gtest/gtest.h>

#include "mail/inbound/html_sanitizer.h"

namespace rampart::mail {
namespace {

const InlineImageUrls kUrls = {{"logo@a.example", "data:image/png;base64,AAAA"},
                               {"a&b\"c@a.example", "data:image/gif;base64,BBBB"}};

TEST(InlineImages, ReplacesOnlyTheImageSourcesNamingAKnownPart) {
  const std::string html = SanitizeHtml(
                               "<p><img src=\"cid:logo@a.example\" alt=\"cid:logo@a.example\">"
                               "<img src=\"cid:other@a.example\"><a href=\"https://x.example/\">"
                               "see src=\"cid:logo@a.example\"</a></p>")
                               .html;
  const std::string shown = WithInlineImages(html, kUrls);
  EXPECT_NE(shown.find("<img src=\"data:image/png;base64,AAAA\" alt=\"cid:logo@a.example\">"),
            std::string::npos)
      << shown;
  EXPECT_NE(shown.find("src=\"cid:other@a.example\""), std::string::npos) << shown;
  // Text that looks like an attribute is outside any tag and never matches.
  EXPECT_NE(shown.find(">see src=\"cid:logo@a.example\"</a>"), std::string::npos) << shown;
}

TEST(InlineImages, ContentIdsArePercentDecodedAndUnescaped) {
  const std::string html =
      SanitizeHtml("<img src=\"Cid:logo%40a.example\"><img src=\"cid:a&amp;b%22c@a.example\">")
          .html;
  const std::string shown = WithInlineImages(html, kUrls);
  EXPECT_NE(shown.find("src=\"data:image/png;base64,AAAA\""), std::string::npos) << shown;
  EXPECT_NE(shown.find("src=\"data:image/gif;base64,BBBB\""), std::string::npos) << shown;
}

TEST(InlineImages, WithoutUrlsOrMatchesTheHtmlIsUnchanged) {
  const std::string html = SanitizeHtml("<p>Hi <img src=\"cid:x@y\"> <img src=\"cid:\"></p>").html;
  EXPECT_EQ(WithInlineImages(html, {}), html);
  EXPECT_EQ(WithInlineImages(html, kUrls), html);
  EXPECT_EQ(WithInlineImages("<img src=\"cid:logo@a.example", kUrls),
            "<img src=\"cid:logo@a.example");  // unterminated: left alone
}

}  // namespace
}  // namespace rampart::mail
