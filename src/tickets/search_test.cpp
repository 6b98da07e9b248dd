#include "tickets/search.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <limits>

#include "core/errors.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_database.h"
#include "tickets/add_note.h"
#include "tickets/assign.h"
#include "tickets/change_fields.h"
#include "tickets/demo_data.h"
#include "tickets/helpdesk_admin.h"
#include "tickets/merge.h"
#include "tickets/reply.h"
#include "tickets/tickets_test_support.h"

namespace rampart::tickets {
namespace {

using testing::TicketsTest;

// Search as it filtered before the scope table (migration 15): each candidate joined to its
// message and ticket. The scope table must give the same hits in the same order.
std::vector<std::int64_t> FindByJoins(storage::Connection& c, const auth::Actor& actor,
                                      const std::string& query, int limit) {
  const std::string match = BuildMatchQuery(query);
  std::vector<std::int64_t> ticket_ids;
  const auto collect = [&](const storage::Row& row) { ticket_ids.push_back(row.Int(0)); };
  const std::int64_t fetch = std::int64_t{limit} * 4;
  if (actor.role != auth::Role::kEndUser) {
    const bool everywhere = actor.role == auth::Role::kAdmin || actor.all_departments;
    std::string departments = "[";
    for (std::int64_t d : actor.department_ids) {
      departments.append(departments.size() > 1 ? "," : "").append(std::to_string(d));
    }
    departments.push_back(']');
    const auto floor = c.QueryOne(
        "SELECT rowid FROM ticket_search WHERE ticket_search MATCH ? "
        "ORDER BY rowid DESC LIMIT 1 OFFSET ?",
        {match, kSearchRankWindow - 1});
    const std::vector<storage::Value> params{match,
                                             floor ? floor->Int(0) : std::int64_t{0},
                                             std::int64_t{everywhere ? 1 : 0},
                                             actor.user_id,
                                             departments,
                                             fetch};
    if (floor) {
      c.ForEach(
          "SELECT m.ticket_id FROM ticket_search JOIN messages AS m ON m.id = ticket_search.rowid "
          "JOIN tickets AS t ON t.id = m.ticket_id "
          "WHERE ticket_search MATCH ? AND ticket_search.rowid >= ? "
          "AND (? = 1 OR t.department_id IS NULL OR t.assignee_id = ? "
          "OR t.department_id IN (SELECT value FROM json_each(?))) "
          "ORDER BY ticket_search.rowid DESC LIMIT ?",
          params, collect);
    } else {
      c.ForEach(
          "SELECT m.ticket_id FROM ticket_search JOIN messages AS m ON m.id = ticket_search.rowid "
          "JOIN tickets AS t ON t.id = m.ticket_id "
          "WHERE ticket_search MATCH ? AND ticket_search.rowid >= ? "
          "AND (? = 1 OR t.department_id IS NULL OR t.assignee_id = ? "
          "OR t.department_id IN (SELECT value FROM json_each(?))) "
          "ORDER BY bm25(ticket_search, 2.0, 1.0, 1.0) LIMIT ?",
          params, collect);
    }
  } else {
    c.ForEach(
        "SELECT m.ticket_id FROM ticket_search JOIN messages AS m ON m.id = ticket_search.rowid "
        "JOIN tickets AS t ON t.id = m.ticket_id "
        "WHERE ticket_search MATCH ? AND m.internal = 0 AND (t.requester_id = ? "
        "OR (? = 1 AND t.organization_id = ?)) "
        "ORDER BY bm25(ticket_search, 2.0, 1.0, 1.0) LIMIT ?",
        std::vector<storage::Value>{
            match, actor.user_id,
            std::int64_t{actor.organization_shares_tickets && actor.organization_id ? 1 : 0},
            actor.organization_id ? storage::Value{*actor.organization_id}
                                  : storage::Value{nullptr},
            fetch},
        collect);
  }
  std::vector<std::int64_t> numbers;
  std::vector<std::int64_t> seen;
  for (const std::int64_t id : ticket_ids) {
    if (numbers.size() >= static_cast<std::size_t>(limit)) break;
    if (std::find(seen.begin(), seen.end(), id) != seen.end()) continue;
    seen.push_back(id);
    numbers.push_back(c.QueryOne("SELECT number FROM tickets WHERE id = ?", {id})->Int(0));
  }
  return numbers;
}

// Scope rows that differ from what the messages and their tickets say now, both ways.
std::int64_t StaleScopeRows(storage::Connection& c) {
  const auto count = [&](const storage::Sql& sql) { return c.QueryOne(sql)->Int(0); };
  return count(
             "SELECT count(*) FROM (SELECT message_id, ticket_id, department_id, assignee_id, "
             "requester_id, organization_id, internal FROM ticket_search_scope EXCEPT "
             "SELECT m.id, m.ticket_id, t.department_id, t.assignee_id, t.requester_id, "
             "t.organization_id, m.internal FROM messages AS m "
             "JOIN tickets AS t ON t.id = m.ticket_id)") +
         count(
             "SELECT count(*) FROM (SELECT m.id, m.ticket_id, t.department_id, t.assignee_id, "
             "t.requester_id, t.organization_id, m.internal FROM messages AS m "
             "JOIN tickets AS t ON t.id = m.ticket_id EXCEPT "
             "SELECT message_id, ticket_id, department_id, assignee_id, requester_id, "
             "organization_id, internal FROM ticket_search_scope)");
}

class SearchTest : public TicketsTest {
 protected:
  std::vector<std::int64_t> Find(const auth::Actor& actor, const std::string& query,
                                 int limit = 20) {
    std::vector<std::int64_t> numbers;
    for (const SearchHit& hit : SearchTickets(actor, *db_, {query, limit})) {
      numbers.push_back(hit.number);
    }
    return numbers;
  }
  std::int64_t StaleScope() {
    storage::Lease c = db_->Read();
    return StaleScopeRows(*c);
  }
};

TEST_F(SearchTest, FindsSubjectBodyAndRequester) {
  Open(ana_, "Printer offline", 1, "The toner light blinks.");  // 1001
  Open(carl_, "Invoice wrong", 1, "Charged twice in March.");   // 1002
  EXPECT_EQ(Find(sam_, "printer"), std::vector<std::int64_t>{1001});
  EXPECT_EQ(Find(sam_, "TONER blinks"), std::vector<std::int64_t>{1001});
  EXPECT_EQ(Find(sam_, "carl"), std::vector<std::int64_t>{1002});
  EXPECT_EQ(Find(sam_, "acme"), std::vector<std::int64_t>{1001});  // ana@acme.example
  EXPECT_EQ(Find(sam_, "print*"), std::vector<std::int64_t>{1001});
  EXPECT_TRUE(Find(sam_, "printer march").empty());  // every word must match
}

TEST_F(SearchTest, DiacriticsDoNotMatter) {
  {
    storage::Lease c = db_->Write();
    c->Execute(
        "INSERT INTO users (id, email, name, role, password_hash, created_at) "
        "VALUES (40, 'zoe@example.com', 'Zoë Müller', 'end_user', '!', 0)");
  }
  Open(EndUser(40), "Crème brûlée recipe", 1, "Ça ne marche pas.");
  EXPECT_EQ(Find(sam_, "muller").size(), 1U);
  EXPECT_EQ(Find(sam_, "creme brulee").size(), 1U);
  EXPECT_EQ(Find(sam_, "ca marche").size(), 1U);
  EXPECT_EQ(Find(sam_, "Zoë").size(), 1U);
}

TEST_F(SearchTest, OneHitPerTicketWithMarkedSnippet) {
  const std::string number = Open(ana_, "Printer offline", 1, "The printer is offline.");
  Reply(sam_, *db_, {number, "Restart the printer please.", std::nullopt}, Tick());
  const auto hits = SearchTickets(sam_, *db_, {"printer", 20});
  ASSERT_EQ(hits.size(), 1U);
  EXPECT_EQ(hits[0].subject, "Printer offline");
  const std::string marked = std::string(1, kMatchStart) + "printer";
  std::string lower;
  for (char c : hits[0].snippet) lower.push_back(static_cast<char>(std::tolower(c)));
  EXPECT_NE(lower.find(marked), std::string::npos) << hits[0].snippet;
  EXPECT_NE(hits[0].snippet.find(kMatchEnd), std::string::npos);
}

TEST_F(SearchTest, SubjectMatchesRankAboveBodyMentions) {
  Open(ana_, "Weekly report", 1,
       "Long message about many things, the weather, the office, lunch, and at the end a "
       "printer that someone mentioned once in passing among other unrelated words.");  // 1001
  Open(ana_, "Printer jams", 1, "Paper stuck.");                                        // 1002
  EXPECT_EQ(Find(sam_, "printer"), (std::vector<std::int64_t>{1002, 1001}));
}

TEST_F(SearchTest, EndUsersFindOnlyWhatTheyMaySee) {
  Open(ana_, "Printer offline", 1);   // 1001 Acme, shared
  Open(ben_, "Printer jammed", 1);    // 1002 Acme, shared
  Open(carl_, "Printer on fire", 1);  // 1003
  auto shared = Find(ana_, "printer");
  std::sort(shared.begin(), shared.end());
  EXPECT_EQ(shared, (std::vector<std::int64_t>{1001, 1002}));
  EXPECT_EQ(Find(carl_, "printer"), (std::vector<std::int64_t>{1003}));
  EXPECT_TRUE(Find(gina_, "printer").empty());
  EXPECT_TRUE(Find(carl_, "acme").empty());
}

TEST_F(SearchTest, EndUsersNeverMatchInternalNotes) {
  const std::string number = Open(ana_, "Printer offline", 1);
  AddNote(sam_, *db_, {number, "Customer flagged for xylophone fraud review."}, Tick());
  EXPECT_TRUE(Find(ana_, "xylophone").empty());
  EXPECT_EQ(Find(sam_, "xylophone"), std::vector<std::int64_t>{1001});
  // Nor through a snippet of a ticket they do find.
  for (const SearchHit& hit : SearchTickets(ana_, *db_, {"printer", 20})) {
    EXPECT_EQ(hit.snippet.find("xylophone"), std::string::npos);
  }
}

TEST_F(SearchTest, AgentsFindOnlyTheirDepartmentsUnlessAllDepartments) {
  Open(ana_, "Refund please", 2);            // 1001 Billing
  Open(ana_, "Refund again", std::nullopt);  // 1002 shared inbox
  EXPECT_EQ(Find(sam_, "refund"), std::vector<std::int64_t>{1002});
  EXPECT_EQ(Find(bill_, "refund").size(), 2U);
  EXPECT_EQ(Find(rita_, "refund").size(), 2U);
  EXPECT_EQ(Find(ada_, "refund").size(), 2U);
}

TEST_F(SearchTest, StaffRankTheNewestMatchesEndUsersAllOfTheirs) {
  DemoOptions demo;
  demo.tickets = 1000;  // about 3,000 messages, most of them containing "the"
  demo.now = now_;
  GenerateDemoTickets(*db_, demo);
  std::int64_t oldest_ranked = 0;
  {
    storage::Lease c = db_->Read();
    oldest_ranked = c->QueryOne(
                         "SELECT t.number FROM ticket_search "
                         "JOIN messages AS m ON m.id = ticket_search.rowid "
                         "JOIN tickets AS t ON t.id = m.ticket_id "
                         "WHERE ticket_search MATCH '\"the\"' ORDER BY ticket_search.rowid DESC "
                         "LIMIT 1 OFFSET ?",
                         {kSearchRankWindow - 1})
                        ->Int(0);
  }
  const auto hits = SearchTickets(ada_, *db_, {"the", 50});
  ASSERT_EQ(hits.size(), 50U);
  for (const SearchHit& hit : hits) EXPECT_GE(hit.number, oldest_ranked);
  {
    // A word this common is listed newest first: each hit's newest matching message is older
    // than the previous hit's.
    storage::Lease c = db_->Read();
    std::int64_t previous = std::numeric_limits<std::int64_t>::max();
    for (const SearchHit& hit : hits) {
      const std::int64_t newest = c->QueryOne(
                                       "SELECT max(ticket_search.rowid) FROM ticket_search "
                                       "JOIN messages AS m ON m.id = ticket_search.rowid "
                                       "JOIN tickets AS t ON t.id = m.ticket_id "
                                       "WHERE ticket_search MATCH '\"the\"' AND t.number = ?",
                                       {hit.number})
                                      ->Int(0);
      EXPECT_LT(newest, previous) << hit.number;
      previous = newest;
    }
  }
  // A customer's oldest ticket is still found by that customer.
  storage::Lease c = db_->Read();
  const auto first = c->QueryOne(
      "SELECT t.number, t.requester_id FROM tickets AS t JOIN users AS u ON u.id = t.requester_id "
      "WHERE u.organization_id IS NULL ORDER BY t.number LIMIT 1");
  ASSERT_TRUE(first);
  ASSERT_LT(first->Int(0), oldest_ranked);
  const auth::Actor customer = EndUser(first->Int(1));
  bool found = false;
  for (const SearchHit& hit : SearchTickets(customer, *db_, {"the", 50})) {
    found |= hit.number == first->Int(0);
  }
  // Fifty hits of one customer's twenty tickets: every one of them, oldest included.
  EXPECT_TRUE(found);
}

TEST_F(SearchTest, AnAgentLosesATicketsHitsTheMomentItMovesToADepartmentTheyCannotSee) {
  const std::string number = Open(ana_, "Zeppelin docking", 1, "The zeppelin hangar is full.");
  EXPECT_EQ(Find(sam_, "zeppelin"), std::vector<std::int64_t>{1001});
  EXPECT_TRUE(Find(bill_, "zeppelin").empty());

  ChangeDepartment(ada_, *db_, {number, 2}, Tick());
  EXPECT_TRUE(Find(sam_, "zeppelin").empty());
  EXPECT_TRUE(Find(sam_, "hangar").empty());
  EXPECT_EQ(Find(bill_, "zeppelin"), std::vector<std::int64_t>{1001});
  EXPECT_EQ(Find(ana_, "zeppelin"), std::vector<std::int64_t>{1001});  // the requester's still

  // A reply written after the move is found where the ticket is now, not where it was.
  Reply(bill_, *db_, {number, "The hangar has room again.", std::nullopt}, Tick());
  EXPECT_TRUE(Find(sam_, "room").empty());
  EXPECT_EQ(Find(bill_, "room"), std::vector<std::int64_t>{1001});

  // The shared inbox: every agent.
  ChangeDepartment(ada_, *db_, {number, std::nullopt}, Tick());
  EXPECT_EQ(Find(sam_, "zeppelin"), std::vector<std::int64_t>{1001});
  EXPECT_EQ(Find(bill_, "zeppelin"), std::vector<std::int64_t>{1001});
  EXPECT_EQ(StaleScope(), 0);
}

TEST_F(SearchTest, AnAssigneeFindsTheirTicketElsewhereUntilUnassigned) {
  const std::string number = Open(ana_, "Zeppelin docking", 1);
  Assign(ada_, *db_, {number, 20}, Tick());  // Sam
  ChangeDepartment(ada_, *db_, {number, 2}, Tick());
  // Authorize lets an assignee see a ticket in another department, and so does search.
  EXPECT_EQ(Find(sam_, "zeppelin"), std::vector<std::int64_t>{1001});
  Assign(ada_, *db_, {number, std::nullopt}, Tick());
  EXPECT_TRUE(Find(sam_, "zeppelin").empty());
  EXPECT_EQ(StaleScope(), 0);
}

TEST_F(SearchTest, MergedMessagesAreFoundOnlyWhereTheTargetIs) {
  const std::string source = Open(ana_, "Blimp", 1, "The zeppelin needs helium.");  // Support
  const std::string target = Open(ana_, "Airship", 2, "Hangar booking.");           // Billing
  AddNote(sam_, *db_, {source, "Internal: quietly overbooked."}, Tick());
  EXPECT_EQ(Find(sam_, "helium"), std::vector<std::int64_t>{1001});
  Merge(rita_, *db_, {source, target, false}, Tick());
  // The source's words now belong to the Billing ticket: Sam may not see it.
  EXPECT_TRUE(Find(sam_, "helium").empty());
  EXPECT_TRUE(Find(sam_, "overbooked").empty());
  EXPECT_EQ(Find(bill_, "helium"), std::vector<std::int64_t>{1002});
  EXPECT_EQ(Find(bill_, "overbooked"), std::vector<std::int64_t>{1002});
  // The moved note is still a note: the requester never matches it.
  EXPECT_EQ(Find(ana_, "helium"), std::vector<std::int64_t>{1002});
  EXPECT_TRUE(Find(ana_, "overbooked").empty());
  EXPECT_EQ(StaleScope(), 0);
}

TEST_F(SearchTest, TicketsOfADeletedDepartmentAreFoundWhereTheyMoved) {
  Open(ana_, "Zeppelin docking", 1);
  Open(carl_, "Zeppelin tour", 1);
  // An agent whose session still names Support, as before the deletion.
  const auth::Actor stale_sam = sam_;
  DeleteDepartment(ada_, *db_, 1, 2, Tick());
  EXPECT_TRUE(Find(stale_sam, "zeppelin").empty());
  EXPECT_EQ(Find(bill_, "zeppelin").size(), 2U);
  EXPECT_EQ(StaleScope(), 0);
}

TEST_F(SearchTest, EndUsersNeverFindOtherPeoplesTicketsThroughTheScope) {
  Open(carl_, "Zeppelin secrets", 1, "Carl's zeppelin.");  // 1001, no organization
  Open(gina_, "Zeppelin plans", 1, "Gina's zeppelin.");    // 1002, Globex, not shared
  Open(ana_, "Zeppelin tour", 1, "Ana's zeppelin.");       // 1003, Acme, shared
  EXPECT_EQ(Find(carl_, "zeppelin"), std::vector<std::int64_t>{1001});
  EXPECT_EQ(Find(gina_, "zeppelin"), std::vector<std::int64_t>{1002});
  EXPECT_EQ(Find(ben_, "zeppelin"), std::vector<std::int64_t>{1003});  // Acme shares
  EXPECT_TRUE(Find(EndUser(14, 2, false), "zeppelin").empty());        // Gus: Globex does not
  // An actor claiming another user's organization id without sharing gets nothing more.
  EXPECT_TRUE(Find(EndUser(14, 1, false), "zeppelin").empty());
}

TEST_F(SearchTest, ScopeFilterGivesTheSameHitsAsTheJoinsAfterEveryKindOfChange) {
  DemoOptions demo;
  demo.tickets = 1500;
  demo.now = now_;
  GenerateDemoTickets(*db_, demo);
  now_ += 1000;
  // Move, assign, merge and answer a spread of tickets, as a day's work would.
  std::vector<std::int64_t> numbers;
  {
    storage::Lease c = db_->Read();
    for (const auto& row : c->Query("SELECT number FROM tickets WHERE status NOT IN ('closed') "
                                    "AND merged_into_id IS NULL ORDER BY number DESC LIMIT 60")) {
      numbers.push_back(row.Int(0));
    }
  }
  for (std::size_t i = 0; i + 1 < numbers.size(); ++i) {
    const std::string number = FormatTicketNumber(numbers[i]);
    switch (i % 6) {
      case 0: ChangeDepartment(ada_, *db_, {number, 2}, Tick()); break;
      case 1: ChangeDepartment(ada_, *db_, {number, 1}, Tick()); break;
      case 2: ChangeDepartment(ada_, *db_, {number, std::nullopt}, Tick()); break;
      case 3:  // given to Sam in Support, then moved to Billing with Sam still on it
        ChangeDepartment(ada_, *db_, {number, 1}, Tick());
        Assign(ada_, *db_, {number, 20}, Tick());
        ChangeDepartment(ada_, *db_, {number, 2}, Tick());
        break;
      case 4: Merge(ada_, *db_, {number, FormatTicketNumber(numbers[i + 1]), true}, Tick()); break;
      default: Reply(ada_, *db_, {number, "The zeppelin left.", std::nullopt}, Tick()); break;
    }
  }
  ASSERT_EQ(StaleScope(), 0);
  storage::Lease c = db_->Read();
  const std::int64_t customer =
      c->QueryOne("SELECT requester_id FROM tickets ORDER BY number DESC LIMIT 1")->Int(0);
  const auto facts = c->QueryOne("SELECT organization_id FROM users WHERE id = ?", {customer});
  const auth::Actor requester =
      EndUser(customer, facts->OptionalInt(0), facts->OptionalInt(0).has_value());
  for (const auth::Actor& actor : {sam_, bill_, rita_, ada_, requester}) {
    for (const std::string query : {"the", "zeppelin", "printer", "cache", "vpn", "left"}) {
      for (const int limit : {20, 50}) {
        const auto hits = Find(actor, query, limit);
        if (query == "the") {
          EXPECT_FALSE(hits.empty()) << actor.user_id;  // not vacuous
        }
        EXPECT_EQ(hits, FindByJoins(*c, actor, query, limit)) << query << " " << actor.user_id;
      }
    }
  }
}

// A helpdesk database at the version before the scope table, in its own directory.
class SearchScopeMigrationTest : public TicketsTest {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/rampart-search-v13-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    storage::sqlite::Options options;
    options.path = dir_ / "test.db";
    old_db_ = storage::sqlite::Open(options);
  }
  void TearDown() override {
    old_db_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::unique_ptr<storage::Database> old_db_;
};

TEST_F(SearchScopeMigrationTest, AHelpdeskOfThePreviousVersionSearchesTheSameAfterUpgrading) {
  storage::Database& db = *old_db_;
  {
    storage::Lease c = db.Write();
    c->ExecuteScript(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at INTEGER NOT NULL) STRICT;");
    for (const auto& m : storage::sqlite::Migrations()) {
      if (m.version > 13) continue;
      c->ExecuteScript(m.script);
      c->Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 0)",
                 {std::int64_t{m.version}, std::string(m.name)});
    }
    c->ExecuteScript(
        "INSERT INTO departments (id, name, created_at) VALUES (1, 'Support', 0), "
        "  (2, 'Billing', 0);"
        "INSERT INTO organizations (id, name, shared_tickets, created_at) VALUES "
        "  (1, 'Acme', 1, 0);"
        "INSERT INTO users (id, email, name, role, password_hash, organization_id, created_at) "
        "VALUES (10, 'ana@acme.example', 'Ana Acme', 'end_user', '!', 1, 0),"
        "  (11, 'ben@acme.example', 'Ben Acme', 'end_user', '!', 1, 0),"
        "  (12, 'carl@example.com', 'Carl Solo', 'end_user', '!', NULL, 0),"
        "  (20, 'sam@rampart.example', 'Sam Support', 'agent', '!', NULL, 0),"
        "  (21, 'bill@rampart.example', 'Bill Billing', 'agent', '!', NULL, 0);"
        "INSERT INTO user_departments (user_id, department_id) VALUES (20, 1), (21, 2);"
        "INSERT INTO tickets (id, number, subject, requester_id, organization_id, status, "
        "  priority, department_id, assignee_id, created_at, updated_at) VALUES "
        "  (1, 1001, 'Zeppelin docking', 10, 1, 'open', 'normal', 1, 20, 100, 100),"
        "  (2, 1002, 'Zeppelin invoice', 11, 1, 'open', 'normal', 2, NULL, 200, 200),"
        "  (3, 1003, 'Zeppelin tour', 12, NULL, 'open', 'normal', NULL, NULL, 300, 300),"
        "  (4, 1004, 'Zeppelin refund', 12, NULL, 'open', 'normal', 2, 20, 400, 400);"
        "INSERT INTO messages (id, ticket_id, author_id, body, internal, created_at, "
        "  author_kind) VALUES "
        "  (1, 1, 10, 'The zeppelin hangar is full.', 0, 100, 'end_user'),"
        "  (2, 1, 20, 'Zeppelin note: hangar overbooked.', 1, 110, 'agent'),"
        "  (3, 2, 11, 'Charged twice for the zeppelin.', 0, 200, 'end_user'),"
        "  (4, 3, 12, 'A zeppelin tour for two.', 0, 300, 'end_user'),"
        "  (5, 4, 12, 'Refund the zeppelin ride.', 0, 400, 'end_user'),"
        "  (6, 4, 20, 'Overbooked again, refund approved.', 1, 410, 'agent');"
        "INSERT INTO ticket_search (ticket_search) VALUES ('rebuild');");
  }
  const auth::Actor ana = EndUser(10, 1, true);
  const auth::Actor carl = EndUser(12);
  const auth::Actor sam = Agent(20, {1});
  const auth::Actor bill = Agent(21, {2});
  std::vector<std::vector<std::int64_t>> before;
  {
    storage::Lease c = db.Read();
    for (const auth::Actor& actor : {ana, carl, sam, bill}) {
      for (const std::string query : {"zeppelin", "overbooked", "hangar", "refund"}) {
        before.push_back(FindByJoins(*c, actor, query, 20));
      }
    }
  }
  ASSERT_EQ(storage::sqlite::Migrate(db),
            static_cast<int>(storage::sqlite::Migrations().size()) - 13);
  std::vector<std::vector<std::int64_t>> after;
  for (const auth::Actor& actor : {ana, carl, sam, bill}) {
    for (const std::string query : {"zeppelin", "overbooked", "hangar", "refund"}) {
      std::vector<std::int64_t> numbers;
      for (const SearchHit& hit : SearchTickets(actor, db, {query, 20})) {
        numbers.push_back(hit.number);
      }
      after.push_back(numbers);
    }
  }
  EXPECT_EQ(after, before);
  // Not vacuous: the filters kept and dropped something.
  std::vector<std::int64_t> acme = before[0];
  std::sort(acme.begin(), acme.end());
  EXPECT_EQ(acme, (std::vector<std::int64_t>{1001, 1002}));  // Ana: Acme's two
  EXPECT_TRUE(before[1].empty());                            // Ana: no notes
  EXPECT_EQ(before[9].size(), 2U);                           // Sam: overbooked 1001, 1004
  storage::Lease c = db.Read();
  EXPECT_EQ(c->QueryOne("SELECT count(*) FROM ticket_search_scope")->Int(0), 6);
  EXPECT_EQ(StaleScopeRows(*c), 0);
}

