#include "mail/inbound/held_mail.h"

#include <gtest/gtest.h>

#include "core/errors.h"
#include "mail/inbound/ingest.h"
#include "mail/inbound/message_view.h"
#include "tickets/get_ticket.h"
#include "tickets/tickets_test_support.h"

namespace rampart::mail {
namespace {

std::string HtmlMail(const std::string& from, const std::string& subject) {
  static int counter = 0;
  return "From: " + from + "\r\nTo: support@help.example\r\nSubject: " + subject +
         "\r\nMessage-ID: <h" + std::to_string(++counter) +
         "@sender.example>\r\nMIME-Version: 1.0\r\n"
         "Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\n"
         "Content-Type: text/plain; charset=utf-8\r\n\r\nThe text.\r\n--b\r\n"
         "Content-Type: text/html; charset=utf-8\r\n\r\n<p>The <b>html</b>"
         "<script>alert(1)</script></p>\r\n--b--\r\n";
}

// Mail to Support's mailbox (department 1): Sam reaches it, Bill (Billing) does not.
class HeldMailTest : public tickets::testing::TicketsTest {
 protected:
  HeldMailTest()
      : key_(auth::ServerKey::FromBytes(std::string(32, 'k'), 1)),
        suffixes_(PublicSuffixList::FromText("example\ncom\n")) {}
  void SetUp() override {
    TicketsTest::SetUp();
    {
      storage::Lease c = db_->Write();
      c->ExecuteScript(
          "INSERT INTO mailboxes (id, name, address, department_id, created_at) "
          "VALUES (1, 'support', 'support@help.example', 1, 0);");
    }
    services_ = std::make_unique<InboundServices>(
        InboundServices{*db_, key_, dns_, suffixes_, verifier_, {{"mx.help.example"}}});
  }
  IngestResult Ingest(const std::string& raw) {
    return IngestMessage(*services_, mailbox_, raw, Tick());
  }
  // A message claiming to be Ana's without any proof: held.
  std::int64_t Held() {
    const auto r = Ingest(HtmlMail("ana@acme.example", "Refund to a new account"));
    EXPECT_EQ(r.disposition, Disposition::kHeld) << r.reason;
    return r.record_id;
  }
  std::string DispositionOf(std::int64_t id) {
    storage::Lease c = db_->Read();
    return c->QueryOne("SELECT disposition FROM mail_messages WHERE id = ?", {id})->Text(0);
  }

  auth::ServerKey key_;
  FixtureResolver dns_;
  PublicSuffixList suffixes_;
  DkimVerifier verifier_;
  std::unique_ptr<InboundServices> services_;
  Mailbox mailbox_{1, "support", "support@help.example", 1};
};

TEST_F(HeldMailTest, AgentOfTheMailboxDepartmentReleasesItOnce) {
  const std::int64_t id = Held();
  ASSERT_EQ(ListWaitingMail(sam_, *db_).size(), 1u);
  EXPECT_EQ(ListWaitingMail(sam_, *db_)[0].from_address, "ana@acme.example");
  EXPECT_EQ(GetWaitingMail(sam_, *db_, id).text, "The text.");
  const auto tickets_before = Count("SELECT count(*) FROM tickets");

  const std::int64_t number = ReleaseAsNewTicket(sam_, *db_, id, Tick());
  EXPECT_EQ(DispositionOf(id), "new_ticket");
  EXPECT_THROW(ReleaseAsNewTicket(sam_, *db_, id, Tick()), core::Conflict);
  EXPECT_THROW(AddToTicket(sam_, *db_, id, tickets::FormatTicketNumber(number), Tick()),
               core::Conflict);
  EXPECT_THROW(DiscardWaitingMail(sam_, *db_, id, Tick()), core::Conflict);
  EXPECT_EQ(Count("SELECT count(*) FROM tickets"), tickets_before + 1);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE event = 'mail.held.new_ticket'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM ticket_events WHERE field = 'unverified_sender' AND "
                  "new_value = 'ana@acme.example'"),
            1);
  // The ticket is Ana's, in the mailbox's department, and its HTML is the sanitized one.
  const auto view = tickets::GetTicket(sam_, *db_, tickets::FormatTicketNumber(number));
  EXPECT_EQ(view.requester_id, 10);
  EXPECT_EQ(view.department_id, 1);
  const std::string html =
      MessageHtml(sam_, *db_, tickets::FormatTicketNumber(number), view.thread.front().id);
  EXPECT_NE(html.find("<b>html</b>"), std::string::npos);
  EXPECT_EQ(html.find("script"), std::string::npos);
  EXPECT_TRUE(ListWaitingMail(sam_, *db_).empty());
}

