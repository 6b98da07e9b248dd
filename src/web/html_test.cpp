#include "web/html.h"

#include <gtest/gtest.h>

namespace rampart::web {
namespace {

TEST(Html, EscapesEveryMarkupCharacter) {
  EXPECT_EQ(EscapeHtml("<script>alert(1)</script>\"'&"),
            "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;");
}

TEST(Html, SnippetsMarkMatchesButNeverMarkup) {
  const std::string snippet = "a \x02<img src=x onerror=alert(1)>\x03 b";
  EXPECT_EQ(HighlightSnippet(snippet, '\x02', '\x03').html,
            "a <mark>&lt;img src=x onerror=alert(1)&gt;</mark> b");
  // Unbalanced markers never leave an element open.
  EXPECT_EQ(HighlightSnippet("\x02open", '\x02', '\x03').html, "<mark>open</mark>");
  EXPECT_EQ(HighlightSnippet("close\x03", '\x02', '\x03').html, "close");
}

}  // namespace
}  // namespace rampart::web
