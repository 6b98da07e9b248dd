#include "auth/recovery_codes.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <regex>
#include <set>

#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_database.h"
#include "storage/sqlite/temp_database.h"

namespace rampart::auth {
namespace {

class RecoveryCodes : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = &temp_.Db();
    storage::Lease c = db_->Write();
    for (const char* email : {"ana@example.com", "ben@example.com"}) {
      c->Execute(
          "INSERT INTO users (email, name, role, password_hash, created_at) "
          "VALUES (?, 'x', 'agent', '!', 0)",
          {std::string(email)});
    }
  }
  std::vector<std::string> Regenerate(std::int64_t user_id) {
    RecoveryCodeSet set = GenerateRecoveryCodes(kMinimumHashCost);
    storage::Lease c = db_->Write();
    storage::Transaction tx(*c);
    StoreRecoveryCodes(*c, user_id, set.hashes);
    tx.Commit();
    return set.codes;
  }
  bool Consume(std::int64_t user_id, const std::string& code, std::int64_t now = 100) {
    storage::Lease c = db_->Write();
    return ConsumeRecoveryCode(*c, user_id, code, now);
  }
  storage::sqlite::TempDatabase temp_{1};
  storage::Database* db_ = nullptr;
};

TEST_F(RecoveryCodes, TenFormattedCodesStoredOnlyAsArgon2idHashes) {
  const std::vector<std::string> codes = Regenerate(1);
  ASSERT_EQ(codes.size(), 10u);
  const std::regex format("[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}");
  for (const std::string& code : codes) EXPECT_TRUE(std::regex_match(code, format)) << code;
  EXPECT_EQ(std::set<std::string>(codes.begin(), codes.end()).size(), 10u);
  storage::Lease c = db_->Read();
  const auto rows = c->Query("SELECT code_hash, used_at FROM recovery_codes WHERE user_id = 1");
  ASSERT_EQ(rows.size(), 10u);
  for (const storage::Row& row : rows) {
    EXPECT_EQ(row.Text(0).rfind("$argon2id$v=19$", 0), 0u);
    EXPECT_TRUE(row.IsNull(1));
    // The whole code, with or without its dashes, never appears. (A four-letter piece of a code
    // can appear by chance in the base64 salt or hash: about once in two thousand runs.)
    for (const std::string& code : codes) {
      std::string undashed = code;
      std::erase(undashed, '-');
      EXPECT_EQ(row.Text(0).find(code), std::string::npos);
      EXPECT_EQ(row.Text(0).find(undashed), std::string::npos);
    }
  }
}

TEST_F(RecoveryCodes, ACodeWorksOnceOnly) {
  const std::vector<std::string> codes = Regenerate(1);
  EXPECT_TRUE(Consume(1, codes[3]));
  EXPECT_FALSE(Consume(1, codes[3]));  // reused
  storage::Lease c = db_->Read();
  EXPECT_EQ(CountUnusedRecoveryCodes(*c, 1), 9);
  EXPECT_EQ(c->QueryOne("SELECT count(*) FROM recovery_codes WHERE used_at = 100")->Int(0), 1);
}

TEST_F(RecoveryCodes, TypingVariantsAreAccepted) {
  const std::vector<std::string> codes = Regenerate(1);
  std::string upper = codes[0];
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  EXPECT_TRUE(Consume(1, upper));
  std::string bare = codes[1];
  std::erase(bare, '-');
  std::string spaced = " ";  // append(): GCC 12 misreports operator+ chains (-Wrestrict)
  spaced.append(bare.substr(0, 8)).append(" ").append(bare.substr(8)).append(" ");
  EXPECT_TRUE(Consume(1, spaced));
}

TEST_F(RecoveryCodes, AnotherUsersCodeIsRefused) {
  const std::vector<std::string> anas = Regenerate(1);
  Regenerate(2);
  EXPECT_FALSE(Consume(2, anas[0]));
  EXPECT_TRUE(Consume(1, anas[0]));
}

TEST_F(RecoveryCodes, RegeneratingInvalidatesEveryEarlierCode) {
  const std::vector<std::string> old_codes = Regenerate(1);
  EXPECT_TRUE(Consume(1, old_codes[0]));
  const std::vector<std::string> new_codes = Regenerate(1);
  EXPECT_FALSE(Consume(1, old_codes[1]));
  EXPECT_TRUE(Consume(1, new_codes[1]));
  storage::Lease c = db_->Read();
  EXPECT_EQ(c->QueryOne("SELECT count(*) FROM recovery_codes WHERE user_id = 1")->Int(0), 10);
}

TEST_F(RecoveryCodes, MalformedInputIsRefusedBeforeHashing) {
  Regenerate(1);
  EXPECT_FALSE(CanonicalRecoveryCode(""));
  EXPECT_FALSE(CanonicalRecoveryCode("abcd-efgh-ijkl-mno"));     // 15 characters
  EXPECT_FALSE(CanonicalRecoveryCode("abcd-efgh-ijkl-mnop-q"));  // 17
  EXPECT_FALSE(CanonicalRecoveryCode("abcd-efgh-ijkl-mn0p"));    // 0 is not base32
  EXPECT_FALSE(CanonicalRecoveryCode("abcd-efgh-ijkl-mn\xc3\xb6p"));
  EXPECT_FALSE(CanonicalRecoveryCode(std::string(100000, '-') + "abcdefghijklmnop"));
  EXPECT_EQ(CanonicalRecoveryCode("ABCD-efgh ijkl-MNOP"), "abcdefghijklmnop");
  EXPECT_FALSE(Consume(1, "' OR 1=1 --"));
}

TEST_F(RecoveryCodes, OnlyOneOfTwoRacingUsesWins) {
  const std::vector<std::string> codes = Regenerate(1);
  std::vector<StoredRecoveryCode> seen_by_both;
  {
    storage::Lease c = db_->Read();
    seen_by_both = UnusedRecoveryCodes(*c, 1);
  }
  const auto id = MatchRecoveryCode(seen_by_both, codes[5]);
  ASSERT_TRUE(id);
  storage::Lease c = db_->Write();
  EXPECT_TRUE(MarkRecoveryCodeUsed(*c, *id, 100));
  EXPECT_FALSE(MarkRecoveryCodeUsed(*c, *id, 101));
}

}  // namespace
}  // namespace rampart::auth
