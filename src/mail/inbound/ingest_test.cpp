#include "mail/inbound/ingest.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>

#include "core/errors.h"
#include "mail/auth/dkim_key.h"
#include "mail/auth/dkim_signer.h"
#include "mail/auth/reply_token.h"
#include "mail/inbound/inline_images.h"
#include "mail/inbound/message_view.h"
#include "tickets/tickets_test_support.h"

namespace rampart::mail {
namespace {

const DkimKeyPair& AcmeKey() {
  static const DkimKeyPair key = GenerateDkimKey(DkimAlgorithm::kEd25519Sha256);
  return key;
}
const DkimKeyPair& StaffKey() {
  static const DkimKeyPair key = GenerateDkimKey(DkimAlgorithm::kEd25519Sha256);
  return key;
}

std::string Mail(const std::string& from, const std::string& subject, const std::string& body,
                 const std::string& extra_headers = "", const std::string& id = "") {
  static int counter = 0;
  const std::string message_id =
      id.empty() ? "m" + std::to_string(++counter) + "@sender.example" : id;
  return "From: " + from + "\r\nTo: support@help.example\r\nSubject: " + subject +
         "\r\nMessage-ID: <" + message_id + ">\r\nDate: Sun, 29 Nov 2026 10:00:00 +0000\r\n" +
         extra_headers + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n";
}

std::string SignedBy(const std::string& domain, const DkimKeyPair& key, const std::string& mail) {
  return DkimSigner({{domain, "s1", key.algorithm, key.private_key_pem}}).Sign(mail) + mail;
}

class IngestTest : public tickets::testing::TicketsTest {
 protected:
  IngestTest()
      : key_(auth::ServerKey::FromBytes(std::string(32, 'k'), 1)),
        suffixes_(PublicSuffixList::FromText("example\ncom\n")) {
    dns_.Add("s1._domainkey.acme.example", AcmeKey().dns_record);
    dns_.Add("_dmarc.acme.example", "v=DMARC1; p=reject");
    dns_.Add("s1._domainkey.rampart.example", StaffKey().dns_record);
    dns_.Add("_dmarc.rampart.example", "v=DMARC1; p=reject");
  }
  void SetUp() override {
    TicketsTest::SetUp();
    services_ = std::make_unique<InboundServices>(
        InboundServices{*db_, key_, dns_, suffixes_, verifier_, {{"mx.help.example"}}});
  }
  IngestResult Ingest(const std::string& raw) {
    return IngestMessage(*services_, mailbox_, raw, ++now_);
  }
  std::int64_t Count(storage::Sql sql) {
    storage::Lease c = db_->Read();
    return c->QueryOne(sql)->Int(0);
  }
  std::string Token(std::int64_t number, const std::string& to) {
    return ReplyTokens(key_).Make(number, to);
  }

