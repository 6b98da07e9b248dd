#include "mail/inbound/mailbox_admin.h"

#include <gtest/gtest.h>

#include "core/errors.h"
#include "tickets/tickets_test_support.h"

namespace rampart::mail {
namespace {

class MailboxAdminTest : public tickets::testing::TicketsTest {
 protected:
  MailboxAdminTest() : box_(auth::ServerKey::FromBytes(std::string(32, 'k'), 1)) {}

  static MailboxSettings Valid() {
    MailboxSettings m;
    m.name = "Support";
    m.address = "support@help.example";
    m.imap_host = "imap.help.example";
    m.imap_username = "support";
    m.imap_password = "imap secret";
    return m;
  }
  // A custom staff role that runs the helpdesk but not its security.
  static auth::Actor HelpdeskOnly() {
    auth::Actor a = Agent(20, {1});
    a.permissions.Add(auth::Permission::kSettingsHelpdesk);
    return a;
  }
  std::string Snapshot() {
    storage::Lease c = db_->Read();
    const auto row = c->QueryOne(
        "SELECT count(*) || group_concat(name || insecure_skip_verify || enabled || "
        "hex(imap_password_sealed)) FROM mailboxes");
    const auto audit =
        c->QueryOne("SELECT count(*) FROM audit_events WHERE event LIKE 'mailbox.%'");
    return row->Text(0) + "/" + std::to_string(audit->Int(0));
  }

  auth::SecretBox box_;
};

TEST(MailboxSettingsProblems, NamesEveryBrokenRuleOnce) {
  MailboxSettings m;
  m.name = "Sup\r\nport";
  m.address = "nope";
  m.imap_host = "imap.example.com\r\nA1 LOGOUT";
  m.imap_port = 0;
  m.imap_username = "";
  m.imap_password = "a\nb";
  m.imap_folder = "";
  m.poll_seconds = 1;
  std::vector<std::string> fields;
  for (const auto& p : MailboxSettingsProblems(m)) fields.push_back(p.field);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"name", "address", "imap_host", "imap_port", "imap_username",
                                      "imap_password", "imap_folder", "poll_seconds"}));
}

TEST(MailboxSettingsProblems, HostNamesAddressesAndLiterals) {
  MailboxSettings m;
  m.name = "x";
  m.address = "a@b.example";
  m.imap_username = "u";
  for (const char* good : {"imap.example.com", "127.0.0.1", "[::1]", "[2001:db8::5]", "mx-1"}) {
    m.imap_host = good;
    EXPECT_TRUE(MailboxSettingsProblems(m).empty()) << good;
  }
  for (const char* bad : {"-a.example", "a-.example", "a..example", "a.example.", "[::1", "[]",
                          "a b", "a_b.example", "javascript:alert(1)", "<script>"}) {
    m.imap_host = bad;
    const auto problems = MailboxSettingsProblems(m);
    ASSERT_EQ(problems.size(), 1U) << bad;
    EXPECT_EQ(problems[0].field, "imap_host") << bad;
  }
  m.imap_host = std::string(254, 'a');
  EXPECT_FALSE(MailboxSettingsProblems(m).empty());
}

TEST_F(MailboxAdminTest, AddsEditsAndDisablesWithAnAuditTrailWithoutThePassword) {
  const auto saved = SaveMailbox(*db_, box_, ada_, Valid(), "192.0.2.1", Tick());
  ASSERT_TRUE(saved.problems.empty());
  MailboxSettings m = ViewMailbox(*db_, ada_, saved.id);
  EXPECT_TRUE(m.has_password);
  EXPECT_TRUE(m.imap_password.empty()) << "never read back";
  const auto polled = MailboxesToPoll(*db_, box_);
  ASSERT_EQ(polled.size(), 1U);
  EXPECT_EQ(polled[0].imap.password, "imap secret");

  // Renamed with the password kept: it still opens under the new name.
  m.name = "Helpdesk";
  ASSERT_TRUE(SaveMailbox(*db_, box_, ada_, m, "192.0.2.1", Tick()).problems.empty());
  const auto renamed = MailboxesToPoll(*db_, box_);
  ASSERT_EQ(renamed.size(), 1U);
  EXPECT_EQ(renamed[0].mailbox.name, "Helpdesk");
  EXPECT_EQ(renamed[0].imap.password, "imap secret");

  DisableMailbox(*db_, ada_, saved.id, "192.0.2.1", Tick());
  EXPECT_TRUE(MailboxesToPoll(*db_, box_).empty());
  EXPECT_FALSE(ViewMailbox(*db_, ada_, saved.id).enabled);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE event LIKE 'mailbox.%' AND "
                  "client = '192.0.2.1' AND actor_id = 30"),
            3);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE detail LIKE '%imap secret%'"), 0);
}

