// Mail end to end through the binary, with every part real: Dovecot holds the customer's mail,
// the server polls it, an agent answers through the API, the answer leaves over STARTTLS
// DKIM-signed (verified by python3-dkim), and the customer's own DKIM-signed answer to it comes
// back through Dovecot into the same ticket. DKIM keys and DMARC policies come from the
// `inbound.dns_fixture_file` table. What mail_test.cpp (piped import, exactly once across a
// kill, no password without TLS) and outbound_mail_test.cpp (web reply, keygen) prove is not
// repeated here.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "support/http_client.h"
#include "support/mail_servers.h"
#include "support/server_process.h"

namespace rampart::testing {
namespace {

constexpr const char* kPassword = "a long enough passphrase 2026";
const std::string kSource = RAMPART_SOURCE_DIR;

std::string ReadFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The output of a shell command (its standard error too).
std::string Shell(const std::string& command, int* status = nullptr) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  std::string out;
  char buffer[512];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
  const int code = pclose(pipe);
  if (status != nullptr) *status = code;
  return out;
}

// One value from the database, as an operator would read it with the sqlite3 shell.
std::string Sql(const std::filesystem::path& dir, const std::string& query) {
  std::string out = Shell("sqlite3 " + (dir / "rampart.db").string() + " \"" + query + "\"");
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

// Polls `done` until it holds or `timeout` passes (the server polls Dovecot every 10 s).
template <typename F>
bool WaitUntil(F done, std::chrono::seconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return true;
}

// The TXT value as DNS would return it: the quoted strings of the printed record, joined.
std::string RecordValue(const std::string& printed) {
  std::string value;
  const std::regex quoted("\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(printed.begin(), printed.end(), quoted);
       it != std::sregex_iterator(); ++it) {
    value += (*it)[1].str();
  }
  return value;
}

std::string Match(const std::string& text, const std::string& pattern) {
  std::smatch m;
  return std::regex_search(text, m, std::regex(pattern, std::regex::icase)) ? m[1].str() : "";
}

// Mail files the SMTP sink received, oldest first.
std::vector<std::string> SinkMessages(const std::filesystem::path& spool) {
  std::vector<std::string> out;
  for (int i = 1; std::filesystem::exists(spool / (std::to_string(i) + ".eml")); ++i) {
    out.push_back(ReadFile(spool / (std::to_string(i) + ".eml")));
  }
  return out;
}

TEST(MailEndToEnd, CustomerMailAgentReplyAndSignedAnswerShareOneTicketForgeriesDoNot) {
  TempDir dir;
  const std::string d = dir.Path().string();
  const std::map<std::string, std::string> fast = {{"RAMPART_AUTH_HASH_MEMORY_KIB", "19456"}};
  ASSERT_EQ(RunRampart({"init", "--data-dir", d, "--owner-email", "owner@help.example"},
                       std::string(kPassword) + "\n", fast)
                .exit_code,
            0);
  ASSERT_EQ(RunRampart({"user", "add", "--data-dir", d, "--email", "sam@help.example", "--role",
                        "agent", "--department", "Support", "--password-stdin"},
                       std::string(kPassword) + "\n", fast)
                .exit_code,
            0);

  // Our signing key, and the customer's mail server's key with its DMARC policy in "DNS".
  const auto ours = RunRampart({"dkim", "keygen", "--domain", "help.example", "--selector", "s2026",
                                "--out", d + "/dkim.pem"});
  ASSERT_EQ(ours.exit_code, 0) << ours.err;
  const auto theirs = RunRampart({"dkim", "keygen", "--domain", "customer.example", "--selector",
                                  "mx1", "--out", d + "/customer.pem"});
  ASSERT_EQ(theirs.exit_code, 0) << theirs.err;
  const std::string fixture = d + "/dns-fixture.txt";
  std::ofstream(fixture) << "mx1._domainkey.customer.example TXT \"" << RecordValue(theirs.out)
                         << "\"\n_dmarc.customer.example TXT \"v=DMARC1; p=reject\"\n";
  const auto customer_signed = [&](const std::string& raw) {
    const std::filesystem::path file = dir.Path() / "unsigned.eml";
    std::ofstream(file, std::ios::binary) << raw;
    int status = 0;
    std::string out = Shell("/usr/bin/python3 " + kSource + "/tests/support/dkim_sign.py " + d +
                                "/customer.pem customer.example mx1 < " + file.string(),
                            &status);
    EXPECT_EQ(status, 0) << out;
    return out;
  };

  mail::testing::DovecotServer dovecot;
  mail::testing::ScratchDir certs;
  mail::testing::ScratchDir spool;
  mail::testing::MakeSelfSignedCertificate(certs.Path());
  mail::testing::ChildProcess sink(
      {"/usr/bin/python3", kSource + "/tests/support/smtp_sink.py", spool.Path().string(),
       "starttls", (certs.Path() / "cert.pem").string(), (certs.Path() / "key.pem").string()});
  auto add = RunRampart({"mail",
                         "mailbox",
                         "add",
                         "--data-dir",
                         d,
                         "--name",
                         "support",
                         "--address",
                         "support@help.example",
                         "--department",
                         "Support",
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
                         "10"},
                        std::string(mail::testing::DovecotServer::kPassword) + "\n", fast);
  ASSERT_EQ(add.exit_code, 0) << add.err;

  // 1. The customer writes, with a log file attached; the server polls it into a ticket.
  dovecot.Deliver(
      customer_signed("From: Ana <ana@customer.example>\r\nTo: support@help.example\r\n"
                      "Subject: Printer offline\r\nDate: Mon, 30 Nov 2026 02:00:00 +0000\r\n"
                      "Message-ID: <first.1@customer.example>\r\nMIME-Version: 1.0\r\n"
                      "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
                      "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                      "The printer on floor 3 is offline.\r\n"
                      "--b1\r\nContent-Type: text/plain; name=\"printer.log\"\r\n"
                      "Content-Disposition: attachment; filename=\"printer.log\"\r\n\r\n"
                      "E42 paper jam in tray 2\r\n--b1--\r\n"));

  std::map<std::string, std::string> env = fast;
  env["RAMPART_INBOUND_DNS_FIXTURE_FILE"] = fixture;
  env["RAMPART_MAIL_FROM_ADDRESS"] = "support@help.example";
  env["RAMPART_MAIL_FROM_NAME"] = "Help Desk";
  env["RAMPART_MAIL_REPLY_ADDRESS"] = "support@help.example";
  env["RAMPART_MAIL_SMTP_HOST"] = "127.0.0.1";
  env["RAMPART_MAIL_SMTP_PORT"] = std::to_string(sink.Port());
  env["RAMPART_MAIL_SMTP_SECURITY"] = "starttls";
  env["RAMPART_MAIL_SMTP_USERNAME"] = "rampart";
  env["RAMPART_MAIL_SMTP_PASSWORD"] = "sink-password";
  env["RAMPART_MAIL_SMTP_CA_FILE"] = (certs.Path() / "cert.pem").string();
  env["RAMPART_MAIL_DKIM_DOMAIN"] = "help.example";
  env["RAMPART_MAIL_DKIM_SELECTOR"] = "s2026";
  env["RAMPART_MAIL_DKIM_KEY_FILE"] = d + "/dkim.pem";
  ServerProcess server(dir.Path(), env);
  ASSERT_TRUE(server.Started()) << server.Logs();
  // The fixture resolver decides which mail is authentic: its use is never silent.
  EXPECT_TRUE(server.WaitForLog("dns_fixture_in_use", std::chrono::seconds(5))) << server.Logs();

  const auto records = [&] { return Sql(dir.Path(), "SELECT count(*) FROM mail_messages"); };
  ASSERT_TRUE(WaitUntil([&] { return records() == "1"; }, std::chrono::seconds(30)))
      << server.Logs();
  EXPECT_EQ(Sql(dir.Path(), "SELECT disposition || ' ' || dmarc FROM mail_messages"),
            "new_ticket pass");
  const std::string number = Sql(dir.Path(), "SELECT number FROM tickets");
  ASSERT_FALSE(number.empty());
  EXPECT_EQ(Sql(dir.Path(), "SELECT filename FROM attachments"), "printer.log");
  EXPECT_EQ(Sql(dir.Path(), "SELECT u.email FROM tickets t JOIN users u ON u.id = t.requester_id"),
            "ana@customer.example");

  // 2. The agent answers through the API; it reaches the sink over TLS, DKIM-valid.
  const auto token = RunRampart(
      {"token", "create", "--data-dir", d, "--user", "sam@help.example", "--scope", "write"});
  ASSERT_EQ(token.exit_code, 0) << token.err;
  const std::string sam = "Bearer " + token.out.substr(0, token.out.find('\n'));
  const auto answered =
      Request(server.PublicPort(), "POST", "/api/v1/tickets/RMP-" + number + "/messages",
              R"({"body":"Please open tray 2 and remove the jammed sheet.","internal":false})",
              {{"Authorization", sam}, {"Content-Type", "application/json"}});
  ASSERT_TRUE(answered && answered->status == 201) << (answered ? answered->body : "");
  const auto reply_mail = [&] {
    for (const auto& m : SinkMessages(spool.Path())) {
      if (m.find("remove the jammed sheet") != std::string::npos) return m;
    }
    return std::string();
  };
  ASSERT_TRUE(WaitUntil([&] { return !reply_mail().empty(); }, std::chrono::seconds(20)))
      << server.Logs();
  const std::string sent = reply_mail();
  const std::size_t sent_count = SinkMessages(spool.Path()).size();
  EXPECT_NE(ReadFile(spool.Path() / (std::to_string(sent_count) + ".json")).find("\"tls\": true"),
            std::string::npos);
  std::ofstream(spool.Path() / "records.txt")
      << "s2026._domainkey.help.example\t" << RecordValue(ours.out) << "\n";
  std::ofstream(spool.Path() / "reply.eml", std::ios::binary) << sent;
  EXPECT_EQ(
      Shell("/usr/bin/python3 " + kSource + "/tests/support/dkim_verify.py " +
            (spool.Path() / "reply.eml").string() + " " + (spool.Path() / "records.txt").string()),
      "pass\n");
  const std::string sent_id = Match(sent, "\r?\nMessage-Id: <([^>]+)>");
  const std::string reply_to = Match(sent, "\r?\nReply-To:[^<]*<([^>]+)>");
  ASSERT_EQ(sent_id.rfind("rmp-" + number + "-", 0), 0u) << sent;
  ASSERT_EQ(reply_to.rfind("support+", 0), 0u) << sent;
  const std::string outbox_before = Sql(dir.Path(), "SELECT count(*) FROM outbox");

  // 3. Three answers arrive together. The customer's, to the tokened Reply-To address, quoting
  // our Message-ID, signed by customer.example:
  const std::string answer =
      "From: Ana <ana@customer.example>\r\nTo: " + reply_to + "\r\nSubject: Re: [RMP-" + number +
      "] Printer offline\r\n" +
      "Date: Mon, 30 Nov 2026 02:10:00 +0000\r\nMessage-ID: <answer.2@customer.example>\r\n" +
      "In-Reply-To: <" + sent_id + ">\r\nReferences: <first.1@customer.example> <" + sent_id +
      ">\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
      "Done, it prints again. Thank you!\r\n";
  const std::string signed_answer = customer_signed(answer);
  dovecot.Deliver(signed_answer);
  // A forgery in Ana's name: her genuine signature header over another body (so it fails), no
  // reply token, only the ticket tag and her first Message-ID, and a script in the text.
  const std::string signature = signed_answer.substr(0, signed_answer.find("From: Ana"));
  dovecot.Deliver(signature +
                  "From: Ana <ana@customer.example>\r\nTo: support@help.example\r\n"
                  "Subject: Re: [RMP-" +
                  number +
                  "] Printer offline\r\nDate: Mon, 30 Nov 2026 02:11:00 +0000\r\n"
                  "Message-ID: <forged.3@attacker.example>\r\n"
                  "References: <first.1@customer.example>\r\nMIME-Version: 1.0\r\n"
                  "Content-Type: text/plain; charset=utf-8\r\n\r\n"
                  "New bank details for the invoice <script>alert(1)</script>\r\n");
  // Her vacation responder answering our reply: never a ticket, never answered.
  dovecot.Deliver(customer_signed(
      "From: Ana <ana@customer.example>\r\nTo: " + reply_to +
      "\r\nSubject: Automatic reply: [RMP-" + number +
      "] Printer offline\r\nDate: Mon, 30 Nov 2026 02:12:00 +0000\r\n"
      "Message-ID: <vacation.4@customer.example>\r\nIn-Reply-To: <" +
      sent_id +
      ">\r\nAuto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n\r\nI am out of the office.\r\n"));

  ASSERT_TRUE(WaitUntil([&] { return records() == "4"; }, std::chrono::seconds(40)))
      << records() << "\n"
      << server.Logs();
  const auto record = [&](const std::string& id) {
    return Sql(dir.Path(),
               "SELECT disposition || ' ' || dmarc || ' ' || reply_token || ' ' || "
               "ifnull(ticket_id, '-') FROM mail_messages WHERE message_id = '" +
                   id + "'");
  };
  const std::string ticket_id = Sql(dir.Path(), "SELECT id FROM tickets");
  EXPECT_EQ(record("answer.2@customer.example"), "reply pass valid " + ticket_id);
  EXPECT_EQ(Match(record("forged.3@attacker.example"), "^(held fail) "), "held fail")
      << record("forged.3@attacker.example");
  EXPECT_EQ(Match(record("vacation.4@customer.example"), "^(ignored) "), "ignored")
      << record("vacation.4@customer.example");

  // One ticket, holding the first mail, the agent's reply and the genuine answer, nothing else.
  EXPECT_EQ(Sql(dir.Path(), "SELECT count(*) FROM tickets"), "1");
  EXPECT_EQ(Sql(dir.Path(), "SELECT count(*) FROM messages WHERE ticket_id = " + ticket_id), "3");
  EXPECT_EQ(Sql(dir.Path(),
                "SELECT count(*) FROM messages WHERE body LIKE '%prints again%' AND author_id = "
                "(SELECT requester_id FROM tickets)"),
            "1");
  EXPECT_EQ(Sql(dir.Path(),
                "SELECT count(*) FROM messages WHERE body LIKE '%bank details%' OR "
                "body LIKE '%out of the office%'"),
            "0");
  // No mail answered any of the three: the outbox is as it was, the sink got nothing more.
  EXPECT_EQ(Sql(dir.Path(), "SELECT count(*) FROM outbox"), outbox_before);
  EXPECT_EQ(SinkMessages(spool.Path()).size(), sent_count);
}

// `rampart mail ingest --mbox`: every message of the file through the same import, with a count
// per disposition; a second run changes nothing.
TEST(MailIngestMbox, ImportsEveryMessageOnceAndCountsThem) {
  TempDir dir;
  const std::string d = dir.Path().string();
  const std::map<std::string, std::string> fast = {{"RAMPART_AUTH_HASH_MEMORY_KIB", "19456"}};
  ASSERT_EQ(RunRampart({"init", "--data-dir", d, "--owner-email", "owner@help.example"},
                       std::string(kPassword) + "\n", fast)
                .exit_code,
            0);
  ASSERT_EQ(RunRampart({"mail", "mailbox", "add", "--data-dir", d, "--name", "support", "--address",
                        "support@help.example"},
                       "", fast)
                .exit_code,
            0);
  const std::string big(70 * 1024, 'x');  // over inbound.max_message_bytes below
  const std::string mbox =
      "From ana@customer.example Mon Nov 30 02:00:00 2026\n"
      "From: Ana <ana@customer.example>\nTo: support@help.example\n"
      "Subject: <script>alert(1)</script> Printer\nMessage-ID: <a1@customer.example>\n\n"
      "Line one\n>From the quoted line\n\n"
      "From bo@other.example Mon Nov 30 02:01:00 2026\n"
      "From: bo@other.example\nTo: support@help.example\nSubject: Big\n"
      "Message-ID: <b1@other.example>\n\n" +
      big + "\n\n" +
      "From owner@help.example Mon Nov 30 02:02:00 2026\n"
      "From: owner@help.example\nTo: support@help.example\nSubject: \"><img src=x "
      "onerror=alert(1)>\nMessage-ID: <o1@evil.example>\n\nWire the money.\n\n"
      "From ana@customer.example Mon Nov 30 02:03:00 2026\n"
      "From: ana@customer.example\nTo: support@help.example\nSubject: Away\n"
      "Message-ID: <v1@customer.example>\nAuto-Submitted: auto-replied\n\nAway.\n";
  const std::string file = d + "/import.mbox";
  std::ofstream(file, std::ios::binary) << mbox;
  std::map<std::string, std::string> env = fast;
  env["RAMPART_INBOUND_MAX_MESSAGE_BYTES"] = std::to_string(64 * 1024);
  const auto run = [&](const std::string& path, const std::string& input = "") {
    return RunRampart({"mail", "ingest", "--data-dir", d, "--mailbox", "support", "--mbox", path},
                      input, env);
  };
  const auto first = run(file);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out,
            "messages 4\nnew_ticket 1\nreply 0\nheld 1\nquarantined 1\nignored 1\nbounce 0\n"
            "duplicate 0\nfailed 0\n");
  // Unquoted once, the subject kept as text, the oversized message not kept at all.
  EXPECT_EQ(Sql(dir.Path(),
                "SELECT count(*) FROM messages WHERE body LIKE '%' || char(10) || "
                "'From the quoted line%'"),
            "1");
  EXPECT_EQ(Sql(dir.Path(), "SELECT subject FROM tickets"), "<script>alert(1)</script> Printer");
  EXPECT_EQ(Sql(dir.Path(),
                "SELECT ifnull(length(raw), 'none') || ' ' || reason FROM "
                "mail_messages WHERE disposition = 'quarantined'"),
            "none Larger than the message size limit.");

  // Again, from standard input: all duplicates, nothing written.
  const auto again = run("-", mbox);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("duplicate 4\n"), std::string::npos) << again.out;
  EXPECT_EQ(Sql(dir.Path(), "SELECT count(*) FROM mail_messages"), "4");
  EXPECT_EQ(Sql(dir.Path(), "SELECT count(*) FROM tickets"), "1");

  // A file that cannot be read, and a malformed DNS fixture: refused before anything is read.
  EXPECT_EQ(run(d + "/missing.mbox").exit_code, 5);
  std::ofstream(d + "/bad-dns.txt") << "_dmarc.customer.example TXT unquoted\n";
  env["RAMPART_INBOUND_DNS_FIXTURE_FILE"] = d + "/bad-dns.txt";
  std::ofstream(d + "/new.mbox") << "From x Mon Nov 30 02:00:00 2026\nFrom: new@customer.example\n"
                                    "Subject: New\nMessage-ID: <n1@customer.example>\n\nHi\n";
  const auto bad_dns = run(d + "/new.mbox");
  EXPECT_NE(bad_dns.exit_code, 0);
  EXPECT_NE(bad_dns.err.find("dns_fixture_file"), std::string::npos) << bad_dns.err;
  EXPECT_EQ(Sql(dir.Path(), "SELECT count(*) FROM mail_messages"), "4");
}

}  // namespace
}  // namespace rampart::testing
