#include "auth/throttle.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_database.h"
#include "storage/sqlite/temp_database.h"

namespace rampart::auth {
namespace {

class Throttle : public ::testing::Test {
 protected:
  void SetUp() override { db_ = &temp_.Db(); }
  ThrottleDecision Check(const ThrottleKeys& keys) {
    storage::Lease c = db_->Read();
    return throttle_.Check(*c, keys, now_);
  }
  ThrottleDecision Fail(const ThrottleKeys& keys) {
    storage::Lease c = db_->Write();
    storage::Transaction tx(*c);
    const ThrottleDecision d = throttle_.RecordFailure(*c, keys, now_);
    tx.Commit();
    return d;
  }
  void Succeed(const ThrottleKeys& keys) {
    storage::Lease c = db_->Write();
    throttle_.RecordSuccess(*c, keys);
  }
  // A client that tries again the moment it may, failing every time.
  ThrottleDecision FailWhenAllowed(const ThrottleKeys& keys) {
    const ThrottleDecision before = Check(keys);
    if (!before.allowed && before.retry_after_seconds > 0) now_ += before.retry_after_seconds;
    return Fail(keys);
  }

  storage::sqlite::TempDatabase temp_{1};
  storage::Database* db_ = nullptr;
  SignInThrottle throttle_;
  std::int64_t now_ = 1700000000;  // the fake clock
  const ThrottleKeys ana_{AccountThrottleKey(7), ClientThrottleKey("192.0.2.10")};
};

TEST_F(Throttle, FourFailuresCostNothing) {
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(Fail(ana_)) << i;
  EXPECT_TRUE(Check(ana_));
}

TEST_F(Throttle, DelaysStartAtTheFifthFailureAndDouble) {
  for (int i = 0; i < 4; ++i) Fail(ana_);
  const std::int64_t expected[] = {1, 2, 4, 8, 16};
  for (const std::int64_t wait : expected) {
    const ThrottleDecision d = Fail(ana_);
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.reason, "sign_in_delayed");
    EXPECT_EQ(d.retry_after_seconds, wait);
    now_ += wait - 1;
    EXPECT_FALSE(Check(ana_)) << "one second early";
    now_ += 1;
    EXPECT_TRUE(Check(ana_)) << "on time";
  }
}

TEST_F(Throttle, TenthFailureLocksTemporarily) {
  ThrottleDecision d;
  for (int i = 0; i < 10; ++i) d = FailWhenAllowed(ana_);
  EXPECT_EQ(d.reason, "sign_in_locked");
  EXPECT_EQ(d.retry_after_seconds, 15 * 60);
  now_ += 15 * 60;
  EXPECT_TRUE(Check(ana_));
  // Each further failure locks again.
  d = Fail(ana_);
  EXPECT_EQ(d.reason, "sign_in_locked");
  EXPECT_EQ(d.retry_after_seconds, 15 * 60);
}

TEST_F(Throttle, DelayNeverExceedsFifteenMinutes) {
  ThrottlePolicy policy;
  policy.account.lockout_failures = kHardLockFailures;  // delays only
  throttle_ = SignInThrottle(policy);
  std::int64_t longest = 0;
  for (int i = 0; i < 60; ++i)
    longest = std::max(longest, FailWhenAllowed(ana_).retry_after_seconds);
  EXPECT_EQ(longest, 15 * 60);
}

TEST_F(Throttle, SuccessResetsTheCount) {
  for (int i = 0; i < 7; ++i) FailWhenAllowed(ana_);
  now_ += 3600;
  Succeed(ana_);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(Fail(ana_));
  storage::Lease c = db_->Read();
  EXPECT_EQ(c->QueryOne("SELECT failures FROM sign_in_throttle WHERE key = 'account:7'")->Int(0),
            4);
}

TEST_F(Throttle, AccountStaysThrottledFromAnotherAddress) {
  for (int i = 0; i < 5; ++i) Fail(ana_);
  const ThrottleKeys elsewhere{AccountThrottleKey(7), ClientThrottleKey("127.0.0.3")};
  const ThrottleDecision d = Check(elsewhere);
  EXPECT_FALSE(d);
  EXPECT_EQ(d.retry_after_seconds, 1);
  // Another account from the first address is not held back by ana's failures.
  EXPECT_TRUE(Check({AccountThrottleKey(8), ClientThrottleKey("192.0.2.10")}));
}

TEST_F(Throttle, OneAddressTryingManyAccountsIsThrottled) {
  // Credential stuffing: one attempt per account, all from one address.
  for (int account = 0; account < 19; ++account) {
    EXPECT_TRUE(Fail({AccountThrottleKey(account), ClientThrottleKey("198.51.100.7")}));
  }
  const ThrottleDecision d = Fail({AccountThrottleKey(19), ClientThrottleKey("198.51.100.7")});
  EXPECT_FALSE(d);
  EXPECT_EQ(d.reason, "sign_in_delayed");
  EXPECT_FALSE(Check({AccountThrottleKey(99), ClientThrottleKey("198.51.100.7")}));
  EXPECT_TRUE(Check({AccountThrottleKey(99), ClientThrottleKey("198.51.100.8")}));
}

TEST_F(Throttle, HardLockAtOneHundredConsecutiveFailures) {
  ThrottleDecision d;
  for (int i = 1; i <= 99; ++i) {
    d = FailWhenAllowed(ana_);
    ASSERT_NE(d.reason, "account_locked") << "locked after only " << i;
  }
  d = FailWhenAllowed(ana_);
  EXPECT_EQ(d.reason, "account_locked");
  EXPECT_EQ(d.retry_after_seconds, 0);
  // Waiting does not help, nor does another address.
  now_ += 365LL * 24 * 3600;
  EXPECT_EQ(Check(ana_).reason, "account_locked");
  EXPECT_EQ(Check({AccountThrottleKey(7), ClientThrottleKey("203.0.113.1")}).reason,
            "account_locked");
  // A password reset or an administrator lifts it.
  {
    storage::Lease c = db_->Write();
    SignInThrottle::Unlock(*c, AccountThrottleKey(7));
  }
  EXPECT_TRUE(Check({AccountThrottleKey(7), ClientThrottleKey("203.0.113.1")}));
}

TEST_F(Throttle, ClientAddressesAreNeverLockedIndefinitely) {
  const ThrottleKeys office{"", ClientThrottleKey("192.0.2.99")};
  ThrottleDecision d;
  for (int i = 0; i < 150; ++i) d = FailWhenAllowed(office);
  EXPECT_EQ(d.reason, "sign_in_locked");
  EXPECT_EQ(d.retry_after_seconds, 15 * 60);
  // A quiet day and the address starts over.
  now_ += 24 * 3600 + 1;
  EXPECT_TRUE(Check(office));
  EXPECT_TRUE(Fail(office));
}

TEST_F(Throttle, LockoutCountIsConfigurableButCappedAtOneHundred) {
  ThrottlePolicy policy;
  policy.account.lockout_failures = 3;
  policy.account.lockout_seconds = 60;
  throttle_ = SignInThrottle(policy);
  Fail(ana_);
  Fail(ana_);
  const ThrottleDecision d = Fail(ana_);
  EXPECT_EQ(d.reason, "sign_in_locked");
  EXPECT_EQ(d.retry_after_seconds, 60);

  policy.account.lockout_failures = 1000;
  EXPECT_EQ(SignInThrottle(policy).Policy().account.lockout_failures, kHardLockFailures);
  policy.account.first_delay_seconds = -5;
  EXPECT_EQ(SignInThrottle(policy).Policy().account.first_delay_seconds, 1);
}

TEST_F(Throttle, UnknownEmailsAreThrottledLikeAccountsWithoutStoringThem) {
  const ServerKey key = ServerKey::FromBytes(std::string(32, 'k'), 1);
  const std::string name = UnknownAccountThrottleKey(key, "Nobody@Example.com");
  EXPECT_EQ(name, UnknownAccountThrottleKey(key, "nobody@example.com"));
  EXPECT_EQ(name.find("nobody"), std::string::npos);
  EXPECT_EQ(name.rfind("name:", 0), 0u);
  const ThrottleKeys keys{name, ClientThrottleKey("192.0.2.50")};
  for (int i = 0; i < 4; ++i) Fail(keys);
  EXPECT_EQ(Fail(keys).retry_after_seconds, 1);  // same as a real account
}

TEST(ThrottleKeys, ClientAddressesAreGrouped) {
  EXPECT_EQ(ClientThrottleKey("192.0.2.1"), "ip:192.0.2.1");
  EXPECT_EQ(ClientThrottleKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "ip:2001:db8:1:2::/64");
  EXPECT_EQ(ClientThrottleKey("[2001:db8:1:2::99]"), "ip:2001:db8:1:2::/64");
  EXPECT_EQ(ClientThrottleKey("fe80::1%eth0"), "ip:fe80::/64");
  EXPECT_EQ(ClientThrottleKey("::ffff:192.0.2.1"), "ip:192.0.2.1");
  EXPECT_EQ(ClientThrottleKey(std::string(500, 'x')).size(), 3u + 64);
  EXPECT_EQ(AccountThrottleKey(42), "account:42");
}

TEST_F(Throttle, PruneForgetsQuietAddressesOnly) {
  Fail({AccountThrottleKey(7), ClientThrottleKey("192.0.2.1")});
  now_ += 2 * 24 * 3600;
  {
    storage::Lease c = db_->Write();
    throttle_.Prune(*c, now_);
  }
  storage::Lease c = db_->Read();
  EXPECT_FALSE(c->QueryOne("SELECT 1 FROM sign_in_throttle WHERE key = 'ip:192.0.2.1'"));
  EXPECT_TRUE(c->QueryOne("SELECT 1 FROM sign_in_throttle WHERE key = 'account:7'"));
}

}  // namespace
}  // namespace rampart::auth