  auth::ServerKey key_;
  FixtureResolver dns_;
  PublicSuffixList suffixes_;
  DkimVerifier verifier_;
  std::unique_ptr<InboundServices> services_;
  Mailbox mailbox_{0, "support", "support@help.example", 1};
  std::int64_t now_ = 1'800'000'000;
};

TEST_F(IngestTest, UnknownSenderOpensATicketOnceEvenWhenFetchedTwice) {
  const std::string raw = Mail("New Person <new@fresh.example>", "Printer", "It is broken.");
  const auto first = Ingest(raw);
  ASSERT_EQ(first.disposition, Disposition::kNewTicket) << first.reason;
  ASSERT_TRUE(first.ticket);
  const auto again = Ingest(raw);
  EXPECT_EQ(again.disposition, Disposition::kDuplicate);
  EXPECT_EQ(Count("SELECT count(*) FROM tickets WHERE subject = 'Printer'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM users WHERE email = 'new@fresh.example' AND "
                  "password_hash = '!' AND role = 'end_user'"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM tickets WHERE channel = 'mail' AND department_id = 1"), 1);
}

TEST_F(IngestTest, ForgedMailFromAKnownCustomerIsHeldNotThreaded) {
  const auto number = Open(ana_, "Invoice");
  const auto forged = Ingest(Mail("ana@acme.example", "Re: [" + number + "] Invoice",
                                  "Please send the refund to IBAN XX00 EVIL"));
  EXPECT_EQ(forged.disposition, Disposition::kHeld);
  EXPECT_NE(forged.reason.find("may be forged"), std::string::npos);
  EXPECT_EQ(Count("SELECT count(*) FROM messages WHERE body LIKE '%EVIL%'"), 0);
  EXPECT_EQ(
      Count("SELECT count(*) FROM mail_messages WHERE disposition = 'held' AND raw IS NOT NULL"),
      1);
}

TEST_F(IngestTest, AnUntrustedAuthenticationResultsHeaderProvesNothing) {
  Open(ana_, "Invoice");
  const auto held = Ingest(Mail("ana@acme.example", "Hello", "x",
                                "Authentication-Results: attacker.example; spf=pass "
                                "smtp.mailfrom=ana@acme.example; dmarc=pass\r\n"));
  EXPECT_EQ(held.disposition, Disposition::kHeld);
  // The same verdict from our own receiver is believed: SPF aligned with the From domain.
  const auto trusted = Ingest(Mail("ana@acme.example", "Hello again", "x",
                                   "Authentication-Results: mx.help.example; spf=pass "
                                   "smtp.mailfrom=bounce@acme.example\r\n"));
  EXPECT_EQ(trusted.disposition, Disposition::kNewTicket) << trusted.reason;
}

TEST_F(IngestTest, ADkimAlignedCustomerReplyJoinsTheirTicket) {
  const auto number = Open(ana_, "Invoice");
  const auto reply = Ingest(
      SignedBy("acme.example", AcmeKey(),
               Mail("ana@acme.example", "Re: [" + number + "] Invoice", "Thanks, here it is.")));
  ASSERT_EQ(reply.disposition, Disposition::kReply) << reply.reason;
  EXPECT_EQ(Count("SELECT count(*) FROM messages WHERE body = 'Thanks, here it is.'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM mail_messages WHERE dkim LIKE 'pass acme.example%' "
                  "AND dmarc = 'pass' AND aligned_by = 'dkim:acme.example' AND raw IS NULL"),
            1);
}

TEST_F(IngestTest, AReplyTokenProvesTheRecipientWithoutDkim) {
  const auto number = Open(ana_, "Invoice");
  const std::int64_t n = std::stoll(number.substr(4));
  const auto reply =
      Ingest(Mail("ana@acme.example", "Re: Invoice", "Token reply.",
                  "In-Reply-To: <" + Token(n, "ana@acme.example") + ".x@help.example>\r\n"));
  ASSERT_EQ(reply.disposition, Disposition::kReply) << reply.reason;
  EXPECT_EQ(reply.ticket, n);
  // Someone else holding the same token: the token names another recipient.
  const auto stolen =
      Ingest(Mail("mallory@evil.example", "Re: Invoice", "Stolen token.",
                  "In-Reply-To: <" + Token(n, "ana@acme.example") + ".x@help.example>\r\n"));
  EXPECT_EQ(stolen.disposition, Disposition::kNewTicket);
  EXPECT_NE(stolen.ticket, n);
  EXPECT_EQ(Count("SELECT count(*) FROM mail_messages WHERE reply_token = 'invalid'"), 1);
}

TEST_F(IngestTest, AnAgentsMailNeedsBothDmarcAndToken) {
  const auto number = Open(ana_, "Invoice");
  const std::int64_t n = std::stoll(number.substr(4));
  const std::string token =
      "In-Reply-To: <" + Token(n, "sam@rampart.example") + ".x@help.example>\r\n";
  const auto token_only = Ingest(Mail("sam@rampart.example", "Re: Invoice", "Agent A.", token));
  EXPECT_EQ(token_only.disposition, Disposition::kHeld);
  const auto dkim_only = Ingest(SignedBy("rampart.example", StaffKey(),
                                         Mail("sam@rampart.example", "Re: Invoice", "Agent B.")));
  EXPECT_EQ(dkim_only.disposition, Disposition::kHeld);
  const auto both = Ingest(SignedBy("rampart.example", StaffKey(),
                                    Mail("sam@rampart.example", "Re: Invoice", "Agent C.", token)));
  ASSERT_EQ(both.disposition, Disposition::kReply) << both.reason;
  EXPECT_EQ(
      Count("SELECT count(*) FROM messages WHERE body = 'Agent C.' AND author_kind = 'agent'"), 1);
  EXPECT_EQ(
      Count("SELECT count(*) FROM messages WHERE body LIKE 'Agent A.%' OR body LIKE 'Agent B.%'"),
      0);
}

TEST_F(IngestTest, AnAgentOutsideTheTicketsDepartmentIsHeldByThePermissionCheck) {
  const auto number = Open(ana_, "Invoice", 1);  // Support; Bill is in Billing
  const std::int64_t n = std::stoll(number.substr(4));
  dns_.Add("s1._domainkey.rampart.example", StaffKey().dns_record);
  const auto result = Ingest(
      SignedBy("rampart.example", StaffKey(),
               Mail("bill@rampart.example", "Re: Invoice", "Not my department.",
                    "In-Reply-To: <" + Token(n, "bill@rampart.example") + ".x@help.example>\r\n")));
  EXPECT_EQ(result.disposition, Disposition::kHeld);
  EXPECT_EQ(Count("SELECT count(*) FROM messages WHERE body LIKE 'Not my department%'"), 0);
}

TEST_F(IngestTest, AutoRepliesListsAndBouncesNeverBecomeTickets) {
  EXPECT_EQ(
      Ingest(Mail("new@fresh.example", "Out of office", "Away", "Auto-Submitted: auto-replied\r\n"))
          .disposition,
      Disposition::kIgnored);
  EXPECT_EQ(Ingest(Mail("new@fresh.example", "Digest", "News", "Precedence: bulk\r\n")).disposition,
            Disposition::kIgnored);
  EXPECT_EQ(Ingest(Mail("MAILER-DAEMON@mx.example", "Undelivered", "Failed")).disposition,
            Disposition::kBounce);
  // "Auto-Submitted: no" is a person writing.
  EXPECT_EQ(Ingest(Mail("new@fresh.example", "Real", "Hi", "Auto-Submitted: no\r\n")).disposition,
            Disposition::kNewTicket);
  EXPECT_EQ(Count("SELECT count(*) FROM tickets WHERE subject IN ('Out of office', 'Digest', "
                  "'Undelivered')"),
            0);
}

TEST_F(IngestTest, UnreadableMailIsQuarantinedWithItsRawBytes) {
  const auto result = Ingest("This is not a message at all");
  EXPECT_EQ(result.disposition, Disposition::kQuarantined);
  EXPECT_EQ(Count("SELECT count(*) FROM mail_messages WHERE disposition = 'quarantined' "
                  "AND raw = CAST('This is not a message at all' AS BLOB)"),
            1);
}

TEST_F(IngestTest, HtmlOnlyMailIsStoredAsTextAndSanitizedHtml) {
  const std::string raw =
      "From: new@fresh.example\r\nSubject: <script>alert(1)</script>\r\nMessage-ID: "
      "<h1@x.example>\r\n"
      "Content-Type: text/html; charset=utf-8\r\n\r\n"
      "<p>Hello <b>team</b></p><script>alert(1)</script><img src=x onerror=alert(1)>\r\n";
  const auto result = Ingest(raw);
  ASSERT_EQ(result.disposition, Disposition::kNewTicket) << result.reason;
  storage::Lease c = db_->Read();
  const auto row = c->QueryOne("SELECT body, body_html FROM messages ORDER BY id DESC LIMIT 1");
  EXPECT_EQ(row->Text(0), "Hello team");
  EXPECT_EQ(row->Text(1), "<p>Hello <b>team</b></p>\n");
  EXPECT_EQ(Count("SELECT count(*) FROM tickets WHERE subject = '<script>alert(1)</script>'"), 1);
}

TEST_F(IngestTest, AttachmentsAreStoredWithTheTicket) {
  const std::filesystem::path dir = temp_.Dir() / "attachments";
  const tickets::AttachmentStore files = tickets::testing::TestAttachmentStore(dir);
  services_->files = &files;
  const std::string raw =
      "From: new@fresh.example\r\nSubject: Logs\r\nMessage-ID: <att1@x.example>\r\n"
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
      "See attached.\r\n--b\r\nContent-Type: application/octet-stream\r\n"
      "Content-Disposition: attachment; filename=\"<img src=x onerror=alert(1)>.png\"\r\n"
      "Content-Transfer-Encoding: "
      "base64\r\n\r\niVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUA"
      "AAAABJRU5ErkJggg==\r\n--b--\r\n";
  const auto result = Ingest(raw);
  ASSERT_EQ(result.disposition, Disposition::kNewTicket) << result.reason;
  storage::Lease c = db_->Read();
  const auto row = c->QueryOne("SELECT filename, type, size FROM attachments");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->Text(0), "<img src=x onerror=alert(1)>.png");  // a label, escaped where shown
  EXPECT_EQ(row->Text(1), "image/png");  // from the bytes, not the declared type
  EXPECT_GT(row->Int(2), 0);
}

TEST_F(IngestTest, NewTicketsPerSenderAreRateLimited) {
  services_->settings.max_new_tickets_per_sender_per_hour = 2;
  // Proven by our receiver's SPF pass, so the flood is not held as forged but as a flood.
  const std::string spf =
      "Authentication-Results: mx.help.example; spf=pass smtp.mailfrom=flood@fresh.example\r\n";
  EXPECT_EQ(Ingest(Mail("flood@fresh.example", "1", "x", spf)).disposition,
            Disposition::kNewTicket);
  EXPECT_EQ(Ingest(Mail("flood@fresh.example", "2", "x", spf)).disposition,
            Disposition::kNewTicket);
  const auto third = Ingest(Mail("flood@fresh.example", "3", "x", spf));
  EXPECT_EQ(third.disposition, Disposition::kHeld);
  EXPECT_NE(third.reason.find("Too many"), std::string::npos);
}

TEST_F(IngestTest, MailThatOpensATicketIsAcknowledgedAndAutomaticOrHeldMailIsNot) {
  const auto acks = [&] {
    return Count("SELECT count(*) FROM outbox WHERE kind = 'acknowledgement'");
  };
  const auto opened = Ingest(Mail("New Person <new@fresh.example>", "Printer", "It is broken."));
  ASSERT_EQ(opened.disposition, Disposition::kNewTicket) << opened.reason;
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE kind = 'acknowledgement' AND recipient = "
                  "'new@fresh.example' AND ticket_id = (SELECT id FROM tickets WHERE subject = "
                  "'Printer')"),
            1);
  EXPECT_EQ(Ingest(Mail("other@fresh.example", "Away", "Out of office",
                        "Auto-Submitted: auto-replied\r\n"))
                .disposition,
            Disposition::kIgnored);
  EXPECT_EQ(
      Ingest(Mail("other@fresh.example", "List", "Digest", "Precedence: bulk\r\n")).disposition,
      Disposition::kIgnored);
  // A forgery in a known customer's name is held: no ticket, so no acknowledgement either.
  EXPECT_EQ(Ingest(Mail("ana@acme.example", "Urgent", "Wire money")).disposition,
            Disposition::kHeld);
  EXPECT_EQ(acks(), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox"), 1);
}

// A batch decides each message as IngestMessage would, in order: a repeat inside the batch is a
// duplicate, a reply threads into the ticket an earlier batch-mate opened, and a message whose
// action is refused is held alone while its batch-mates commit, attachments included.
TEST_F(IngestTest, ABatchDecidesEachMessageInOrderAndCommitsThemTogether) {
  const std::filesystem::path dir = temp_.Dir() / "batch-files";
  const tickets::AttachmentStore files = tickets::testing::TestAttachmentStore(dir);
  services_->files = &files;
  const auto number = Open(ana_, "Invoice", 1);
  const std::int64_t n = std::stoll(number.substr(4));
  const std::string first = SignedBy(
      "acme.example", AcmeKey(), Mail("ana@acme.example", "Printer", "<script>alert(1)</script>"));
  const std::string with_file =
      "From: new@fresh.example\r\nSubject: Logs\r\nMessage-ID: <batch-att@x.example>\r\n"
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
      "See attached.\r\n--b\r\nContent-Type: text/plain\r\n"
      "Content-Disposition: attachment; filename=\"log.txt\"\r\n\r\nE42\r\n--b--\r\n";
  const std::vector<std::string> batch = {
      first,
      first,  // fetched twice
      SignedBy("acme.example", AcmeKey(),
               Mail("ana@acme.example", "Re: [" + number + "] Invoice", "Batch reply.")),
      // Bill (Billing) answering a Support ticket: the permission check refuses, it is held.
      SignedBy("rampart.example", StaffKey(),
               Mail("bill@rampart.example", "Re: Invoice", "Not my department.",
                    "In-Reply-To: <" + Token(n, "bill@rampart.example") + ".x@help.example>\r\n")),
      with_file,
      Mail("ana@acme.example", "Forged", "Unsigned, in Ana's name."),
  };
  const auto results = IngestMessages(*services_, mailbox_, batch, ++now_);
  ASSERT_EQ(results.size(), batch.size());
  EXPECT_EQ(results[0].disposition, Disposition::kNewTicket) << results[0].reason;
  EXPECT_EQ(results[1].disposition, Disposition::kDuplicate);
  EXPECT_EQ(results[2].disposition, Disposition::kReply) << results[2].reason;
  EXPECT_EQ(results[2].ticket, n);
  EXPECT_EQ(results[3].disposition, Disposition::kHeld) << results[3].reason;
  EXPECT_EQ(results[4].disposition, Disposition::kNewTicket) << results[4].reason;
  EXPECT_EQ(results[5].disposition, Disposition::kHeld) << results[5].reason;
  EXPECT_EQ(Count("SELECT count(*) FROM mail_messages"), 5);
  EXPECT_EQ(Count("SELECT count(*) FROM messages WHERE body LIKE 'Not my department%' OR "
                  "body LIKE 'Unsigned%'"),
            0);
  EXPECT_EQ(Count("SELECT count(*) FROM messages WHERE body = '<script>alert(1)</script>'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM attachments WHERE filename = 'log.txt'"), 1);
  // The staged file was kept after the commit: exactly one sealed file on disk.
  std::size_t on_disk = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) ++on_disk;
  }
  EXPECT_EQ(on_disk, 1u);
  // The same batch again: every message a duplicate, nothing written.
  for (const auto& again : IngestMessages(*services_, mailbox_, batch, ++now_)) {
    EXPECT_EQ(again.disposition, Disposition::kDuplicate);
  }
  EXPECT_EQ(Count("SELECT count(*) FROM mail_messages"), 5);
}

