#include "auth/sessions.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "auth/users.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_database.h"
#include "storage/sqlite/temp_database.h"

namespace rampart::auth {
namespace {

class SessionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = &temp_.Db();
    user_ = CreateUser(*db_, {"ana@example.com", "Ana", Role::kEndUser, "a long enough password"},
                       kMinimumHashCost, 0);
  }
  std::string Create(std::int64_t now, SecondFactor f = SecondFactor::kNone) {
    storage::Lease w = db_->Write();
    return CreateSession(*w, {user_, f, "192.0.2.1", "test"}, now, timeouts_);
  }

  storage::sqlite::TempDatabase temp_;
  storage::Database* db_ = nullptr;
  std::int64_t user_ = 0;
  SessionTimeouts timeouts_{600, 3600};
};

TEST_F(SessionsTest, OnlyTheHashOfTheIdIsStored) {
  const std::string token = Create(1000);
  storage::Lease r = db_->Read();
  auto row = r->QueryOne("SELECT id_hash FROM sessions");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->Bytes(0).find(token), std::string::npos);
  EXPECT_EQ(row->Bytes(0).size(), 32u);
}

TEST_F(SessionsTest, IdleSessionsExpire) {
  const std::string token = Create(1000);
  EXPECT_TRUE(LoadSession(*db_, token, 1500, timeouts_));  // touched at 1500
  EXPECT_TRUE(LoadSession(*db_, token, 2000, timeouts_));
  EXPECT_FALSE(LoadSession(*db_, token, 2700, timeouts_));  // 700 s idle
  EXPECT_FALSE(LoadSession(*db_, token, 2000, timeouts_)) << "an expired session is deleted";
}

TEST_F(SessionsTest, ActiveSessionsStillEndAtTheirLifetime) {
  const std::string token = Create(0);
  for (std::int64_t t = 500; t < 3600; t += 500)
    EXPECT_TRUE(LoadSession(*db_, token, t, timeouts_));
  EXPECT_FALSE(LoadSession(*db_, token, 3600, timeouts_));
}

TEST_F(SessionsTest, RotationGivesANewIdAndKillsTheOld) {
  const std::string old_token = Create(0, SecondFactor::kPending);
  std::string new_token;
  {
    storage::Lease w = db_->Write();
    new_token = RotateSession(*w, old_token, SecondFactor::kDone, 10, timeouts_);
  }
  EXPECT_NE(new_token, old_token);
  EXPECT_FALSE(LoadSession(*db_, old_token, 20, timeouts_));
  auto s = LoadSession(*db_, new_token, 20, timeouts_);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->FullySignedIn());
}

TEST_F(SessionsTest, MalformedTokensAreUnknown) {
  EXPECT_FALSE(LoadSession(*db_, "", 0, timeouts_));
  EXPECT_FALSE(LoadSession(*db_, "' OR 1=1 --", 0, timeouts_));
  EXPECT_FALSE(LoadSession(*db_, std::string(43, 'A'), 0, timeouts_));
}

TEST_F(SessionsTest, RevokeOthersKeepsTheCurrentOne) {
  const std::string a = Create(0);
  const std::string b = Create(0);
  {
    storage::Lease w = db_->Write();
    EXPECT_EQ(RevokeOtherSessions(*w, user_, a), 1);
  }
  EXPECT_TRUE(LoadSession(*db_, a, 1, timeouts_));
  EXPECT_FALSE(LoadSession(*db_, b, 1, timeouts_));
}

}  // namespace
}  // namespace rampart::auth