TEST_F(MailboxAdminTest, OthersAreRefusedAndNothingChanges) {
  ASSERT_TRUE(SaveMailbox(*db_, box_, ada_, Valid(), "", Tick()).problems.empty());
  const std::string before = Snapshot();
  for (const auth::Actor& actor : {ana_, sam_, rita_}) {
    EXPECT_THROW(ViewMailboxes(*db_, actor), core::Forbidden);
    MailboxSettings other = Valid();
    other.name = "Other";
    EXPECT_THROW(SaveMailbox(*db_, box_, actor, other, "", Tick()), core::Forbidden);
    EXPECT_THROW(DisableMailbox(*db_, actor, 1, "", Tick()), core::Forbidden);
  }
  EXPECT_THROW(DisableMailbox(*db_, ada_, 999, "", Tick()), core::NotFound);
  MailboxSettings ghost = Valid();
  ghost.id = 999;
  EXPECT_THROW(SaveMailbox(*db_, box_, ada_, ghost, "", Tick()), core::NotFound);
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(MailboxAdminTest, TurningVerificationOffNeedsSecurityAdministration) {
  const auth::Actor helpdesk = HelpdeskOnly();
  auto saved = SaveMailbox(*db_, box_, helpdesk, Valid(), "", Tick());
  ASSERT_TRUE(saved.problems.empty()) << "the helpdesk permission adds mailboxes";
  MailboxSettings m = ViewMailbox(*db_, helpdesk, saved.id);
  m.insecure_skip_verify = true;
  const std::string before = Snapshot();
  EXPECT_THROW(SaveMailbox(*db_, box_, helpdesk, m, "", Tick()), core::Forbidden);
  EXPECT_EQ(Snapshot(), before);
  ASSERT_TRUE(SaveMailbox(*db_, box_, ada_, m, "", Tick()).problems.empty());
  // Once off, others may keep editing the mailbox (turning it back on, too).
  m.poll_seconds = 120;
  EXPECT_TRUE(SaveMailbox(*db_, box_, helpdesk, m, "", Tick()).problems.empty());
  m.insecure_skip_verify = false;
  EXPECT_TRUE(SaveMailbox(*db_, box_, helpdesk, m, "", Tick()).problems.empty());
  EXPECT_FALSE(ViewMailbox(*db_, ada_, saved.id).insecure_skip_verify);
}

TEST_F(MailboxAdminTest, ProblemsComeBackWithNothingStored) {
  ASSERT_TRUE(SaveMailbox(*db_, box_, ada_, Valid(), "", Tick()).problems.empty());
  const std::string before = Snapshot();
  MailboxSettings taken = Valid();
  taken.name = "SUPPORT";  // names compare without case
  auto r = SaveMailbox(*db_, box_, ada_, taken, "", Tick());
  ASSERT_EQ(r.problems.size(), 1U);
  EXPECT_EQ(r.problems[0].field, "name");
  MailboxSettings no_department = Valid();
  no_department.name = "Other";
  no_department.department_id = 99;
  r = SaveMailbox(*db_, box_, ada_, no_department, "", Tick());
  ASSERT_EQ(r.problems.size(), 1U);
  EXPECT_EQ(r.problems[0].field, "department_id");
  EXPECT_EQ(Snapshot(), before);
}

}  // namespace
}  // namespace rampart::mail