// The mbox import prepares the next batch on a second thread while the previous one is written.
// Preparing (parse, DKIM, DMARC, files) never waits for the write lock, and a batch prepared
// before its predecessor was committed is still decided against it: a repeat is a duplicate
// (its staged file removed again), and a sender the earlier batch made known is treated so.
TEST_F(IngestTest, ABatchPreparedWhileThePreviousIsWrittenIsDecidedAfterIt) {
  const std::filesystem::path dir = temp_.Dir() / "pipeline-files";
  const tickets::AttachmentStore files = tickets::testing::TestAttachmentStore(dir);
  services_->files = &files;
  const std::string with_file =
      "From: new@fresh.example\r\nSubject: Logs\r\nMessage-ID: <pipe-att@x.example>\r\n"
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
      "See attached.\r\n--b\r\nContent-Type: text/plain\r\n"
      "Content-Disposition: attachment; filename=\"log.txt\"\r\n\r\nE42\r\n--b--\r\n";
  const std::vector<std::string> first = {
      with_file, SignedBy("acme.example", AcmeKey(), Mail("ana@acme.example", "Printer", "Hi."))};
  const std::vector<std::string> second = {
      with_file,  // the same message again, in the next batch
      Mail("new@fresh.example", "Logs again", "A second ticket within the hour."),
      SignedBy("acme.example", AcmeKey(),
               Mail("ana@acme.example", "Re: Printer", "<script>alert(1)</script>")),
  };
  PreparedBatch prepared_first = PrepareMessages(*services_, first, ++now_);
  std::future<PreparedBatch> preparing;
  bool prepared_while_writing = false;
  {
    // The writer is busy (as it is while the previous batch commits): preparing still finishes.
    // (The lease goes before the future is waited for again, so a failure cannot hang.)
    storage::Lease writer = db_->Write();
    preparing =
        std::async(std::launch::async, [&] { return PrepareMessages(*services_, second, now_); });
    prepared_while_writing =
        preparing.wait_for(std::chrono::seconds(30)) == std::future_status::ready;
  }
  PreparedBatch prepared_second = preparing.get();
  EXPECT_TRUE(prepared_while_writing);
  EXPECT_EQ(prepared_second.Size(), second.size());
  const auto a = ImportPrepared(*services_, mailbox_, prepared_first, now_);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].disposition, Disposition::kNewTicket) << a[0].reason;
  EXPECT_EQ(a[1].disposition, Disposition::kNewTicket) << a[1].reason;
  const auto b = ImportPrepared(*services_, mailbox_, prepared_second, now_);
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[0].disposition, Disposition::kDuplicate);
  // Now a known requester (the first batch made the account) without proof: held, not a ticket.
  EXPECT_EQ(b[1].disposition, Disposition::kHeld) << b[1].reason;
  EXPECT_NE(b[1].reason.find("may be forged"), std::string::npos) << b[1].reason;
  EXPECT_EQ(b[2].disposition, Disposition::kNewTicket) << b[2].reason;
  EXPECT_EQ(Count("SELECT count(*) FROM messages WHERE body = '<script>alert(1)</script>'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM mail_messages"), 4);
  EXPECT_EQ(Count("SELECT count(*) FROM tickets WHERE subject = 'Logs again'"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM attachments WHERE filename = 'log.txt'"), 1);
  std::size_t on_disk = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) ++on_disk;
  }
  EXPECT_EQ(on_disk, 1u);
}

