#include "auth/password_hash.h"

#include <gtest/gtest.h>

namespace rampart::auth {
namespace {

// The floor cost keeps the tests fast; production uses the 64 MiB default.
constexpr HashCost kTestCost = kMinimumHashCost;

TEST(PasswordHash, StoresOnlyArgon2id) {
  const std::string hash = HashPassword("correct horse battery staple", kTestCost);
  EXPECT_EQ(hash.rfind("$argon2id$v=19$", 0), 0u) << hash;
  EXPECT_EQ(hash.find("correct horse"), std::string::npos);
  EXPECT_TRUE(VerifyPassword(hash, "correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(hash, "correct horse battery stapl"));
}

TEST(PasswordHash, SaltMakesEveryHashDifferent) {
  EXPECT_NE(HashPassword("same password here!", kTestCost),
            HashPassword("same password here!", kTestCost));
}

TEST(PasswordHash, CostBelowTheFloorIsRefused) {
  EXPECT_THROW(HashPassword("pw", HashCost{1, 8u * 1024 * 1024}), std::invalid_argument);
}

TEST(PasswordHash, RehashIsNeededWhenTheCostChanges) {
  const std::string hash = HashPassword("a long enough password", kTestCost);
  EXPECT_FALSE(NeedsRehash(hash, kTestCost));
  EXPECT_TRUE(NeedsRehash(hash, HashCost{3, 32u * 1024 * 1024}));
}

TEST(PasswordHash, NonArgonValuesNeverVerify) {
  EXPECT_FALSE(VerifyPassword("!demo-no-login", ""));
  EXPECT_FALSE(VerifyPassword("plaintext", "plaintext"));
}

}  // namespace
}  // namespace rampart::auth
