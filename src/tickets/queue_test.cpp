#include "tickets/queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/errors.h"
#include "tickets/assign.h"
#include "tickets/change_fields.h"
#include "tickets/change_status.h"
#include "tickets/get_ticket.h"
#include "tickets/helpdesk_admin.h"
#include "tickets/tickets_test_support.h"
#include "tickets/user_names.h"

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
  EXPECT_EQ(ExplainQueueRanges(*db_).size(), 12U);
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

// Every field of a page, one line per row: pages are compared whole.
std::string PageText(const std::vector<QueueRow>& rows) {
  std::string out;
  for (const QueueRow& r : rows) {
    out += std::to_string(r.number) + "|" + r.subject + "|" + std::string(StatusName(r.status)) +
           "|" + std::string(PriorityName(r.priority)) + "|" +
           std::to_string(r.department_id.value_or(-1)) + "|" + r.department_name + "|" +
           std::to_string(r.assignee_id.value_or(-1)) + "|" + r.assignee_name + "|" +
           std::to_string(r.requester_id) + "|" + r.requester_name + "|" +
           std::to_string(r.updated_at) + "|" + std::to_string(r.due_at.value_or(-1)) + "|" +
           std::to_string(r.last_message_at.value_or(-1)) + "\n";
  }
  return out;
}

// The API's way: rows straight from the statement, people's names kept between pages.
std::vector<QueueRow> ScannedRows(const auth::Actor& actor, storage::Database& db,
                                  const QueueRequest& request, std::int64_t now,
                                  UserNameCache& names) {
  std::vector<QueueRow> rows;
  ScanQueue(
      actor, db, request, now,
      [&](const QueueRowView& v) {
        rows.push_back(QueueRow{v.number, std::string(v.subject), v.status, v.priority,
                                v.department_id, std::string(v.department_name), v.assignee_id,
                                std::string(v.assignee_name), v.requester_id,
                                std::string(v.requester_name), v.updated_at, v.due_at,
                                v.last_message_at});
      },
      &names);
  return rows;
}

// The names as the page's statement used to join them, row by row.
class QueueNamesTest : public QueueTest {
 protected:
  void ExpectNamesAsJoined(const QueueRow& row) {
    storage::Lease c = db_->Read();
    const auto joined = c->QueryOne(
        "SELECT coalesce(d.name, ''), coalesce(a.name, ''), r.name FROM tickets AS t "
        "JOIN users AS r ON r.id = t.requester_id "
        "LEFT JOIN departments AS d ON d.id = t.department_id "
        "LEFT JOIN users AS a ON a.id = t.assignee_id WHERE t.number = ?",
        {row.number});
    ASSERT_TRUE(joined.has_value());
    EXPECT_EQ(row.department_name, joined->Text(0)) << row.number;
    EXPECT_EQ(row.assignee_name, joined->Text(1)) << row.number;
    EXPECT_EQ(row.requester_name, joined->Text(2)) << row.number;
  }
};

TEST_F(QueueNamesTest, KeptNamesFollowADepartmentRenameAndSurviveDisabling) {
  Open(carl_, "Invoice twice", 2);  // 1001
  Assign(ada_, *db_, {"RMP-1001", 21}, Tick());
  UserNameCache names;
  QueueRequest request;
  auto rows = ScannedRows(bill_, *db_, request, now_, names);
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0].department_name, "Billing");
  EXPECT_EQ(rows[0].assignee_name, "Bill Billing");
  EXPECT_EQ(rows[0].requester_name, "Carl Solo");
  EXPECT_EQ(names.Size(), 2U);

  // A renamed department shows its new name on the next page, with the same kept names.
  RenameDepartment(ada_, *db_, 2, "Accounts", Tick());
  rows = ScannedRows(bill_, *db_, request, now_, names);
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0].department_name, "Accounts");
  EXPECT_EQ(PageText(rows), PageText(ListQueue(bill_, *db_, request, now_).rows));
  ExpectNamesAsJoined(rows[0]);

  // Disabling a person keeps their name on the tickets they asked or hold, as before.
  {
    storage::Lease c = db_->Write();
    c->Execute("UPDATE users SET disabled = 1 WHERE id IN (12, 21)");
  }
  rows = ScannedRows(ada_, *db_, request, now_, names);
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0].assignee_name, "Bill Billing");
  EXPECT_EQ(rows[0].requester_name, "Carl Solo");
  EXPECT_EQ(PageText(rows), PageText(ListQueue(ada_, *db_, request, now_).rows));
}

TEST_F(QueueNamesTest, PagesWithKeptNamesEqualFreshPagesForEveryActorAndView) {
  Open(ana_, "a", 1);
  Open(carl_, "b", 2);
  Open(gina_, "c", std::nullopt);
  Open(carl_, "d", 3);
  Open(ben_, "e", 1);
  Assign(ada_, *db_, {"RMP-1001", 20}, Tick());
  Assign(ada_, *db_, {"RMP-1002", 21}, Tick());
  Assign(ada_, *db_, {"RMP-1004", 22}, Tick());
  ChangeStatus(ada_, *db_, {"RMP-1005", Status::kSolved}, Tick());
  ChangeStatus(ada_, *db_, {"RMP-1003", Status::kPending}, Tick());
  UserNameCache names;  // shared by every page below, as the API's handler shares it
  for (const auth::Actor& actor : {ana_, carl_, gina_, sam_, bill_, rita_, ada_}) {
    for (QueueView view : {QueueView::kMine, QueueView::kUnassigned, QueueView::kMyDepartments,
                           QueueView::kAll, QueueView::kPending, QueueView::kOverdue}) {
      for (const std::optional<Status> status :
           {std::optional<Status>(), std::optional<Status>(Status::kOpen),
            std::optional<Status>(Status::kSolved)}) {
        QueueRequest request;
        request.view = view;
        request.status = status;
        std::vector<QueueRow> fresh;
        try {
          fresh = ListQueue(actor, *db_, request, now_).rows;
        } catch (const core::Invalid&) {
          EXPECT_THROW(ScannedRows(actor, *db_, request, now_, names), core::Invalid);
          continue;
        }
        EXPECT_EQ(PageText(ScannedRows(actor, *db_, request, now_, names)), PageText(fresh))
            << actor.user_id << " " << QueueViewName(view);
        for (const QueueRow& row : fresh) ExpectNamesAsJoined(row);
      }
    }
  }
}

}  // namespace
}  // namespace rampart::tickets
