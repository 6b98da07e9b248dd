#include "tickets/history.h"

#include <gtest/gtest.h>

#include "core/errors.h"
#include "tickets/assign.h"
#include "tickets/change_fields.h"
#include "tickets/change_status.h"
#include "tickets/reply.h"
#include "tickets/tickets_test_support.h"

namespace rampart::tickets {
namespace {

using testing::TicketsTest;

class HistoryTest : public TicketsTest {
 protected:
  static std::vector<std::string> Fields(const std::vector<HistoryEntry>& entries) {
    std::vector<std::string> fields;
    for (const HistoryEntry& e : entries) fields.push_back(e.field);
    return fields;
  }
};

TEST_F(HistoryTest, StaffSeeEveryChangeInOrder) {
  const std::string number = Open(ana_);
  Assign(sam_, *db_, {number, 20}, Tick());
  ChangeTags(sam_, *db_, {number, {"vip"}, {}}, Tick());
  Reply(sam_, *db_, {number, "On it.", Status::kPending}, Tick());
  const auto history = TicketHistory(sam_, *db_, number);
  EXPECT_EQ(Fields(history),
            (std::vector<std::string>{"created", "assignee", "tags", "reply", "status"}));
  EXPECT_EQ(history.front().new_value, "RMP-1001");
  EXPECT_EQ(history.front().actor_name, "Ana Acme");
  for (std::size_t i = 1; i < history.size(); ++i) EXPECT_GE(history[i].at, history[i - 1].at);
}

TEST_F(HistoryTest, EndUsersSeeOnlyWhatTheirViewShows) {
  const std::string number = Open(ana_);
  Assign(sam_, *db_, {number, 20}, Tick());
  ChangeTags(sam_, *db_, {number, {"difficult-customer"}, {}}, Tick());
  ChangePriority(sam_, *db_, {number, Priority::kLow}, Tick());
  Reply(sam_, *db_, {number, "On it.", Status::kPending}, Tick());
  EXPECT_EQ(Fields(TicketHistory(ana_, *db_, number)),
            (std::vector<std::string>{"created", "reply", "status"}));
}

TEST_F(HistoryTest, HistoryOfAnUnreachableTicketIsNotFound) {
  const std::string carls = Open(carl_);
  const std::string billing = Open(ana_, "Invoice", 2);
  EXPECT_THROW(TicketHistory(ana_, *db_, carls), core::NotFound);
  EXPECT_THROW(TicketHistory(sam_, *db_, billing), core::NotFound);
  EXPECT_THROW(TicketHistory(ana_, *db_, "RMP-99999"), core::NotFound);
  EXPECT_NO_THROW(TicketHistory(rita_, *db_, billing));
  EXPECT_THROW(TicketHistory(auth::Actor{}, *db_, carls), core::Forbidden);
}

TEST_F(HistoryTest, HistoryCannotBeRewritten) {
  Open(ana_);
  storage::Lease c = db_->Write();
  EXPECT_THROW(c->Execute("UPDATE ticket_events SET new_value = 'forged'"), storage::DatabaseError);
}

}  // namespace
}  // namespace rampart::tickets
