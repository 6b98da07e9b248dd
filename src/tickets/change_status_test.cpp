#include "tickets/change_status.h"

#include <gtest/gtest.h>

#include "core/errors.h"
#include "tickets/get_ticket.h"
#include "tickets/history.h"
#include "tickets/tickets_test_support.h"

namespace rampart::tickets {
namespace {

using testing::TicketsTest;

class ChangeStatusTest : public TicketsTest {
 protected:
  template <typename E>
  void ExpectRefused(const auth::Actor& actor, const std::string& number, Status status) {
    const std::string before = Fingerprint();
    EXPECT_THROW(ChangeStatus(actor, *db_, {number, status}, Tick()), E);
    EXPECT_EQ(Fingerprint(), before);
  }
};

TEST_F(ChangeStatusTest, StaffMoveTicketsThroughStatusesWithHistory) {
  const std::string number = Open(ana_);
  EXPECT_TRUE(ChangeStatus(sam_, *db_, {number, Status::kOnHold}, Tick()).changed);
  EXPECT_FALSE(ChangeStatus(sam_, *db_, {number, Status::kOnHold}, Tick()).changed);
  const std::int64_t solved = Tick();
  ChangeStatus(sam_, *db_, {number, Status::kSolved}, solved);
  ChangeStatus(sam_, *db_, {number, Status::kClosed}, Tick());
  const TicketView view = GetTicket(sam_, *db_, number);
  EXPECT_EQ(view.status, Status::kClosed);
  EXPECT_EQ(view.solved_at, solved);  // closing keeps the time it was solved
  const auto history = TicketHistory(sam_, *db_, number);
  ASSERT_EQ(history.size(), 4U);  // created, then three changes; the no-op wrote nothing
  EXPECT_EQ(history[1].field, "status");
  EXPECT_EQ(history[1].old_value, "open");
  EXPECT_EQ(history[1].new_value, "on_hold");
  EXPECT_EQ(history[1].actor_id, 20);
  EXPECT_EQ(history[1].actor_name, "Sam Support");
}

TEST_F(ChangeStatusTest, ClosedIsFinal) {
  const std::string number = Open(ana_);
  ChangeStatus(sam_, *db_, {number, Status::kClosed}, Tick());
  ExpectRefused<core::Conflict>(sam_, number, Status::kOpen);
  ExpectRefused<core::Conflict>(ada_, number, Status::kSolved);
}

TEST_F(ChangeStatusTest, EndUserMayCloseAndReopenOwnTicket) {
  const std::string number = Open(ana_);
  EXPECT_TRUE(ChangeStatus(ana_, *db_, {number, Status::kSolved}, Tick()).changed);
  EXPECT_TRUE(ChangeStatus(ana_, *db_, {number, Status::kOpen}, Tick()).changed);
  EXPECT_TRUE(ChangeStatus(ana_, *db_, {number, Status::kClosed}, Tick()).changed);
  ExpectRefused<core::Conflict>(ana_, number, Status::kOpen);
}

TEST_F(ChangeStatusTest, EndUserMayNotSetWorkflowStatuses) {
  const std::string number = Open(ana_);
  ExpectRefused<core::Invalid>(ana_, number, Status::kPending);
  ExpectRefused<core::Invalid>(ana_, number, Status::kOnHold);
  // Reopening is for solved tickets; an open one cannot be "reopened" into anything else.
  ChangeStatus(sam_, *db_, {number, Status::kPending}, Tick());
  ExpectRefused<core::Invalid>(ana_, number, Status::kOpen);
}

TEST_F(ChangeStatusTest, EndUserGetsNotFoundForAnotherUsersTicket) {
  const std::string carls = Open(carl_);
  ExpectRefused<core::NotFound>(ana_, carls, Status::kClosed);
}

TEST_F(ChangeStatusTest, ColleagueSeesSharedTicketButCannotCloseIt) {
  const std::string anas = Open(ana_);
  ExpectRefused<core::Forbidden>(ben_, anas, Status::kClosed);
}

TEST_F(ChangeStatusTest, AgentOutsideDepartmentGetsNotFoundUnlessAllDepartments) {
  const std::string billing = Open(ana_, "Invoice", 2);
  ExpectRefused<core::NotFound>(sam_, billing, Status::kSolved);
  EXPECT_TRUE(ChangeStatus(rita_, *db_, {billing, Status::kSolved}, Tick()).changed);
}

TEST_F(ChangeStatusTest, ReadOnlyTokenCannotChangeStatus) {
  const std::string number = Open(ana_);
  auth::Actor token = ada_;
  token.channel = auth::Actor::Channel::kApi;
  token.read_only = true;
  ExpectRefused<core::Forbidden>(token, number, Status::kSolved);
}

}  // namespace
}  // namespace rampart::tickets
