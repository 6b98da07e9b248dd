#include "tickets/canned_responses.h"

#include <gtest/gtest.h>

#include "core/errors.h"
#include "tickets/tickets_test_support.h"

namespace rampart::tickets {
namespace {

using testing::TicketsTest;

class CannedTest : public TicketsTest {
 protected:
  std::string Rows() {
    storage::Lease c = db_->Read();
    const auto row = c->QueryOne(
        "SELECT group_concat(id || ':' || coalesce(owner_id, 's') || ':' || title || ':' || body, "
        "';') FROM canned_responses");
    return (row && !row->IsNull(0) ? row->Text(0) : "") + "|" + Fingerprint();
  }
  template <typename E, typename F>
  void ExpectRefused(F&& action) {
    const std::string before = Rows();
    EXPECT_THROW(action(), E);
    EXPECT_EQ(Rows(), before);
  }
};

TEST_F(CannedTest, AgentsKeepPersonalResponsesAndSeeSharedOnes) {
  const std::int64_t shared = CreateCanned(ada_, *db_, {true, "Greeting", "Hello!"}, Tick());
  const std::int64_t mine = CreateCanned(sam_, *db_, {false, "Mine", "Sam's text"}, Tick());
  CreateCanned(bill_, *db_, {false, "Bill's", "Bill's text"}, Tick());
  const auto list = ListCannedForAgent(sam_, *db_);
  ASSERT_EQ(list.size(), 2U);
  EXPECT_EQ(list[0].id, shared);
  EXPECT_EQ(list[1].id, mine);
  EditCanned(sam_, *db_, mine, {false, "Mine v2", "New text"}, Tick());
  EXPECT_EQ(ListCannedForAgent(sam_, *db_)[1].title, "Mine v2");
  RemoveCanned(sam_, *db_, mine, false, Tick());
  EXPECT_EQ(ListCannedForAgent(sam_, *db_).size(), 1U);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE event LIKE 'canned_response.%'"), 5);
}

TEST_F(CannedTest, NobodyTouchesAnotherAgentsOrTheSharedResponsesWithoutTheRight) {
  const std::int64_t shared = CreateCanned(ada_, *db_, {true, "Greeting", "Hello!"}, Tick());
  const std::int64_t bills = CreateCanned(bill_, *db_, {false, "Bill's", "text"}, Tick());
  // Another agent's id looks like no id at all.
  ExpectRefused<core::NotFound>([&] {
    EditCanned(sam_, *db_, bills, {false, "Stolen", "x"}, Tick());
  });
  ExpectRefused<core::NotFound>([&] { RemoveCanned(sam_, *db_, bills, false, Tick()); });
  // A shared one is not editable as a personal one, nor by an agent as a shared one.
  ExpectRefused<core::NotFound>([&] {
    EditCanned(sam_, *db_, shared, {false, "Mine now", "x"}, Tick());
  });
  ExpectRefused<core::Forbidden>([&] {
    EditCanned(sam_, *db_, shared, {true, "Changed", "x"}, Tick());
  });
  ExpectRefused<core::Forbidden>([&] { CreateCanned(sam_, *db_, {true, "S", "x"}, Tick()); });
  ExpectRefused<core::Forbidden>([&] { CreateCanned(ana_, *db_, {false, "E", "x"}, Tick()); });
  EXPECT_THROW(ListCannedForAgent(ana_, *db_), core::Forbidden);
  // An admin's shared page does not reach a personal response either.
  ExpectRefused<core::NotFound>([&] { RemoveCanned(ada_, *db_, bills, true, Tick()); });
}

TEST_F(CannedTest, InputIsBounded) {
  ExpectRefused<core::Invalid>([&] { CreateCanned(sam_, *db_, {false, "", "x"}, Tick()); });
  ExpectRefused<core::Invalid>([&] { CreateCanned(sam_, *db_, {false, "T", ""}, Tick()); });
  ExpectRefused<core::Invalid>([&] {
    CreateCanned(sam_, *db_, {false, std::string(101, 't'), "x"}, Tick());
  });
  ExpectRefused<core::Invalid>([&] {
    CreateCanned(sam_, *db_, {false, "T", std::string(10001, 'b')}, Tick());
  });
  ExpectRefused<core::Invalid>([&] { CreateCanned(sam_, *db_, {false, "T", "a\x01"}, Tick()); });
}

TEST_F(CannedTest, PlaceholdersAreFilledOnceAsPlainText) {
  EXPECT_EQ(FillPlaceholders("Hi {{requester.name}}, re {{ticket.number}}. {{agent.name}}", "Ana",
                             "RMP-1001", "Sam"),
            "Hi Ana, re RMP-1001. Sam");
  // A value that looks like a placeholder or markup is kept as it is, not expanded again.
  EXPECT_EQ(FillPlaceholders("{{requester.name}}", "{{ticket.number}}<b>", "RMP-1", "S"),
            "{{ticket.number}}<b>");
  EXPECT_EQ(FillPlaceholders("{{unknown}} {{", "A", "B", "C"), "{{unknown}} {{");
}

TEST_F(CannedTest, ExpandingNeedsATicketTheAgentMayAnswer) {
  {
    storage::Lease c = db_->Write();
    c->Execute("UPDATE users SET name = '<script>alert(1)</script>' WHERE id = 10");
  }
  const std::string number = Open(ana_, "Printer", 1);
  const std::int64_t id = CreateCanned(
      sam_, *db_, {false, "Hi", "Dear {{requester.name}} ({{ticket.number}})"}, Tick());
  EXPECT_EQ(ExpandCanned(sam_, *db_, id, number),
            "Dear <script>alert(1)</script> (" + number + ")");
  // Bill works in Billing: the Support ticket is out of his reach, and Sam's response too.
  EXPECT_THROW(ExpandCanned(bill_, *db_, id, number), core::NotFound);
  const std::int64_t bills = CreateCanned(bill_, *db_, {false, "B", "b"}, Tick());
  EXPECT_THROW(ExpandCanned(sam_, *db_, bills, number), core::Invalid);
  EXPECT_THROW(ExpandCanned(ana_, *db_, id, number), core::Forbidden);
}

}  // namespace
}  // namespace rampart::tickets
