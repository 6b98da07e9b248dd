#include "core/cidr.h"

#include <gtest/gtest.h>

namespace rampart::core {
namespace {

TEST(Cidr, Ipv4NetworksContainTheirAddresses) {
  auto c = Cidr::Parse("192.0.2.7/24");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->ToString(), "192.0.2.0/24");
  EXPECT_TRUE(c->Contains(*IpAddress::Parse("192.0.2.200")));
  EXPECT_FALSE(c->Contains(*IpAddress::Parse("192.0.3.1")));
  // The same client written as IPv4-mapped IPv6.
  EXPECT_TRUE(c->Contains(*IpAddress::Parse("::ffff:192.0.2.9")));
}

TEST(Cidr, Ipv6NetworksAndOddPrefixes) {
  auto c = Cidr::Parse("2001:db8::/33");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->Contains(*IpAddress::Parse("2001:db8:7fff::1")));
  EXPECT_FALSE(c->Contains(*IpAddress::Parse("2001:db8:8000::1")));
  EXPECT_FALSE(c->Contains(*IpAddress::Parse("192.0.2.1")));
  EXPECT_TRUE(Cidr::Parse("::/0")->Contains(*IpAddress::Parse("10.1.2.3")));
}

TEST(Cidr, BareAddressesAreSingleHosts) {
  auto c = Cidr::Parse("[2001:db8::1]");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->Contains(*IpAddress::Parse("2001:db8::1")));
  EXPECT_FALSE(c->Contains(*IpAddress::Parse("2001:db8::2")));
}

TEST(Cidr, MalformedInputIsRejected) {
  for (const char* bad : {"", "300.1.1.1", "192.0.2.0/33", "2001:db8::/129", "10.0.0.0/-1",
                          "10.0.0.0/", "10.0.0.0/8x", "example.com", "1.2.3.4/8/8"}) {
    EXPECT_FALSE(Cidr::Parse(bad)) << bad;
  }
}

TEST(CidrList, ParsesListsAndNamesTheBadEntry) {
  std::string error;
  auto list = CidrList::Parse("10.0.0.0/8, 2001:db8::/32\n192.0.2.1", error);
  ASSERT_TRUE(list);
  EXPECT_EQ(list->Networks().size(), 3u);
  EXPECT_TRUE(list->Contains("10.9.9.9"));
  EXPECT_TRUE(list->Contains("2001:db8::5"));
  EXPECT_FALSE(list->Contains("not an address"));
  EXPECT_FALSE(CidrList::Parse("10.0.0.0/8, nonsense", error));
  EXPECT_EQ(error, "nonsense");
}

}  // namespace
}  // namespace rampart::core
