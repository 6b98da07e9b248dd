// Inbound mail through the real binary: piped by an MTA (`rampart mail ingest`) and polled from
// a real Dovecot by the server, including a kill in the middle of a fetch.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include "support/mail_servers.h"
#include "support/server_process.h"

namespace rampart::testing {
namespace {

constexpr const char* kOwnerPassword = "correct horse battery staple 42\n";
const std::map<std::string, std::string> kEnv = {{"RAMPART_AUTH_HASH_MEMORY_KIB", "19456"}};

std::string Mail(const std::string& from, const std::string& subject, const std::string& id,
                 const std::string& extra = "") {
  return "From: " + from + "\r\nTo: support@help.example\r\nSubject: " + subject +
         "\r\nMessage-ID: <" + id + ">\r\n" + extra + "\r\nHello from " + from + ".\r\n";
}

// One value from the database, through the sqlite3 shell as an operator would look.
std::string Sql(const std::filesystem::path& dir, const std::string& query) {
  const std::string command =
      "sqlite3 " + (dir / "rampart.db").string() + " \"" + query + "\" 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buffer[512];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
  pclose(pipe);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

class MailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(RunRampart({"init", "--data-dir", D(), "--owner-email", "owner@help.example"},
                         kOwnerPassword, kEnv)
                  .exit_code,
              0);
  }
  std::string D() const { return dir_.Path().string(); }
  // The test Dovecot's account as the "support" mailbox over implicit TLS.
  CommandResult AddDovecotMailbox(const mail::testing::DovecotServer& dovecot, int poll_seconds) {
    return RunRampart({"mail",
                       "mailbox",
                       "add",
                       "--data-dir",
                       D(),
                       "--name",
                       "support",
                       "--address",
                       "support@help.example",
                       "--imap-host",
                       "127.0.0.1",
                       "--imap-port",
                       std::to_string(dovecot.ImapsPort()),
                       "--imap-user",
                       mail::testing::DovecotServer::kUser,
                       "--imap-password-stdin",
                       "--imap-ca-file",
                       dovecot.CaFile(),
                       "--poll-seconds",
                       std::to_string(poll_seconds)},
                      std::string(mail::testing::DovecotServer::kPassword) + "\n", kEnv);
  }
  CommandResult Ingest(const std::string& raw) {
    return RunRampart({"mail", "ingest", "--data-dir", D(), "--mailbox", "support"}, raw, kEnv);
  }
  TempDir dir_;
};

TEST_F(MailTest, PipedMailBecomesATicketOnceAndForgeriesAreHeld) {
  auto add = RunRampart({"mail", "mailbox", "add", "--data-dir", D(), "--name", "support",
                         "--address", "support@help.example"},
                        "", kEnv);
  ASSERT_EQ(add.exit_code, 0) << add.err;
  const std::string first =
      Mail("Ana <ana@customer.example>", "Printer offline", "p1@customer.example");
  auto created = Ingest(first);
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_EQ(created.out.rfind("new_ticket RMP-", 0), 0u) << created.out;
  EXPECT_EQ(Ingest(first).out, "duplicate\n");
  // The owner's address without any proof: held, never attributed to the owner.
  auto forged = Ingest(Mail("owner@help.example", "Please wire money", "f1@evil.example"));
  EXPECT_EQ(forged.out, "held\n");
  EXPECT_NE(forged.err.find("staff address"), std::string::npos) << forged.err;
  EXPECT_EQ(Ingest(Mail("ana@customer.example", "Out of office", "a1@customer.example",
                        "Auto-Submitted: auto-replied\r\n"))
                .out,
            "ignored\n");
  EXPECT_EQ(Sql(dir_.Path(), "SELECT count(*) FROM tickets"), "1");
  EXPECT_EQ(Sql(dir_.Path(), "SELECT group_concat(disposition, ',') FROM mail_messages"),
            "new_ticket,held,ignored");
  // An unknown mailbox is refused with its reason.
  auto unknown =
      RunRampart({"mail", "ingest", "--data-dir", D(), "--mailbox", "nope"}, first, kEnv);
  EXPECT_EQ(unknown.exit_code, 5);
  EXPECT_NE(unknown.err.find("no enabled mailbox"), std::string::npos);
}

TEST_F(MailTest, PolledFromDovecotExactlyOnceAcrossAKill) {
  mail::testing::DovecotServer dovecot;
  constexpr int kMessages = 40;
  for (int i = 0; i < kMessages; ++i) {
    dovecot.Deliver(Mail("sender" + std::to_string(i) + "@customer.example",
                         "Polled " + std::to_string(i),
                         "poll" + std::to_string(i) + "@customer.example"));
  }
  auto add = AddDovecotMailbox(dovecot, 10);
  ASSERT_EQ(add.exit_code, 0) << add.err;
  // The password is stored sealed, never as typed.
  EXPECT_EQ(Sql(dir_.Path(),
                "SELECT count(*) FROM mailboxes WHERE instr(imap_password_sealed, "
                "CAST('dovecot-test-pass' AS BLOB)) > 0"),
            "0");

  const auto count = [&] {
    return std::stoi(Sql(dir_.Path(), "SELECT count(*) FROM mail_messages"));
  };
  {
    ServerProcess server(dir_.Path(), kEnv);
    ASSERT_TRUE(server.Started());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (count() == 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    server.Signal(SIGKILL);  // in the middle of the mailbox, without a chance to finish
    server.WaitExit(std::chrono::seconds(10));
  }
  const int after_kill = count();
  ASSERT_GT(after_kill, 0);
  RecordProperty("imported_before_the_kill", after_kill);
  {
    ServerProcess server(dir_.Path(), kEnv);
    ASSERT_TRUE(server.Started());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (count() < kMessages && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  // Every message exactly once: as many records and tickets as messages, none twice.
  EXPECT_EQ(count(), kMessages) << "after the kill: " << after_kill;
  EXPECT_EQ(Sql(dir_.Path(), "SELECT count(*) FROM tickets"), std::to_string(kMessages));
  EXPECT_EQ(Sql(dir_.Path(), "SELECT count(DISTINCT subject) FROM tickets"),
            std::to_string(kMessages));
}

// With IMAP IDLE the server learns of new mail as it arrives: with a poll interval of an hour,
// a message delivered after the first poll is a ticket within seconds.
TEST_F(MailTest, IdleImportsNewMailWithinSecondsOfItsArrival) {
  mail::testing::DovecotServer dovecot;
  ASSERT_EQ(AddDovecotMailbox(dovecot, 3600).exit_code, 0);
  ServerProcess server(dir_.Path(), kEnv);
  ASSERT_TRUE(server.WaitForLog("mail_idle_started", std::chrono::seconds(30))) << server.Logs();
  const auto count = [&] { return Sql(dir_.Path(), "SELECT count(*) FROM tickets"); };
  // The first poll (at start) found nothing; only IDLE can bring what comes now.
  for (int i = 0; i < 2; ++i) {
    const auto delivered = std::chrono::steady_clock::now();
    dovecot.Deliver(Mail("idle" + std::to_string(i) + "@customer.example",
                         "Arrived " + std::to_string(i),
                         "idle" + std::to_string(i) + "@customer.example"));
    while (count() != std::to_string(i + 1) &&
           std::chrono::steady_clock::now() - delivered < std::chrono::seconds(20)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(count(), std::to_string(i + 1)) << server.Logs();
    // Typically well under a second; the bound leaves room for a loaded machine.
    EXPECT_LT(std::chrono::steady_clock::now() - delivered, std::chrono::seconds(15));
    std::printf("IDLE: message %d a ticket after %lld ms\n", i,
                static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                           std::chrono::steady_clock::now() - delivered)
                                           .count()));
  }
  EXPECT_EQ(server.Logs().find(mail::testing::DovecotServer::kPassword), std::string::npos);
}

TEST_F(MailTest, AMailboxOnAServerWithoutTlsImportsNothingAndSendsNoPassword) {
  mail::testing::DovecotServer plain(/*tls=*/false);
  plain.Deliver(Mail("ana@customer.example", "Never read", "n1@customer.example"));
  ASSERT_EQ(
      RunRampart({"mail", "mailbox", "add", "--data-dir", D(), "--name", "support", "--address",
                  "support@help.example", "--imap-host", "127.0.0.1", "--imap-port",
                  std::to_string(plain.ImapPort()), "--imap-security", "starttls", "--imap-user",
                  mail::testing::DovecotServer::kUser, "--imap-password-stdin"},
                 std::string(mail::testing::DovecotServer::kPassword) + "\n", kEnv)
          .exit_code,
      0);
  ServerProcess server(dir_.Path(), kEnv);
  ASSERT_TRUE(server.WaitForLog("mail_poll_failed", std::chrono::seconds(30))) << server.Logs();
  EXPECT_EQ(Sql(dir_.Path(), "SELECT count(*) FROM mail_messages"), "0");
  EXPECT_EQ(plain.Log().find("Login:"), std::string::npos);
  EXPECT_EQ(server.Logs().find(mail::testing::DovecotServer::kPassword), std::string::npos);
}

}  // namespace
}  // namespace rampart::testing