TEST_F(HeldMailTest, OtherDepartmentsAndCustomersFindNothing) {
  const std::int64_t id = Held();
  EXPECT_TRUE(ListWaitingMail(bill_, *db_).empty());
  EXPECT_EQ(CountWaitingMail(bill_, *db_), 0);
  EXPECT_EQ(CountWaitingMail(rita_, *db_), 1);
  EXPECT_THROW(GetWaitingMail(bill_, *db_, id), core::NotFound);
  EXPECT_THROW(ReleaseAsNewTicket(bill_, *db_, id, Tick()), core::NotFound);
  EXPECT_THROW(DiscardWaitingMail(bill_, *db_, id, Tick()), core::NotFound);
  EXPECT_THROW(ListWaitingMail(ana_, *db_), core::NotFound);
  EXPECT_THROW(GetWaitingMail(ana_, *db_, id), core::NotFound);
  EXPECT_THROW(ReleaseAsNewTicket(ana_, *db_, id, Tick()), core::NotFound);
  EXPECT_THROW(GetWaitingMail(sam_, *db_, id + 1000), core::NotFound);
  EXPECT_EQ(DispositionOf(id), "held");
  EXPECT_EQ(Count("SELECT count(*) FROM tickets"), 0);
}

TEST_F(HeldMailTest, AddToTicketRechecksTheAgentAndStaysAnInternalNote) {
  const std::string billing = Open(ana_, "Invoice", 2);
  const std::string support = Open(ana_, "Printer", 1);
  const std::int64_t id = Held();
  EXPECT_THROW(AddToTicket(sam_, *db_, id, billing, Tick()), core::NotFound);
  EXPECT_THROW(AddToTicket(sam_, *db_, id, "javascript:alert(1)", Tick()), core::Invalid);
  EXPECT_EQ(DispositionOf(id), "held");

  EXPECT_EQ(tickets::FormatTicketNumber(AddToTicket(sam_, *db_, id, support, Tick())), support);
  EXPECT_EQ(DispositionOf(id), "reply");
  EXPECT_THROW(AddToTicket(sam_, *db_, id, support, Tick()), core::Conflict);
  const auto agent_view = tickets::GetTicket(sam_, *db_, support);
  ASSERT_EQ(agent_view.thread.size(), 2u);
  const auto& note = agent_view.thread.back();
  EXPECT_TRUE(note.internal);
  EXPECT_EQ(note.body.rfind("Mail from ana@acme.example (sender NOT verified", 0), 0u);
  // Agents get the frame and the checks; the requester never reaches the note or its HTML.
  const auto facts = MailFactsOf(sam_, *db_, agent_view);
  ASSERT_TRUE(facts.count(note.id));
  EXPECT_TRUE(facts.at(note.id).has_html);
  ASSERT_TRUE(facts.at(note.id).checks);
  EXPECT_EQ(facts.at(note.id).checks->reply_token, "");
  EXPECT_FALSE(MessageHtml(sam_, *db_, support, note.id).empty());
  EXPECT_THROW(MessageHtml(ana_, *db_, support, note.id), core::NotFound);
  const auto customer_view = tickets::GetTicket(ana_, *db_, support);
  EXPECT_EQ(MailFactsOf(ana_, *db_, customer_view).count(note.id), 0u);
  // And a message id under a ticket it is not on is not found either.
  EXPECT_THROW(MessageHtml(sam_, *db_, billing, note.id), core::NotFound);
}