// A message that does not become a ticket or reply (here: unsigned mail in a known customer's
// name, held) keeps its raw bytes for the agent but leaves no attachment file behind, alone or
// in a batch.
TEST_F(IngestTest, HeldMailLeavesNoAttachmentFileBehind) {
  const std::filesystem::path dir = temp_.Dir() / "held-files";
  const tickets::AttachmentStore files = tickets::testing::TestAttachmentStore(dir);
  services_->files = &files;
  const auto forged = [](const std::string& id) {
    return "From: ana@acme.example\r\nSubject: Invoice\r\nMessage-ID: <" + id +
           "@x.example>\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
           "Content-Type: text/plain\r\n\r\nNew bank details attached.\r\n--b\r\n"
           "Content-Type: text/plain\r\nContent-Disposition: attachment; "
           "filename=\"iban.txt\"\r\n\r\nXX00 EVIL\r\n--b--\r\n";
  };
  const auto alone = Ingest(forged("held-alone"));
  EXPECT_EQ(alone.disposition, Disposition::kHeld) << alone.reason;
  const std::vector<std::string> batch = {forged("held-batch")};
  const auto batched = IngestMessages(*services_, mailbox_, batch, ++now_);
  ASSERT_EQ(batched.size(), 1u);
  EXPECT_EQ(batched[0].disposition, Disposition::kHeld) << batched[0].reason;
  EXPECT_EQ(Count("SELECT count(*) FROM attachments"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM mail_messages WHERE disposition = 'held' AND raw IS NOT "
                  "NULL"),
            2);
  std::size_t on_disk = 0;
  if (std::filesystem::exists(dir)) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
      if (entry.is_regular_file()) ++on_disk;
    }
  }
  EXPECT_EQ(on_disk, 0u);
}

