#include "security/local_path.h"

#include <gtest/gtest.h>

namespace rampart::security {
namespace {

TEST(LocalPath, KeepsPathsOnThisSite) {
  EXPECT_EQ(LocalPathOrEmpty("/account/2fa/setup"), "/account/2fa/setup");
  EXPECT_EQ(LocalPathOrEmpty("/agent/search?q=printer&page=2"), "/agent/search?q=printer&page=2");
  EXPECT_EQ(LocalPathOrEmpty("/"), "/");
}

TEST(LocalPath, RefusesEverythingThatCouldLeaveTheSite) {
  for (const char* bad :
       {"", "//evil.example", "//evil.example/path", "https://evil", "http://evil.example/",
        "/\\evil", "\\\\evil", "/\\/evil", "javascript:alert(1)", "evil.example", "/%2F/evil",
        "/%5Cevil", "/a\tb", "/a\nb", "/a b", " /x", "/\x7f", "/caf\xc3\xa9"}) {
    EXPECT_EQ(LocalPathOrEmpty(bad), "") << bad;
  }
  EXPECT_EQ(LocalPathOrEmpty("/" + std::string(2000, 'a')), "");
}

TEST(LocalPath, EncodesAQueryValue) {
  EXPECT_EQ(EncodeQueryValue("/agent/search?q=a b&x=1"), "/agent/search%3Fq%3Da%20b%26x%3D1");
}

}  // namespace
}  // namespace rampart::security
