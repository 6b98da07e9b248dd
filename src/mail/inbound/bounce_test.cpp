#include "mail/inbound/bounce.h"

#include <gtest/gtest.h>

#include "mail/inbound/ingest.h"
#include "tickets/history.h"
#include "tickets/reply.h"
#include "tickets/tickets_test_support.h"

namespace rampart::mail {
namespace {

constexpr const char* kSentId = "rmp-1001-abcdef.0123456789@help.example";

// An RFC 3464 report as Postfix writes it: the human part, the delivery status, the headers of
// the message that failed.
std::string DeliveryReport(const std::string& original_id,
                           const std::string& diagnostic =
                               "smtp; 550 5.1.1 <ana@acme.example>: "
                               "Recipient address rejected",
                           const std::string& returned_type = "text/rfc822-headers") {
  return "From: MAILER-DAEMON@mx.acme.example (Mail Delivery System)\r\n"
         "To: support@help.example\r\n"
         "Subject: Undelivered Mail Returned to Sender\r\n"
         "Message-ID: <bounce-" +
         original_id.substr(0, 8) +
         "@mx.acme.example>\r\n"
         "Auto-Submitted: auto-replied\r\n"
         "MIME-Version: 1.0\r\n"
         "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n"
         "--B\r\nContent-Type: text/plain\r\n\r\nI'm sorry to have to inform you...\r\n"
         "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
         "Reporting-MTA: dns; mx.acme.example\r\n\r\n"
         "Final-Recipient: rfc822; ana@acme.example\r\n"
         "Original-Recipient: rfc822;ana@acme.example\r\n"
         "Action: failed\r\nStatus: 5.1.1\r\n"
         "Diagnostic-Code: " +
         diagnostic +
         "\r\n\r\n"
         "--B\r\nContent-Type: " +
         returned_type +
         "\r\n\r\n"
         "From: Help Desk <support@help.example>\r\n"
         "To: ana@acme.example\r\n"
         "Subject: [RMP-1001] Printer offline\r\n"
         "Message-Id:\r\n <" +
         original_id +
         ">\r\n\r\n"
         "--B--\r\n";
}

mime::EmailMessage Parsed(const std::string& raw) {
  return mime::ParseEmail(raw).message;
}

TEST(Bounce, ReadsRecipientDiagnosticAndTheReturnedHeadersMessageId) {
  const BounceReport r = ReadBounce(Parsed(DeliveryReport(kSentId)));
  ASSERT_FALSE(r.original_ids.empty());
  EXPECT_EQ(r.original_ids[0], kSentId);
  EXPECT_EQ(r.recipient, "ana@acme.example");
  EXPECT_EQ(r.diagnostic, "550 5.1.1 <ana@acme.example>: Recipient address rejected");
}

TEST(Bounce, ReadsTheIdOfAWholeReturnedMessage) {
  const BounceReport r =
      ReadBounce(Parsed(DeliveryReport(kSentId, "smtp; 552 mailbox full", "message/rfc822")));
  ASSERT_FALSE(r.original_ids.empty());
  EXPECT_EQ(r.original_ids[0], kSentId);
  EXPECT_EQ(r.diagnostic, "552 mailbox full");
}

TEST(Bounce, FallsBackToStatusInReplyToAndTheTextOfPlainDaemons) {
  const std::string plain =
      "From: mailer-daemon@old.example\r\nTo: support@help.example\r\nSubject: failure notice\r\n"
      "In-Reply-To: <other@help.example>\r\n\r\n"
      "Sorry, we were unable to deliver your message.\r\n\r\n--- Below this line is a copy\r\n\r\n"
      "Message-ID: <" +
      std::string(kSentId) + ">\r\nSubject: x\r\n";
  const BounceReport r = ReadBounce(Parsed(plain));
  ASSERT_EQ(r.original_ids.size(), 2U);
  EXPECT_EQ(r.original_ids[0], kSentId);
  EXPECT_EQ(r.original_ids[1], "other@help.example");
  EXPECT_EQ(r.recipient, "");
  EXPECT_EQ(r.diagnostic, "");
}

TEST(Bounce, TheRemoteTextIsOneBoundedLine) {
  const BounceReport r = ReadBounce(Parsed(
      DeliveryReport(kSentId, "smtp; 550 <script>alert(1)</script> " + std::string(600, 'x'))));
  EXPECT_EQ(r.diagnostic.find_first_of("\r\n"), std::string::npos);
  EXPECT_LE(r.diagnostic.size(), 310U);
  EXPECT_EQ(r.diagnostic.rfind("550 <script>", 0), 0U);  // text: the page escapes it
}

class BounceIngestTest : public tickets::testing::TicketsTest {
 protected:
  BounceIngestTest()
      : key_(auth::ServerKey::FromBytes(std::string(32, 'k'), 1)),
        suffixes_(PublicSuffixList::FromText("example\ncom\n")) {}
  void SetUp() override {
    TicketsTest::SetUp();
    services_ = std::make_unique<InboundServices>(
        InboundServices{*db_, key_, dns_, suffixes_, verifier_, {{"mx.help.example"}}});
  }
  IngestResult Ingest(const std::string& raw) {
    return IngestMessage(*services_, mailbox_, raw, Tick());
  }
  // A ticket of Ana's with an agent's reply whose mail went out as kSentId.
  std::string TicketWithSentReply() {
    const std::string number = Open(ana_);
    tickets::Reply(sam_, *db_, {number, "Fixed.", std::nullopt}, Tick());
    storage::Lease c = db_->Write();
    c->Execute(
        "INSERT INTO mail_sent_ids (message_id, ticket_id, recipient) "
        "SELECT ?, id, 'ana@acme.example' FROM tickets",
        {std::string(kSentId)});
    return number;
  }

