// Notification mail through the real binary and a real SMTP server (aiosmtpd, STARTTLS): who
// receives what when a ticket is opened, assigned and answered, that internal notes and
// automatic mail send nothing, that a bounce of our mail shows on its ticket, and that the
// admin's templates can neither inject markup nor headers.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <ctime>
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
constexpr const char* kScript = "<script>alert(1)</script>";
constexpr const char* kImg = "\"><img src=x onerror=alert(1)>";
const std::string kSource = RAMPART_SOURCE_DIR;
const std::map<std::string, std::string> kFast = {{"RAMPART_AUTH_HASH_MEMORY_KIB", "19456"}};
const std::map<std::string, std::string> kForm = {
    {"Content-Type", "application/x-www-form-urlencoded"}};

std::string ReadFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

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

std::string Oathtool(const std::string& secret, std::time_t at) {
  const std::string cmd = "oathtool --totp -b " + secret + " --now '@" + std::to_string(at) + "'";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return "";
  char buf[32] = {};
  const std::size_t n = std::fread(buf, 1, sizeof buf - 1, p);
  pclose(p);
  std::string code(buf, n);
  while (!code.empty() && (code.back() == '\n' || code.back() == '\r')) code.pop_back();
  return code;
}

// One received message: its envelope recipients and its bytes.
struct Received {
  std::string rcpt;
  std::string bytes;
};

class NotificationMailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(RunRampart({"init", "--data-dir", D(), "--owner-email", "owner@example.com"},
                         std::string(kPassword) + "\n", kFast)
                  .exit_code,
              0);
    for (auto [email, role] :
         {std::pair{"sam@example.com", "agent"}, std::pair{"tom@example.com", "agent"},
          std::pair{"ana@customer.example", "end_user"}}) {
      ASSERT_EQ(RunRampart({"user", "add", "--data-dir", D(), "--email", email, "--role", role,
                            "--password-stdin"},
                           std::string(kPassword) + "\n", kFast)
                    .exit_code,
                0);
    }
  }

  void StartWithSink() {
    mail::testing::MakeSelfSignedCertificate(certs_.Path());
    sink_ = std::make_unique<mail::testing::ChildProcess>(std::vector<std::string>{
        "/usr/bin/python3", kSource + "/tests/support/smtp_sink.py", spool_.Path().string(),
        "starttls", (certs_.Path() / "cert.pem").string(), (certs_.Path() / "key.pem").string()});
    std::map<std::string, std::string> env = kFast;
    env["RAMPART_MAIL_FROM_ADDRESS"] = "support@help.example";
    env["RAMPART_MAIL_FROM_NAME"] = "Help Desk";
    env["RAMPART_MAIL_SMTP_HOST"] = "127.0.0.1";
    env["RAMPART_MAIL_SMTP_PORT"] = std::to_string(sink_->Port());
    env["RAMPART_MAIL_SMTP_SECURITY"] = "starttls";
    env["RAMPART_MAIL_SMTP_USERNAME"] = "rampart";
    env["RAMPART_MAIL_SMTP_PASSWORD"] = "sink-password";
    env["RAMPART_MAIL_SMTP_CA_FILE"] = (certs_.Path() / "cert.pem").string();
    server_ = std::make_unique<ServerProcess>(dir_.Path(), env);
    ASSERT_TRUE(server_->Started()) << server_->Logs();
    ASSERT_TRUE(server_->WaitForLog("mail_sender_started", std::chrono::seconds(5)));
  }
  void StartWithoutMail() {
    server_ = std::make_unique<ServerProcess>(dir_.Path(), kFast);
    ASSERT_TRUE(server_->Started()) << server_->Logs();
  }

  std::string D() const { return dir_.Path().string(); }
  int Port() const { return server_->PublicPort(); }

  // Waits until `count` messages arrived, then one more poll to see that no other follows.
  std::vector<Received> WaitForMail(std::size_t count) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < end &&
           !std::filesystem::exists(spool_.Path() / (std::to_string(count) + ".json"))) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::this_thread::sleep_for(std::chrono::seconds(3));
    std::vector<Received> all;
    for (std::size_t i = 1;; ++i) {
      const auto base = spool_.Path() / std::to_string(i);
      if (!std::filesystem::exists(base.string() + ".json")) break;
      all.push_back({ReadFile(base.string() + ".json"), ReadFile(base.string() + ".eml")});
    }
    return all;
  }

  std::optional<HttpResponse> Get(const std::string& target, const std::string& session) {
    return Request(Port(), "GET", target, "", {{"Cookie", "__Host-rampart_session=" + session}});
  }
  // A form POST with the CSRF token of `form_page` (none when it is "").
  std::optional<HttpResponse> Post(const std::string& target, const std::string& session,
                                   const std::string& body, const std::string& form_page) {
    std::string token;
    if (!form_page.empty()) token = CsrfField(Get(form_page, session)->body);
    auto headers = kForm;
    headers["Cookie"] = "__Host-rampart_session=" + session;
    return Request(Port(), "POST", target,
                   (token.empty() ? "" : "csrf_token=" + FormEncode(token) + "&") + body, headers);
  }
  std::string PasswordStep(const std::string& email, std::string* location = nullptr) {
    auto page = Request(Port(), "GET", "/login");
    auto headers = kForm;
    headers["Cookie"] = "__Host-rampart_csrf=" + CookieValue(*page, "__Host-rampart_csrf");
    auto r = Request(Port(), "POST", "/login",
                     "csrf_token=" + FormEncode(CsrfField(page->body)) +
                         "&email=" + FormEncode(email) + "&password=" + FormEncode(kPassword),
                     headers);
    EXPECT_EQ(r->status, 303);
    if (location != nullptr) *location = r->Header("location").value_or("");
    return CookieValue(*r, "__Host-rampart_session");
  }
  std::string SignInOwner() {
    std::string location;
    const std::string partial = PasswordStep("owner@example.com", &location);
    EXPECT_EQ(location, "/account/2fa/setup");
    auto setup = Get("/account/2fa/setup", partial);
    std::smatch m;
    EXPECT_TRUE(
        std::regex_search(setup->body, m, std::regex(R"re(id="totp-secret">([A-Z2-7]+)<)re")));
    auto headers = kForm;
    headers["Cookie"] = "__Host-rampart_session=" + partial;
    auto done = Request(Port(), "POST", "/account/2fa/setup",
                        "csrf_token=" + FormEncode(CsrfField(setup->body)) +
                            "&code=" + Oathtool(m[1].str(), std::time(nullptr)),
                        headers);
    EXPECT_EQ(done->status, 200) << done->body;
    return CookieValue(*done, "__Host-rampart_session");
  }
  std::string OpenTicket(const std::string& session, const std::string& subject,
                         int expected = 303) {
    auto r = Post("/portal/tickets", session,
                  "subject=" + FormEncode(subject) + "&body=" + FormEncode("It stopped."),
                  "/portal/tickets/new");
    EXPECT_EQ(r->status, expected) << r->body;
    std::smatch m;
    const std::string location = r->Header("location").value_or("");
    if (!std::regex_search(location, m, std::regex("(RMP-[0-9]+)"))) return "";
    return m[1].str();
  }
  CommandResult IngestMail(const std::string& raw) {
    return RunRampart({"mail", "ingest", "--data-dir", D(), "--mailbox", "support"}, raw, kFast);
  }

  TempDir dir_;
  mail::testing::ScratchDir certs_;
  mail::testing::ScratchDir spool_;
  std::unique_ptr<mail::testing::ChildProcess> sink_;
  std::unique_ptr<ServerProcess> server_;
};

