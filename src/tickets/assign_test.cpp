#include "tickets/assign.h"

#include <gtest/gtest.h>

#include "core/errors.h"
#include "tickets/change_status.h"
#include "tickets/get_ticket.h"
#include "tickets/history.h"
#include "tickets/tickets_test_support.h"

namespace rampart::tickets {
namespace {

using testing::TicketsTest;

class AssignTest : public TicketsTest {
 protected:
  template <typename E>
  void ExpectRefused(const auth::Actor& actor, const AssignRequest& request) {
    const std::string before = Fingerprint();
    EXPECT_THROW(Assign(actor, *db_, request, Tick()), E);
    EXPECT_EQ(Fingerprint(), before);
  }
};

TEST_F(AssignTest, AgentAssignsAndUnassignsWithHistory) {
  const std::string number = Open(ana_);
  EXPECT_TRUE(Assign(sam_, *db_, {number, 20}, Tick()).changed);
  EXPECT_FALSE(Assign(sam_, *db_, {number, 20}, Tick()).changed);
  EXPECT_EQ(GetTicket(sam_, *db_, number).assignee_name, "Sam Support");
  EXPECT_TRUE(Assign(sam_, *db_, {number, std::nullopt}, Tick()).changed);
  EXPECT_FALSE(GetTicket(sam_, *db_, number).assignee_id);
  const auto history = TicketHistory(sam_, *db_, number);
  ASSERT_EQ(history.size(), 3U);
  EXPECT_EQ(history[1].field, "assignee");
  EXPECT_FALSE(history[1].old_value);
  EXPECT_EQ(history[1].new_value, "20");
  EXPECT_EQ(history[2].old_value, "20");
}

TEST_F(AssignTest, AssigneeMustSeeTheTicket) {
  const std::string number = Open(ana_);                          // Support
  ExpectRefused<core::Invalid>(sam_, {number, 21});               // Bill works Billing only
  ExpectRefused<core::Invalid>(sam_, {number, 10});               // a customer
  ExpectRefused<core::Invalid>(sam_, {number, 999});              // nobody
  EXPECT_TRUE(Assign(sam_, *db_, {number, 22}, Tick()).changed);  // Rita: all departments
  EXPECT_TRUE(Assign(sam_, *db_, {number, 30}, Tick()).changed);  // an admin
}

TEST_F(AssignTest, DisabledAgentCannotBeAssigned) {
  const std::string number = Open(ana_);
  {
    storage::Lease c = db_->Write();
    c->Execute("UPDATE users SET disabled = 1 WHERE id = 22");
  }
  ExpectRefused<core::Invalid>(sam_, {number, 22});
}

TEST_F(AssignTest, EndUserCannotAssign) {
  const std::string number = Open(ana_);
  ExpectRefused<core::Forbidden>(ana_, {number, 20});
}

TEST_F(AssignTest, AgentOutsideDepartmentGetsNotFound) {
  const std::string billing = Open(ana_, "Invoice", 2);
  ExpectRefused<core::NotFound>(sam_, {billing, 20});
}

TEST_F(AssignTest, ReadOnlyTokenCannotAssign) {
  const std::string number = Open(ana_);
  auth::Actor token = sam_;
  token.read_only = true;
  ExpectRefused<core::Forbidden>(token, {number, 20});
}

TEST_F(AssignTest, ClosedTicketIsNotReassigned) {
  const std::string number = Open(ana_);
  ChangeStatus(sam_, *db_, {number, Status::kClosed}, Tick());
  ExpectRefused<core::Conflict>(sam_, {number, 20});
}

}  // namespace
}  // namespace rampart::tickets
