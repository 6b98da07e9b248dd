#include "tickets/create_ticket.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <ctime>

#include "core/errors.h"
#include "tickets/get_ticket.h"
#include "tickets/ticket_committer.h"
#include "tickets/tickets_test_support.h"

namespace rampart::tickets {
namespace {

using testing::TicketsTest;

class CreateTicketTest : public TicketsTest {
 protected:
  // Expects `request` by `actor` to fail with `field` named, and nothing to change.
  void ExpectInvalid(const auth::Actor& actor, const NewTicket& request, const std::string& field) {
    const std::string before = Fingerprint();
    try {
      CreateTicket(actor, *db_, request, Tick());
      ADD_FAILURE() << "accepted; expected core::Invalid on " << field;
    } catch (const core::Invalid& e) {
      EXPECT_EQ(e.Field(), field) << e.what();
    }
    EXPECT_EQ(Fingerprint(), before);
  }
  NewTicket Valid() {
    NewTicket t;
    t.subject = "Printer offline";
    t.body = "It stopped printing.";
    t.department_id = 1;
    return t;
  }
};

TEST_F(CreateTicketTest, EndUserOpensOwnTicketWithPublicNumber) {
  const auto created = CreateTicket(ana_, *db_, Valid(), Tick());
  EXPECT_EQ(created.number, 1001);
  const TicketView view = GetTicket(ana_, *db_, "RMP-1001");
  EXPECT_EQ(view.subject, "Printer offline");
  EXPECT_EQ(view.status, Status::kOpen);
  EXPECT_EQ(view.priority, Priority::kNormal);
  EXPECT_EQ(view.requester_id, 10);
  EXPECT_EQ(view.channel, "web");
  ASSERT_EQ(view.thread.size(), 1U);
  EXPECT_EQ(view.thread[0].author_kind, AuthorKind::kEndUser);
  EXPECT_EQ(view.thread[0].body, "It stopped printing.");
  EXPECT_EQ(view.last_message_at, view.created_at);
  EXPECT_FALSE(view.first_response_at);
  EXPECT_EQ(CreateTicket(ana_, *db_, Valid(), Tick()).number, 1002);
  EXPECT_EQ(Count("SELECT count(*) FROM ticket_events WHERE field = 'created'"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events"), 0);
  ExpectSearchIndexConsistent();
}

TEST_F(CreateTicketTest, TicketKeepsTheOrganizationItWasFiledUnder) {
  Open(ana_);
  EXPECT_EQ(Count("SELECT organization_id FROM tickets WHERE number = 1001"), 1);
}

TEST_F(CreateTicketTest, StaffOpensTicketForRequesterWithEverything) {
  {
    storage::Lease c = db_->Write();
    c->ExecuteScript(
        "INSERT INTO custom_fields (id, key, label, kind, required, created_at) "
        "VALUES (1, 'plan', 'Plan', 'dropdown', 1, 0), (2, 'seats', 'Seats', 'number', 0, 0);"
        "INSERT INTO custom_field_options (field_id, value, label) VALUES (1, 'pro', 'Pro'),"
        "  (1, 'free', 'Free');");
  }
  NewTicket t = Valid();
  t.requester_id = 12;
  t.priority = Priority::kHigh;
  t.assignee_id = 20;
  t.due_at = 1'760'000'000;
  t.tags = {"VIP", "printer", "vip"};
  t.ccs = {"boss@example.com", "BOSS@example.com", "ana@acme.example"};
  t.custom_fields = {{"plan", "pro"}, {"seats", "12.50"}};
  const auto created = CreateTicket(sam_, *db_, t, Tick());
  const TicketView view = GetTicket(sam_, *db_, FormatTicketNumber(created.number));
  EXPECT_EQ(view.requester_id, 12);
  EXPECT_EQ(view.requester_name, "Carl Solo");
  EXPECT_EQ(view.priority, Priority::kHigh);
  EXPECT_EQ(view.assignee_id, 20);
  EXPECT_EQ(view.due_at, 1'760'000'000);
  EXPECT_EQ(view.tags, (std::vector<std::string>{"printer", "vip"}));
  EXPECT_EQ(view.ccs, (std::vector<std::string>{"ana@acme.example", "boss@example.com"}));
  ASSERT_EQ(view.custom_fields.size(), 2U);
  EXPECT_EQ(view.custom_fields[0].value, "pro");
  EXPECT_EQ(view.custom_fields[1].value, "12.5");
  EXPECT_EQ(view.thread[0].author_kind, AuthorKind::kAgent);
  EXPECT_EQ(view.thread[0].author_id, 20);
  // Putting words in a customer's thread is audited.
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE event = 'ticket.create_for_requester'"),
            1);
  EXPECT_EQ(Count("SELECT user_id FROM ticket_ccs WHERE email = 'ana@acme.example'"), 10);
}

// The view a creation answers with is the one GetTicket gives the same actor afterwards.
void ExpectSameView(const TicketView& made, const TicketView& read) {
  EXPECT_EQ(made.number, read.number);
  EXPECT_EQ(made.subject, read.subject);
  EXPECT_EQ(made.status, read.status);
  EXPECT_EQ(made.priority, read.priority);
  EXPECT_EQ(made.requester_id, read.requester_id);
  EXPECT_EQ(made.requester_name, read.requester_name);
  EXPECT_EQ(made.requester_email, read.requester_email);
  EXPECT_EQ(made.department_id, read.department_id);
  EXPECT_EQ(made.department_name, read.department_name);
  EXPECT_EQ(made.assignee_id, read.assignee_id);
  EXPECT_EQ(made.assignee_name, read.assignee_name);
  EXPECT_EQ(made.channel, read.channel);
  EXPECT_EQ(made.created_at, read.created_at);
  EXPECT_EQ(made.updated_at, read.updated_at);
  EXPECT_EQ(made.due_at, read.due_at);
  EXPECT_EQ(made.first_response_at, read.first_response_at);
  EXPECT_EQ(made.solved_at, read.solved_at);
  EXPECT_EQ(made.last_message_at, read.last_message_at);
  EXPECT_EQ(made.merged_into_number, read.merged_into_number);
  EXPECT_EQ(made.tags, read.tags);
  EXPECT_EQ(made.ccs, read.ccs);
  ASSERT_EQ(made.custom_fields.size(), read.custom_fields.size());
  for (std::size_t i = 0; i < made.custom_fields.size(); ++i) {
    EXPECT_EQ(made.custom_fields[i].key, read.custom_fields[i].key);
    EXPECT_EQ(made.custom_fields[i].label, read.custom_fields[i].label);
    EXPECT_EQ(made.custom_fields[i].kind, read.custom_fields[i].kind);
    EXPECT_EQ(made.custom_fields[i].value, read.custom_fields[i].value);
  }
  ASSERT_EQ(made.thread.size(), read.thread.size());
  for (std::size_t i = 0; i < made.thread.size(); ++i) {
    EXPECT_EQ(made.thread[i].id, read.thread[i].id);
    EXPECT_EQ(made.thread[i].author_id, read.thread[i].author_id);
    EXPECT_EQ(made.thread[i].author_name, read.thread[i].author_name);
    EXPECT_EQ(made.thread[i].author_kind, read.thread[i].author_kind);
    EXPECT_EQ(made.thread[i].internal, read.thread[i].internal);
    EXPECT_EQ(made.thread[i].body, read.thread[i].body);
    EXPECT_EQ(made.thread[i].created_at, read.thread[i].created_at);
    EXPECT_TRUE(read.thread[i].attachments.empty());
  }
}

TEST_F(CreateTicketTest, TheAnswerIsTheViewGetTicketGives) {
  {
    storage::Lease c = db_->Write();
    // A field end users do not see, one they do (and may set), in an order unlike their ids.
    c->ExecuteScript(
        "INSERT INTO custom_fields (id, key, label, kind, required, end_user_visible, "
        "end_user_editable, position, created_at) VALUES "
        "(1, 'plan', 'Plan', 'text', 0, 0, 0, 2, 0), (2, 'seats', 'Seats', 'number', 0, 1, 1, 1, "
        "0), (3, 'z_first', 'First', 'text', 0, 1, 1, 0, 0);");
  }
  NewTicket staff = Valid();
  staff.requester_id = 12;
  staff.priority = Priority::kUrgent;
  staff.assignee_id = 20;
  staff.due_at = 1'760'000'000;
  staff.subject = "<script>alert(1)</script>";
  staff.body = "line one\r\n\"><img src=x onerror=alert(1)>";
  staff.tags = {"VIP", "printer", "vip"};
  staff.ccs = {"boss@example.com", "BOSS@example.com", "ana@acme.example"};
  staff.custom_fields = {{"plan", "pro"}, {"seats", "12.50"}, {"z_first", "javascript:alert(1)"}};
  NewTicket mine = Valid();
  mine.custom_fields = {{"seats", "3"}, {"z_first", "x"}};
  NewTicket inbox = Valid();
  inbox.department_id.reset();

  std::vector<std::pair<auth::Actor, NewTicket>> cases = {
      {sam_, staff}, {ana_, mine}, {ana_, inbox}, {ada_, inbox}, {rita_, staff}};
  for (const auto& [actor, request] : cases) {
    const CreatedTicket created = CreateTicket(actor, *db_, request, Tick());
    ASSERT_TRUE(created.view.has_value());
    ExpectSameView(*created.view, GetTicket(actor, *db_, FormatTicketNumber(created.number)));
  }
  // The committer's batches, with the field definitions read once, answer the same way.
  TicketCommitter committer(*db_);
  for (const auto& [actor, request] : cases) {
    const CreatedTicket created = committer.Create(actor, request, Tick());
    ASSERT_TRUE(created.view.has_value());
    ExpectSameView(*created.view, GetTicket(actor, *db_, FormatTicketNumber(created.number)));
  }
}

TEST_F(CreateTicketTest, NoViewForACreatorWhoMayNotViewTheTicket) {
  // A role that may open tickets but not read them gets no view: the API then reads the ticket
  // back and refuses, as it did before.
  auth::Actor opener = sam_;
  opener.permissions.Remove(auth::Permission::kTicketView);
  const CreatedTicket created = CreateTicket(opener, *db_, Valid(), Tick());
  EXPECT_FALSE(created.view.has_value());
  EXPECT_THROW(GetTicket(opener, *db_, FormatTicketNumber(created.number)), core::RequestError);
}

TEST_F(CreateTicketTest, RequiredCustomFieldMustBeGiven) {
  {
    storage::Lease c = db_->Write();
    c->ExecuteScript(
        "INSERT INTO custom_fields (id, key, label, kind, required, created_at) "
        "VALUES (1, 'order', 'Order', 'text', 1, 0)");
  }
  ExpectInvalid(sam_, Valid(), "custom_fields.order");
  // An end user cannot edit the field, so it cannot be required of them.
  EXPECT_NO_THROW(CreateTicket(ana_, *db_, Valid(), Tick()));
}

TEST_F(CreateTicketTest, CustomFieldValuesAreChecked) {
  {
    storage::Lease c = db_->Write();
    c->ExecuteScript(
        "INSERT INTO custom_fields (id, key, label, kind, end_user_visible, end_user_editable, "
        "  created_at) VALUES (1, 'seats', 'Seats', 'number', 1, 1, 0),"
        "  (2, 'since', 'Since', 'date', 1, 1, 0), (3, 'plan', 'Plan', 'dropdown', 1, 1, 0),"
        "  (4, 'note', 'Note', 'text', 1, 1, 0), (5, 'risk', 'Risk', 'text', 0, 0, 0);"
        "INSERT INTO custom_field_options (field_id, value, label) VALUES (3, 'pro', 'Pro');");
  }
  const auto with = [&](const std::string& key, const std::string& value) {
    NewTicket t = Valid();
    t.custom_fields = {{key, value}};
    return t;
  };
  ExpectInvalid(ana_, with("seats", "12abc"), "custom_fields.seats");
  ExpectInvalid(ana_, with("seats", "inf"), "custom_fields.seats");
  ExpectInvalid(ana_, with("since", "2025-02-30"), "custom_fields.since");
  ExpectInvalid(ana_, with("since", "25-02-03"), "custom_fields.since");
  ExpectInvalid(ana_, with("plan", "enterprise"), "custom_fields.plan");
  ExpectInvalid(ana_, with("note", std::string(1001, 'x')), "custom_fields.note");
  ExpectInvalid(ana_, with("note", "two\nlines"), "custom_fields.note");
  ExpectInvalid(ana_, with("nope", "x"), "custom_fields.nope");
  ExpectInvalid(ana_, with("risk", "low"), "custom_fields.risk");  // staff-only field
  EXPECT_NO_THROW(CreateTicket(ana_, *db_, with("since", "2024-02-29"), Tick()));
  EXPECT_NO_THROW(CreateTicket(sam_, *db_, with("risk", "low"), Tick()));
}

TEST_F(CreateTicketTest, HostileTextIsStoredVerbatim) {
  const std::string xss = "<script>alert(1)</script><img src=x onerror=alert(1)>";
  const std::string body = "\"'><svg/onload=alert(1)>\n\tjavascript:alert(1) ' OR 1=1 --";
  NewTicket t = Valid();
  t.subject = xss;
  t.body = body;
  const auto created = CreateTicket(ana_, *db_, t, Tick());
  const TicketView view = GetTicket(ana_, *db_, FormatTicketNumber(created.number));
  EXPECT_EQ(view.subject, xss);
  EXPECT_EQ(view.thread[0].body, body);
}

TEST_F(CreateTicketTest, UnicodeIsCountedInCharactersNotBytes) {
  NewTicket t = Valid();
  t.subject = std::string();
  for (int i = 0; i < 300; ++i) t.subject += "\xc3\xa9";  // 300 x é: 600 bytes
  EXPECT_NO_THROW(CreateTicket(ana_, *db_, t, Tick()));
  t.subject += "e";
  ExpectInvalid(ana_, t, "subject");
}

TEST_F(CreateTicketTest, WindowsLineEndingsBecomeNewlines) {
  NewTicket t = Valid();
  t.body = "line one\r\nline two";
  const auto created = CreateTicket(ana_, *db_, t, Tick());
  EXPECT_EQ(GetTicket(ana_, *db_, FormatTicketNumber(created.number)).thread[0].body,
            "line one\nline two");
}

TEST_F(CreateTicketTest, BadTextIsRefusedAndNothingIsWritten) {
  const auto subject = [&](const std::string& s) {
    NewTicket t = Valid();
    t.subject = s;
    return t;
  };
  const auto body = [&](const std::string& b) {
    NewTicket t = Valid();
    t.body = b;
    return t;
  };
  ExpectInvalid(ana_, subject(""), "subject");
  ExpectInvalid(ana_, subject("   "), "subject");
  ExpectInvalid(ana_, subject(std::string(301, 'a')), "subject");
  ExpectInvalid(ana_, subject("two\nlines"), "subject");
  ExpectInvalid(ana_, subject("tab\there"), "subject");
  ExpectInvalid(ana_, subject(std::string("nul\0byte", 8)), "subject");
  ExpectInvalid(ana_, subject("bad \xff utf8"), "subject");
  ExpectInvalid(ana_, subject("overlong \xc0\xaf"), "subject");
  ExpectInvalid(ana_, subject("c1 \xc2\x9b control"), "subject");
  ExpectInvalid(ana_, body(""), "body");
  ExpectInvalid(ana_, body("\n\t \n"), "body");
  ExpectInvalid(ana_, body(std::string(100'001, 'a')), "body");
  ExpectInvalid(ana_, body(std::string(10'000'000, 'a')), "body");
  ExpectInvalid(ana_, body("escape \x1b[31m red"), "body");
  ExpectInvalid(ana_, body("lone \r carriage return"), "body");
  ExpectInvalid(ana_, body("marker \x02 forged \x03"), "body");
  EXPECT_NO_THROW(CreateTicket(ana_, *db_, body(std::string(100'000, 'a')), Tick()));
}

TEST_F(CreateTicketTest, EndUserCannotSetStaffFields) {
  NewTicket t = Valid();
  t.priority = Priority::kUrgent;
  ExpectInvalid(ana_, t, "priority");
  t = Valid();
  t.assignee_id = 20;
  ExpectInvalid(ana_, t, "assignee");
  t = Valid();
  t.tags = {"vip"};
  ExpectInvalid(ana_, t, "tags");
  t = Valid();
  t.ccs = {"someone@example.com"};
  ExpectInvalid(ana_, t, "ccs");
  t = Valid();
  t.due_at = 1'760'000'000;
  ExpectInvalid(ana_, t, "due_at");
  t = Valid();
  t.requester_id = 11;  // in someone else's name
  ExpectInvalid(ana_, t, "requester");
}

TEST_F(CreateTicketTest, StaffInputIsChecked) {
  NewTicket t = Valid();
  t.requester_id = 999;
  ExpectInvalid(sam_, t, "requester");
  t = Valid();
  t.department_id = 99;
  ExpectInvalid(sam_, t, "department");
  t = Valid();
  t.department_id = 2;  // Billing: Sam cannot work it
  ExpectInvalid(sam_, t, "department");
  t = Valid();
  t.assignee_id = 21;  // Bill cannot see Support tickets
  ExpectInvalid(sam_, t, "assignee");
  t = Valid();
  t.assignee_id = 12;  // a customer
  ExpectInvalid(sam_, t, "assignee");
  t = Valid();
  t.tags = {"has space"};
  ExpectInvalid(sam_, t, "tags");
  t = Valid();
  t.tags = {"-leading"};
  ExpectInvalid(sam_, t, "tags");
  t = Valid();
  t.tags = std::vector<std::string>(21, "x");
  ExpectInvalid(sam_, t, "tags");
  t = Valid();
  t.ccs = {"not-an-address"};
  ExpectInvalid(sam_, t, "ccs");
  t = Valid();
  t.ccs = {"a@example.com\r\nBcc: evil@example.com"};
  ExpectInvalid(sam_, t, "ccs");
  t = Valid();
  t.due_at = 1'760'000'000'000;  // milliseconds by mistake
  ExpectInvalid(sam_, t, "due_at");
  // A ticket in no department is the shared inbox: any agent may open one there.
  t = Valid();
  t.department_id.reset();
  EXPECT_NO_THROW(CreateTicket(bill_, *db_, t, Tick()));
}

TEST_F(CreateTicketTest, ReadOnlyTokenCannotCreate) {
  auth::Actor token = ada_;
  token.channel = auth::Actor::Channel::kApi;
  token.read_only = true;
  const std::string before = Fingerprint();
  EXPECT_THROW(CreateTicket(token, *db_, Valid(), Tick()), core::Forbidden);
  EXPECT_THROW(CreateTicket(auth::Actor{}, *db_, Valid(), Tick()), core::Forbidden);
  EXPECT_EQ(Fingerprint(), before);
}

TEST_F(CreateTicketTest, ChannelIsRecorded) {
  auth::Actor by_api = ana_;
  by_api.channel = auth::Actor::Channel::kApi;
  const auto created = CreateTicket(by_api, *db_, Valid(), Tick());
  EXPECT_EQ(GetTicket(ana_, *db_, FormatTicketNumber(created.number)).channel, "api");
}

}  // namespace
}  // namespace rampart::tickets

namespace rampart::tickets {
namespace {

// A measurement, not a check: run with
//   rampart_unit_tests --gtest_also_run_disabled_tests --gtest_filter='*Throughput*'
// One transaction per ticket with synchronous=FULL, as the API runs it today (no group commit).
TEST_F(CreateTicketTest, DISABLED_Throughput) {
  constexpr int kTickets = 3000;
  NewTicket t = Valid();
  t.body = "The printer in room 4 stopped printing after the update; the toner light blinks.";
  const auto started = std::chrono::steady_clock::now();
  const std::clock_t cpu_started = std::clock();
  for (int i = 0; i < kTickets; ++i) CreateTicket(ana_, *db_, t, Tick());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const double cpu = static_cast<double>(std::clock() - cpu_started) / CLOCKS_PER_SEC;
  std::printf("CreateTicket: %.0f tickets/s wall, %.1f us CPU per ticket\n", kTickets / seconds,
              cpu / kTickets * 1e6);

  // As a group committer would run them: many creations, one transaction, one fsync.
  const auto grouped_started = std::chrono::steady_clock::now();
  const std::clock_t grouped_cpu_started = std::clock();
  {
    storage::Lease c = db_->Write();
    storage::Transaction tx(*c);
    for (int i = 0; i < kTickets; ++i) CreateTicketIn(*c, ana_, t, Tick());
    tx.Commit();
  }
  const double grouped =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - grouped_started).count();
  const double grouped_cpu =
      static_cast<double>(std::clock() - grouped_cpu_started) / CLOCKS_PER_SEC;
  std::printf("CreateTicketIn, one commit: %.0f tickets/s wall, %.1f us CPU per ticket\n",
              kTickets / grouped, grouped_cpu / kTickets * 1e6);
}

}  // namespace
}  // namespace rampart::tickets
