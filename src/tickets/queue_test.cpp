#include "tickets/queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/errors.h"
#include "tickets/assign.h"
#include "tickets/change_fields.h"
#include "tickets/change_status.h"
#include "tickets/get_ticket.h"
#include "tickets/tickets_test_support.h"

namespace rampart::tickets {
namespace {

using testing::TicketsTest;

class QueueTest : public TicketsTest {
 protected:
  std::vector<std::int64_t> Numbers(const auth::Actor& actor, QueueView view,
                                    std::optional<Status> status = std::nullopt) {
    QueueRequest request;
    request.view = view;
    request.status = status;
    request.limit = 100;
    std::vector<std::int64_t> numbers;
    for (const QueueRow& row : ListQueue(actor, *db_, request, now_).rows) {
      numbers.push_back(row.number);
    }
    return numbers;
  }
};

TEST_F(QueueTest, EveryQueueRangeIsACoveringIndexSearch) {
  for (const RangePlan& plan : ExplainQueueRanges(*db_)) {
    EXPECT_NE(plan.detail.find("USING COVERING INDEX"), std::string::npos)
        << plan.name << ": " << plan.detail;
    EXPECT_EQ(plan.detail.find("TEMP B-TREE"), std::string::npos)
        << plan.name << ": " << plan.detail;
  }
  EXPECT_EQ(ExplainQueueRanges(*db_).size(), 10U);
}

TEST_F(QueueTest, AgentSeesDepartmentInboxAndAssignedTickets) {
  Open(ana_, "Support A", 1);            // 1001
  Open(carl_, "Billing C", 2);           // 1002
  Open(gina_, "Inbox G", std::nullopt);  // 1003
  Open(carl_, "Security C", 3);          // 1004
  Open(carl_, "Billing D", 2);           // 1005
  // Nobody hands Sam a Security ticket: he could not see it.
  EXPECT_THROW(Assign(ada_, *db_, {"RMP-1004", 20}, Tick()), core::Invalid);
  // But a ticket assigned to Sam that later moves to Billing stays his to see.
  Assign(ada_, *db_, {"RMP-1001", 20}, Tick());
  ChangeDepartment(ada_, *db_, {"RMP-1001", 2}, Tick());

  EXPECT_EQ(Numbers(sam_, QueueView::kAll), (std::vector<std::int64_t>{1001, 1003}));
  EXPECT_EQ(Numbers(sam_, QueueView::kMine), (std::vector<std::int64_t>{1001}));
  EXPECT_EQ(Numbers(sam_, QueueView::kMyDepartments), (std::vector<std::int64_t>{}));
  EXPECT_EQ(Numbers(sam_, QueueView::kUnassigned), (std::vector<std::int64_t>{1003}));
  EXPECT_EQ(Numbers(bill_, QueueView::kMyDepartments),
            (std::vector<std::int64_t>{1001, 1005, 1002}));
  EXPECT_EQ(Numbers(bill_, QueueView::kUnassigned), (std::vector<std::int64_t>{1005, 1003, 1002}));
  EXPECT_EQ(Numbers(rita_, QueueView::kAll),
            (std::vector<std::int64_t>{1001, 1005, 1004, 1003, 1002}));
  EXPECT_EQ(Numbers(ada_, QueueView::kUnassigned),
            (std::vector<std::int64_t>{1005, 1004, 1003, 1002}));
}

TEST_F(QueueTest, QueuesAgreeWithAuthorizeForEveryActor) {
  Open(ana_, "a", 1);
  Open(ben_, "b", 1);
  Open(carl_, "c", 2);
  Open(gina_, "g", std::nullopt);
  Open(carl_, "s", 3);
  Assign(ada_, *db_, {"RMP-1003", 21}, Tick());
  ChangeStatus(ada_, *db_, {"RMP-1002", Status::kSolved}, Tick());
  ChangeStatus(ada_, *db_, {"RMP-1005", Status::kClosed}, Tick());
  const auth::Actor gus = EndUser(14, 2, false);
  for (const auth::Actor& actor : {ana_, ben_, carl_, gina_, gus, sam_, bill_, rita_, ada_}) {
    std::set<std::int64_t> expected;
    for (std::int64_t n = 1001; n <= 1005; ++n) {
      try {
        GetTicket(actor, *db_, FormatTicketNumber(n));
        expected.insert(n);
      } catch (const core::NotFound&) {
      }
    }
    const auto listed = Numbers(actor, QueueView::kAll);
    EXPECT_EQ(std::set<std::int64_t>(listed.begin(), listed.end()), expected)
        << "actor " << actor.user_id;
    EXPECT_EQ(listed.size(), expected.size()) << "duplicates for actor " << actor.user_id;
  }
}

TEST_F(QueueTest, EndUsersSeeOwnAndSharedOrganizationTickets) {
  Open(ana_, "a", 1);            // 1001
  Open(ben_, "b", 2);            // 1002, Acme shares
  Open(carl_, "c", 1);           // 1003
  Open(gina_, "g", 1);           // 1004
  Open(EndUser(14, 2), "h", 1);  // 1005, Globex does not share
  EXPECT_EQ(Numbers(ana_, QueueView::kMine), (std::vector<std::int64_t>{1001}));
  EXPECT_EQ(Numbers(ana_, QueueView::kAll), (std::vector<std::int64_t>{1002, 1001}));
  EXPECT_EQ(Numbers(gina_, QueueView::kAll), (std::vector<std::int64_t>{1004}));
  ChangeStatus(ana_, *db_, {"RMP-1001", Status::kSolved}, Tick());
  EXPECT_EQ(Numbers(ana_, QueueView::kAll, Status::kSolved), (std::vector<std::int64_t>{1001}));
  QueueRequest staff_view;
  staff_view.view = QueueView::kUnassigned;
  EXPECT_THROW(ListQueue(ana_, *db_, staff_view, now_), core::Invalid);
}

TEST_F(QueueTest, PendingAndOverdueViews) {
  Open(ana_, "a", 1);  // 1001
  Open(ana_, "b", 1);  // 1002
  Open(ana_, "c", 1);  // 1003
  ChangeStatus(sam_, *db_, {"RMP-1002", Status::kPending}, Tick());
  ChangeDueDate(sam_, *db_, {"RMP-1001", now_ - 3600 + 10}, Tick());  // past
  ChangeDueDate(sam_, *db_, {"RMP-1003", now_ + 86'400}, Tick());     // future
  EXPECT_EQ(Numbers(sam_, QueueView::kPending), (std::vector<std::int64_t>{1002}));
  EXPECT_EQ(Numbers(sam_, QueueView::kOverdue), (std::vector<std::int64_t>{1001}));
  EXPECT_EQ(Numbers(ada_, QueueView::kOverdue), (std::vector<std::int64_t>{1001}));
  ChangeStatus(sam_, *db_, {"RMP-1001", Status::kSolved}, Tick());
  EXPECT_EQ(Numbers(sam_, QueueView::kOverdue), (std::vector<std::int64_t>{}));
}

TEST_F(QueueTest, KeysetPagesCoverEverythingOnceEvenWithTies) {
  // Twelve tickets, several sharing an updated_at second.
  for (int i = 0; i < 12; ++i) {
    NewTicket t;
    t.subject = std::string("Ticket ").append(std::to_string(i));
    t.body = "Body.";
    t.department_id = 1;
    CreateTicket(ana_, *db_, t, now_ + i / 3);
  }
  now_ += 10;
  for (const auth::Actor& actor : {ana_, sam_, ada_}) {
    QueueRequest request;
    request.view = QueueView::kAll;
    request.limit = 5;
    std::vector<std::int64_t> all;
    int pages = 0;
    while (true) {
      const QueuePage page = ListQueue(actor, *db_, request, now_);
      ++pages;
      for (const auto& row : page.rows) all.push_back(row.number);
      if (page.next_cursor.empty()) break;
      request.cursor = page.next_cursor;
      ASSERT_LT(pages, 10);
    }
    EXPECT_EQ(pages, 3);
    std::vector<std::int64_t> expected;
    for (std::int64_t n = 1012; n >= 1001; --n) expected.push_back(n);
    EXPECT_EQ(all, expected) << "actor " << actor.user_id;
  }
}

TEST_F(QueueTest, MalformedCursorsAndLimitsAreInvalid) {
  Open(ana_);
  QueueRequest request;
  for (const std::string& cursor :
       {std::string("x"), std::string("not a cursor at all!!!!"), std::string(23, '='),
        EncodeCursor(1, 1) + "A", EncodeCursor(1, 1).substr(1), std::string("AQ"),
        std::string("' OR 1=1 --"), EncodeCursor(5, 0), EncodeCursor(5, -7)}) {
    request.cursor = cursor;
    try {
      ListQueue(ana_, *db_, request, now_);
      ADD_FAILURE() << "accepted cursor " << cursor;
    } catch (const core::Invalid& e) {
      EXPECT_EQ(e.Field(), "cursor");
    }
  }
  // A different version byte.
  std::string tampered = EncodeCursor(1, 1);
  tampered[0] = tampered[0] == 'A' ? 'B' : 'A';
  request.cursor = tampered;
  EXPECT_THROW(ListQueue(ana_, *db_, request, now_), core::Invalid);
  request.cursor.clear();
  request.limit = 0;
  EXPECT_THROW(ListQueue(ana_, *db_, request, now_), core::Invalid);
  request.limit = 101;
  EXPECT_THROW(ListQueue(ana_, *db_, request, now_), core::Invalid);
  EXPECT_EQ(DecodeCursor(EncodeCursor(1'750'000'000, 42)),
            std::make_pair(std::int64_t{1'750'000'000}, std::int64_t{42}));
}

TEST_F(QueueTest, AnonymousActorGetsNothing) {
  Open(ana_);
  EXPECT_THROW(ListQueue(auth::Actor{}, *db_, {}, now_), core::Forbidden);
}

}  // namespace
}  // namespace rampart::tickets
