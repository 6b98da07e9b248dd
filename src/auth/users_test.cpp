#include "auth/users.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "auth/password_policy.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_database.h"

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
  EXPECT_EQ(BasicPasswordProblem("\xe5\xaf\x86\xe7\xa0\x81\xe5\xaf\x86\xe7\xa0\x81 unicode ok"),
            "");
  EXPECT_NE(BasicPasswordProblem(std::string(1025, 'a')), "");
  EXPECT_NE(BasicPasswordProblem("bad utf8 \xff\xfe padding"), "");
}

TEST(Users, RolesRoundTrip) {
  for (Role r : {Role::kOwner, Role::kAdmin, Role::kAgent, Role::kEndUser}) {
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  }
  EXPECT_FALSE(ParseRole("root"));
}

TEST(Users, StoredHashIsOfTheNormalizedPassword) {
  char tmpl[] = "/tmp/rampart-users-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::filesystem::path dir = tmpl;
  {
    storage::sqlite::Options options;
    options.path = dir / "test.db";
    options.read_connections = 1;
    auto db = storage::sqlite::Open(options);
    storage::sqlite::Migrate(*db);
    NewUser user;
    user.email = "ana@example.com";
    user.password = "pa\xcc\x88sswort mit umlaut";  // decomposed (NFD) a-umlaut
    const std::int64_t id = CreateUser(*db, user, kMinimumHashCost, 0);
    storage::Lease c = db->Read();
    const std::string hash =
        c->QueryOne("SELECT password_hash FROM users WHERE id = ?", {id})->Text(0);
    // Typed later in composed form (NFC), it still verifies once normalized.
    EXPECT_TRUE(VerifyPassword(hash, *NormalizePassword("p\xc3\xa4sswort mit umlaut")));
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace rampart::auth