// Held mail keeps its raw bytes; released, its files go with it (to the new ticket's first
// message, or to the note), and a refused release leaves no file behind.
TEST_F(HeldMailTest, ReleasedMailKeepsItsAttachments) {
  const std::filesystem::path dir = temp_.Dir() / "held-files";
  const tickets::AttachmentStore files = tickets::testing::TestAttachmentStore(dir);
  const auto with_file = [](const std::string& id) {
    return "From: ana@acme.example\r\nSubject: Receipt\r\nMessage-ID: <" + id +
           "@sender.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; "
           "boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n"
           "--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; "
           "filename=receipt.txt\r\n\r\nTotal: 12 EUR\r\n--b--\r\n";
  };
  const auto files_on_disk = [&] {
    return std::distance(std::filesystem::directory_iterator(dir),
                         std::filesystem::directory_iterator());
  };
  const auto first = Ingest(with_file("f1"));
  ASSERT_EQ(first.disposition, Disposition::kHeld) << first.reason;
  const std::int64_t number = ReleaseAsNewTicket(sam_, *db_, first.record_id, Tick(), &files);
  {
    storage::Lease c = db_->Read();
    EXPECT_EQ(c->QueryOne("SELECT count(*) FROM attachments AS a JOIN tickets AS t "
                          "ON t.id = a.ticket_id WHERE a.filename = 'receipt.txt' AND t.number = ?",
                          {number})
                  ->Int(0),
              1);
  }
  EXPECT_EQ(files_on_disk(), 1);
  // Released twice: refused, and nothing more is written.
  EXPECT_THROW(ReleaseAsNewTicket(sam_, *db_, first.record_id, Tick(), &files), core::Conflict);
  EXPECT_EQ(files_on_disk(), 1);

  const auto second = Ingest(with_file("f2"));
  ASSERT_EQ(second.disposition, Disposition::kHeld) << second.reason;
  const std::string ticket = tickets::FormatTicketNumber(number);
  // Bill may not add to Support's ticket: refused, and no file stays behind.
  EXPECT_THROW(AddToTicket(bill_, *db_, second.record_id, ticket, Tick(), &files), core::NotFound);
  EXPECT_EQ(files_on_disk(), 1);
  AddToTicket(sam_, *db_, second.record_id, ticket, Tick(), &files);
  EXPECT_EQ(Count("SELECT count(*) FROM attachments AS a JOIN messages AS m ON m.id = a.message_id "
                  "WHERE m.internal = 1 AND a.filename = 'receipt.txt'"),
            1);
  EXPECT_EQ(files_on_disk(), 2);
}

TEST_F(HeldMailTest, QuarantineIsForThoseWhoRunTheHelpdeskAndCannotBeImported) {
  const auto r = Ingest("From: \r\nSubject: broken\r\nMessage-ID: <q1@x>\r\n\r\nx\r\n");
  ASSERT_EQ(r.disposition, Disposition::kQuarantined);
  EXPECT_TRUE(ListWaitingMail(rita_, *db_).empty());
  EXPECT_THROW(GetWaitingMail(sam_, *db_, r.record_id), core::NotFound);
  ASSERT_EQ(ListWaitingMail(ada_, *db_).size(), 1u);
  EXPECT_TRUE(ListWaitingMail(ada_, *db_)[0].quarantined);
  EXPECT_THROW(ReleaseAsNewTicket(ada_, *db_, r.record_id, Tick()), core::Conflict);
  DiscardWaitingMail(ada_, *db_, r.record_id, Tick());
  EXPECT_EQ(DispositionOf(r.record_id), "discarded");
  EXPECT_THROW(DiscardWaitingMail(ada_, *db_, r.record_id, Tick()), core::Conflict);
}

TEST(SenderChecks, DescribedInOneLine) {
  EXPECT_EQ(
      DescribeSenderChecks({"pass acme.example", "pass bob@acme.example", "pass", "dkim", "valid"}),
      "DKIM pass acme.example · SPF pass bob@acme.example (from trusted receiver) · DMARC "
      "pass, aligned by dkim · reply token valid");
  EXPECT_EQ(DescribeSenderChecks({"none", "none", "none", "", ""}),
            "DKIM none · SPF none · DMARC none, not aligned · reply token none");
}

}  // namespace
}  // namespace rampart::mail
