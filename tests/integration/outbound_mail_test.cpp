// Outgoing mail through the real binary: an agent's reply on the web reaches a real SMTP server
// (aiosmtpd, STARTTLS required) DKIM-signed with a key made by `rampart dkim keygen`, and the
// signature verifies with an independent verifier (python3-dkim) against the printed record.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "support/http_client.h"
#include "support/mail_servers.h"
#include "support/server_process.h"
#include "support/web_session.h"

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

bool WaitForFile(const std::filesystem::path& file, std::chrono::seconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (std::filesystem::exists(file)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

TEST(OutboundMail, AgentReplyOnTheWebArrivesOverTlsDkimValid) {
  TempDir dir;
  const std::string d = dir.Path().string();
  const std::map<std::string, std::string> fast = {{"RAMPART_AUTH_HASH_MEMORY_KIB", "19456"}};
  ASSERT_EQ(RunRampart({"init", "--data-dir", d, "--owner-email", "owner@example.com"},
                       std::string(kPassword) + "\n", fast)
                .exit_code,
            0);
  ASSERT_EQ(RunRampart({"user", "add", "--data-dir", d, "--email", "sam@example.com", "--role",
                        "agent", "--department", "Support", "--password-stdin"},
                       std::string(kPassword) + "\n", fast)
                .exit_code,
            0);
  ASSERT_EQ(RunRampart({"user", "add", "--data-dir", d, "--email", "ana@customer.example", "--role",
                        "end_user", "--password-stdin"},
                       std::string(kPassword) + "\n", fast)
                .exit_code,
            0);

  // The key: written with mode 0600, never over an existing file; the record on stdout.
  const std::string key_file = d + "/dkim.pem";
  const CommandResult keygen = RunRampart(
      {"dkim", "keygen", "--domain", "help.example", "--selector", "s2026", "--out", key_file});
  ASSERT_EQ(keygen.exit_code, 0) << keygen.err;
  struct stat st {};
  ASSERT_EQ(stat(key_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  EXPECT_EQ(keygen.out.rfind("s2026._domainkey.help.example. IN TXT", 0), 0U) << keygen.out;
  const std::string record = RecordValue(keygen.out);
  EXPECT_EQ(record.rfind("v=DKIM1; k=rsa; p=", 0), 0U) << record;
  const std::string pem = ReadFile(key_file);
  EXPECT_EQ(RunRampart({"dkim", "keygen", "--domain", "help.example", "--selector", "s2026",
                        "--out", key_file})
                .exit_code,
            4);
  EXPECT_EQ(ReadFile(key_file), pem);  // untouched
  EXPECT_NE(RunRampart({"dkim", "keygen", "--domain", "help.example\nx", "--selector", "s", "--out",
                        d + "/other.pem"})
                .exit_code,
            0);
  EXPECT_FALSE(std::filesystem::exists(d + "/other.pem"));

  mail::testing::ScratchDir certs;
  mail::testing::ScratchDir spool;
  mail::testing::MakeSelfSignedCertificate(certs.Path());
  mail::testing::ChildProcess sink(
      {"/usr/bin/python3", kSource + "/tests/support/smtp_sink.py", spool.Path().string(),
       "starttls", (certs.Path() / "cert.pem").string(), (certs.Path() / "key.pem").string()});
  std::map<std::string, std::string> env = fast;
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
  env["RAMPART_MAIL_DKIM_KEY_FILE"] = key_file;
  ServerProcess server(dir.Path(), env);
  ASSERT_TRUE(server.Started()) << server.Logs();
  ASSERT_TRUE(server.WaitForLog("mail_sender_started", std::chrono::seconds(5)));
  EXPECT_EQ(server.Logs().find("sink-password"), std::string::npos);  // never logged

  const auto token = RunRampart(
      {"token", "create", "--data-dir", d, "--user", "ana@customer.example", "--scope", "write"});
  ASSERT_EQ(token.exit_code, 0) << token.err;
  const std::string ana = "Bearer " + token.out.substr(0, token.out.find('\n'));
  const auto opened = Request(server.PublicPort(), "POST", "/api/v1/tickets",
                              R"({"subject":"Printer offline","body":"It stopped this morning."})",
                              {{"Authorization", ana}, {"Content-Type", "application/json"}});
  ASSERT_TRUE(opened && opened->status == 201) << (opened ? opened->body : "");
  const std::smatch found = [&] {
    std::smatch m;
    std::regex_search(opened->body, m, std::regex("\"number\":\"(RMP-[0-9]+)\""));
    return m;
  }();
  ASSERT_EQ(found.size(), 2U) << opened->body;
  const std::string number = found[1].str();

  // Sam signs in on the web and answers; then writes an internal note, which sends nothing.
  const auto login = Request(server.PublicPort(), "GET", "/login");
  ASSERT_TRUE(login);
  const auto signed_in =
      Request(server.PublicPort(), "POST", "/login",
              "csrf_token=" + FormEncode(CsrfField(login->body)) +
                  "&email=sam%40example.com&password=" + FormEncode(kPassword),
              {{"Content-Type", "application/x-www-form-urlencoded"},
               {"Cookie", "__Host-rampart_csrf=" + CookieValue(*login, "__Host-rampart_csrf")}});
  ASSERT_TRUE(signed_in && signed_in->status == 303) << (signed_in ? signed_in->body : "");
  const std::string cookie =
      "__Host-rampart_session=" + CookieValue(*signed_in, "__Host-rampart_session");
  const auto page =
      Request(server.PublicPort(), "GET", "/agent/tickets/" + number, "", {{"Cookie", cookie}});
  ASSERT_TRUE(page && page->status == 200) << (page ? page->body : "");
  const std::string csrf = CsrfField(page->body);
  const auto post = [&](const std::string& kind, const std::string& text) {
    return Request(server.PublicPort(), "POST", "/agent/tickets/" + number + "/reply",
                   "csrf_token=" + FormEncode(csrf) + "&kind=" + kind + "&body=" + FormEncode(text),
                   {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", cookie}});
  };
  const auto note = post("note", "Internal: customer on old firmware.");
  ASSERT_TRUE(note && note->status == 303) << (note ? note->body : "");
  const auto reply = post("reply", "We replaced the toner; please try again.");
  ASSERT_TRUE(reply && reply->status == 303) << (reply ? reply->body : "");

  // Two mails: the acknowledgement of Ana's new ticket, then Sam's reply; the note sends none.
  ASSERT_TRUE(WaitForFile(spool.Path() / "2.json", std::chrono::seconds(20))) << server.Logs();
  std::this_thread::sleep_for(std::chrono::seconds(4));  // another poll: nothing more arrives
  EXPECT_FALSE(std::filesystem::exists(spool.Path() / "3.eml"));
  const bool reply_second =
      ReadFile(spool.Path() / "2.eml").find("We replaced") != std::string::npos;
  const std::filesystem::path reply_file = spool.Path() / (reply_second ? "2.eml" : "1.eml");
  const std::string ack = ReadFile(spool.Path() / (reply_second ? "1.eml" : "2.eml"));
  EXPECT_NE(ack.find("We received your request"), std::string::npos) << ack;
  EXPECT_EQ(ack.find("old firmware"), std::string::npos);
  const std::string meta = ReadFile(spool.Path() / (reply_second ? "2.json" : "1.json"));
  EXPECT_NE(meta.find("\"tls\": true"), std::string::npos) << meta;
  EXPECT_NE(meta.find("ana@customer.example"), std::string::npos) << meta;
  const std::string message = ReadFile(reply_file);
  EXPECT_NE(message.find("We replaced the toner"), std::string::npos);
  EXPECT_EQ(message.find("old firmware"), std::string::npos);
  EXPECT_NE(message.find("[" + number + "] Printer offline"), std::string::npos);
  EXPECT_NE(message.find("Message-Id: <rmp-" + number.substr(4) + "-"), std::string::npos);

  std::ofstream(spool.Path() / "records.txt")
      << "s2026._domainkey.help.example\t" << record << "\n";
  const std::string command = "/usr/bin/python3 " + kSource + "/tests/support/dkim_verify.py " +
                              reply_file.string() + " " + (spool.Path() / "records.txt").string();
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string verdict;
  char buffer[256];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) verdict += buffer;
  EXPECT_EQ(pclose(pipe), 0);
  EXPECT_EQ(verdict, "pass\n");

  // `outbox list` no longer shows it: it was sent.
  server.Signal(SIGTERM);
  EXPECT_EQ(server.WaitExit(std::chrono::seconds(15)), 0);
  const auto outbox = RunRampart({"outbox", "list", "--data-dir", d});
  EXPECT_EQ(outbox.out.find("Printer offline"), std::string::npos) << outbox.out;
}

}  // namespace
}  // namespace rampart::testing