TEST_F(SearchTest, QuerySyntaxInInputCannotFailOrInject) {
  Open(ana_, "Printer offline", 1, "NEAR the subject: col:x \"quoted\" AND OR NOT");
  Open(carl_, "Secret plans", 1, "Carl's private text.");
  for (const std::string input : {"NEAR(",
                                  "NEAR(printer offline)",
                                  "col:",
                                  "subject:secret",
                                  "body:secret",
                                  "\"",
                                  "\"\"",
                                  "\"printer",
                                  "printer\"",
                                  "*",
                                  "**",
                                  "^printer",
                                  "printer -secret",
                                  "a OR b",
                                  "OR",
                                  "NOT printer",
                                  "AND",
                                  "(",
                                  ")",
                                  "{subject}: x",
                                  "printer + offline",
                                  "'; DROP TABLE tickets; --",
                                  "\" OR \"1\"=\"1",
                                  "rank MATCH 'x'",
                                  "- NEAR",
                                  "printer NEAR/2 offline",
                                  "secret OR printer",
                                  "\xe2\x80\xae evil"}) {
    std::vector<SearchHit> hits;
    EXPECT_NO_THROW(hits = SearchTickets(ana_, *db_, {input, 20})) << input;
    for (const SearchHit& hit : hits) EXPECT_EQ(hit.number, 1001) << input;
  }
  // Operators are words: "secret OR printer" requires all three words, so it matches nothing.
  EXPECT_TRUE(Find(sam_, "secret OR printer").empty());
  EXPECT_EQ(Find(sam_, "col:x"), std::vector<std::int64_t>{1001});
}