const Received* To(const std::vector<Received>& all, const std::string& address,
                   const std::string& needle) {
  for (const Received& r : all) {
    if (r.rcpt.find(address) != std::string::npos && r.bytes.find(needle) != std::string::npos) {
      return &r;
    }
  }
  return nullptr;
}

TEST_F(NotificationMailTest, EachPartyHearsOfWhatConcernsThemAndABounceShowsOnTheTicket) {
  StartWithSink();
  ASSERT_EQ(RunRampart({"mail", "mailbox", "add", "--data-dir", D(), "--name", "support",
                        "--address", "support@help.example"},
                       "", kFast)
                .exit_code,
            0);
  const std::string ana = PasswordStep("ana@customer.example");
  const std::string number = OpenTicket(ana, "Printer offline");
  ASSERT_FALSE(number.empty());
  const std::string ticket_id =
      Sql(dir_.Path(), "SELECT id FROM tickets WHERE number = " + number.substr(4));
  Sql(dir_.Path(), "INSERT INTO ticket_ccs (ticket_id, email, added_at) VALUES (" + ticket_id +
                       ", 'boss@customer.example', 0)");

  // Sam assigns the ticket to Tom (through the API: the web assigns only to oneself).
  const auto token = RunRampart(
      {"token", "create", "--data-dir", D(), "--user", "sam@example.com", "--scope", "write"});
  ASSERT_EQ(token.exit_code, 0) << token.err;
  const std::string bearer = "Bearer " + token.out.substr(0, token.out.find('\n'));
  const std::string tom_id =
      Sql(dir_.Path(), "SELECT id FROM users WHERE email = 'tom@example.com'");
  const auto assigned =
      Request(Port(), "PATCH", "/api/v1/tickets/" + number, R"({"assignee_id":)" + tom_id + "}",
              {{"Authorization", bearer}, {"Content-Type", "application/json"}});
  ASSERT_TRUE(assigned && assigned->status == 200) << (assigned ? assigned->body : "");

  // Sam writes an internal note (nobody hears of it) and a public reply.
  const std::string sam = PasswordStep("sam@example.com");
  const auto post = [&](const std::string& kind, const std::string& text) {
    return Post("/agent/tickets/" + number + "/reply", sam,
                "kind=" + kind + "&body=" + FormEncode(text), "/agent/tickets/" + number);
  };
  ASSERT_EQ(post("note", "Internal: old firmware.")->status, 303);
  ASSERT_EQ(post("reply", "We replaced the toner.")->status, 303);
  // Ana answers: Tom, the assignee, hears of it.
  ASSERT_EQ(Post("/portal/tickets/" + number + "/reply", ana,
                 "body=" + FormEncode("Works now, thanks."), "/portal/tickets/" + number)
                ->status,
            303);

  const std::vector<Received> all = WaitForMail(5);
  ASSERT_EQ(all.size(), 5U);
  const Received* ack = To(all, "ana@customer.example", "We received your request");
  ASSERT_NE(ack, nullptr);
  EXPECT_NE(ack->bytes.find("Subject: [" + number + "] Printer offline"), std::string::npos);
  EXPECT_NE(ack->bytes.find("Auto-Submitted: auto-generated"), std::string::npos);
  EXPECT_NE(ack->bytes.find("text/html"), std::string::npos);
  const Received* notice = To(all, "tom@example.com", "Assigned to you");
  EXPECT_NE(notice, nullptr);
  const Received* reply = To(all, "ana@customer.example", "We replaced the toner.");
  ASSERT_NE(reply, nullptr);
  EXPECT_NE(To(all, "boss@customer.example", "We replaced the toner."), nullptr);
  EXPECT_NE(To(all, "tom@example.com", "Works now, thanks."), nullptr);
  for (const Received& r : all) {
    EXPECT_EQ(r.bytes.find("old firmware"), std::string::npos);
    EXPECT_EQ(r.rcpt.find("sam@example.com"), std::string::npos);  // never to the actor
  }

  // An out-of-office answer to the reply: recorded, never acknowledged.
  const auto away = IngestMail(
      "From: boss@customer.example\r\nTo: support@help.example\r\nSubject: Out of office\r\n"
      "Message-ID: <away1@customer.example>\r\nAuto-Submitted: auto-replied\r\n\r\nAway.\r\n");
  EXPECT_EQ(away.out, "ignored\n");

  // The reply to the CC bounces: the report names our Message-ID.
  std::smatch id;
  const Received* boss_reply = To(all, "boss@customer.example", "We replaced the toner.");
  ASSERT_NE(boss_reply, nullptr);
  ASSERT_TRUE(std::regex_search(boss_reply->bytes, id, std::regex("Message-Id: <([^>]+)>")));
  const auto bounce = IngestMail(
      "From: MAILER-DAEMON@mx.customer.example\r\nTo: support@help.example\r\n"
      "Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <b1@mx.customer.example>\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n"
      "--B\r\nContent-Type: text/plain\r\n\r\nCould not deliver.\r\n"
      "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
      "Final-Recipient: rfc822; boss@customer.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"
      "Diagnostic-Code: smtp; 550 5.1.1 User unknown <script>alert(1)</script>\r\n\r\n"
      "--B\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <" +
      id[1].str() + ">\r\nSubject: x\r\n\r\n--B--\r\n");
  EXPECT_EQ(bounce.out, "bounce " + number + "\n") << bounce.err;

  const auto page = Get("/agent/tickets/" + number, sam);
  ASSERT_TRUE(page && page->status == 200);
  EXPECT_NE(page->body.find("Delivery to boss@customer.example failed: 550 5.1.1 User unknown"),
            std::string::npos);
  EXPECT_NE(page->body.find("550 5.1.1 User unknown"), std::string::npos);
  EXPECT_EQ(page->body.find(kScript), std::string::npos);  // the remote text is escaped
  // Mail the sender gave up on shows the same way (the sender writes this line when it fails).
  Sql(dir_.Path(),
      "INSERT INTO ticket_events (ticket_id, at, field, old_value, new_value) "
      "VALUES (" +
          ticket_id +
          ", 0, 'mail_delivery_failed', 'ana@customer.example', "
          "'554 5.7.1 rejected')");
  EXPECT_NE(Get("/agent/tickets/" + number, sam)
                ->body.find("Mail to ana@customer.example could not be delivered: 554 5.7.1 "
                            "rejected"),
            std::string::npos);
  const auto portal = Get("/portal/tickets/" + number, ana);
  ASSERT_TRUE(portal && portal->status == 200);
  EXPECT_EQ(portal->body.find("User unknown"), std::string::npos);  // staff only

  // Nothing more was sent: no answer to the bounce, no acknowledgement of the auto-reply.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  EXPECT_FALSE(std::filesystem::exists(spool_.Path() / "6.json"));
  EXPECT_EQ(Sql(dir_.Path(), "SELECT count(*) FROM tickets"), "1");
}

