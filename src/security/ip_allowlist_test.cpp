#include "security/ip_allowlist.h"

#include <gtest/gtest.h>

namespace rampart::security {
namespace {

core::CidrList List(const char* text) {
  std::string error;
  return *core::CidrList::Parse(text, error);
}

TEST(IpAllowlist, SavingAListThatExcludesTheSaverIsALockout) {
  IpAllowlists current;
  EXPECT_NE(LockoutProblem(current, IpScope::kEveryone, List("10.0.0.0/8"), "192.0.2.1", true), "");
  EXPECT_EQ(LockoutProblem(current, IpScope::kEveryone, List("192.0.2.0/24"), "192.0.2.1", true),
            "");
  EXPECT_NE(LockoutProblem(current, IpScope::kStaff, List("10.0.0.0/8"), "192.0.2.1", true), "");
  // A list for the API scope cannot lock a person out of the UI.
  EXPECT_EQ(LockoutProblem(current, IpScope::kApi, List("10.0.0.0/8"), "192.0.2.1", true), "");
  // Clearing a list never locks anyone out.
  EXPECT_EQ(LockoutProblem(current, IpScope::kStaff, List(""), "192.0.2.1", true), "");
}

TEST(IpAllowlist, ScopesRoundTrip) {
  for (IpScope s : {IpScope::kEveryone, IpScope::kStaff, IpScope::kApi}) {
    EXPECT_EQ(ParseIpScope(IpScopeName(s)), s);
  }
  EXPECT_FALSE(ParseIpScope("admins"));
}

}  // namespace
}  // namespace rampart::security
