#include "tickets/change_fields.h"

#include <gtest/gtest.h>

#include "core/errors.h"
#include "tickets/get_ticket.h"
#include "tickets/history.h"
#include "tickets/tickets_test_support.h"

namespace rampart::tickets {
namespace {

using testing::TicketsTest;

class ChangeFieldsTest : public TicketsTest {
 protected:
  // Runs `action`, expects E, and that nothing changed.
  template <typename E, typename F>
  void ExpectRefused(F action) {
    const std::string before = Fingerprint();
    EXPECT_THROW(action(), E);
    EXPECT_EQ(Fingerprint(), before);
  }
  std::string LastField(const std::string& number) {
    return TicketHistory(sam_, *db_, number).back().field;
  }
};

TEST_F(ChangeFieldsTest, PriorityChangesWithHistory) {
  const std::string number = Open(ana_);
  EXPECT_TRUE(ChangePriority(sam_, *db_, {number, Priority::kUrgent}, Tick()).changed);
  EXPECT_FALSE(ChangePriority(sam_, *db_, {number, Priority::kUrgent}, Tick()).changed);
  EXPECT_EQ(GetTicket(sam_, *db_, number).priority, Priority::kUrgent);
  const auto last = TicketHistory(sam_, *db_, number).back();
  EXPECT_EQ(last.field, "priority");
  EXPECT_EQ(last.old_value, "normal");
  EXPECT_EQ(last.new_value, "urgent");
}

TEST_F(ChangeFieldsTest, EndUsersDoNotEditProperties) {
  const std::string number = Open(ana_);
  ExpectRefused<core::Forbidden>([&] {
    ChangePriority(ana_, *db_, {number, Priority::kUrgent}, Tick());
  });
  ExpectRefused<core::Forbidden>([&] { ChangeDepartment(ana_, *db_, {number, 2}, Tick()); });
  ExpectRefused<core::Forbidden>([&] { ChangeTags(ana_, *db_, {number, {"vip"}, {}}, Tick()); });
  ExpectRefused<core::Forbidden>([&] {
    ChangeCustomFields(ana_, *db_, {number, {{"x", "y"}}}, Tick());
  });
  ExpectRefused<core::Forbidden>([&] {
    ChangeDueDate(ana_, *db_, {number, 1'760'000'000}, Tick());
  });
  ExpectRefused<core::Forbidden>([&] {
    ChangeCcs(ana_, *db_, {number, {"x@example.com"}, {}}, Tick());
  });
}

TEST_F(ChangeFieldsTest, AgentOutsideDepartmentGetsNotFound) {
  const std::string billing = Open(ana_, "Invoice", 2);
  ExpectRefused<core::NotFound>([&] {
    ChangePriority(sam_, *db_, {billing, Priority::kHigh}, Tick());
  });
  ExpectRefused<core::NotFound>([&] { ChangeDepartment(sam_, *db_, {billing, 1}, Tick()); });
  ExpectRefused<core::NotFound>([&] { ChangeTags(sam_, *db_, {billing, {"x"}, {}}, Tick()); });
  ExpectRefused<core::NotFound>([&] {
    ChangeDueDate(sam_, *db_, {billing, 1'760'000'000}, Tick());
  });
}

TEST_F(ChangeFieldsTest, ReadOnlyTokenCannotEdit) {
  const std::string number = Open(ana_);
  auth::Actor token = ada_;
  token.read_only = true;
  ExpectRefused<core::Forbidden>([&] {
    ChangePriority(token, *db_, {number, Priority::kHigh}, Tick());
  });
  ExpectRefused<core::Forbidden>([&] { ChangeDepartment(token, *db_, {number, 2}, Tick()); });
}

TEST_F(ChangeFieldsTest, MovingDepartmentsIsAuditedAndChangesWhoSees) {
  const std::string number = Open(ana_);
  EXPECT_TRUE(ChangeDepartment(sam_, *db_, {number, 2}, Tick()).changed);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE event = 'ticket.department' "
                  "AND target = 'RMP-1001' AND detail = 'from=1 to=2'"),
            1);
  EXPECT_THROW(GetTicket(sam_, *db_, number), core::NotFound);
  EXPECT_EQ(GetTicket(bill_, *db_, number).department_name, "Billing");
  EXPECT_TRUE(ChangeDepartment(bill_, *db_, {number, std::nullopt}, Tick()).changed);
  EXPECT_NO_THROW(GetTicket(sam_, *db_, number));  // the shared inbox
  ExpectRefused<core::Invalid>([&] { ChangeDepartment(sam_, *db_, {number, 99}, Tick()); });
}

TEST_F(ChangeFieldsTest, TagsAreNormalizedAddedAndRemoved) {
  const std::string number = Open(ana_);
  ChangeTags(sam_, *db_, {number, {"VIP", "printer", "vip"}, {}}, Tick());
  EXPECT_EQ(GetTicket(sam_, *db_, number).tags, (std::vector<std::string>{"printer", "vip"}));
  const auto last = TicketHistory(sam_, *db_, number).back();
  EXPECT_EQ(last.old_value, "");
  EXPECT_EQ(last.new_value, "printer vip");
  EXPECT_FALSE(ChangeTags(sam_, *db_, {number, {"vip"}, {"absent"}}, Tick()).changed);
  ChangeTags(sam_, *db_, {number, {"escalated"}, {"VIP"}}, Tick());
  EXPECT_EQ(GetTicket(sam_, *db_, number).tags, (std::vector<std::string>{"escalated", "printer"}));
  ExpectRefused<core::Invalid>([&] { ChangeTags(sam_, *db_, {number, {"<script>"}, {}}, Tick()); });
  ExpectRefused<core::Invalid>([&] { ChangeTags(sam_, *db_, {number, {""}, {}}, Tick()); });
  std::vector<std::string> many;
  for (int i = 0; i < 19; ++i) many.push_back(std::string("t").append(std::to_string(i)));
  ExpectRefused<core::Invalid>([&] { ChangeTags(sam_, *db_, {number, many, {}}, Tick()); });
}

TEST_F(ChangeFieldsTest, CustomFieldsAreSetClearedAndChecked) {
  {
    storage::Lease c = db_->Write();
    c->ExecuteScript(
        "INSERT INTO custom_fields (id, key, label, kind, required, created_at) VALUES "
        "  (1, 'seats', 'Seats', 'number', 0, 0), (2, 'plan', 'Plan', 'dropdown', 1, 0),"
        "  (3, 'old', 'Old', 'text', 0, 0);"
        "UPDATE custom_fields SET archived_at = 1 WHERE id = 3;"
        "INSERT INTO custom_field_options (field_id, value, label) VALUES (2, 'pro', 'Pro'),"
        "  (2, 'free', 'Free');");
  }
  NewTicket t;
  t.subject = "Upgrade";
  t.body = "Please upgrade us.";
  t.requester_id = 10;
  t.department_id = 1;
  t.custom_fields = {{"plan", "free"}};
  const std::string number = FormatTicketNumber(CreateTicket(sam_, *db_, t, Tick()).number);
  EXPECT_TRUE(
      ChangeCustomFields(sam_, *db_, {number, {{"seats", "25"}, {"plan", "pro"}}}, Tick()).changed);
  EXPECT_FALSE(ChangeCustomFields(sam_, *db_, {number, {{"seats", "25.0"}}}, Tick()).changed);
  // The no-op wrote nothing: the last entry is still the earlier change (keys in order).
  EXPECT_EQ(LastField(number), "custom_fields.seats");
  EXPECT_TRUE(ChangeCustomFields(sam_, *db_, {number, {{"seats", std::nullopt}}}, Tick()).changed);
  EXPECT_EQ(GetTicket(sam_, *db_, number).custom_fields.size(), 1U);
  ExpectRefused<core::Invalid>([&] {
    ChangeCustomFields(sam_, *db_, {number, {{"plan", std::nullopt}}}, Tick());
  });
  ExpectRefused<core::Invalid>([&] {
    ChangeCustomFields(sam_, *db_, {number, {{"plan", "gold"}}}, Tick());
  });
  ExpectRefused<core::Invalid>([&] {
    ChangeCustomFields(sam_, *db_, {number, {{"old", "x"}}}, Tick());
  });
  ExpectRefused<core::Invalid>([&] {
    ChangeCustomFields(sam_, *db_, {number, {{"seats", "1e999"}}}, Tick());
  });
}

TEST_F(ChangeFieldsTest, DueDateIsSetCheckedAndCleared) {
  const std::string number = Open(ana_);
  EXPECT_TRUE(ChangeDueDate(sam_, *db_, {number, 1'760'000'000}, Tick()).changed);
  EXPECT_EQ(GetTicket(sam_, *db_, number).due_at, 1'760'000'000);
  ExpectRefused<core::Invalid>([&] { ChangeDueDate(sam_, *db_, {number, -1}, Tick()); });
  EXPECT_TRUE(ChangeDueDate(sam_, *db_, {number, std::nullopt}, Tick()).changed);
  EXPECT_FALSE(GetTicket(sam_, *db_, number).due_at);
}

TEST_F(ChangeFieldsTest, CopiesAreAddedRemovedAndBounded) {
  const std::string number = Open(ana_);
  EXPECT_TRUE(ChangeCcs(sam_, *db_, {number, {"boss@example.com", "ben@acme.example"}, {}}, Tick())
                  .changed);
  EXPECT_FALSE(ChangeCcs(sam_, *db_, {number, {"BOSS@example.com"}, {}}, Tick()).changed);
  EXPECT_TRUE(ChangeCcs(sam_, *db_, {number, {}, {"Boss@Example.com"}}, Tick()).changed);
  EXPECT_EQ(GetTicket(sam_, *db_, number).ccs, std::vector<std::string>{"ben@acme.example"});
  ExpectRefused<core::Invalid>([&] {
    ChangeCcs(sam_, *db_, {number, {"x@example.com>, evil@example.com"}, {}}, Tick());
  });
  std::vector<std::string> many;
  for (int i = 0; i < 20; ++i) {
    many.push_back(std::string("p").append(std::to_string(i)).append("@example.com"));
  }
  ExpectRefused<core::Invalid>([&] { ChangeCcs(sam_, *db_, {number, many, {}}, Tick()); });
}

TEST_F(ChangeFieldsTest, ClosedTicketsAreNotEdited) {
  const std::string number = Open(ana_);
  ChangeStatus(sam_, *db_, {number, Status::kClosed}, Tick());
  ExpectRefused<core::Conflict>([&] {
    ChangePriority(sam_, *db_, {number, Priority::kHigh}, Tick());
  });
  ExpectRefused<core::Conflict>([&] { ChangeTags(sam_, *db_, {number, {"late"}, {}}, Tick()); });
}

}  // namespace
}  // namespace rampart::tickets
