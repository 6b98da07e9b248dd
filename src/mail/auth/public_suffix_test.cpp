#include "mail/auth/public_suffix.h"

#include <gtest/gtest.h>

namespace rampart::mail {
namespace {

TEST(PublicSuffixList, OrganizationalDomainsFromTheShippedList) {
  const auto list = PublicSuffixList::Load();
  EXPECT_EQ(list.OrganizationalDomain("mail.example.com"), "example.com");
  EXPECT_EQ(list.OrganizationalDomain("a.b.example.co.uk"), "example.co.uk");
  EXPECT_EQ(list.OrganizationalDomain("Example.COM."), "example.com");
  EXPECT_EQ(list.OrganizationalDomain("example.com"), "example.com");
  EXPECT_EQ(list.OrganizationalDomain("co.uk"), "co.uk");
  // Private-section suffixes: two customers of one hosting domain are different organizations.
  EXPECT_EQ(list.OrganizationalDomain("alice.github.io"), "alice.github.io");
  EXPECT_EQ(list.OrganizationalDomain("mail.alice.github.io"), "alice.github.io");
  // An unknown top-level domain falls under the default rule "*".
  EXPECT_EQ(list.OrganizationalDomain("x.y.example.invalidtld"), "example.invalidtld");
  // Internationalized suffixes match in their A-label form.
  EXPECT_EQ(list.OrganizationalDomain("shop.xn--fiqs8s"), "shop.xn--fiqs8s");
  EXPECT_EQ(list.OrganizationalDomain("a.shop.xn--fiqs8s"), "shop.xn--fiqs8s");
}

TEST(PublicSuffixList, WildcardAndExceptionRules) {
  const auto list = PublicSuffixList::FromText("// comment\nck\n*.ck\n!www.ck\ncom\n");
  EXPECT_EQ(list.OrganizationalDomain("a.b.example.ck"), "b.example.ck");
  EXPECT_EQ(list.OrganizationalDomain("mail.www.ck"), "www.ck");
  EXPECT_EQ(list.OrganizationalDomain("x.example.com"), "example.com");
}

TEST(PublicSuffixList, MalformedNamesHaveNoOrganizationalDomain) {
  const auto list = PublicSuffixList::FromText("com\n");
  EXPECT_EQ(list.OrganizationalDomain(""), "");
  EXPECT_EQ(list.OrganizationalDomain("a..com"), "");
  EXPECT_EQ(list.OrganizationalDomain("evil.com\r\nX: y"), "");
  EXPECT_EQ(list.OrganizationalDomain(".com"), "");
}

}  // namespace
}  // namespace rampart::mail
