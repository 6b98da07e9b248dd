#include "tickets/ticket_committer.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/errors.h"
#include "tickets/get_ticket.h"
#include "tickets/tickets_test_support.h"

namespace rampart::tickets {
namespace {

using testing::TicketsTest;

class TicketCommitterTest : public TicketsTest {
 protected:
  static NewTicket Valid(const std::string& subject) {
    NewTicket t;
    t.subject = subject;
    t.body = "It stopped printing.";
    t.department_id = 1;
    return t;
  }
};

TEST_F(TicketCommitterTest, ConcurrentCreationsAllCommitWithUniqueGapFreeNumbers) {
  TicketCommitter committer(*db_);
  constexpr int kThreads = 8;
  constexpr int kEach = 40;
  std::vector<std::vector<std::int64_t>> numbers(kThreads);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const NewTicket request = Valid("Printer " + std::to_string(t) + "-" + std::to_string(i));
        numbers[t].push_back(committer.Create(ana_, request, now_).number);
      }
    });
  }
  for (auto& thread : threads) thread.join();

  std::set<std::int64_t> all;
  for (const auto& list : numbers) all.insert(list.begin(), list.end());
  ASSERT_EQ(all.size(), static_cast<std::size_t>(kThreads * kEach));
  EXPECT_EQ(*all.begin(), 1001);
  EXPECT_EQ(*all.rbegin(), 1001 + kThreads * kEach - 1);
  EXPECT_EQ(Count("SELECT count(*) FROM tickets"), kThreads * kEach);
  EXPECT_EQ(Count("SELECT count(*) FROM messages"), kThreads * kEach);
  EXPECT_EQ(Count("SELECT count(*) FROM ticket_events WHERE field = 'created'"), kThreads * kEach);
  // Each caller got the number of the ticket it asked for.
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kEach; ++i) {
      const TicketView view = GetTicket(ana_, *db_, FormatTicketNumber(numbers[t][i]));
      EXPECT_EQ(view.subject, "Printer " + std::to_string(t) + "-" + std::to_string(i));
    }
  }
  EXPECT_EQ(committer.Tickets(), static_cast<std::uint64_t>(kThreads * kEach));
  EXPECT_LE(committer.Commits(), committer.Tickets());
  ExpectSearchIndexConsistent();
}

TEST_F(TicketCommitterTest, AFailingTicketDoesNotFailItsBatchMates) {
  NewTicket good = Valid("Printer offline");
  NewTicket unknown_requester = Valid("For nobody");
  unknown_requester.requester_id = 999;  // passes the checks without a database, fails inside
  NewTicket unknown_department = Valid("Nowhere");
  unknown_department.department_id = 77;
  const std::vector<PendingTicket> items = {{&ada_, &good, Tick()},
                                            {&ada_, &unknown_requester, Tick()},
                                            {&ana_, &good, Tick()},
                                            {&ada_, &unknown_department, Tick()},
                                            {&sam_, &good, Tick()}};
  const std::vector<PendingOutcome> outcomes = CreateTicketsInOneCommit(*db_, items);
  ASSERT_EQ(outcomes.size(), items.size());

  std::vector<std::int64_t> created;
  for (std::size_t i : {0U, 2U, 4U}) {
    const auto* ticket = std::get_if<CreatedTicket>(&outcomes[i]);
    ASSERT_NE(ticket, nullptr) << "item " << i;
    created.push_back(ticket->number);
  }
  // The failed ones took no number: the committed ones are consecutive.
  EXPECT_EQ(created, (std::vector<std::int64_t>{1001, 1002, 1003}));
  for (std::size_t i : {1U, 3U}) {
    const auto* failure = std::get_if<std::exception_ptr>(&outcomes[i]);
    ASSERT_NE(failure, nullptr) << "item " << i;
    try {
      std::rethrow_exception(*failure);
    } catch (const core::Invalid& e) {
      EXPECT_EQ(e.Field(), i == 1 ? "requester" : "department");
    }
  }
  // Nothing of the failed ones was written, everything of the others was.
  EXPECT_EQ(Count("SELECT count(*) FROM tickets"), 3);
  EXPECT_EQ(Count("SELECT count(*) FROM messages"), 3);
  EXPECT_EQ(Count("SELECT count(*) FROM ticket_events"), 3);
  EXPECT_EQ(Count("SELECT count(*) FROM tickets WHERE subject <> 'Printer offline'"), 0);
  ExpectSearchIndexConsistent();
}

TEST_F(TicketCommitterTest, RefusalsComeBackToTheirCallerAndChangeNothing) {
  TicketCommitter committer(*db_);
  const std::string before = Fingerprint();
  NewTicket staff_fields = Valid("Urgent please");
  staff_fields.priority = Priority::kUrgent;  // end users may not set it
  EXPECT_THROW(committer.Create(ana_, staff_fields, Tick()), core::Invalid);
  NewTicket script = Valid("<script>alert(1)</script>");
  script.requester_id = 12345;
  EXPECT_THROW(committer.Create(ada_, script, Tick()), core::Invalid);
  NewTicket oversized = Valid(std::string(301, 'x'));
  EXPECT_THROW(committer.Create(ada_, oversized, Tick()), core::Invalid);
  NewTicket other_department = Valid("Billing question");
  other_department.department_id = 2;  // Sam works Support only
  EXPECT_THROW(committer.Create(sam_, other_department, Tick()), core::Invalid);
  EXPECT_EQ(Fingerprint(), before);
  // The committer goes on working after refusals.
  EXPECT_EQ(committer.Create(ana_, Valid("Printer offline"), Tick()).number, 1001);
}

TEST_F(TicketCommitterTest, ACreatedTicketIsOnDiskWhenCreateReturns) {
  TicketCommitter committer(*db_);
  const CreatedTicket created = committer.Create(ana_, Valid("Durable printer"), Tick());
  // A connection opened afresh on the file, outside the pool, sees the committed row.
  storage::sqlite::Options options;
  options.path = temp_.Dir() / "test.db";
  options.read_connections = 1;
  const auto fresh = storage::sqlite::Open(options);
  storage::Lease c = fresh->Read();
  const auto row = c->QueryOne("SELECT subject FROM tickets WHERE number = ?", {created.number});
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->Text(0), "Durable printer");
}

}  // namespace
}  // namespace rampart::tickets