TEST_F(NotificationMailTest, TemplatesAreAdminOnlyCheckedAuditedAndCannotInject) {
  StartWithoutMail();
  const std::string owner = SignInOwner();
  const std::string sam = PasswordStep("sam@example.com");
  const std::string ana = PasswordStep("ana@customer.example");
  const std::string page = "/admin/mail-templates";
  const auto shown = Get(page, owner);
  ASSERT_TRUE(shown && shown->status == 200);
  EXPECT_NE(shown->body.find("{{ticket.number}}"), std::string::npos);
  EXPECT_EQ(Get(page, sam)->status, 403);
  EXPECT_EQ(Get(page, ana)->status, 403);

  const auto form = [](const std::string& ack_subject, const std::string& ack_body) {
    std::string body = "acknowledge=1&acknowledgement.subject=" + FormEncode(ack_subject) +
                       "&acknowledgement.body=" + FormEncode(ack_body);
    for (const char* kind : {"reply", "assignment", "customer_reply"}) {
      body += std::string("&") + kind + ".subject=" + FormEncode("[{{ticket.number}}] x") + "&" +
              kind + ".body=" + FormEncode("{{message.body}}");
    }
    return body;
  };
  const auto audits = [&] {
    return Sql(dir_.Path(),
               "SELECT count(*) FROM audit_events WHERE event = 'mail.templates_changed'");
  };
  const auto stored = [&] {
    return Sql(dir_.Path(),
               "SELECT group_concat(kind || ':' || subject || ':' || body, '|') "
               "FROM mail_templates");
  };

  // Refused: agents and customers (403), a missing CSRF token (403), an unknown placeholder and
  // an oversized body (422). None of them changes anything.
  const std::string hostile =
      form(std::string("Got it ") + kImg,
           std::string(kScript) + " {{requester.name}} javascript:alert(1)");
  EXPECT_EQ(Post(page, sam, hostile, "/agent/")->status, 403);
  EXPECT_EQ(Post(page, ana, hostile, "/portal/")->status, 403);
  EXPECT_EQ(Post(page, owner, hostile, "")->status, 403);
  const auto unknown = Post(page, owner, form("{{ticket.password}}", "body"), page);
  EXPECT_EQ(unknown->status, 422);
  EXPECT_NE(unknown->body.find("unknown placeholder {{ticket.password}}"), std::string::npos);
  EXPECT_EQ(Post(page, owner, form("ok", std::string(10'001, 'x')), page)->status, 422);
  EXPECT_EQ(stored(), "");
  EXPECT_EQ(audits(), "0");

  // Markup in a template is the admin's text: stored, shown escaped, sent escaped.
  EXPECT_EQ(Post(page, owner, hostile, page)->status, 303);
  EXPECT_EQ(audits(), "1");
  const auto again = Get(page, owner);
  EXPECT_EQ(again->body.find(kScript), std::string::npos);
  EXPECT_EQ(again->body.find("<img src=x"), std::string::npos);
  EXPECT_NE(again->body.find("&lt;script&gt;"), std::string::npos);

  // A subject with a line break is refused at the door; one with markup is sent as text.
  OpenTicket(ana, "Hi\r\nBcc: x@evil.example", 422);
  const std::string number = OpenTicket(ana, kScript);
  ASSERT_FALSE(number.empty());
  EXPECT_EQ(Sql(dir_.Path(), "SELECT count(*) FROM outbox WHERE kind = 'acknowledgement'"), "1");
  const std::string html = Sql(dir_.Path(), "SELECT html_body FROM outbox");
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("<img"), std::string::npos) << html;
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos) << html;
  EXPECT_EQ(Sql(dir_.Path(), "SELECT subject FROM outbox"), std::string("Got it ") + kImg);

  // Switched off: the next ticket is not acknowledged.
  std::string off = form("[{{ticket.number}}] {{ticket.subject}}", "{{ticket.url}}");
  off.replace(0, std::string("acknowledge=1&").size(), "");
  EXPECT_EQ(Post(page, owner, off, page)->status, 303);
  OpenTicket(ana, "Second");
  EXPECT_EQ(Sql(dir_.Path(), "SELECT count(*) FROM outbox WHERE kind = 'acknowledgement'"), "1");
}

}  // namespace
}  // namespace rampart::testing
