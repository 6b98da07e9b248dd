#include "auth/password_hash.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <thread>
#include <vector>

#include "auth/argon2_phc.h"

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

// Hashes written by libsodium (earlier releases stored them) verify here, and ours verify there:
// the same PHC strings, the same argon2id.
TEST(PasswordHash, InteroperatesWithLibsodium) {
  ASSERT_GE(sodium_init(), 0);
  char sodium_hash[crypto_pwhash_STRBYTES];
  ASSERT_EQ(crypto_pwhash_str_alg(sodium_hash, "from libsodium 1", 16, kTestCost.passes,
                                  kTestCost.memory_bytes, crypto_pwhash_ALG_ARGON2ID13),
            0);
  EXPECT_TRUE(VerifyPassword(sodium_hash, "from libsodium 1"));
  EXPECT_FALSE(VerifyPassword(sodium_hash, "from libsodium 2"));
  const std::string ours = HashPassword("from rampart 1", kTestCost);
  EXPECT_EQ(crypto_pwhash_str_verify(ours.c_str(), "from rampart 1", 14), 0);
  EXPECT_NE(crypto_pwhash_str_verify(ours.c_str(), "from rampart 2", 14), 0);
}

// The RFC 9106 section 5.3 style check against a fixed string: a known password, salt and cost
// give a known hash (computed by libsodium, an independent implementation).
TEST(PasswordHash, VerifiesAKnownVector) {
  ASSERT_GE(sodium_init(), 0);
  const std::string password = "known vector password";
  const unsigned char salt[crypto_pwhash_SALTBYTES] = {1, 2,  3,  4,  5,  6,  7,  8,
                                                       9, 10, 11, 12, 13, 14, 15, 16};
  unsigned char raw[32];
  ASSERT_EQ(crypto_pwhash(raw, sizeof raw, password.data(), password.size(), salt, 2,
                          19u * 1024 * 1024, crypto_pwhash_ALG_ARGON2ID13),
            0);
  Argon2idPhc phc;
  phc.memory_kib = 19456;
  phc.passes = 2;
  phc.salt.assign(salt, salt + sizeof salt);
  phc.hash.assign(raw, raw + sizeof raw);
  const std::string encoded = FormatArgon2idPhc(phc);
  EXPECT_TRUE(VerifyPassword(encoded, password));
  phc.hash[0] ^= 1;
  EXPECT_FALSE(VerifyPassword(FormatArgon2idPhc(phc), password));
}

TEST(PasswordHash, MalformedOrExtravagantStringsAreRefusedWithoutHashing) {
  const std::string good = HashPassword("a good password", kTestCost);
  ASSERT_TRUE(ParseArgon2idPhc(good));
  EXPECT_EQ(FormatArgon2idPhc(*ParseArgon2idPhc(good)), good);
  const std::string tail = good.substr(good.find("$", 30));
  for (const std::string& bad : {
           std::string("$argon2i$v=19$m=19456,t=2,p=1") + tail,        // not argon2id
           std::string("$argon2id$v=16$m=19456,t=2,p=1") + tail,       // old version
           std::string("$argon2id$v=19$m=019456,t=2,p=1") + tail,      // leading zero
           std::string("$argon2id$v=19$t=2,m=19456,p=1") + tail,       // order
           std::string("$argon2id$v=19$m=4294967295,t=2,p=1") + tail,  // 4 TiB
           std::string("$argon2id$v=19$m=19456,t=100,p=1") + tail,     // passes
           std::string("$argon2id$v=19$m=19456,t=2,p=0") + tail,       // no lanes
           std::string("$argon2id$v=19$m=4,t=2,p=1") + tail,           // under 8 KiB a lane
           good + "=",                                                 // padding
           good + "$x",                                                // extra part
           good.substr(0, good.size() - 1) + "*",                      // not base64
           good.substr(0, good.rfind('$')),                            // no hash
       }) {
    EXPECT_FALSE(ParseArgon2idPhc(bad)) << bad;
    EXPECT_FALSE(VerifyPassword(bad, "a good password")) << bad;
  }
}

// Reserved blocks serve hashes from several threads at once (more threads than blocks: the rest
// get memory of their own) and give the same answers.
TEST(PasswordHash, ReservedMemoryServesConcurrentHashes) {
  ReserveHashMemory(1, kTestCost);
  const std::string hash = HashPassword("shared by threads", kTestCost);
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      ok[i] = VerifyPassword(hash, "shared by threads") && !VerifyPassword(hash, "other") ? 1 : 0;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, std::vector<int>(4, 1));
}

}  // namespace
}  // namespace rampart::auth
