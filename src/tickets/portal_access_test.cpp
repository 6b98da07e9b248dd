#include "tickets/portal_access.h"

#include <gtest/gtest.h>

#include <regex>

#include "auth/password_hash.h"
#include "core/errors.h"
#include "tickets/tickets_test_support.h"

namespace rampart::tickets {
namespace {

using testing::TicketsTest;

constexpr const char* kPassword = "correct horse battery staple 42";

class PortalAccessTest : public TicketsTest {
 protected:
  const auth::ServerKey key_ = auth::ServerKey::FromBytes(std::string(32, 'k'), 1);
  const auth::HashCost cost_ = auth::kMinimumHashCost;
  const auth::SessionTimeouts timeouts_{};

  // The token of the newest link mailed to `email`, or "".
  std::string MailedToken(const std::string& email) {
    storage::Lease c = db_->Read();
    const auto row = c->QueryOne(
        "SELECT body FROM outbox WHERE recipient = ? ORDER BY id DESC LIMIT 1", {email});
    if (!row) return "";
    std::smatch m;
    const std::string body = row->Text(0);
    if (!std::regex_search(body, m, std::regex("token=([A-Za-z0-9_-]{43})"))) return "";
    return m[1].str();
  }
  std::string State() {
    storage::Lease c = db_->Read();
    return c
        ->QueryOne(
            "SELECT (SELECT count(*) FROM users) || ':' || "
            "(SELECT count(*) FROM sessions) || ':' || "
            "(SELECT count(*) FROM portal_invites) || ':' || "
            "(SELECT count(*) FROM outbox)")
        ->Text(0);
  }
  SignUpAnswer Request(const std::string& email, const std::string& client = "192.0.2.1") {
    return RequestSignUp(*db_, key_, {email, client}, Tick());
  }
  SignedUp Complete(const std::string& token, const std::string& name = "New Person",
                    const std::string& password = kPassword) {
    return CompleteSignUp(*db_, key_, cost_, timeouts_,
                          {token, name, password, "192.0.2.1", "test"}, Tick());
  }
};

TEST_F(PortalAccessTest, SignUpIsClosedUntilAnAdminOpensIt) {
  EXPECT_EQ(ReadPortalSettings(*db_).mode, SignUpMode::kInviteOnly);
  const std::string before = State();
  EXPECT_THROW(Request("new@example.org"), core::Forbidden);
  EXPECT_EQ(State(), before);
  EXPECT_THROW(SavePortalSettings(sam_, *db_, SignUpMode::kOpen, "", Tick()), core::Forbidden);
  EXPECT_THROW(SavePortalSettings(ana_, *db_, SignUpMode::kOpen, "", Tick()), core::Forbidden);
  EXPECT_EQ(ReadPortalSettings(*db_).mode, SignUpMode::kInviteOnly);
}

TEST_F(PortalAccessTest, OpenSignUpMailsALinkThatCreatesAndSignsInTheUser) {
  SavePortalSettings(ada_, *db_, SignUpMode::kOpen, "", Tick());
  EXPECT_EQ(Request("  New@Example.ORG "), SignUpAnswer::kCheckYourEmail);
  const std::string token = MailedToken("new@example.org");
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(LinkEmail(*db_, key_, token, Tick()), "new@example.org");
  // The token itself is nowhere in the database, only its keyed hash.
  EXPECT_EQ(Count("SELECT count(*) FROM portal_invites WHERE token_hash = CAST('x' AS BLOB)"), 0);
  const SignedUp done = Complete(token);
  EXPECT_GT(done.user_id, 0);
  EXPECT_EQ(done.session_token.size(), 43U);
  EXPECT_EQ(Count("SELECT count(*) FROM users WHERE email = 'new@example.org' AND "
                  "role = 'end_user'"),
            1);
  // Single use.
  const std::string before = State();
  EXPECT_THROW(Complete(token), core::Invalid);
  EXPECT_EQ(State(), before);
  EXPECT_FALSE(LinkEmail(*db_, key_, token, Tick()));
}

TEST_F(PortalAccessTest, AnExistingAddressGetsTheSameAnswerAndNothingIsCreated) {
  SavePortalSettings(ada_, *db_, SignUpMode::kOpen, "", Tick());
  const std::int64_t users = Count("SELECT count(*) FROM users");
  EXPECT_EQ(Request("ana@acme.example"), SignUpAnswer::kCheckYourEmail);
  EXPECT_EQ(Count("SELECT count(*) FROM users"), users);
  EXPECT_EQ(Count("SELECT count(*) FROM portal_invites"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE recipient = 'ana@acme.example' AND "
                  "kind = 'sign_up_existing'"),
            1);
  EXPECT_TRUE(MailedToken("ana@acme.example").empty());
}

TEST_F(PortalAccessTest, PasswordPolicyAndNameAreAppliedAndNothingIsUsedUp) {
  SavePortalSettings(ada_, *db_, SignUpMode::kOpen, "", Tick());
  Request("weak@example.org");
  const std::string token = MailedToken("weak@example.org");
  const std::string before = State();
  try {
    Complete(token, "Weak", "short");
    ADD_FAILURE() << "a short password was accepted";
  } catch (const core::Invalid& e) {
    EXPECT_EQ(e.Field(), "password");
  }
  try {
    Complete(token, "", kPassword);
    ADD_FAILURE() << "an empty name was accepted";
  } catch (const core::Invalid& e) {
    EXPECT_EQ(e.Field(), "name");
  }
  EXPECT_THROW(Complete(token, "Weak", "weak@example.org weak@example.org"), core::Invalid);
  EXPECT_EQ(State(), before);
  EXPECT_NO_THROW(Complete(token));
}

TEST_F(PortalAccessTest, DomainModeAdmitsOnlyListedDomainsExactly) {
  EXPECT_THROW(SavePortalSettings(ada_, *db_, SignUpMode::kDomains, "", Tick()), core::Invalid);
  EXPECT_THROW(SavePortalSettings(ada_, *db_, SignUpMode::kDomains, "not a domain!", Tick()),
               core::Invalid);
  SavePortalSettings(ada_, *db_, SignUpMode::kDomains, "Acme.example, @initech.example", Tick());
  EXPECT_EQ(ReadPortalSettings(*db_).domains,
            (std::vector<std::string>{"acme.example", "initech.example"}));
  EXPECT_EQ(Request("joe@INITECH.example"), SignUpAnswer::kCheckYourEmail);
  const std::string before = State();
  EXPECT_THROW(Request("joe@sub.initech.example"), core::Invalid);
  EXPECT_THROW(Request("joe@initech.example.evil.com"), core::Invalid);
  EXPECT_THROW(Request("joe@evil.com"), core::Invalid);
  EXPECT_EQ(State(), before);
  // Closing sign-up closes the links already mailed.
  const std::string token = MailedToken("joe@initech.example");
  SavePortalSettings(ada_, *db_, SignUpMode::kInviteOnly, "", Tick());
  EXPECT_THROW(Complete(token), core::Invalid);
}

TEST_F(PortalAccessTest, RequestsAreThrottledPerAddressWhetherItExistsOrNot) {
  SavePortalSettings(ada_, *db_, SignUpMode::kOpen, "", Tick());
  for (const std::string email : {"fresh@example.org", "ana@acme.example"}) {
    EXPECT_EQ(Request(email, "192.0.2.10"), SignUpAnswer::kCheckYourEmail);
    EXPECT_EQ(Request(email, "192.0.2.11"), SignUpAnswer::kCheckYourEmail);
    EXPECT_EQ(Request(email, "192.0.2.12"), SignUpAnswer::kCheckYourEmail);
    const std::string before = State();
    EXPECT_EQ(Request(email, "192.0.2.13"), SignUpAnswer::kThrottled) << email;
    EXPECT_EQ(State(), before);
  }
  now_ += 3600 * 24;
  EXPECT_EQ(Request("fresh@example.org"), SignUpAnswer::kCheckYourEmail);
}

TEST_F(PortalAccessTest, InvitationsWorkInInviteOnlyModeOnceAndExpireAfterSevenDays) {
  const Invitation inv = InviteEndUser(ada_, *db_, key_, "Guest@Example.org", Tick());
  EXPECT_EQ(inv.email, "guest@example.org");
  const std::string token = inv.link.substr(inv.link.find('=') + 1);
  EXPECT_EQ(MailedToken("guest@example.org"), token);
  EXPECT_EQ(ListPendingInvites(ada_, *db_, Tick()).size(), 1U);
  EXPECT_THROW(InviteEndUser(sam_, *db_, key_, "x@example.org", Tick()), core::Forbidden);
  EXPECT_THROW(InviteEndUser(ada_, *db_, key_, "ana@acme.example", Tick()), core::Invalid);
  EXPECT_THROW(InviteEndUser(ada_, *db_, key_, "not an email", Tick()), core::Invalid);
  Complete(token);
  EXPECT_THROW(Complete(token), core::Invalid);
  const Invitation late = InviteEndUser(ada_, *db_, key_, "late@example.org", Tick());
  now_ += kInviteLifetimeSeconds;
  EXPECT_THROW(Complete(late.link.substr(late.link.find('=') + 1)), core::Invalid);
  EXPECT_THROW(Complete("short"), core::Invalid);
  EXPECT_THROW(Complete(std::string(43, 'A')), core::Invalid);
  EXPECT_GE(Count("SELECT count(*) FROM audit_events WHERE event LIKE 'portal.%'"), 3);
}

}  // namespace
}  // namespace rampart::tickets
