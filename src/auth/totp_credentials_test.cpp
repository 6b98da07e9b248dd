#include "auth/totp_credentials.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "core/errors.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_database.h"
#include "storage/sqlite/temp_database.h"

namespace rampart::auth {
namespace {

class TotpCredentials : public ::testing::Test {
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
  TotpVerdict Verify(std::int64_t user_id, const std::string& code) {
    storage::Lease c = db_->Write();
    return VerifyUserTotp(*c, box_, user_id, code, now_);
  }
  bool Confirmed(std::int64_t user_id) {
    storage::Lease c = db_->Read();
    return HasConfirmedTotp(*c, user_id);
  }
  void Enroll(std::int64_t user_id, const std::string& secret) {
    storage::Lease c = db_->Write();
    StoreTotpEnrollment(*c, box_, user_id, secret, now_);
  }

  storage::sqlite::TempDatabase temp_{1};
  storage::Database* db_ = nullptr;
  SecretBox box_{ServerKey::FromBytes(std::string(32, 'k'), 1)};
  std::int64_t now_ = 1700000015;
  const std::string secret_ = GenerateTotpSecret();
};

TEST_F(TotpCredentials, SecretIsStoredEncrypted) {
  Enroll(1, secret_);
  storage::Lease c = db_->Read();
  const std::string stored = c->QueryOne("SELECT secret_encrypted FROM totp_credentials")->Bytes(0);
  EXPECT_EQ(stored.find(secret_), std::string::npos);
  EXPECT_EQ(stored.size(), 1u + 24 + 20 + 16);
}

TEST_F(TotpCredentials, FirstValidCodeConfirmsEnrollment) {
  Enroll(1, secret_);
  EXPECT_FALSE(Confirmed(1));
  std::string wrong = TotpCode(secret_, now_);
  wrong[0] = static_cast<char>('0' + (wrong[0] - '0' + 1) % 10);
  Verify(1, wrong);  // a wrong code confirms nothing
  EXPECT_FALSE(Confirmed(1));
  EXPECT_EQ(Verify(1, TotpCode(secret_, now_)).outcome, TotpOutcome::kAccepted);
  EXPECT_TRUE(Confirmed(1));
  EXPECT_FALSE(Confirmed(2));
}

TEST_F(TotpCredentials, ReplayIsRefusedAcrossRequests) {
  Enroll(1, secret_);
  const std::string code = TotpCode(secret_, now_);
  EXPECT_EQ(Verify(1, code).outcome, TotpOutcome::kAccepted);
  now_ += 10;
  const TotpVerdict again = Verify(1, code);
  EXPECT_EQ(again.outcome, TotpOutcome::kReplayed);
  EXPECT_EQ(again.reason, "otp_replayed");
  now_ += 30;
  EXPECT_EQ(Verify(1, TotpCode(secret_, now_)).outcome, TotpOutcome::kAccepted);
}

TEST_F(TotpCredentials, RacingRequestsWithOneCodeAcceptOnlyOne) {
  Enroll(1, secret_);
  const std::string code = TotpCode(secret_, now_);
  // Both requests read last_step = 0 before either writes: the conditional update decides.
  storage::Lease c = db_->Write();
  const TotpVerdict pure = CheckTotp(secret_, code, now_, 0);
  ASSERT_EQ(pure.outcome, TotpOutcome::kAccepted);
  EXPECT_EQ(VerifyUserTotp(*c, box_, 1, code, now_).outcome, TotpOutcome::kAccepted);
  EXPECT_EQ(VerifyUserTotp(*c, box_, 1, code, now_).outcome, TotpOutcome::kReplayed);
}

TEST_F(TotpCredentials, RestartingEnrollmentReplacesTheSecret) {
  Enroll(1, secret_);
  EXPECT_EQ(Verify(1, TotpCode(secret_, now_)).outcome, TotpOutcome::kAccepted);
  const std::string fresh = GenerateTotpSecret();
  Enroll(1, fresh);
  EXPECT_FALSE(Confirmed(1));
  now_ += 30;
  EXPECT_EQ(Verify(1, TotpCode(fresh, now_)).outcome, TotpOutcome::kAccepted);
}

TEST_F(TotpCredentials, SecretCopiedToAnotherUserDoesNotOpen) {
  Enroll(1, secret_);
  Enroll(2, GenerateTotpSecret());
  {
    storage::Lease c = db_->Write();
    c->Execute(
        "UPDATE totp_credentials SET secret_encrypted = "
        "(SELECT secret_encrypted FROM totp_credentials WHERE user_id = 1) WHERE user_id = 2");
  }
  EXPECT_THROW(Verify(2, TotpCode(secret_, now_)), core::InternalError);
}

TEST_F(TotpCredentials, WrongKeyFileFailsLoudly) {
  Enroll(1, secret_);
  box_ = SecretBox(ServerKey::FromBytes(std::string(32, 'j'), 1));
  EXPECT_THROW(Verify(1, TotpCode(secret_, now_)), core::InternalError);
}

TEST_F(TotpCredentials, NoCredentialMeansWrongAndRemovalWorks) {
  EXPECT_EQ(Verify(1, "123456").outcome, TotpOutcome::kWrong);
  Enroll(1, secret_);
  {
    storage::Lease c = db_->Write();
    RemoveTotp(*c, 1);
  }
  EXPECT_EQ(Verify(1, TotpCode(secret_, now_)).outcome, TotpOutcome::kWrong);
}

}  // namespace
}  // namespace rampart::auth