// An HTML mail that shows its own logo: the PNG part's Content-ID is kept, and the message frame
// gets it as a data: URL. A part that claims to be an image but is not (by its bytes) is not
// embedded, and someone who may not see the ticket gets nothing.
TEST_F(IngestTest, InlineImagesOfHtmlMailAreShownFromTheirOwnParts) {
  const std::filesystem::path dir = temp_.Dir() / "inline-files";
  const tickets::AttachmentStore files = tickets::testing::TestAttachmentStore(dir);
  services_->files = &files;
  const std::string png =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJg"
      "gg==";
  const std::string raw =
      "From: new@fresh.example\r\nSubject: Our logo\r\nMessage-ID: <inline1@x.example>\r\n"
      "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=r\r\n\r\n"
      "--r\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
      "<p>Logo: <img src=\"cid:logo%40fresh.example\" alt=\"logo\"> "
      "<img src=\"CID:fake@fresh.example\"> <img src=\"cid:missing@fresh.example\"></p>\r\n"
      "--r\r\nContent-Type: image/png\r\nContent-ID: <logo@fresh.example>\r\n"
      "Content-Disposition: inline\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
      png +
      "\r\n--r\r\nContent-Type: image/png\r\nContent-ID: <fake@fresh.example>\r\n"
      "Content-Disposition: inline\r\n\r\n<script>alert(1)</script>\r\n--r--\r\n";
  const auto result = Ingest(raw);
  ASSERT_EQ(result.disposition, Disposition::kNewTicket) << result.reason;
  std::int64_t message_id = 0;
  std::string number;
  {
    storage::Lease c = db_->Read();
    EXPECT_EQ(c->QueryOne("SELECT count(*) FROM attachments WHERE content_id IS NOT NULL")->Int(0),
              2);
    const auto row = c->QueryOne(
        "SELECT m.id, t.number FROM messages AS m JOIN tickets AS t ON t.id = m.ticket_id "
        "WHERE t.subject = 'Our logo'");
    ASSERT_TRUE(row);
    message_id = row->Int(0);
    number = tickets::FormatTicketNumber(row->Int(1));
  }
  const InlineImageUrls urls = InlineImagesOf(rita_, *db_, files, message_id);
  ASSERT_EQ(urls.size(), 1u);  // the fake "image" is text by its bytes: not embedded
  ASSERT_TRUE(urls.contains("logo@fresh.example"));
  EXPECT_EQ(urls.at("logo@fresh.example"), "data:image/png;base64," + png);

  const std::string html = WithInlineImages(MessageHtml(rita_, *db_, number, message_id), urls);
  EXPECT_NE(html.find("<img src=\"data:image/png;base64," + png + "\" alt=\"logo\">"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("src=\"CID:fake@fresh.example\""), std::string::npos) << html;
  EXPECT_NE(html.find("src=\"cid:missing@fresh.example\""), std::string::npos) << html;
  EXPECT_EQ(html.find("script"), std::string::npos);

  // Carl is an end user with no part in the ticket; Bill works in another department.
  EXPECT_THROW(InlineImagesOf(carl_, *db_, files, message_id), core::NotFound);
  EXPECT_THROW(InlineImagesOf(bill_, *db_, files, message_id), core::NotFound);
  // Within the limits only: a 1-byte cap embeds nothing.
  EXPECT_TRUE(InlineImagesOf(rita_, *db_, files, message_id, {1, 1}).empty());
}

}  // namespace
}  // namespace rampart::mail
