// How people see inbound mail through the real server: the HTML body in a sandboxed frame with
// its own policy, the sender checks for agents, and held mail that agents release or discard,
// each with its refusals (other department, customers, missing CSRF, second release, XSS).
#include <regex>

#include "integration/identity_fixture.h"

namespace rampart::testing {
namespace {

std::string HtmlMail(const std::string& from, const std::string& subject, const std::string& id,
                     const std::string& html) {
  return "From: " + from + "\r\nTo: support@help.example\r\nSubject: " + subject +
         "\r\nMessage-ID: <" + id +
         ">\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n"
         "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe plain text of " +
         id + ".\r\n--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html +
         "\r\n--b1--\r\n";
}

constexpr const char* kHtml =
    "<p>Hello <b>in bold</b></p><img src=\"https://tracker.example/p.gif\" alt=\"pixel\">"
    "<script>alert(1)</script><a href=\"javascript:alert(1)\">x</a>";
constexpr const char* kXss = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>";

class MailPagesTest : public IdentityTest {
 protected:
  void SetUp() override {
    IdentityTest::SetUp();
    for (auto [email, department] :
         {std::pair{"alpha@example.com", "Alpha"}, std::pair{"beta@example.com", "Beta"}}) {
      ASSERT_EQ(RunRampart({"user", "add", "--data-dir", D(), "--email", email, "--role", "agent",
                            "--department", department, "--password-stdin"},
                           std::string(kIdentityPassword) + "\n", kIdentityEnv)
                    .exit_code,
                0);
    }
    auto add = RunRampart({"mail", "mailbox", "add", "--data-dir", D(), "--name", "support",
                           "--address", "support@help.example", "--department", "Beta"},
                          "", kIdentityEnv);
    ASSERT_EQ(add.exit_code, 0) << add.err;
  }
  std::string D() const { return dir_.Path().string(); }
  std::string Ingest(const std::string& raw) {
    auto r = RunRampart({"mail", "ingest", "--data-dir", D(), "--mailbox", "support"}, raw,
                        kIdentityEnv);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }
  // The id of the last mail record, as the held mail pages name it.
  std::string LastMailId() { return Sql("SELECT max(id) FROM mail_messages"); }
  std::string Disposition(const std::string& id) {
    return Sql("SELECT disposition FROM mail_messages WHERE id = " + id);
  }
  std::string FramePath(const std::string& number, const std::string& message_id) {
    return "/tickets/" + number + "/messages/" + message_id + "/html";
  }
  std::string Count(const std::string& table) { return Sql("SELECT count(*) FROM " + table); }
};

TEST_F(MailPagesTest, HtmlBodyIsFramedInASandboxWithItsOwnPolicy) {
  EXPECT_EQ(
      Ingest(HtmlMail("Carol <carol@customer.example>", "Invoice", "h1@customer.example", kHtml))
          .rfind("new_ticket RMP-1001", 0),
      0u);
  const std::string message = Sql("SELECT thread_message_id FROM mail_messages");
  const std::string beta = SignIn("beta@example.com");
  auto page = Get("/agent/tickets/RMP-1001", beta);
  ASSERT_EQ(page->status, 200) << page->body;
  // The text stays the default view; the HTML is in a frame without any sandbox exception.
  EXPECT_NE(page->body.find("The plain text of h1@customer.example."), std::string::npos);
  EXPECT_NE(page->body.find("<iframe class=\"mail-frame\" sandbox=\"\" src=\"" +
                            FramePath("RMP-1001", message) + "\" title=\""),
            std::string::npos)
      << page->body;
  EXPECT_NE(page->Header("content-security-policy")->find("frame-src 'self'"), std::string::npos);
  EXPECT_NE(page->Header("content-security-policy")->find("frame-ancestors 'none'"),
            std::string::npos);
  // Agents see what was decided about the sender.
  EXPECT_NE(page->body.find("Sender checks:</span> DKIM none · SPF none · DMARC"),
            std::string::npos)
      << page->body;
  EXPECT_NE(page->body.find("?images=" + message + "#message-" + message), std::string::npos);

  auto frame = Get(FramePath("RMP-1001", message), beta);
  ASSERT_EQ(frame->status, 200) << frame->body;
  EXPECT_EQ(*frame->Header("content-security-policy"),
            "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data: cid:; "
            "form-action 'none'; base-uri 'none'; frame-ancestors 'self'");
  EXPECT_EQ(*frame->Header("x-frame-options"), "SAMEORIGIN");
  EXPECT_EQ(*frame->Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(*frame->Header("cache-control"), "no-store");
  EXPECT_NE(frame->body.find("<b>in bold</b>"), std::string::npos) << frame->body;
  EXPECT_EQ(frame->body.find("<script"), std::string::npos);
  EXPECT_EQ(frame->body.find("javascript:"), std::string::npos);
  // Remote images only when asked for.
  auto with_images = Get(FramePath("RMP-1001", message) + "?images=1", beta);
  EXPECT_NE(with_images->Header("content-security-policy")->find("img-src data: cid: https:;"),
            std::string::npos);
  EXPECT_EQ(frame->Header("content-security-policy")->find("https:"), std::string::npos);
  // Other pages still refuse frames.
  auto queue = Get("/agent/", beta);
  EXPECT_EQ(queue->Header("content-security-policy")->find("frame-src"), std::string::npos);
}

TEST_F(MailPagesTest, FrameIsNotFoundForThoseWhoMayNotSeeTheMessage) {
  Ingest(HtmlMail("carol@customer.example", "Invoice", "h2@customer.example", kHtml));
  const std::string message = Sql("SELECT thread_message_id FROM mail_messages");
  const std::string path = FramePath("RMP-1001", message);
  // Another department's agent, and a customer who is not the requester.
  EXPECT_EQ(Get(path, SignIn("alpha@example.com"))->status, 404);
  EXPECT_EQ(Get("/agent/tickets/RMP-1001", SignIn("alpha@example.com"))->status, 404);
  EXPECT_EQ(Get(path, SignIn("bob@example.com"))->status, 404);
  // A message id under a ticket it is not on, and malformed ids.
  const std::string beta = SignIn("beta@example.com");
  Ingest(HtmlMail("dave@customer.example", "Other", "h3@customer.example", kHtml));
  const std::string other = Sql("SELECT max(thread_message_id) FROM mail_messages");
  EXPECT_EQ(Get(FramePath("RMP-1001", other), beta)->status, 404);
  EXPECT_EQ(Get(FramePath("RMP-1002", other), beta)->status, 200);
  EXPECT_EQ(Get(FramePath("RMP-1001", "0"), beta)->status, 404);
  EXPECT_EQ(Get(FramePath("RMP-1001", "1x"), beta)->status, 404);
  EXPECT_EQ(Get(FramePath("RMP-1001", "99999"), beta)->status, 404);
  EXPECT_EQ(Get(FramePath("javascript:alert(1)", message), beta)->status, 404);
  EXPECT_EQ(Get(FramePath("RMP-x", message), beta)->status, 404);
}

TEST_F(MailPagesTest, HeldMailListsEscapedForItsDepartmentOnly) {
  // Ana is a known customer: without DMARC or a reply token her address proves nothing.
  EXPECT_EQ(Ingest(HtmlMail("Ana <ana@example.com>", kXss, "x1@evil.example", kHtml)), "held\n");
  const std::string id = LastMailId();
  const std::string beta = SignIn("beta@example.com");
  auto list = Get("/mail/held", beta);
  ASSERT_EQ(list->status, 200);
  EXPECT_NE(list->body.find("NOT verified"), std::string::npos);
  EXPECT_NE(list->body.find("href=\"/mail/held/" + id + "\""), std::string::npos);
  EXPECT_NE(list->body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos)
      << list->body;
  EXPECT_EQ(list->body.find("<script>alert(1)"), std::string::npos);
  EXPECT_EQ(list->body.find("<img src=x"), std::string::npos);
  auto detail = Get("/mail/held/" + id, beta);
  ASSERT_EQ(detail->status, 200);
  EXPECT_NE(detail->body.find("The plain text of x1@evil.example."), std::string::npos);
  EXPECT_NE(detail->body.find("Sender checks"), std::string::npos);
  EXPECT_EQ(detail->body.find("<script>alert(1)"), std::string::npos);
  // The workspace links to it with the count.
  EXPECT_NE(Get("/agent/", beta)->body.find("Held mail (1)"), std::string::npos);

  // Another department's agent sees nothing; a customer finds no such page.
  const std::string alpha = SignIn("alpha@example.com");
  EXPECT_EQ(Get("/mail/held", alpha)->body.find("/mail/held/" + id), std::string::npos);
  EXPECT_EQ(Get("/mail/held/" + id, alpha)->status, 404);
  EXPECT_NE(Get("/agent/", alpha)->body.find("Held mail (0)"), std::string::npos);
  const std::string ana = SignIn("ana@example.com");
  EXPECT_EQ(Get("/mail/held", ana)->status, 404);
  EXPECT_EQ(Get("/mail/held/" + id, ana)->status, 404);
  EXPECT_EQ(Post("/mail/held/" + id + "/new-ticket", ana, "csrf_token=" + CsrfOf(ana))->status,
            404);
  EXPECT_EQ(Post("/mail/held/" + id + "/discard", alpha, "csrf_token=" + CsrfOf(alpha))->status,
            404);
  EXPECT_EQ(Post("/mail/held/" + id + "/new-ticket", alpha, "csrf_token=" + CsrfOf(alpha))->status,
            404);
  EXPECT_EQ(Disposition(id), "held");
  EXPECT_EQ(Count("tickets"), "0");
}

TEST_F(MailPagesTest, ReleaseAsNewTicketHappensOnceAndIsMarkedUnverified) {
  Ingest(HtmlMail("Ana <ana@example.com>", "Refund please", "r1@evil.example", kHtml));
  const std::string id = LastMailId();
  const std::string beta = SignIn("beta@example.com");
  const std::string csrf = CsrfOf(beta);
  // Without the CSRF token: refused, nothing changed.
  EXPECT_EQ(Post("/mail/held/" + id + "/new-ticket", beta, "")->status, 403);
  EXPECT_EQ(Post("/mail/held/" + id + "/new-ticket", beta, "csrf_token=wrong")->status, 403);
  EXPECT_EQ(Disposition(id), "held");
  EXPECT_EQ(Count("tickets"), "0");

  auto released = Post("/mail/held/" + id + "/new-ticket", beta, "csrf_token=" + csrf);
  ASSERT_EQ(released->status, 303) << released->body;
  EXPECT_EQ(released->Header("location").value_or(""), "/agent/tickets/RMP-1001");
  EXPECT_EQ(Disposition(id), "new_ticket");
  EXPECT_EQ(Sql("SELECT u.email FROM tickets t JOIN users u ON u.id = t.requester_id"),
            "ana@example.com");
  EXPECT_EQ(Sql("SELECT new_value FROM ticket_events WHERE field = 'unverified_sender'"),
            "ana@example.com");
  EXPECT_EQ(Sql("SELECT count(*) FROM audit_events WHERE event = 'mail.held.new_ticket'"), "1");
  EXPECT_EQ(Sql("SELECT raw IS NULL FROM mail_messages WHERE id = " + id), "1");
  // The double submit: refused, nothing duplicated.
  EXPECT_EQ(Post("/mail/held/" + id + "/new-ticket", beta, "csrf_token=" + csrf)->status, 409);
  EXPECT_EQ(
      Post("/mail/held/" + id + "/add", beta, "csrf_token=" + csrf + "&ticket=RMP-1001")->status,
      409);
  EXPECT_EQ(Post("/mail/held/" + id + "/discard", beta, "csrf_token=" + csrf)->status, 409);
  EXPECT_EQ(Count("tickets"), "1");
  EXPECT_EQ(Count("messages"), "1");
  EXPECT_EQ(Disposition(id), "new_ticket");

  // The requester sees her ticket's HTML; another customer does not.
  const std::string message = Sql("SELECT thread_message_id FROM mail_messages WHERE id = " + id);
  const std::string ana = SignIn("ana@example.com");
  auto portal = Get("/portal/tickets/RMP-1001", ana);
  ASSERT_EQ(portal->status, 200);
  EXPECT_NE(portal->body.find(FramePath("RMP-1001", message)), std::string::npos);
  EXPECT_EQ(portal->body.find("Sender checks"), std::string::npos);
  EXPECT_EQ(Get(FramePath("RMP-1001", message), ana)->status, 200);
  EXPECT_EQ(Get(FramePath("RMP-1001", message), SignIn("bob@example.com"))->status, 404);
}

TEST_F(MailPagesTest, AddToTicketRechecksTheAgentAndStaysInternal) {
  Ingest(HtmlMail("carol@customer.example", "First", "a0@customer.example", "<p>first</p>"));
  Ingest(HtmlMail("Ana <ana@example.com>", "Follow-up", "a1@evil.example", kHtml));
  const std::string id = LastMailId();
  const std::string beta = SignIn("beta@example.com");
  const std::string csrf = CsrfOf(beta);
  // A ticket the agent cannot reach, and values that are no ticket number: nothing changes.
  Sql("UPDATE tickets SET department_id = (SELECT id FROM departments WHERE name = 'Alpha')");
  EXPECT_EQ(
      Post("/mail/held/" + id + "/add", beta, "csrf_token=" + csrf + "&ticket=RMP-1001")->status,
      404);
  for (const std::string& bad :
       {std::string("javascript:alert(1)"), std::string(kXss), std::string(5000, '9')}) {
    auto r = Post("/mail/held/" + id + "/add", beta,
                  "csrf_token=" + csrf + "&ticket=" + FormEncode(bad));
    EXPECT_TRUE(r->status == 303 || r->status == 404) << r->status;
  }
  EXPECT_EQ(Disposition(id), "held");
  EXPECT_EQ(Count("messages"), "1");
  // Back in reach: added as an internal note of the agent.
  Sql("UPDATE tickets SET department_id = (SELECT id FROM departments WHERE name = 'Beta')");
  auto added = Post("/mail/held/" + id + "/add", beta, "csrf_token=" + csrf + "&ticket=RMP-1001");
  ASSERT_EQ(added->status, 303) << added->body;
  EXPECT_EQ(Disposition(id), "reply");
  const std::string note = Sql("SELECT thread_message_id FROM mail_messages WHERE id = " + id);
  EXPECT_EQ(Sql("SELECT internal FROM messages WHERE id = " + note), "1");
  EXPECT_EQ(
      Post("/mail/held/" + id + "/add", beta, "csrf_token=" + csrf + "&ticket=RMP-1001")->status,
      409);
  EXPECT_EQ(Count("messages"), "2");
  // The agent sees the note's HTML; the ticket's requester never does.
  EXPECT_EQ(Get(FramePath("RMP-1001", note), beta)->status, 200);
  auto agent_page = Get("/agent/tickets/RMP-1001", beta);
  EXPECT_NE(agent_page->body.find(FramePath("RMP-1001", note)), std::string::npos);
}

TEST_F(MailPagesTest, DiscardDropsTheMessageOnce) {
  Ingest(HtmlMail("Ana <ana@example.com>", "Spam", "d1@evil.example", kHtml));
  const std::string id = LastMailId();
  const std::string beta = SignIn("beta@example.com");
  const std::string csrf = CsrfOf(beta);
  EXPECT_EQ(Post("/mail/held/" + id + "/discard", beta, "")->status, 403);
  EXPECT_EQ(Disposition(id), "held");
  auto r = Post("/mail/held/" + id + "/discard", beta, "csrf_token=" + csrf);
  ASSERT_EQ(r->status, 303);
  EXPECT_EQ(Disposition(id), "discarded");
  EXPECT_EQ(Sql("SELECT raw IS NULL FROM mail_messages WHERE id = " + id), "1");
  EXPECT_EQ(Post("/mail/held/" + id + "/discard", beta, "csrf_token=" + csrf)->status, 409);
  EXPECT_EQ(Post("/mail/held/" + id + "/new-ticket", beta, "csrf_token=" + csrf)->status, 409);
  EXPECT_EQ(Count("tickets"), "0");
  EXPECT_EQ(Sql("SELECT count(*) FROM audit_events WHERE event = 'mail.held.discard'"), "1");
  EXPECT_EQ(Get("/mail/held/" + id, beta)->status, 404);
}

TEST_F(MailPagesTest, QuarantineIsForAdminsOnly) {
  EXPECT_EQ(
      Ingest("From: \r\nSubject: " + std::string(kXss) + "\r\nMessage-ID: <q1@x>\r\n\r\nx\r\n"),
      "quarantined\n");
  const std::string id = LastMailId();
  const std::string beta = SignIn("beta@example.com");
  EXPECT_EQ(Get("/mail/held/" + id, beta)->status, 404);
  const std::string admin = EnrolTotp(SignIn("admin@example.com")).second;
  auto list = Get("/mail/held", admin);
  ASSERT_EQ(list->status, 200);
  EXPECT_NE(list->body.find("Quarantined"), std::string::npos);
  EXPECT_EQ(list->body.find("<script>alert(1)"), std::string::npos);
  auto detail = Get("/mail/held/" + id, admin);
  ASSERT_EQ(detail->status, 200);
  // Nothing to import: only discarding is offered, and importing is refused.
  EXPECT_EQ(detail->body.find("/new-ticket"), std::string::npos);
  EXPECT_EQ(Post("/mail/held/" + id + "/new-ticket", admin, "csrf_token=" + CsrfOf(admin))->status,
            409);
  EXPECT_EQ(Disposition(id), "quarantined");
  EXPECT_EQ(Post("/mail/held/" + id + "/discard", admin, "csrf_token=" + CsrfOf(admin))->status,
            303);
  EXPECT_EQ(Disposition(id), "discarded");
}

}  // namespace
}  // namespace rampart::testing
