#include "tickets/merge.h"

#include <gtest/gtest.h>

#include "core/errors.h"
#include "tickets/add_note.h"
#include "tickets/change_fields.h"
#include "tickets/change_status.h"
#include "tickets/get_ticket.h"
#include "tickets/history.h"
#include "tickets/reply.h"
#include "tickets/search.h"
#include "tickets/tickets_test_support.h"

namespace rampart::tickets {
namespace {

using testing::TicketsTest;

class MergeTest : public TicketsTest {
 protected:
  template <typename E>
  void ExpectRefused(const auth::Actor& actor, const MergeRequest& request) {
    const std::string before = Fingerprint();
    EXPECT_THROW(Merge(actor, *db_, request, Tick()), E);
    EXPECT_EQ(Fingerprint(), before);
  }
};

TEST_F(MergeTest, SourceThreadMovesIntoTargetAndSourceCloses) {
  const std::string source = Open(ana_, "Scanner jammed", 1, "The zebrafish device stopped.");
  AddNote(sam_, *db_, {source, "Internal: replace roller."}, Tick());
  ChangeTags(sam_, *db_, {source, {"hardware"}, {}}, Tick());
  const std::string target = Open(ana_, "Printer offline");
  Reply(sam_, *db_, {target, "Looking into it.", std::nullopt}, Tick());

  const MergeResult result = Merge(sam_, *db_, {source, target, false}, Tick());
  EXPECT_EQ(result.moved_messages, 2);

  const TicketView merged = GetTicket(sam_, *db_, target);
  EXPECT_EQ(merged.thread.size(), 4U);
  EXPECT_EQ(merged.tags, std::vector<std::string>{"hardware"});
  const TicketView closed = GetTicket(ana_, *db_, source);
  EXPECT_EQ(closed.status, Status::kClosed);
  EXPECT_EQ(closed.merged_into_number, 1002);
  EXPECT_TRUE(closed.thread.empty());
  // The end user still never sees the moved note.
  EXPECT_EQ(GetTicket(ana_, *db_, target).thread.size(), 3U);

  EXPECT_EQ(TicketHistory(sam_, *db_, source).back().field, "merged_into");
  EXPECT_EQ(TicketHistory(sam_, *db_, target).back().new_value, "RMP-1001");
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE event = 'ticket.merge'"), 1);

  // The moved messages are found under their new ticket, with its subject.
  ExpectSearchIndexConsistent();
  const auto hits = SearchTickets(ana_, *db_, {"zebrafish", 20});
  ASSERT_EQ(hits.size(), 1U);
  EXPECT_EQ(hits[0].number, 1002);
  // ...and no longer under the source's subject.
  EXPECT_EQ(SearchTickets(ana_, *db_, {"scanner", 20}).size(), 0U);
}

TEST_F(MergeTest, DifferentRequestersNeedConfirmation) {
  const std::string anas = Open(ana_);
  const std::string carls = Open(carl_);
  ExpectRefused<core::Conflict>(sam_, {anas, carls, false});
  const MergeResult result = Merge(sam_, *db_, {anas, carls, true}, Tick());
  EXPECT_EQ(result.target_number, 1002);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE detail LIKE '%different_requesters'"),
            1);
}

TEST_F(MergeTest, BothTicketsMustBeReachableAndDistinct) {
  const std::string support = Open(ana_);
  const std::string billing = Open(ana_, "Invoice", 2);
  ExpectRefused<core::NotFound>(sam_, {support, billing, false});
  ExpectRefused<core::NotFound>(sam_, {billing, support, false});
  ExpectRefused<core::NotFound>(sam_, {support, "RMP-99999", false});
  ExpectRefused<core::Invalid>(sam_, {support, support, false});
  ExpectRefused<core::Invalid>(sam_, {support, "not a number", false});
  EXPECT_NO_THROW(Merge(rita_, *db_, {billing, support, false}, Tick()));
}

TEST_F(MergeTest, EndUsersAndReadOnlyTokensCannotMerge) {
  const std::string a = Open(ana_);
  const std::string b = Open(ana_);
  ExpectRefused<core::Forbidden>(ana_, {a, b, false});
  auth::Actor token = ada_;
  token.read_only = true;
  ExpectRefused<core::Forbidden>(token, {a, b, false});
}

TEST_F(MergeTest, ClosedOrMergedTicketsDoNotMergeAgain) {
  const std::string a = Open(ana_);
  const std::string b = Open(ana_);
  const std::string c = Open(ana_);
  Merge(sam_, *db_, {a, b, false}, Tick());
  ExpectRefused<core::Conflict>(sam_, {a, c, false});
  ExpectRefused<core::Conflict>(sam_, {c, a, false});
  ChangeStatus(sam_, *db_, {c, Status::kClosed}, Tick());
  ExpectRefused<core::Conflict>(sam_, {b, c, false});
}

}  // namespace
}  // namespace rampart::tickets
