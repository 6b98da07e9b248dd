#include "auth/api_tokens.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "auth/users.h"
#include "core/errors.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_database.h"

namespace rampart::auth {
namespace {

class ApiTokensTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/rampart-tokens-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    db_ = storage::sqlite::Open({dir_ / "t.db"});
    storage::sqlite::Migrate(*db_);
    user_ = CreateUser(*db_, {"ana@example.com", "Ana", Role::kAgent, "a long enough password"},
                       kMinimumHashCost, 0);
    other_ = CreateUser(*db_, {"bob@example.com", "Bob", Role::kAgent, "a long enough password"},
                        kMinimumHashCost, 0);
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::string Create(std::int64_t user, TokenScope scope, std::int64_t now = 1000) {
    storage::Lease w = db_->Write();
    return CreateApiToken(*w, key_, user, "ci", scope, now);
  }
  std::int64_t OnlyTokenId(std::int64_t user) {
    storage::Lease r = db_->Read();
    auto list = ListApiTokens(*r, user);
    EXPECT_EQ(list.size(), 1u);
    return list.empty() ? 0 : list[0].id;
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::Database> db_;
  ApiTokenKey key_{ServerKey::FromBytes(std::string(32, 'k'), 1)};
  std::int64_t user_ = 0;
  std::int64_t other_ = 0;
};

TEST_F(ApiTokensTest, TokensAreRecognisableAndRandom) {
  const std::string a = Create(user_, TokenScope::kWrite);
  const std::string b = Create(user_, TokenScope::kWrite);
  EXPECT_EQ(a.rfind("rmp_", 0), 0u);
  EXPECT_EQ(a.size(), kApiTokenLength);
  EXPECT_TRUE(LooksLikeApiToken(a));
  EXPECT_NE(a, b);
}

TEST_F(ApiTokensTest, OnlyTheKeyedHashIsStored) {
  const std::string token = Create(user_, TokenScope::kRead);
  storage::Lease r = db_->Read();
  auto row = r->QueryOne("SELECT token_hash FROM api_tokens");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->Bytes(0).size(), 32u);
  EXPECT_EQ(row->Bytes(0), key_.Hash(token).bytes);
  EXPECT_EQ(row->Bytes(0).find(token.substr(4, 16)), std::string::npos);
  // Another server key gives another hash: a copied database alone confirms no guess.
  const ApiTokenKey other_key(ServerKey::FromBytes(std::string(32, 'x'), 1));
  EXPECT_NE(other_key.Hash(token).bytes, row->Bytes(0));
}

TEST_F(ApiTokensTest, AuthenticatesToItsOwnerAndScope) {
  const std::string read = Create(user_, TokenScope::kRead);
  const std::string write = Create(other_, TokenScope::kWrite);
  auto a = AuthenticateApiToken(*db_, key_, read, 1000);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->user_id, user_);
  EXPECT_EQ(a->scope, TokenScope::kRead);
  auto b = AuthenticateApiToken(*db_, key_, write, 1000);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->user_id, other_);
  EXPECT_EQ(b->scope, TokenScope::kWrite);
}

TEST_F(ApiTokensTest, UnknownAndMalformedTokensAreRefused) {
  const std::string token = Create(user_, TokenScope::kWrite);
  std::string altered = token;
  altered.back() = altered.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(AuthenticateApiToken(*db_, key_, altered, 1000));
  EXPECT_FALSE(AuthenticateApiToken(*db_, key_, "", 1000));
  EXPECT_FALSE(AuthenticateApiToken(*db_, key_, token.substr(4), 1000)) << "prefix required";
  EXPECT_FALSE(AuthenticateApiToken(*db_, key_, token + "x", 1000));
  EXPECT_FALSE(AuthenticateApiToken(*db_, key_, "rmp_" + std::string(42, 'a') + "'", 1000));
  // The right token under another server key is unknown.
  const ApiTokenKey other_key(ServerKey::FromBytes(std::string(32, 'x'), 1));
  EXPECT_FALSE(AuthenticateApiToken(*db_, other_key, token, 1000));
}

TEST_F(ApiTokensTest, RevokedTokensAreRefused) {
  const std::string token = Create(user_, TokenScope::kWrite);
  const std::int64_t id = OnlyTokenId(user_);
  {
    storage::Lease w = db_->Write();
    EXPECT_FALSE(RevokeApiToken(*w, other_, id, 1100)) << "only the owner's tokens";
  }
  EXPECT_TRUE(AuthenticateApiToken(*db_, key_, token, 1100));
  {
    storage::Lease w = db_->Write();
    EXPECT_TRUE(RevokeApiToken(*w, user_, id, 1200));
    EXPECT_FALSE(RevokeApiToken(*w, user_, id, 1300)) << "already revoked";
  }
  EXPECT_FALSE(AuthenticateApiToken(*db_, key_, token, 1200));
  storage::Lease r = db_->Read();
  const auto list = ListApiTokens(*r, user_);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].revoked_at, 1200);
}

TEST_F(ApiTokensTest, LastUseIsRecordedAtMostOnceAMinute) {
  const std::string token = Create(user_, TokenScope::kRead);
  const auto last_used = [&] {
    storage::Lease r = db_->Read();
    return ListApiTokens(*r, user_).at(0).last_used_at;
  };
  EXPECT_FALSE(last_used());
  ASSERT_TRUE(AuthenticateApiToken(*db_, key_, token, 2000));
  EXPECT_EQ(last_used(), 2000);
  ASSERT_TRUE(AuthenticateApiToken(*db_, key_, token, 2059));
  EXPECT_EQ(last_used(), 2000);
  ASSERT_TRUE(AuthenticateApiToken(*db_, key_, token, 2060));
  EXPECT_EQ(last_used(), 2060);
}

TEST_F(ApiTokensTest, NamesAreOneBoundedLine) {
  storage::Lease w = db_->Write();
  EXPECT_THROW(CreateApiToken(*w, key_, user_, "  ", TokenScope::kRead, 1), core::Invalid);
  EXPECT_THROW(CreateApiToken(*w, key_, user_, "a\nb", TokenScope::kRead, 1), core::Invalid);
  EXPECT_THROW(CreateApiToken(*w, key_, user_, std::string(101, 'n'), TokenScope::kRead, 1),
               core::Invalid);
  EXPECT_NO_THROW(CreateApiToken(*w, key_, user_, std::string(100, 'n'), TokenScope::kRead, 1));
}

TEST_F(ApiTokensTest, ScopesHaveStableNames) {
  EXPECT_EQ(TokenScopeName(TokenScope::kRead), "read");
  EXPECT_EQ(TokenScopeName(TokenScope::kWrite), "write");
  EXPECT_EQ(ParseTokenScope("write"), TokenScope::kWrite);
  EXPECT_EQ(TokenScopeName(TokenScope::kAdmin), "admin");
  EXPECT_EQ(ParseTokenScope("admin"), TokenScope::kAdmin);
  EXPECT_FALSE(ParseTokenScope("owner"));
  EXPECT_FALSE(ParseTokenScope("Write"));
}

// The key file itself (permissions, size, symlinks, atomic creation) is tested with
// ServerKey in secret_box_test.cpp.

}  // namespace
}  // namespace rampart::auth
