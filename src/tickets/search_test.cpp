#include "tickets/search.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <limits>

#include "core/errors.h"
#include "tickets/add_note.h"
#include "tickets/demo_data.h"
#include "tickets/reply.h"
#include "tickets/tickets_test_support.h"

namespace rampart::tickets {
namespace {

using testing::TicketsTest;

class SearchTest : public TicketsTest {
 protected:
  std::vector<std::int64_t> Find(const auth::Actor& actor, const std::string& query) {
    std::vector<std::int64_t> numbers;
    for (const SearchHit& hit : SearchTickets(actor, *db_, {query, 20})) {
      numbers.push_back(hit.number);
    }
    return numbers;
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
