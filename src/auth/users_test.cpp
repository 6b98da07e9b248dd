#include "auth/users.h"

#include <gtest/gtest.h>

namespace rampart::auth {
namespace {

TEST(Users, EmailRulesNameTheProblem) {
  EXPECT_EQ(EmailProblem("ana@example.com"), "");
  EXPECT_NE(EmailProblem("ana@localhost"), "");
  EXPECT_NE(EmailProblem("a@b@example.com"), "");
  EXPECT_NE(EmailProblem("ana@example.com\r\nBcc: x@example.com"), "");
  EXPECT_NE(EmailProblem("\"ana\"@example.com"), "");
  EXPECT_NE(EmailProblem(std::string(250, 'a') + "@example.com"), "");
}

TEST(Users, PasswordsFollowNistLengthRules) {
  EXPECT_NE(BasicPasswordProblem("short"), "");
  EXPECT_EQ(BasicPasswordProblem("fifteen chars!!"), "");
  EXPECT_EQ(BasicPasswordProblem("\xe5\xaf\x86\xe7\xa0\x81\xe5\xaf\x86\xe7\xa0\x81 unicode ok"), "");
  EXPECT_NE(BasicPasswordProblem(std::string(1025, 'a')), "");
  EXPECT_NE(BasicPasswordProblem("bad utf8 \xff\xfe padding"), "");
}

TEST(Users, RolesRoundTrip) {
  for (Role r : {Role::kOwner, Role::kAdmin, Role::kAgent, Role::kEndUser}) {
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  }
  EXPECT_FALSE(ParseRole("root"));
}

}  // namespace
}  // namespace rampart::auth
