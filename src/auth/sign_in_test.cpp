#include "auth/sign_in.h"

#include <gtest/gtest.h>

#include "auth/password_hash.h"
#include "storage/sqlite/temp_database.h"

namespace rampart::auth {
namespace {

constexpr char kPassword[] = "a long enough passphrase 2026";

class SignInTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::Lease c = temp_.Db().Write();
    const std::string hash = HashPassword(kPassword, kMinimumHashCost);
    c->Execute(
        "INSERT INTO users (id, email, name, role, password_hash, created_at, "
        "password_changed_at) VALUES (10, 'triage@example.com', 'T', 'agent', ?, 0, 0), "
        "(11, 'useradmin@example.com', 'U', 'agent', ?, 0, 0)",
        {hash, hash});
    c->ExecuteScript(
        "INSERT INTO roles (id, name, created_at) VALUES (10, 'Triage', 0), (11, 'People', 0);"
        "INSERT INTO role_permissions (role_id, permission) VALUES (10, 'ticket.view'), "
        "  (10, 'ticket.assign'), (11, 'ticket.view'), (11, 'user.manage');"
        "UPDATE users SET role_id = 10 WHERE id = 10;"
        "UPDATE users SET role_id = 11 WHERE id = 11;");
    policy_.hash_cost = kMinimumHashCost;
    policy_.server_key =
        std::make_shared<const ServerKey>(ServerKey::FromBytes(std::string(32, 'k'), 1));
  }
  SignInOutcome Attempt(const std::string& email) {
    return SignIn(temp_.Db(), {email, kPassword, "192.0.2.1", "test"}, policy_, 1'800'000'000);
  }
  storage::sqlite::TempDatabase temp_;
  SignInPolicy policy_;
};

TEST_F(SignInTest, ACustomRoleThatManagesUsersMustEnrolInTwoFactor) {
  const SignInOutcome triage = Attempt("triage@example.com");
  ASSERT_TRUE(triage.ok) << triage.reason;
  EXPECT_EQ(triage.second_factor, SecondFactor::kNone);  // agents: optional by default
  const SignInOutcome people = Attempt("useradmin@example.com");
  ASSERT_TRUE(people.ok) << people.reason;
  EXPECT_EQ(people.second_factor, SecondFactor::kEnroll);
}

}  // namespace
}  // namespace rampart::auth
