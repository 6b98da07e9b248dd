#include "tickets/add_note.h"

#include <gtest/gtest.h>

#include "core/errors.h"
#include "tickets/change_status.h"
#include "tickets/get_ticket.h"
#include "tickets/history.h"
#include "tickets/tickets_test_support.h"

namespace rampart::tickets {
namespace {

using testing::TicketsTest;

class AddNoteTest : public TicketsTest {};

TEST_F(AddNoteTest, StaffNoteIsInternalAndLeavesPublicTimesAlone) {
  const std::string number = Open(ana_);
  const TicketView before = GetTicket(sam_, *db_, number);
  const std::int64_t at = Tick();
  AddNote(sam_, *db_, {number, "Known bug #77."}, at);
  const TicketView after = GetTicket(sam_, *db_, number);
  ASSERT_EQ(after.thread.size(), 2U);
  EXPECT_TRUE(after.thread[1].internal);
  EXPECT_EQ(after.updated_at, at);
  EXPECT_EQ(after.last_message_at, before.last_message_at);
  EXPECT_FALSE(after.first_response_at);  // a note is not an answer
  ExpectSearchIndexConsistent();
}

TEST_F(AddNoteTest, EndUserCannotAddInternalNote) {
  const std::string number = Open(ana_);
  const std::string before = Fingerprint();
  EXPECT_THROW(AddNote(ana_, *db_, {number, "I am staff now."}, Tick()), core::Forbidden);
  // Refused before the lookup: the same answer for a ticket that does not exist.
  EXPECT_THROW(AddNote(ana_, *db_, {"RMP-99999", "x"}, Tick()), core::Forbidden);
  EXPECT_EQ(Fingerprint(), before);
}

TEST_F(AddNoteTest, AgentOutsideDepartmentGetsNotFound) {
  const std::string billing = Open(ana_, "Invoice", 2);
  const std::string before = Fingerprint();
  EXPECT_THROW(AddNote(sam_, *db_, {billing, "Peek."}, Tick()), core::NotFound);
  EXPECT_EQ(Fingerprint(), before);
}

TEST_F(AddNoteTest, NotesMayFollowClosure) {
  const std::string number = Open(ana_);
  ChangeStatus(sam_, *db_, {number, Status::kClosed}, Tick());
  EXPECT_NO_THROW(AddNote(sam_, *db_, {number, "Post-mortem: cable."}, Tick()));
}

TEST_F(AddNoteTest, EndUserHistoryDoesNotMentionNotes) {
  const std::string number = Open(ana_);
  AddNote(sam_, *db_, {number, "Secret."}, Tick());
  for (const HistoryEntry& e : TicketHistory(ana_, *db_, number)) EXPECT_NE(e.field, "note");
  bool staff_sees = false;
  for (const HistoryEntry& e : TicketHistory(sam_, *db_, number)) staff_sees |= e.field == "note";
  EXPECT_TRUE(staff_sees);
}

}  // namespace
}  // namespace rampart::tickets
