#include "security/client_address.h"

#include <gtest/gtest.h>

namespace rampart::security {
namespace {

core::CidrList Trusted(const char* text) {
  std::string error;
  return *core::CidrList::Parse(text, error);
}

http::Request From(const char* peer) {
  http::Request r;
  r.peer_address = peer;
  return r;
}

TEST(ClientAddress, UntrustedPeersCannotChooseTheirAddress) {
  http::Request r = From("198.51.100.7");
  r.headers.Add("X-Forwarded-For", "10.0.0.1");
  EXPECT_EQ(ClientAddress(r, Trusted("10.0.0.0/8")), "198.51.100.7");
  EXPECT_EQ(ClientAddress(r, Trusted("")), "198.51.100.7");
}

TEST(ClientAddress, RightmostUntrustedAddressWins) {
  http::Request r = From("10.0.0.2");
  // The client forged the first entry; our proxy appended what it saw.
  r.headers.Add("X-Forwarded-For", "203.0.113.66, 198.51.100.7, 10.0.0.3");
  EXPECT_EQ(ClientAddress(r, Trusted("10.0.0.0/8")), "198.51.100.7");
}

TEST(ClientAddress, ForwardedHeaderWithIpv6AndPorts) {
  http::Request r = From("10.0.0.2");
  r.headers.Add("Forwarded", "for=\"[2001:db8::7]:4711\";proto=https, for=10.0.0.9");
  EXPECT_EQ(ClientAddress(r, Trusted("10.0.0.0/8")), "2001:db8::7");
}

TEST(ClientAddress, GarbageStopsTrustAtTheLastKnownProxy) {
  http::Request r = From("10.0.0.2");
  r.headers.Add("X-Forwarded-For", "203.0.113.5, <script>, 10.0.0.3");
  EXPECT_EQ(ClientAddress(r, Trusted("10.0.0.0/8")), "10.0.0.3");
}

TEST(ClientAddress, Ipv6Peers) {
  http::Request r = From("2001:db8::1");
  r.headers.Add("X-Forwarded-For", "192.0.2.44");
  EXPECT_EQ(ClientAddress(r, Trusted("2001:db8::/64")), "192.0.2.44");
}

}  // namespace
}  // namespace rampart::security