  auth::ServerKey key_;
  FixtureResolver dns_;
  PublicSuffixList suffixes_;
  DkimVerifier verifier_;
  std::unique_ptr<InboundServices> services_;
  Mailbox mailbox_{0, "support", "support@help.example", 1};
};

TEST_F(BounceIngestTest, ABounceOfOurReplyShowsOnThatTicketAndNothingElseHappens) {
  const std::string number = TicketWithSentReply();
  const auto tickets_before = Count("SELECT count(*) FROM tickets");
  const auto messages_before = Count("SELECT count(*) FROM messages");
  const auto outbox_before = Count("SELECT count(*) FROM outbox");

  const auto result = Ingest(DeliveryReport(kSentId));
  EXPECT_EQ(result.disposition, Disposition::kBounce);
  EXPECT_EQ(result.reason,
            "Delivery to ana@acme.example failed: 550 5.1.1 <ana@acme.example>: Recipient "
            "address rejected");
  EXPECT_EQ(Count("SELECT count(*) FROM mail_messages WHERE disposition = 'bounce' AND "
                  "ticket_id = (SELECT id FROM tickets WHERE number = 1001)"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM tickets"), tickets_before);
  EXPECT_EQ(Count("SELECT count(*) FROM messages"), messages_before);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox"), outbox_before);  // never answered

  const auto history = tickets::TicketHistory(sam_, *db_, number);
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back().field, "mail_bounced");
  EXPECT_EQ(history.back().old_value, "ana@acme.example");
  // Agents see it; the customer's view of the history does not list it.
  for (const auto& h : tickets::TicketHistory(ana_, *db_, number)) {
    EXPECT_NE(h.field, "mail_bounced");
  }
}

TEST_F(BounceIngestTest, TheLineNamesWhomWeSentToNotWhomTheReportClaims) {
  const std::string number = TicketWithSentReply();
  {
    storage::Lease c = db_->Write();
    c->Execute("UPDATE mail_sent_ids SET recipient = 'boss@acme.example'");
  }
  const auto result = Ingest(DeliveryReport(kSentId));  // Final-Recipient: ana@acme.example
  EXPECT_EQ(result.reason.rfind("Delivery to boss@acme.example failed: 550", 0), 0U)
      << result.reason;
  EXPECT_EQ(tickets::TicketHistory(sam_, *db_, number).back().old_value, "boss@acme.example");
}

TEST_F(BounceIngestTest, AnUnknownBounceStaysRecordedWithoutATicket) {
  TicketWithSentReply();
  const auto events_before = Count("SELECT count(*) FROM ticket_events");
  const auto result = Ingest(DeliveryReport("someone-else@elsewhere.example"));
  EXPECT_EQ(result.disposition, Disposition::kBounce);
  EXPECT_EQ(result.reason, "Delivery failure report.");
  EXPECT_EQ(Count("SELECT count(*) FROM mail_messages WHERE disposition = 'bounce' AND "
                  "ticket_id IS NULL"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM ticket_events"), events_before);
}

TEST_F(BounceIngestTest, AnIdACustomerMerelyWroteToUsIsNotMailWeSent) {
  // The customer's own mail is in mail_messages with a ticket; a "bounce" quoting its id must
  // not be pinned on that ticket: only our sent ids count.
  const std::string number = Open(ana_);
  {
    storage::Lease c = db_->Write();
    c->Execute(
        "INSERT INTO mail_messages (message_id, content_hash, from_address, disposition, "
        "ticket_id, received_at) SELECT 'customer-own@acme.example', x'00', "
        "'ana@acme.example', 'new_ticket', id, 0 FROM tickets");
  }
  const auto events_before = Count("SELECT count(*) FROM ticket_events");
  const auto result = Ingest(DeliveryReport("customer-own@acme.example"));
  EXPECT_EQ(result.disposition, Disposition::kBounce);
  EXPECT_FALSE(result.ticket);
  EXPECT_EQ(Count("SELECT count(*) FROM ticket_events"), events_before);
}

}  // namespace
}  // namespace rampart::mail
