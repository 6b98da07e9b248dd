#include "mail/outbound/outbox_sender.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "mail/auth/dkim_key.h"
#include "mail/auth/reply_token.h"
#include "mail/outbound/retry_policy.h"
#include "support/mail_servers.h"
#include "tickets/add_note.h"
#include "tickets/history.h"
#include "tickets/reply.h"
#include "tickets/tickets_test_support.h"

namespace rampart::mail {
namespace {

using testing::ChildProcess;
using testing::MakeSelfSignedCertificate;
using testing::ScratchDir;

const std::string kSink = std::string(RAMPART_SOURCE_DIR) + "/tests/support/smtp_sink.py";

std::string Read(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class SettableClock final : public core::Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::time_point(std::chrono::seconds(now));
  }
  std::int64_t now = 0;
};

const DkimKeyPair& RsaKey() {
  static const DkimKeyPair key = GenerateDkimKey(DkimAlgorithm::kRsaSha256);
  return key;
}
const DkimKeyPair& Ed25519Key() {
  static const DkimKeyPair key = GenerateDkimKey(DkimAlgorithm::kEd25519Sha256);
  return key;
}

TEST(RetryPolicy, DoublesFromOneMinuteUpToAnHourWithBoundedJitter) {
  EXPECT_EQ(RetryDelaySeconds(1, 0), 60);
  EXPECT_EQ(RetryDelaySeconds(2, 0), 120);
  EXPECT_EQ(RetryDelaySeconds(3, 0), 240);
  EXPECT_EQ(RetryDelaySeconds(6, 0), 1920);
  EXPECT_EQ(RetryDelaySeconds(7, 0), 3600);
  EXPECT_EQ(RetryDelaySeconds(1'000'000, 0), 3600);
  EXPECT_EQ(RetryDelaySeconds(0, 0), 60);  // defensive: never sooner than a minute
  EXPECT_EQ(RetryDelaySeconds(-5, 0), 60);
  for (std::uint64_t r : {1ULL, 7ULL, 12ULL, 13ULL, 999'999ULL, ~0ULL}) {
    EXPECT_GE(RetryDelaySeconds(1, r), 60);
    EXPECT_LE(RetryDelaySeconds(1, r), 72);
    EXPECT_GE(RetryDelaySeconds(50, r), 3600);
    EXPECT_LE(RetryDelaySeconds(50, r), 4320);
  }
  EXPECT_NE(RetryDelaySeconds(1, 5), RetryDelaySeconds(1, 6));  // the jitter does spread
}

class OutboxSenderTest : public tickets::testing::TicketsTest {
 protected:
  OutboxSenderTest() : key_(auth::ServerKey::FromBytes(std::string(32, 'k'), 1)) {
    MakeSelfSignedCertificate(certs_.Path());
  }

  void SetUp() override {
    TicketsTest::SetUp();
    // These tests are about the sender and the agent's reply: the acknowledgement of each new
    // ticket (tested in mail/notify) is switched off, so that the reply is the only mail.
    {
      storage::Lease c = db_->Write();
      c->Execute(
          "INSERT INTO settings (key, value) VALUES ('mail.acknowledge_new_tickets', 'off')");
    }
    // The sender's clock runs a little ahead of the actions' ticks: what they queue is due.
    clock_.now = now_ + 100;
  }

  OutboundSettings Settings(int port, bool sign = true) const {
    OutboundSettings s;
    s.smtp.host = "127.0.0.1";
    s.smtp.port = port;
    s.smtp.username = "rampart";
    s.smtp.password = "sink-password";
    s.smtp.ca_file = (certs_.Path() / "cert.pem").string();
    s.smtp.timeout_seconds = 10;
    s.from_address = "support@help.example";
    s.from_name = "Help Desk";
    s.reply_address = "support@help.example";
    if (sign) {
      s.dkim_keys.push_back(
          {"help.example", "rsa1", DkimAlgorithm::kRsaSha256, RsaKey().private_key_pem});
      s.dkim_keys.push_back(
          {"help.example", "ed1", DkimAlgorithm::kEd25519Sha256, Ed25519Key().private_key_pem});
    }
    return s;
  }

  std::unique_ptr<ChildProcess> StartSink() {
    return std::make_unique<ChildProcess>(std::vector<std::string>{
        "/usr/bin/python3", kSink, spool_.Path().string(), "starttls",
        (certs_.Path() / "cert.pem").string(), (certs_.Path() / "key.pem").string()});
  }

  // An agent's public reply on a new ticket of Ana's; returns the ticket number ("RMP-1001").
  std::string AgentReplies(const std::string& body = "We replaced the toner.") {
    const std::string number = Open(ana_);
    tickets::Reply(sam_, *db_, {number, body, std::nullopt}, Tick());
    return number;
  }

  // "pass\npass\n" when both signatures verify with python3-dkim against the published records.
  std::string VerifyDkim(const std::filesystem::path& message) const {
    const std::filesystem::path records = spool_.Path() / "records.txt";
    std::ofstream(records) << "rsa1._domainkey.help.example\t" << RsaKey().dns_record
                           << "\ned1._domainkey.help.example\t" << Ed25519Key().dns_record << "\n";
    const std::string command = "/usr/bin/python3 " + std::string(RAMPART_SOURCE_DIR) +
                                "/tests/support/dkim_verify.py " + message.string() + " " +
                                records.string();
    FILE* pipe = popen(command.c_str(), "r");
    std::string output;
    char buffer[256];
    while (pipe != nullptr && fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
    if (pipe != nullptr && pclose(pipe) != 0) output += "exit!=0";
    return output;
  }

  std::string OutboxColumn(const storage::Sql& sql) {
    storage::Lease c = db_->Read();
    const auto row = c->QueryOne(sql);
    return row && !row->IsNull(0) ? row->Text(0) : std::string("-");
  }

  auth::ServerKey key_;
  SettableClock clock_;
  ScratchDir certs_;
  ScratchDir spool_;
};

TEST_F(OutboxSenderTest, AgentReplyQueuesOneMailPerRequesterAndCc) {
  const std::string number = Open(ana_);
  {
    storage::Lease c = db_->Write();
    c->Execute(
        "INSERT INTO ticket_ccs (ticket_id, email, added_at) "
        "SELECT id, 'boss@acme.example', 0 FROM tickets");
    c->Execute(
        "INSERT INTO ticket_ccs (ticket_id, email, added_at) "
        "SELECT id, 'SAM@rampart.example', 0 FROM tickets");  // the author: no copy
  }
  tickets::Reply(sam_, *db_, {number, "Fixed.", std::nullopt}, Tick());
  EXPECT_EQ(OutboxColumn("SELECT group_concat(recipient, ',') FROM "
                         "(SELECT recipient FROM outbox ORDER BY recipient)"),
            "ana@acme.example,boss@acme.example");
  EXPECT_EQ(OutboxColumn("SELECT DISTINCT kind || '|' || subject FROM outbox"),
            "reply|[" + number + "] Printer offline");
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE ticket_id IS NULL OR body NOT LIKE "
                  "'Fixed.%' OR message_id IS NOT NULL OR sent_at IS NOT NULL"),
            0);
}

TEST_F(OutboxSenderTest, InternalNotesAndCustomerRepliesQueueNothing) {
  const std::string number = Open(ana_);
  tickets::AddNote(sam_, *db_, {number, "Customer is on the old firmware.", {}}, Tick());
  tickets::Reply(ana_, *db_, {number, "Any news?", std::nullopt}, Tick());
  EXPECT_EQ(Count("SELECT count(*) FROM outbox"), 0);
}

TEST_F(OutboxSenderTest, ARefusedReplyQueuesNothing) {
  const std::string carls = Open(carl_);
  {
    storage::Lease c = db_->Write();
    c->Execute("UPDATE tickets SET department_id = 2");  // out of Sam's reach
  }
  EXPECT_ANY_THROW(
      tickets::Reply(sam_, *db_, {carls, "<script>alert(1)</script>", std::nullopt}, Tick()));
  EXPECT_EQ(Count("SELECT count(*) FROM outbox"), 0);
}

TEST_F(OutboxSenderTest, SendsOverStartTlsDkimSignedWithAReplyTokenOnce) {
  const std::string number = AgentReplies();
  const auto sink = StartSink();
  OutboxSender sender(*db_, key_, Settings(sink->Port()), clock_);
  const SendPass pass = sender.SendDue();
  EXPECT_EQ(pass.sent, 1);
  EXPECT_EQ(pass.retried + pass.failed, 0);

  const std::string received = Read(spool_.Path() / "1.eml");
  EXPECT_NE(Read(spool_.Path() / "1.json").find("\"tls\": true"), std::string::npos);
  EXPECT_EQ(VerifyDkim(spool_.Path() / "1.eml"), "pass\npass\n");
  EXPECT_NE(received.find("We replaced the toner."), std::string::npos);
  EXPECT_NE(received.find("Subject: [" + number + "] Printer offline"), std::string::npos);

  // The Message-ID carries a token that proves the answer came back to Ana, and only to her.
  const std::string message_id = OutboxColumn("SELECT message_id FROM outbox");
  EXPECT_NE(received.find("Message-Id: <" + message_id + ">"), std::string::npos) << received;
  EXPECT_TRUE(message_id.ends_with("@help.example"));
  const std::string token = FindReplyToken(message_id);
  const std::int64_t ticket_number = std::stoll(number.substr(4));
  EXPECT_EQ(ReplyTokens(key_).Verify(token, "ana@acme.example"), ticket_number);
  EXPECT_EQ(ReplyTokens(key_).Verify(token, "mallory@evil.example"), std::nullopt);
  EXPECT_NE(received.find("support+" + token + "@help.example"), std::string::npos);
  EXPECT_EQ(Count("SELECT count(*) FROM mail_sent_ids AS s JOIN outbox AS o "
                  "ON o.message_id = s.message_id AND o.ticket_id = s.ticket_id "
                  "AND o.recipient = s.recipient"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL AND attempts = 0"), 1);

  // Sent rows are never taken again.
  EXPECT_EQ(sender.SendDue().sent, 0);
  EXPECT_FALSE(std::filesystem::exists(spool_.Path() / "2.eml"));
}

TEST_F(OutboxSenderTest, ThreadsUnderTheCustomersLastMail) {
  const std::string number = AgentReplies();
  {
    storage::Lease c = db_->Write();
    c->Execute(
        "INSERT INTO mail_messages (message_id, content_hash, disposition, ticket_id, "
        "received_at) SELECT 'ana.1@acme.example', x'00', 'new_ticket', id, 1 FROM tickets");
  }
  const auto sink = StartSink();
  OutboxSender sender(*db_, key_, Settings(sink->Port()), clock_);
  ASSERT_EQ(sender.SendDue().sent, 1);
  const std::string received = Read(spool_.Path() / "1.eml");
  EXPECT_NE(received.find("In-Reply-To: <ana.1@acme.example>"), std::string::npos) << received;
  EXPECT_NE(received.find("References: <ana.1@acme.example>"), std::string::npos) << received;
}

TEST_F(OutboxSenderTest, OlderRowsWithoutTicketStaySendable) {
  {
    storage::Lease c = db_->Write();
    c->Execute(
        "INSERT INTO outbox (kind, recipient, subject, body, created_at) VALUES "
        "('password_reset', 'ana@acme.example', 'Reset your password', 'Open the link.', 5)");
  }
  const auto sink = StartSink();
  OutboxSender sender(*db_, key_, Settings(sink->Port()), clock_);
  ASSERT_EQ(sender.SendDue().sent, 1);
  const std::string message_id = OutboxColumn("SELECT message_id FROM outbox");
  EXPECT_EQ(FindReplyToken(message_id), "");
  EXPECT_NE(Read(spool_.Path() / "1.eml").find("Auto-Submitted: auto-generated"),
            std::string::npos);
  EXPECT_EQ(VerifyDkim(spool_.Path() / "1.eml"), "pass\npass\n");
  EXPECT_EQ(Count("SELECT count(*) FROM mail_sent_ids"), 0);
}

TEST_F(OutboxSenderTest, HeaderInjectionThroughTheSubjectIsInert) {
  {
    storage::Lease c = db_->Write();
    c->Execute(
        "INSERT INTO outbox (kind, recipient, subject, body, created_at) VALUES "
        "('reply', 'ana@acme.example', 'Hi\r\nBcc: mallory@evil.example\r\n\r\nforged', "
        "'Body', 5)");
  }
  const auto sink = StartSink();
  OutboxSender sender(*db_, key_, Settings(sink->Port()), clock_);
  ASSERT_EQ(sender.SendDue().sent, 1);
  const std::string received = Read(spool_.Path() / "1.eml");
  EXPECT_EQ(received.find("\nBcc:"), std::string::npos) << received;
  EXPECT_EQ(received.find("\nforged"), std::string::npos) << received;
  EXPECT_EQ(Read(spool_.Path() / "1.json").find("mallory"), std::string::npos);
  EXPECT_EQ(VerifyDkim(spool_.Path() / "1.eml"), "pass\npass\n");
}

TEST_F(OutboxSenderTest, TemporaryFailureBacksOffThenGivesUpVisiblyOnTheTicket) {
  const std::string number = AgentReplies();
  OutboundSettings settings = Settings(1);  // nothing listens: a network failure
  settings.give_up_after_s = 3600;
  OutboxSender sender(*db_, key_, settings, clock_);
  const std::int64_t first = clock_.now;
  EXPECT_EQ(sender.SendDue().retried, 1);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE attempts = 1 AND failed_at IS NULL "
                  "AND sent_at IS NULL AND last_error <> ''"),
            1);
  const std::int64_t next =
      std::stoll(OutboxColumn("SELECT CAST(next_attempt_at AS TEXT) FROM outbox"));
  EXPECT_GE(next, first + 60);
  EXPECT_LE(next, first + 72);
  const std::string message_id = OutboxColumn("SELECT message_id FROM outbox");

  // Not due yet: nothing is tried.
  clock_.now = next - 1;
  EXPECT_EQ(sender.SendDue().retried, 0);
  clock_.now = next;
  EXPECT_EQ(sender.SendDue().retried, 1);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE attempts = 2"), 1);
  const std::int64_t second =
      std::stoll(OutboxColumn("SELECT CAST(next_attempt_at AS TEXT) FROM outbox"));
  EXPECT_GE(second, next + 120);
  EXPECT_LE(second, next + 144);
  EXPECT_EQ(OutboxColumn("SELECT message_id FROM outbox"), message_id);  // fixed for good

  // Past give_up_after_s since the row was written: failed, and the ticket says so to staff.
  clock_.now = first + 3600;
  EXPECT_EQ(sender.SendDue().failed, 1);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL AND last_error "
                  "LIKE 'gave up after 3 attempts%'"),
            1);
  const auto staff_history = tickets::TicketHistory(sam_, *db_, number);
  EXPECT_TRUE(std::any_of(staff_history.begin(), staff_history.end(), [](const auto& e) {
    return e.field == "mail_delivery_failed" && e.old_value == "ana@acme.example";
  }));
  const auto customer_history = tickets::TicketHistory(ana_, *db_, number);
  EXPECT_TRUE(std::none_of(customer_history.begin(), customer_history.end(),
                           [](const auto& e) { return e.field == "mail_delivery_failed"; }));
  clock_.now += 86400;
  EXPECT_EQ(sender.SendDue().failed + sender.SendDue().retried, 0);  // never again
}

