#include "tickets/demo_data.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <utility>

#include "tickets/queue.h"
#include "tickets/search.h"
#include "tickets/tickets_test_support.h"

namespace rampart::tickets {
namespace {

using testing::TicketsTest;

class DemoDataTest : public TicketsTest {
 protected:
  DemoResult Generate(std::int64_t tickets, std::uint64_t seed = 7) {
    DemoOptions options;
    options.tickets = tickets;
    options.now = now_;
    options.seed = seed;
    return GenerateDemoTickets(*db_, options);
  }
};

TEST_F(DemoDataTest, FillsEveryColumnTheQueuesAndSearchUse) {
  const DemoResult result = Generate(600);
  EXPECT_EQ(result.tickets, 600);
  EXPECT_EQ(Count("SELECT count(*) FROM messages"), result.messages);
  EXPECT_EQ(Count("SELECT count(*) FROM ticket_search_docsize"), result.messages);
  ExpectSearchIndexConsistent();
  EXPECT_EQ(Count("SELECT count(*) FROM tickets WHERE last_message_at IS NULL"), 0);
  EXPECT_GT(Count("SELECT count(*) FROM tickets WHERE due_at IS NOT NULL"), 0);
  EXPECT_GT(Count("SELECT count(*) FROM tickets WHERE department_id IS NULL"), 0);
  EXPECT_GT(Count("SELECT count(*) FROM tickets WHERE organization_id IS NOT NULL"), 0);
  EXPECT_GT(Count("SELECT count(*) FROM ticket_tags"), 0);
  EXPECT_GT(Count("SELECT count(*) FROM ticket_field_values"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM ticket_events WHERE field = 'created'"), 600);
  // The times tell one consistent story.
  EXPECT_EQ(Count("SELECT count(*) FROM tickets WHERE (solved_at IS NOT NULL) <> "
                  "(status IN ('solved', 'closed'))"),
            0);
  EXPECT_EQ(Count("SELECT count(*) FROM tickets WHERE first_response_at < created_at "
                  "OR last_message_at > updated_at OR updated_at < created_at"),
            0);
  EXPECT_EQ(Count("SELECT count(*) FROM tickets AS t WHERE first_response_at IS NOT NULL AND "
                  "NOT EXISTS (SELECT 1 FROM messages AS m WHERE m.ticket_id = t.id AND "
                  "m.author_kind = 'agent' AND m.internal = 0 AND m.created_at = "
                  "t.first_response_at)"),
            0);
  EXPECT_EQ(Count("SELECT count(*) FROM messages AS m JOIN users AS u ON u.id = m.author_id "
                  "WHERE (u.role = 'end_user') <> (m.author_kind = 'end_user')"),
            0);
  EXPECT_FALSE(SearchTickets(ada_, *db_, {"printer", 20}).empty());
  EXPECT_EQ(ListQueue(ada_, *db_, {}, now_).rows.size(), 50U);
}

TEST_F(DemoDataTest, AssigneesCanSeeWhatTheyAreGiven) {
  Generate(300);
  // Sam works Support only; every ticket given to him is in Support or the shared inbox.
  EXPECT_EQ(Count("SELECT count(*) FROM tickets WHERE assignee_id = 20 AND department_id <> 1"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM tickets WHERE assignee_id = 21 AND department_id <> 2"), 0);
}

TEST_F(DemoDataTest, GivesTheWriterItsUsualSettingsBack) {
  Generate(5);
  storage::Lease c = db_->Write();
  EXPECT_EQ(c->QueryOne("PRAGMA cache_size")->Int(0), -2000);
  EXPECT_EQ(c->QueryOne("PRAGMA foreign_keys")->Int(0), 1);
  EXPECT_EQ(c->QueryOne("SELECT v FROM ticket_search_config WHERE k = 'hashsize'")->Int(0),
            1048576);
}

TEST_F(DemoDataTest, WritesOnlyValidReferencesWithoutTheChecks) {
  Generate(400);
  storage::Lease c = db_->Read();
  EXPECT_TRUE(c->Query("PRAGMA foreign_key_check").empty());
}

TEST_F(DemoDataTest, OneMessageInAThousandHasTheRareWord) {
  const DemoResult result = Generate(2500);
  EXPECT_EQ(Count("SELECT count(*) FROM messages WHERE body LIKE '%zeppelin%'"),
            result.messages / 1000);
  EXPECT_EQ(Count("SELECT count(*) FROM ticket_search WHERE ticket_search MATCH 'zeppelin'"),
            result.messages / 1000);
  EXPECT_EQ(Count("SELECT count(*) FROM tickets WHERE subject LIKE '%zeppelin%'"), 0);
}

TEST_F(DemoDataTest, NumbersFollowCreationTime) {
  Generate(50);
  EXPECT_EQ(Count("SELECT count(*) FROM tickets AS a JOIN tickets AS b ON b.number > a.number "
                  "WHERE b.created_at < a.created_at"),
            0);
}

TEST_F(DemoDataTest, SecondRunContinuesTheNumbers) {
  Generate(10);
  Generate(10, 8);
  EXPECT_EQ(Count("SELECT max(number) FROM tickets"), 1020);
  EXPECT_EQ(Count("SELECT count(DISTINCT number) FROM tickets"), 20);
}

}  // namespace
}  // namespace rampart::tickets

namespace rampart::tickets {
namespace {

// A measurement, not a check: queue pages and searches on 100,000 demo tickets. Run with
//   rampart_unit_tests --gtest_also_run_disabled_tests --gtest_filter='*Latency*'
TEST_F(DemoDataTest, DISABLED_QueueAndSearchLatency) {
  Generate(100'000);
  const auto time = [&](const char* what, const auto& run) {
    constexpr int kRounds = 20;
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < kRounds; ++i) run();
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count() /
        kRounds;
    std::printf("%-40s %8.2f ms\n", what, ms);
  };
  const auth::Actor customer = EndUser(Count("SELECT min(requester_id) FROM tickets"));
  for (const auto& [name, actor] : {std::pair<const char*, auth::Actor>{"admin", ada_},
                                    {"agent (Support)", sam_},
                                    {"customer", customer}}) {
    for (QueueView view : {QueueView::kAll, QueueView::kMine, QueueView::kUnassigned,
                           QueueView::kOverdue, QueueView::kPending}) {
      if (!auth::IsStaff(actor.role) && view != QueueView::kAll && view != QueueView::kMine) {
        continue;
      }
      QueueRequest request;
      request.view = view;
      const std::string label = std::string(name) + " queue " + std::string(QueueViewName(view));
      time(label.c_str(), [&] { ListQueue(actor, *db_, request, now_); });
    }
    for (const char* query : {"printer", "invoice wrong amount", "customer17", "vpn*"}) {
      const std::string label = std::string(name) + " search '" + query + "'";
      time(label.c_str(), [&] { SearchTickets(actor, *db_, {query, 20}); });
    }
  }
}

}  // namespace
}  // namespace rampart::tickets
