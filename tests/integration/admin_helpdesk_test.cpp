// The admin section, helpdesk settings, canned responses, queue bulk actions and portal sign-up,
// through the real binary: what each role can do, and that refused requests change nothing.
#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <regex>

#include "support/http_client.h"
#include "support/server_process.h"
#include "support/web_session.h"

namespace rampart::testing {
namespace {

constexpr const char* kPassword = "a long enough passphrase 2026";
constexpr const char* kScript = "<script>alert(1)</script>";
constexpr const char* kImg = "\"><img src=x onerror=alert(1)>";
const std::map<std::string, std::string> kFastHashing = {{"RAMPART_AUTH_HASH_MEMORY_KIB", "19456"}};
const std::map<std::string, std::string> kForm = {
    {"Content-Type", "application/x-www-form-urlencoded"}};

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

// No live markup from the payloads: they must appear escaped, if at all.
void ExpectNoLiveMarkup(const std::string& html, const std::string& where) {
  EXPECT_EQ(html.find(kScript), std::string::npos) << where;
  EXPECT_EQ(html.find("<img src=x"), std::string::npos) << where;
}

class AdminHelpdeskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string d = dir_.Path().string();
    ASSERT_EQ(RunRampart({"init", "--data-dir", d, "--owner-email", "owner@example.com"},
                         std::string(kPassword) + "\n", kFastHashing)
                  .exit_code,
              0);
    for (auto [email, role] :
         {std::pair{"agent@example.com", "agent"}, std::pair{"ana@example.com", "end_user"},
          std::pair{"bob@example.com", "end_user"}}) {
      ASSERT_EQ(RunRampart({"user", "add", "--data-dir", d, "--email", email, "--role", role,
                            "--password-stdin"},
                           std::string(kPassword) + "\n", kFastHashing)
                    .exit_code,
                0);
    }
    server_ = std::make_unique<ServerProcess>(dir_.Path(), kFastHashing);
    ASSERT_TRUE(server_->Started()) << server_->Logs();
  }

  int Port() const { return server_->PublicPort(); }

  std::optional<HttpResponse> Get(const std::string& target, const std::string& session) {
    return Request(Port(), "GET", target, "", {{"Cookie", "__Host-rampart_session=" + session}});
  }
  // A form POST with the CSRF token of the page at `form_page` (or none when it is "").
  std::optional<HttpResponse> Post(const std::string& target, const std::string& session,
                                   const std::string& body, const std::string& form_page) {
    std::string token;
    if (!form_page.empty()) token = CsrfField(Get(form_page, session)->body);
    auto headers = kForm;
    headers["Cookie"] = "__Host-rampart_session=" + session;
    return Request(Port(), "POST", target,
                   (token.empty() ? "" : "csrf_token=" + token + "&") + body, headers);
  }

  std::string PasswordStep(const std::string& email, std::string* location = nullptr) {
    auto page = Request(Port(), "GET", "/login");
    const std::string cookie = CookieValue(*page, "__Host-rampart_csrf");
    auto headers = kForm;
    headers["Cookie"] = "__Host-rampart_csrf=" + cookie;
    auto r = Request(Port(), "POST", "/login",
                     "csrf_token=" + CsrfField(page->body) + "&email=" + FormEncode(email) +
                         "&password=" + FormEncode(kPassword),
                     headers);
    EXPECT_EQ(r->status, 303);
    if (location != nullptr) *location = r->Header("location").value_or("");
    return CookieValue(*r, "__Host-rampart_session");
  }

  std::string SignIn(const std::string& email) { return PasswordStep(email); }