TEST_F(OutboxSenderTest, PermanentFailureEndsAtOnceAndMarksTheTicket) {
  const std::string number = Open(ana_);
  {
    storage::Lease c = db_->Write();
    c->Execute(
        "INSERT INTO outbox (kind, recipient, subject, body, created_at, ticket_id) "
        "SELECT 'reply', 'not an address', 'x', 'y', 5, id FROM tickets");
  }
  const auto sink = StartSink();
  OutboxSender sender(*db_, key_, Settings(sink->Port()), clock_);
  EXPECT_EQ(sender.SendDue().failed, 1);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL AND attempts = 1"), 1);
  const auto history = tickets::TicketHistory(sam_, *db_, number);
  EXPECT_TRUE(std::any_of(history.begin(), history.end(),
                          [](const auto& e) { return e.field == "mail_delivery_failed"; }));
  EXPECT_FALSE(std::filesystem::exists(spool_.Path() / "1.eml"));
}

TEST_F(OutboxSenderTest, NothingIsSentUnsignedWhenTheKeyFails) {
  AgentReplies();
  const auto sink = StartSink();
  OutboundSettings settings = Settings(sink->Port(), false);
  settings.dkim_keys.push_back(
      {"help.example", "rsa1", DkimAlgorithm::kRsaSha256,
       "-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n"});
  OutboxSender sender(*db_, key_, settings, clock_);
  EXPECT_EQ(sender.SendDue().retried, 1);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND last_error LIKE "
                  "'DKIM signing failed%'"),
            1);
  EXPECT_FALSE(std::filesystem::exists(spool_.Path() / "1.eml"));
}

TEST_F(OutboxSenderTest, BackgroundThreadSendsAndStopsCleanly) {
  AgentReplies();
  const auto sink = StartSink();
  OutboxSender sender(*db_, key_, Settings(sink->Port()), clock_);
  sender.Start(std::chrono::milliseconds(50));
  for (int i = 0; i < 200 && !std::filesystem::exists(spool_.Path() / "1.json"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  sender.Stop();
  EXPECT_TRUE(std::filesystem::exists(spool_.Path() / "1.eml"));
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL"), 1);
}

}  // namespace
}  // namespace rampart::mail