TEST_F(SearchTest, QueryIsBuiltFromQuotedWords) {
  EXPECT_EQ(BuildMatchQuery("printer offline"), "\"printer\" \"offline\"");
  EXPECT_EQ(BuildMatchQuery("  say \"hi\"  "), "\"say\" \"\"\"hi\"\"\"");
  EXPECT_EQ(BuildMatchQuery("print*"), "\"print\" *");
  EXPECT_EQ(BuildMatchQuery("NEAR(a"), "\"NEAR(a\"");
}

TEST_F(SearchTest, BadQueriesAreInvalid) {
  for (const std::string& input :
       {std::string(""), std::string("   "), std::string(501, 'a'), std::string("bell\a"),
        std::string("bad \xff"), std::string("a b c d e f g h i j k l m n o p q r s t u")}) {
    try {
      SearchTickets(sam_, *db_, {input, 20});
      ADD_FAILURE() << "accepted " << input;
    } catch (const core::Invalid& e) {
      EXPECT_EQ(e.Field(), "query");
    }
  }
  EXPECT_THROW(SearchTickets(sam_, *db_, {"x", 0}), core::Invalid);
  EXPECT_THROW(SearchTickets(sam_, *db_, {"x", 51}), core::Invalid);
  EXPECT_THROW(SearchTickets(auth::Actor{}, *db_, {"x", 20}), core::Forbidden);
}

}  // namespace
}  // namespace rampart::tickets