  // The owner must enrol in 2FA first; the full session afterwards.
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
                        "csrf_token=" + CsrfField(setup->body) +
                            "&code=" + Oathtool(m[1].str(), std::time(nullptr)),
                        headers);
    EXPECT_EQ(done->status, 200) << done->body;
    return CookieValue(*done, "__Host-rampart_session");
  }

  std::string OpenTicket(const std::string& session, const std::string& subject) {
    auto r = Post("/portal/tickets", session,
                  "subject=" + FormEncode(subject) + "&body=" + FormEncode("Please help."),
                  "/portal/tickets/new");
    EXPECT_EQ(r->status, 303);
    std::smatch m;
    const std::string location = r->Header("location").value_or("");
    EXPECT_TRUE(std::regex_search(location, m, std::regex("(RMP-[0-9]+)")));
    return m[1].str();
  }

  std::string Outbox() {
    return RunRampart({"outbox", "list", "--data-dir", dir_.Path().string()}).out;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(AdminHelpdeskTest, TheAdminLandingPageLinksEverySectionForAdminsOnly) {
  const std::string owner = SignInOwner();
  auto page = Get("/admin/", owner);
  ASSERT_EQ(page->status, 200);
  for (const char* href : {"/admin/users", "/admin/roles", "/admin/access-review",
                           "/admin/security", "/admin/organizations", "/admin/departments",
                           "/admin/custom-fields", "/admin/canned-responses", "/admin/portal"}) {
    EXPECT_NE(page->body.find(std::string("href=\"") + href + "\""), std::string::npos) << href;
  }
  EXPECT_NE(Get("/agent/", owner)->body.find("href=\"/admin/\""), std::string::npos);
  const std::string agent = SignIn("agent@example.com");
  EXPECT_EQ(Get("/admin/", agent)->status, 403);
  EXPECT_EQ(Get("/agent/", agent)->body.find("href=\"/admin/\""), std::string::npos);
  for (const char* path : {"/admin/organizations", "/admin/departments", "/admin/custom-fields",
                           "/admin/canned-responses", "/admin/portal"}) {
    EXPECT_EQ(Get(path, agent)->status, 403) << path;
  }
  const std::string ana = SignIn("ana@example.com");
  EXPECT_EQ(Get("/admin/", ana)->status, 403);
  EXPECT_EQ(Get("/admin/portal", ana)->status, 403);
}

TEST_F(AdminHelpdeskTest, OrganizationsDepartmentsAndFieldsAreManagedAndShownEscaped) {
  const std::string owner = SignInOwner();
  const std::string agent = SignIn("agent@example.com");
  const std::string ana = SignIn("ana@example.com");
  for (const std::string& name : {std::string(kScript), std::string(kImg)}) {
    EXPECT_EQ(Post("/admin/organizations", owner, "name=" + FormEncode(name) + "&shared_tickets=1",
                   "/admin/organizations")
                  ->status,
              303);
    EXPECT_EQ(
        Post("/admin/departments", owner, "name=" + FormEncode(name), "/admin/departments")->status,
        303);
  }
  EXPECT_EQ(Post("/admin/custom-fields", owner,
                 "key=plan&kind=dropdown&label=" + FormEncode(kScript) +
                     "&options=" + FormEncode(std::string("free\n") + kImg),
                 "/admin/custom-fields")
                ->status,
            303);
  auto orgs = Get("/admin/organizations", owner);
  EXPECT_NE(orgs->body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  ExpectNoLiveMarkup(orgs->body, "organizations");
  ExpectNoLiveMarkup(Get("/admin/departments", owner)->body, "departments");
  ExpectNoLiveMarkup(Get("/admin/custom-fields", owner)->body, "fields");
  ExpectNoLiveMarkup(Get("/admin/custom-fields/1", owner)->body, "field");
  ExpectNoLiveMarkup(Get("/admin/organizations/1", owner)->body, "organization");
  // The errors name the field.
  auto dup = Post("/admin/departments", owner, "name=" + FormEncode(kImg), "/admin/departments");
  EXPECT_EQ(dup->status, 422);
  EXPECT_NE(dup->body.find("name: is already used"), std::string::npos);
  auto big =
      Post("/admin/organizations", owner, "name=" + std::string(201, 'x'), "/admin/organizations");
  EXPECT_EQ(big->status, 422);
  EXPECT_NE(big->body.find("name: must be at most 200"), std::string::npos);

  const std::string before =
      Get("/admin/organizations", owner)->body + Get("/admin/departments", owner)->body;
  // An agent has the form token of its own pages, not the permission.
  EXPECT_EQ(Post("/admin/organizations", agent, "name=Agents+Inc", "/agent/")->status, 403);
  EXPECT_EQ(Post("/admin/departments", agent, "name=Agents", "/agent/")->status, 403);
  EXPECT_EQ(Post("/admin/departments/1/delete", agent, "", "/agent/")->status, 403);
  EXPECT_EQ(Post("/admin/organizations", ana, "name=Mine", "/portal/")->status, 403);
  // The owner's own session without the token.
  EXPECT_EQ(Post("/admin/organizations", owner, "name=NoToken", "")->status, 403);
  EXPECT_EQ(Post("/admin/departments/1/delete", owner, "", "")->status, 403);
  EXPECT_EQ(Get("/admin/organizations", owner)->body + Get("/admin/departments", owner)->body,
            before);
  // Renaming and sharing in one form.
  EXPECT_EQ(Post("/admin/organizations/1", agent, "name=Taken", "/agent/")->status, 403);
  EXPECT_EQ(
      Post("/admin/organizations/1", owner, "name=Renamed+Co", "/admin/organizations/1")->status,
      303);
  auto renamed = Get("/admin/organizations/1", owner);
  EXPECT_NE(renamed->body.find("value=\"Renamed Co\""), std::string::npos);
  EXPECT_EQ(renamed->body.find("value=\"1\" checked"), std::string::npos);
  EXPECT_EQ(Get("/admin/organizations/999", owner)->status, 404);
}

TEST_F(AdminHelpdeskTest, ADepartmentInUseIsDeletedOnlyByMovingItsPeopleAndTickets) {
  ASSERT_EQ(
      RunRampart({"user", "add", "--data-dir", dir_.Path().string(), "--email", "alpha@example.com",
                  "--role", "agent", "--department", "Alpha", "--password-stdin"},
                 std::string(kPassword) + "\n", kFastHashing)
          .exit_code,
      0);
  const std::string owner = SignInOwner();
  ASSERT_EQ(Post("/admin/departments", owner, "name=Beta", "/admin/departments")->status, 303);
  auto refused = Post("/admin/departments/1/delete", owner, "move_to=", "/admin/departments");
  EXPECT_EQ(refused->status, 409);
  EXPECT_NE(refused->body.find("choose a department to move them to"), std::string::npos);
  EXPECT_EQ(Post("/admin/departments/1/delete", owner, "move_to=1", "/admin/departments")->status,
            422);
  EXPECT_NE(Get("/admin/departments", owner)->body.find("<h2 id=\"dep-1\">Alpha</h2>"),
            std::string::npos);
  EXPECT_EQ(Post("/admin/departments/1/delete", owner, "move_to=2", "/admin/departments")->status,
            303);
  const std::string after = Get("/admin/departments", owner)->body;
  EXPECT_EQ(after.find(">Alpha<"), std::string::npos);
  EXPECT_NE(after.find("0 tickets · 1 members"), std::string::npos) << after;
}

TEST_F(AdminHelpdeskTest, AgentsUseCannedResponsesWithPlaceholdersFilledAsText) {
  const std::string owner = SignInOwner();
  const std::string agent = SignIn("agent@example.com");
  const std::string ana = SignIn("ana@example.com");
  const std::string number = OpenTicket(ana, "Printer jammed");
  EXPECT_EQ(Post("/agent/canned-responses", agent,
                 "title=" + FormEncode(kImg) + "&body=" +
                     FormEncode(std::string("Hi {{requester.name}}, about {{ticket.number}}: ") +
                                kScript),
                 "/agent/canned-responses")
                ->status,
            303);
  EXPECT_EQ(
      Post("/admin/canned-responses", owner, "title=Shared&body=Thanks!", "/admin/canned-responses")
          ->status,
      303);
  auto page = Get("/agent/tickets/" + number, agent);
  ASSERT_EQ(page->status, 200);
  ExpectNoLiveMarkup(page->body, "ticket page with picker");
  EXPECT_NE(page->body.find("Shared (shared)"), std::string::npos);
  auto filled = Get("/agent/tickets/" + number + "?canned=1", agent);
  ASSERT_EQ(filled->status, 200);
  EXPECT_NE(filled->body.find("Hi ana, about " + number + ": &lt;script&gt;"), std::string::npos)
      << filled->body;
  ExpectNoLiveMarkup(filled->body, "prefilled reply");
  ExpectNoLiveMarkup(Get("/agent/canned-responses", agent)->body, "canned list");
  // Another agent's response cannot be inserted, edited or deleted; an end user has no list.
  ASSERT_EQ(RunRampart({"user", "add", "--data-dir", dir_.Path().string(), "--email",
                        "other@example.com", "--role", "agent", "--password-stdin"},
                       std::string(kPassword) + "\n", kFastHashing)
                .exit_code,
            0);
  const std::string other = SignIn("other@example.com");
  EXPECT_EQ(Get("/agent/tickets/" + number + "?canned=1", other)->status, 422);
  EXPECT_EQ(Post("/agent/canned-responses/1", other, "title=Mine&body=x", "/agent/canned-responses")
                ->status,
            404);
  EXPECT_EQ(Post("/agent/canned-responses/1/delete", other, "", "/agent/canned-responses")->status,
            404);
  EXPECT_EQ(Post("/agent/canned-responses/1/delete", agent, "", "")->status, 403);
  EXPECT_EQ(Post("/admin/canned-responses/2/delete", agent, "", "/agent/canned-responses")->status,
            403);
  EXPECT_EQ(Get("/agent/canned-responses", ana)->status, 404);
  EXPECT_NE(Get("/agent/canned-responses", agent)->body.find("Hi {{requester.name}}"),
            std::string::npos);
}

TEST_F(AdminHelpdeskTest, AgentsBulkAssignAndEndUsersCannot) {
  const std::string agent = SignIn("agent@example.com");
  const std::string ana = SignIn("ana@example.com");
  const std::string a = OpenTicket(ana, "First");
  const std::string b = OpenTicket(ana, "Second");
  auto queue = Get("/agent/?view=unassigned", agent);
  EXPECT_NE(queue->body.find("name=\"ticket\" value=\"" + a + "\""), std::string::npos);
  // Without the token, and from a customer: nothing changes.
  EXPECT_EQ(Post("/agent/bulk", agent, "ticket=" + a + "&change=assign&assignee=me", "")->status,
            403);
  EXPECT_EQ(
      Post("/agent/bulk", ana, "ticket=" + a + "&change=status&status=closed", "/portal/")->status,
      404);
  EXPECT_EQ(Get("/agent/?view=mine", agent)->body.find(a), std::string::npos);
  std::string many;
  for (int i = 0; i < 51; ++i) many += "ticket=RMP-" + std::to_string(1001 + i) + "&";
  EXPECT_EQ(Post("/agent/bulk", agent, many + "change=assign&assignee=me", "/agent/")->status, 422);
  auto done = Post("/agent/bulk", agent,
                   "ticket=" + a + "&ticket=" + b + "&ticket=RMP-999999&change=assign&assignee=me",
                   "/agent/");
  ASSERT_EQ(done->status, 200);
  EXPECT_NE(done->body.find("2 changed, 0 already so, 1 skipped."), std::string::npos);
  const auto mine = Get("/agent/?view=mine", agent)->body;
  EXPECT_NE(mine.find(a), std::string::npos);
  EXPECT_NE(mine.find(b), std::string::npos);
}

TEST_F(AdminHelpdeskTest, OpenSignUpNeverTellsWhetherAnAddressHasAnAccount) {
  auto closed = Request(Port(), "GET", "/signup");
  EXPECT_EQ(closed->status, 404);
  ASSERT_EQ(RunRampart({"portal", "sign-up", "--data-dir", dir_.Path().string(), "--mode", "open"})
                .exit_code,
            0);
  const auto submit = [&](const std::string& email) {
    auto form = Request(Port(), "GET", "/signup");
    EXPECT_EQ(form->status, 200);
    auto headers = kForm;
    headers["Cookie"] = "__Host-rampart_csrf=" + CookieValue(*form, "__Host-rampart_csrf");
    return Request(Port(), "POST", "/signup",
                   "csrf_token=" + CsrfField(form->body) + "&email=" + FormEncode(email), headers);
  };
  auto fresh = submit("carol@example.com");
  auto existing = submit("bob@example.com");
  ASSERT_EQ(fresh->status, 200);
  ASSERT_EQ(existing->status, 200);
  std::string a = fresh->body, b = existing->body;
  a.replace(a.find("carol@example.com"), 17, "X");
  b.replace(b.find("bob@example.com"), 15, "X");
  EXPECT_EQ(a, b);
  EXPECT_FALSE(fresh->Header("set-cookie").has_value() &&
               fresh->Header("set-cookie")->find("rampart_session") != std::string::npos);
  // Without the form token nothing is sent.
  const std::string mail_before = Outbox();
  auto forged = Request(Port(), "POST", "/signup", "email=dave%40example.com", kForm);
  EXPECT_EQ(forged->status, 403);
  EXPECT_EQ(Outbox(), mail_before);

  std::smatch m;
  ASSERT_TRUE(std::regex_search(mail_before, m,
                                std::regex("To: carol@example.com[^-]*token=([A-Za-z0-9_-]{43})")));
  const std::string token = m[1].str();
  EXPECT_EQ(mail_before.find("To: bob@example.com\nSubject: Finish"), std::string::npos);
  auto complete = Request(Port(), "GET", "/signup/complete?token=" + token);
  ASSERT_EQ(complete->status, 200);
  auto headers = kForm;
  headers["Cookie"] = "__Host-rampart_csrf=" + CookieValue(*complete, "__Host-rampart_csrf");
  const std::string form = "csrf_token=" + CsrfField(complete->body) + "&token=" + token;
  auto forged_complete =
      Request(Port(), "POST", "/signup/complete",
              "token=" + token + "&name=Carol&password=" + FormEncode(kPassword), kForm);
  EXPECT_EQ(forged_complete->status, 403);
  auto weak =
      Request(Port(), "POST", "/signup/complete", form + "&name=Carol&password=short", headers);
  EXPECT_EQ(weak->status, 422);
  EXPECT_NE(weak->body.find("password:"), std::string::npos);
  auto made =
      Request(Port(), "POST", "/signup/complete",
              form + "&name=" + FormEncode(kImg) + "&password=" + FormEncode(kPassword), headers);
  ASSERT_EQ(made->status, 303);
  EXPECT_EQ(made->Header("location"), "/portal/");
  const std::string session = CookieValue(*made, "__Host-rampart_session");
  auto portal = Get("/portal/", session);
  EXPECT_EQ(portal->status, 200);
  ExpectNoLiveMarkup(portal->body, "portal of the new user");
  // The link is used up.
  EXPECT_EQ(Request(Port(), "GET", "/signup/complete?token=" + token)->status, 404);
}

TEST_F(AdminHelpdeskTest, AdminsInviteAndChangeTheSignUpMode) {
  const std::string owner = SignInOwner();
  auto saved = Post("/admin/portal", owner, "mode=domains&domains=example.org", "/admin/portal");
  EXPECT_EQ(saved->status, 303);
  auto bad = Post("/admin/portal", owner, "mode=domains&domains=", "/admin/portal");
  EXPECT_EQ(bad->status, 422);
  EXPECT_NE(bad->body.find("domains:"), std::string::npos);
  EXPECT_EQ(Request(Port(), "GET", "/signup")->status, 200);
  const std::string agent = SignIn("agent@example.com");
  EXPECT_EQ(Post("/admin/portal", agent, "mode=open", "/agent/")->status, 403);
  EXPECT_EQ(Post("/admin/portal/invites", agent, "email=x%40example.com", "/agent/")->status, 403);
  EXPECT_EQ(Post("/admin/portal/invites", owner, "email=x%40example.com", "")->status, 403);
  EXPECT_EQ(Outbox().find("x@example.com"), std::string::npos);
  auto invited = Post("/admin/portal/invites", owner, "email=" + FormEncode("guest@elsewhere.net"),
                      "/admin/portal");
  ASSERT_EQ(invited->status, 200);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(invited->body, m,
                                std::regex("/signup/complete\\?token=([A-Za-z0-9_-]{43})")));
  EXPECT_NE(Outbox().find(m[1].str()), std::string::npos);
  // Invitations do not depend on the listed domains.
  EXPECT_EQ(Request(Port(), "GET", "/signup/complete?token=" + m[1].str())->status, 200);
}

}  // namespace
}  // namespace rampart::testing
