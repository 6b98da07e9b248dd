#include "tickets/bulk_update.h"

#include <gtest/gtest.h>

#include "core/errors.h"
#include "tickets/get_ticket.h"
#include "tickets/tickets_test_support.h"

namespace rampart::tickets {
namespace {

using testing::TicketsTest;
using Change = BulkRequest::Change;

class BulkTest : public TicketsTest {};

TEST_F(BulkTest, AgentAssignsSeveralTicketsToThemselves) {
  const std::string a = Open(ana_, "One", 1);
  const std::string b = Open(carl_, "Two", std::nullopt);
  const BulkOutcome out = BulkUpdate(sam_, *db_, {Change::kAssign, {a, b, a}, 20}, Tick());
  EXPECT_EQ(out.changed, (std::vector<std::string>{a, b}));
  EXPECT_TRUE(out.skipped.empty());
  EXPECT_EQ(GetTicket(sam_, *db_, a).assignee_id, 20);
  EXPECT_EQ(GetTicket(sam_, *db_, b).assignee_id, 20);
  const BulkOutcome again = BulkUpdate(sam_, *db_, {Change::kAssign, {a}, 20}, Tick());
  EXPECT_EQ(again.unchanged, (std::vector<std::string>{a}));
}

TEST_F(BulkTest, TicketsOutOfReachAreSkippedAndLeftAlone) {
  const std::string support = Open(ana_, "Support one", 1);
  const std::string billing = Open(gina_, "Billing one", 2);
  const std::string before_billing = Fingerprint();
  const BulkOutcome out = BulkUpdate(
      sam_, *db_,
      {Change::kStatus, {support, billing, "RMP-999999", "junk"}, std::nullopt, Status::kPending},
      Tick());
  EXPECT_EQ(out.changed, (std::vector<std::string>{support}));
  ASSERT_EQ(out.skipped.size(), 3U);
  EXPECT_EQ(out.skipped[0].ticket, billing);
  EXPECT_EQ(GetTicket(rita_, *db_, billing).status, Status::kOpen);
  // Assigning to an agent who cannot see the ticket is refused per ticket.
  const BulkOutcome to_bill = BulkUpdate(sam_, *db_, {Change::kAssign, {support}, 21}, Tick());
  EXPECT_TRUE(to_bill.changed.empty());
  ASSERT_EQ(to_bill.skipped.size(), 1U);
  EXPECT_FALSE(GetTicket(sam_, *db_, support).assignee_id);
}

TEST_F(BulkTest, EndUsersAndOversizedRequestsAreRefusedBeforeAnything) {
  const std::string a = Open(ana_);
  const std::string before = Fingerprint();
  EXPECT_THROW(
      BulkUpdate(ana_, *db_, {Change::kStatus, {a}, std::nullopt, Status::kSolved}, Tick()),
      core::Forbidden);
  EXPECT_THROW(BulkUpdate(ana_, *db_, {Change::kAssign, {a}, 10}, Tick()), core::Forbidden);
  std::vector<std::string> many;
  for (int i = 0; i < 51; ++i) many.push_back("RMP-" + std::to_string(1001 + i));
  EXPECT_THROW(BulkUpdate(sam_, *db_, {Change::kAssign, many, 20}, Tick()), core::Invalid);
  EXPECT_THROW(BulkUpdate(sam_, *db_, {Change::kAssign, {}, 20}, Tick()), core::Invalid);
  EXPECT_EQ(Fingerprint(), before);
}

}  // namespace
}  // namespace rampart::tickets
