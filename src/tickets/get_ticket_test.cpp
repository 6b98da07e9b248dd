#include "tickets/get_ticket.h"

#include <gtest/gtest.h>

#include "core/errors.h"
#include "tickets/add_note.h"
#include "tickets/tickets_test_support.h"

namespace rampart::tickets {
namespace {

using testing::TicketsTest;

class GetTicketTest : public TicketsTest {};

TEST_F(GetTicketTest, NumbersParseInTheirPublicForms) {
  EXPECT_EQ(ParseTicketNumber("RMP-1042"), 1042);
  EXPECT_EQ(ParseTicketNumber("rmp-1042"), 1042);
  EXPECT_EQ(ParseTicketNumber("1042"), 1042);
  EXPECT_FALSE(ParseTicketNumber("RMP-"));
  EXPECT_FALSE(ParseTicketNumber("RMP-+1042"));
  EXPECT_FALSE(ParseTicketNumber("RMP--1042"));
  EXPECT_FALSE(ParseTicketNumber("RMP-01042"));
  EXPECT_FALSE(ParseTicketNumber("RMP-1042 "));
  EXPECT_FALSE(ParseTicketNumber("RMP-1042' OR 1=1"));
  EXPECT_FALSE(ParseTicketNumber("RMP-99999999999999999999"));
  EXPECT_EQ(FormatTicketNumber(1042), "RMP-1042");
}

TEST_F(GetTicketTest, MalformedNumberIsInvalidInput) {
  EXPECT_THROW(GetTicket(ana_, *db_, "RMP-x"), core::Invalid);
}

TEST_F(GetTicketTest, EndUserGetsNotFoundForAnotherUsersTicket) {
  const std::string carls = Open(carl_);
  EXPECT_THROW(GetTicket(ana_, *db_, carls), core::NotFound);
  // Exactly what a number that does not exist gives.
  EXPECT_THROW(GetTicket(ana_, *db_, "RMP-99999"), core::NotFound);
  EXPECT_NO_THROW(GetTicket(carl_, *db_, carls));
}

TEST_F(GetTicketTest, OrganizationSharingIsHonoured) {
  const std::string anas = Open(ana_);
  EXPECT_NO_THROW(GetTicket(ben_, *db_, anas));  // Acme shares tickets
  const std::string ginas = Open(gina_);
  const auth::Actor gus = EndUser(14, 2, false);  // Globex does not
  EXPECT_THROW(GetTicket(gus, *db_, ginas), core::NotFound);
}

TEST_F(GetTicketTest, EndUserNeverSeesInternalNotes) {
  const std::string number = Open(ana_);
  AddNote(sam_, *db_, {number, "Customer is on the old plan; do not refund."}, Tick());
  const TicketView for_ana = GetTicket(ana_, *db_, number);
  ASSERT_EQ(for_ana.thread.size(), 1U);
  EXPECT_FALSE(for_ana.thread[0].internal);
  const TicketView for_sam = GetTicket(sam_, *db_, number);
  ASSERT_EQ(for_sam.thread.size(), 2U);
  EXPECT_TRUE(for_sam.thread[1].internal);
}

TEST_F(GetTicketTest, AgentOutsideDepartmentGetsNotFoundUnlessAllDepartments) {
  const std::string billing = Open(ana_, "Invoice wrong", 2);
  EXPECT_THROW(GetTicket(sam_, *db_, billing), core::NotFound);
  EXPECT_NO_THROW(GetTicket(bill_, *db_, billing));
  EXPECT_NO_THROW(GetTicket(rita_, *db_, billing));
  EXPECT_NO_THROW(GetTicket(ada_, *db_, billing));
  // No department: the shared inbox every agent sees.
  const std::string inbox = Open(ana_, "Hello", std::nullopt);
  EXPECT_NO_THROW(GetTicket(sam_, *db_, inbox));
}

TEST_F(GetTicketTest, EndUsersDoNotSeeStaffOnlyDetails) {
  {
    storage::Lease c = db_->Write();
    c->ExecuteScript(
        "INSERT INTO custom_fields (id, key, label, kind, end_user_visible, created_at) "
        "VALUES (1, 'risk', 'Risk', 'text', 0, 0), (2, 'order', 'Order', 'text', 1, 0)");
  }
  NewTicket t;
  t.subject = "Refund";
  t.body = "Please refund.";
  t.requester_id = 10;
  t.department_id = 1;
  t.tags = {"angry"};
  t.custom_fields = {{"risk", "churn"}, {"order", "A-7"}};
  const std::string number = FormatTicketNumber(CreateTicket(sam_, *db_, t, Tick()).number);
  const TicketView for_ana = GetTicket(ana_, *db_, number);
  EXPECT_TRUE(for_ana.tags.empty());
  ASSERT_EQ(for_ana.custom_fields.size(), 1U);
  EXPECT_EQ(for_ana.custom_fields[0].key, "order");
  const TicketView for_sam = GetTicket(sam_, *db_, number);
  EXPECT_EQ(for_sam.tags, std::vector<std::string>{"angry"});
  EXPECT_EQ(for_sam.custom_fields.size(), 2U);
}

TEST_F(GetTicketTest, AnonymousActorIsRefusedBeforeAnyLookup) {
  const std::string number = Open(ana_);
  EXPECT_THROW(GetTicket(auth::Actor{}, *db_, number), core::Forbidden);
  EXPECT_THROW(GetTicket(auth::Actor{}, *db_, "RMP-99999"), core::Forbidden);
}

}  // namespace
}  // namespace rampart::tickets
