// The route × actor access matrix (OWASP Authorization Testing Automation): the real binary
// lists its routes (`rampart routes --format tsv`); every route is called as every actor, with
// path parameters naming real objects that belong to someone else, and the answer's status is
// held against tests/integration/access_matrix.txt. A route without an expectation fails, so
// no route can be added without someone deciding who may call it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>

#include "support/http_client.h"
#include "support/server_process.h"
#include "support/web_session.h"

namespace rampart::testing {
namespace {

constexpr const char* kPassword = "a long enough passphrase 2026";
const std::map<std::string, std::string> kFastHashing = {{"RAMPART_AUTH_HASH_MEMORY_KIB", "19456"}};
constexpr const char* kSessionCookie = "__Host-rampart_session";

struct RouteLine {
  std::string method;
  std::string pattern;
  std::string Key() const { return method + " " + pattern; }
};

// Who calls. Web actors carry a session; token actors an API token (on /api/ routes only).
struct Caller {
  std::string name;
  std::string email;  // for a fresh sign-in; "" for anonymous and tokens
  std::string session;
  std::string csrf;
  std::string token;
  bool second_factor = false;  // owners and admins: signs in with a recovery code
};

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

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// "2xx" matches any 2xx; "404" only 404.
bool Matches(const std::string& expected, int status) {
  if (expected.size() == 3 && expected[1] == 'x' && expected[2] == 'x') {
    return status / 100 == expected[0] - '0';
  }
  return expected == std::to_string(status);
}

class AccessMatrixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    d_ = dir_.Path().string();
    ASSERT_EQ(RunRampart({"init", "--data-dir", d_, "--owner-email", "owner@example.com"},
                         std::string(kPassword) + "\n", kFastHashing)
                  .exit_code,
              0);
    // Alpha is department 1, Beta department 2: created in this order.
    AddUser("admin@example.com", "admin", {});
    AddUser("agent.a@example.com", "agent", {"--department", "Alpha"});
    AddUser("agent.b@example.com", "agent", {"--department", "Beta"});
    AddUser("agent.all@example.com", "agent", {"--department", "Alpha", "--all-departments"});
    AddUser("ana@example.com", "end_user", {});
    AddUser("bob@example.com", "end_user", {});
    AddUser("amy@example.com", "end_user", {});
    carol_id_ = AddUser("carol@example.com", "end_user", {});
    // Organizations have no command yet: Ana and Amy work at Acme, which shares its tickets
    // among its people; Bob at Globex.
    const std::string sql =
        "INSERT INTO organizations (id, name, shared_tickets, created_at) VALUES "
        "(1, 'Acme', 1, 0), (2, 'Globex', 0, 0);"
        "UPDATE users SET organization_id = 1 WHERE email IN ('ana@example.com', "
        "'amy@example.com');"
        "UPDATE users SET organization_id = 2 WHERE email = 'bob@example.com';";
    ASSERT_EQ(
        std::system(
            ("sqlite3 " + (dir_.Path() / "rampart.db").string() + " \"" + sql + "\"").c_str()),
        0);
    ana_token_ = Token("ana@example.com", "write");
    const std::string admin_read = Token("admin@example.com", "read");
    const std::string admin_write = Token("admin@example.com", "write");
    admin_token_ = Token("admin@example.com", "admin");
    server_ = std::make_unique<ServerProcess>(dir_.Path(), kFastHashing);
    ASSERT_TRUE(server_->Started()) << server_->Logs();

    callers_.push_back({"anonymous", "", "", AnonymousCsrf(), "", false});
    for (auto [name, email, mfa] : {std::tuple{"end_user", "ana@example.com", false},
                                    std::tuple{"end_user_same_org", "amy@example.com", false},
                                    std::tuple{"end_user_other_org", "bob@example.com", false},
                                    std::tuple{"agent_dept_a", "agent.a@example.com", false},
                                    std::tuple{"agent_all", "agent.all@example.com", false},
                                    std::tuple{"admin", "admin@example.com", true},
                                    std::tuple{"owner", "owner@example.com", true}}) {
      Caller c{name, email, "", "", "", mfa};
      c.session = mfa ? Enrol(email) : PasswordSignIn(email);
      ASSERT_FALSE(c.session.empty()) << name;
      c.csrf = SessionCsrf(c.session);
      callers_.push_back(c);
    }
    // One of Carol's sessions, by the handle her sessions page names it with: nobody else may
    // end it.
    const std::string carol_first = PasswordSignIn("carol@example.com");
    const std::string carol_second = PasswordSignIn("carol@example.com");
    std::smatch handle;
    const std::string sessions = Get("/account/sessions", carol_second)->body;
    ASSERT_TRUE(
        std::regex_search(sessions, handle, std::regex(R"(/account/sessions/([0-9a-f]+)/revoke)")));
    carol_handle_ = handle[1].str();
    ASSERT_FALSE(carol_first.empty());
    carol_session_ = carol_first;
    agent_b_session_ = PasswordSignIn("agent.b@example.com");
    agent_b_csrf_ = SessionCsrf(agent_b_session_);
    // A file Ana attached to her ticket in Beta, through the API.
    auto uploaded = Request(
        Port(), "POST", "/api/v1/tickets/" + FreshTicket() + "/attachments?filename=matrix.txt",
        "Hello",
        {{"Authorization", "Bearer " + ana_token_}, {"Content-Type", "application/octet-stream"}});
    ASSERT_TRUE(uploaded && uploaded->status == 201) << (uploaded ? uploaded->body : "no answer");
    const std::string location = uploaded->Header("location").value_or("");
    attachment_id_ = location.substr(location.rfind('/') + 1);
    ASSERT_FALSE(attachment_id_.empty());
    // A reset token nobody was sent: every actor gets the same answer.
    reset_token_ = std::string(43, 'A');
    callers_.push_back({"token_read", "", "", "", admin_read, false});
    callers_.push_back({"token_write", "", "", "", admin_write, false});
  }

  std::int64_t AddUser(const std::string& email, const std::string& role,
                       std::vector<std::string> extra) {
    std::vector<std::string> args = {"user",   "add", "--data-dir",      d_, "--email", email,
                                     "--role", role,  "--password-stdin"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = RunRampart(args, std::string(kPassword) + "\n", kFastHashing);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::smatch m;
    return std::regex_search(r.out, m, std::regex(R"(\(id (\d+)\))")) ? std::stoll(m[1]) : 0;
  }

  std::string Token(const std::string& email, const std::string& scope) {
    const auto r = RunRampart({"token", "create", "--data-dir", d_, "--user", email, "--scope",
                               scope, "--name", "matrix"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return Trimmed(r.out);
  }

  int Port() const { return server_->PublicPort(); }

  std::string AnonymousCsrf() {
    auto page = Request(Port(), "GET", "/login");
    anonymous_cookie_ = "__Host-rampart_csrf=" + CookieValue(*page, "__Host-rampart_csrf");
    return CsrfField(page->body);
  }

  // The password step; returns the session (partial when a second factor follows).
  std::string PasswordStep(const std::string& email, std::string* location = nullptr) {
    auto page = Request(Port(), "GET", "/login");
    const std::string cookie = CookieValue(*page, "__Host-rampart_csrf");
    auto r = Request(Port(), "POST", "/login",
                     "csrf_token=" + CsrfField(page->body) + "&email=" + FormEncode(email) +
                         "&password=" + FormEncode(kPassword),
                     {{"Content-Type", "application/x-www-form-urlencoded"},
                      {"Cookie", "__Host-rampart_csrf=" + cookie}});
    EXPECT_EQ(r->status, 303) << email << ": " << r->body.substr(0, 300);
    if (location != nullptr) *location = r->Header("location").value_or("");
    return CookieValue(*r, kSessionCookie);
  }
  std::string PasswordSignIn(const std::string& email) { return PasswordStep(email); }

  // Owners and admins must enrol a second factor; keeps the recovery codes for fresh sign-ins.
  std::string Enrol(const std::string& email) {
    const std::string partial = PasswordStep(email);
    auto setup = Get("/account/2fa/setup", partial);
    std::smatch m;
    if (!std::regex_search(setup->body, m, std::regex(R"re(id="totp-secret">([A-Z2-7]+)<)re"))) {
      ADD_FAILURE() << "no secret on the setup page for " << email;
      return "";
    }
    auto done = Post("/account/2fa/setup", partial,
                     "csrf_token=" + CsrfField(setup->body) +
                         "&code=" + Oathtool(m[1].str(), std::time(nullptr)));
    EXPECT_EQ(done->status, 200) << done->body.substr(0, 300);
    const std::regex code_re(R"re(<code>([A-Za-z0-9-]{19})</code>)re");
    for (std::sregex_iterator it(done->body.begin(), done->body.end(), code_re), end; it != end;
         ++it) {
      recovery_codes_[email].push_back((*it)[1].str());
    }
    return CookieValue(*done, kSessionCookie);
  }

  // A second session for the same person (for a request that ends its session: sign-out).
  std::string FreshSession(const Caller& c) {
    if (!c.second_factor) return PasswordSignIn(c.email);
    const std::string partial = PasswordStep(c.email);
    auto prompt = Get("/login/2fa", partial);
    auto& codes = recovery_codes_[c.email];
    if (codes.empty()) return "";
    const std::string code = codes.back();
    codes.pop_back();
    auto done =
        Post("/login/2fa", partial, "csrf_token=" + CsrfField(prompt->body) + "&code=" + code);
    return CookieValue(*done, kSessionCookie);
  }

  std::string SessionCsrf(const std::string& session) {
    return CsrfField(Get("/account/sessions", session)->body);
  }

  std::optional<HttpResponse> Get(const std::string& target, const std::string& session) {
    return Request(Port(), "GET", target, "",
                   {{"Cookie", std::string(kSessionCookie) + "=" + session}});
  }
  std::optional<HttpResponse> Post(const std::string& target, const std::string& session,
                                   const std::string& body) {
    return Request(Port(), "POST", target, body,
                   {{"Cookie", std::string(kSessionCookie) + "=" + session},
                    {"Content-Type", "application/x-www-form-urlencoded"}});
  }

  // A new ticket of Ana's in Beta (department 2): out of reach of an Alpha agent and of Bob.
  std::string FreshTicket() {
    auto r =
        Request(Port(), "POST", "/api/v1/tickets",
                R"({"subject":"Matrix fixture","body":"Hello","department":2})",
                {{"Authorization", "Bearer " + ana_token_}, {"Content-Type", "application/json"}});
    std::smatch m;
    if (!r || r->status != 201 ||
        !std::regex_search(r->body, m, std::regex(R"re("number":"(RMP-\d+)")re"))) {
      ADD_FAILURE() << "fixture ticket not created: " << (r ? r->body : "no answer");
      return "RMP-0";
    }
    return m[1].str();
  }

  // A new custom role made by the owner.
  std::string FreshRole() {
    const Caller& owner = ByName("owner");
    auto r = Post("/admin/roles", owner.session,
                  "csrf_token=" + owner.csrf + "&name=Fixture+" + std::to_string(++serial_) +
                      "&permission=ticket.view&scope=listed");
    std::smatch m;
    const std::string location = r ? r->Header("location").value_or("") : "";
    if (!std::regex_search(location, m, std::regex(R"(/admin/roles/(\d+))"))) {
      ADD_FAILURE() << "fixture role not created: " << (r ? r->body.substr(0, 300) : "no answer");
      return "0";
    }
    return m[1].str();
  }

  std::string Serial() { return std::to_string(++serial_); }

  // The newest of the owner's helpdesk objects of one kind: created through its admin page,
  // then read back as the highest id the list links to.
  std::string FreshAdminObject(const std::string& list, const std::string& fields,
                               const std::string& link) {
    const Caller& owner = ByName("owner");
    auto created = Post(list, owner.session, "csrf_token=" + owner.csrf + "&" + fields);
    if (!created || created->status != 303) {
      ADD_FAILURE() << "fixture not created at " << list << ": "
                    << (created ? created->body.substr(0, 300) : "no answer");
      return "0";
    }
    return HighestId(Get(list, owner.session)->body, link);
  }

  static std::string HighestId(const std::string& html, const std::string& link) {
    long long best = 0;
    const std::regex re(link);
    for (std::sregex_iterator it(html.begin(), html.end(), re), end; it != end; ++it) {
      best = std::max(best, std::stoll((*it)[1].str()));
    }
    if (best == 0) ADD_FAILURE() << "no " << link << " in the page";
    return std::to_string(best);
  }

  // A personal canned response of agent B (Beta), who is no actor: nobody else may change it.
  std::string FreshPersonalCanned() {
    auto created = Post("/agent/canned-responses", agent_b_session_,
                        "csrf_token=" + agent_b_csrf_ + "&title=Mine+" + Serial() + "&body=Hello");
    if (!created || created->status != 303) {
      ADD_FAILURE() << "personal canned response not created";
      return "0";
    }
    return HighestId(Get("/agent/canned-responses", agent_b_session_)->body,
                     R"(/agent/canned-responses/(\d+))");
  }

  const Caller& ByName(const std::string& name) const {
    for (const Caller& c : callers_) {
      if (c.name == name) return c;
    }
    throw std::runtime_error("no caller " + name);
  }

  // The pattern with each {param} replaced by a real object's id or number.
  std::string FillPath(const std::string& pattern, std::string* extra_form) {
    std::string out;
    std::size_t i = 0;
    while (i < pattern.size()) {
      if (pattern[i] != '{') {
        out += pattern[i++];
        continue;
      }
      const std::size_t close = pattern.find('}', i);
      const std::string name = pattern.substr(i + 1, close - i - 1);
      i = close + 1;
      if (name == "number") {
        out += FreshTicket();
        // A merge needs a target; it too belongs to Ana, in Beta.
        if (pattern.find("/merge") != std::string::npos) *extra_form += "&target=" + FreshTicket();
      } else if (name == "id" && (pattern.rfind("/admin/users/", 0) == 0 ||
                                  pattern.rfind("/api/v1/users/", 0) == 0)) {
        out += std::to_string(carol_id_);
      } else if (name == "id" && pattern.rfind("/admin/roles/", 0) == 0) {
        out += FreshRole();
      } else if (name == "id" && pattern.rfind("/admin/organizations/", 0) == 0) {
        out += FreshAdminObject("/admin/organizations", "name=Matrix+Org+" + Serial(),
                                R"(/admin/organizations/(\d+))");
      } else if (name == "id" && pattern.rfind("/admin/departments/", 0) == 0) {
        out += FreshAdminObject("/admin/departments", "name=Matrix+Dept+" + Serial(),
                                R"(/admin/departments/(\d+)/)");
      } else if (name == "id" && pattern.rfind("/admin/custom-fields/", 0) == 0) {
        const std::string n = Serial();
        out += FreshAdminObject("/admin/custom-fields",
                                "key=matrix_" + n + "&label=Matrix+" + n + "&kind=text",
                                R"(/admin/custom-fields/(\d+))");
      } else if (name == "id" && pattern.rfind("/admin/canned-responses/", 0) == 0) {
        out +=
            FreshAdminObject("/admin/canned-responses", "title=Shared+" + Serial() + "&body=Hello",
                             R"(/admin/canned-responses/(\d+))");
      } else if (name == "id" && pattern.rfind("/admin/mailboxes/", 0) == 0) {
        out += FreshAdminObject("/admin/mailboxes", MailboxFields(Serial()),
                                R"(/admin/mailboxes/(\d+))");
      } else if (name == "id" && pattern.rfind("/agent/canned-responses/", 0) == 0) {
        out += FreshPersonalCanned();
      } else if (name == "id" && (pattern.rfind("/attachments/", 0) == 0 ||
                                  pattern.rfind("/api/v1/attachments/", 0) == 0)) {
        out += attachment_id_;
      } else if (name == "token") {
        out += reset_token_;
      } else if (name == "handle") {
        out += carol_handle_;
      } else if (name == "name") {
        out += "app.css";
      } else {
        ADD_FAILURE() << "no fixture for {" << name << "} in " << pattern
                      << ": add one to AccessMatrixTest::FillPath";
        out += "0";
      }
    }
    return out;
  }

  // A mailbox an MTA pipes into (no IMAP account), named by `serial`.
  static std::string MailboxFields(const std::string& serial) {
    return "name=Matrix+Mailbox+" + serial + "&address=matrix" + serial +
           "%40help.example&department_id=&imap_host=&imap_port=993&imap_security=tls"
           "&imap_username=&imap_password=&imap_folder=INBOX&poll_seconds=60&enabled=1";
  }

  // A minimal valid body: what the route needs to succeed for someone allowed.
  std::string FormBody(const RouteLine& r) {
    const std::string k = r.Key();
    const std::string n = std::to_string(++serial_);
    if (k == "POST /login") return "email=&password=";
    if (k == "POST /login/2fa" || k == "POST /account/2fa/setup") return "code=000000";
    if (k == "POST /portal/tickets") return "subject=Matrix&body=Hello";
    if (k.find("/reply") != std::string::npos) return "body=Hello";
    if (k == "POST /portal/tickets/{number}/status") return "status=solved";
    if (k == "POST /agent/tickets/{number}/status") return "status=pending";
    if (k == "POST /agent/tickets/{number}/priority") return "priority=high";
    if (k == "POST /agent/tickets/{number}/assign") return "assignee=me";
    if (k == "POST /admin/users") return "email=matrix" + n + "%40example.com&role_id=4";
    if (k == "POST /admin/users/{id}/access") return "role_id=4";
    if (k == "POST /admin/organizations" || k == "POST /admin/organizations/{id}") {
      return "name=Matrix+Org+" + n;
    }
    if (k == "POST /admin/departments" || k == "POST /admin/departments/{id}/rename") {
      return "name=Matrix+Dept+" + n;
    }
    if (k == "POST /admin/custom-fields") return "key=matrix_x" + n + "&label=X" + n + "&kind=text";
    if (k == "POST /admin/custom-fields/{id}") return "label=Renamed+" + n + "&kind=text";
    if (k == "POST /admin/custom-fields/{id}/active") return "active=0";
    if (k.find("/canned-responses") != std::string::npos && !k.ends_with("/delete")) {
      return "title=Matrix+" + n + "&body=Hello";
    }
    if (k == "POST /admin/portal/invites") return "email=invited" + n + "%40example.com";
    if (k == "POST /admin/mailboxes" || k == "POST /admin/mailboxes/{id}") {
      return MailboxFields("x" + n);
    }
    if (k == "POST /agent/bulk") return "change=status&status=pending";
    if (k == "POST /admin/roles" || k == "POST /admin/roles/{id}") {
      return "name=Matrix+" + n + "&permission=ticket.view&scope=listed";
    }
    return "";
  }
  std::string JsonBody(const RouteLine& r) {
    const std::string k = r.Key();
    if (k == "POST /api/v1/tickets") return R"({"subject":"Matrix","body":"Hello"})";
    if (k == "PATCH /api/v1/tickets/{number}") return R"({"status":"solved"})";
    if (k == "POST /api/v1/tickets/{number}/messages") return R"({"body":"Hello"})";
    if (k == "PATCH /api/v1/users/{id}") return R"({"role_id":4})";
    if (k == "POST /api/v1/users") {
      return R"({"email":"api)" + std::to_string(++serial_) + R"(@example.com","role_id":4})";
    }
    return "{}";
  }

  int Call(const Caller& c, const RouteLine& r) {
    const bool api = r.pattern.rfind("/api/", 0) == 0;
    std::string extra_form;
    std::string path = FillPath(r.pattern, &extra_form);
    if (r.method == "GET" && path.ends_with("/search")) path += "?q=matrix";
    if (r.Key() == "POST /api/v1/tickets/{number}/attachments") path += "?filename=matrix.txt";
    // A bulk change names its tickets in the form: a fresh one of Ana's in Beta.
    std::string bulk_ticket;
    if (r.Key() == "POST /agent/bulk") {
      bulk_ticket = FreshTicket();
      extra_form += "&ticket=" + bulk_ticket;
    }
    std::map<std::string, std::string> headers;
    std::string session = c.session;
    // Signing out ends the session it is sent with: use one made for it.
    std::string csrf = c.csrf;
    if (r.Key() == "POST /logout" && !session.empty()) {
      session = FreshSession(c);
      csrf = SessionCsrf(session);
    }
    if (!session.empty()) headers["Cookie"] = std::string(kSessionCookie) + "=" + session;
    if (c.name == "anonymous") headers["Cookie"] = anonymous_cookie_;
    if (!c.token.empty()) headers["Authorization"] = "Bearer " + c.token;
    std::string body;
    if (r.method != "GET") {
      if (api) {
        body = JsonBody(r);
        headers["Content-Type"] = "application/json";
        if (!csrf.empty()) headers["X-CSRF-Token"] = csrf;
      } else {
        body = "csrf_token=" + csrf;
        const std::string fields = FormBody(r) + extra_form;
        if (!fields.empty()) body += (fields[0] == '&' ? "" : "&") + fields;
        headers["Content-Type"] = "application/x-www-form-urlencoded";
      }
    }
    auto response = Request(Port(), r.method, path, body, headers);
    // A bulk change answers 200 with what it skipped: the ticket must be untouched for those
    // who may not change it.
    if (!bulk_ticket.empty()) {
      const bool may_change = c.name == "agent_all" || c.name == "admin" || c.name == "owner";
      auto ticket = Request(Port(), "GET", "/api/v1/tickets/" + bulk_ticket, "",
                            {{"Authorization", "Bearer " + ana_token_}});
      const bool changed =
          ticket && ticket->body.find(R"("status":"pending")") != std::string::npos;
      EXPECT_EQ(changed, may_change) << "bulk change of Ana's ticket as " << c.name;
    }
    return response ? response->status : 0;
  }

  TempDir dir_;
  std::string d_;
  std::unique_ptr<ServerProcess> server_;
  std::vector<Caller> callers_;
  std::map<std::string, std::vector<std::string>> recovery_codes_;
  std::string anonymous_cookie_;
  std::string ana_token_;
  std::string admin_token_;  // the admin's token of scope admin (not a matrix actor)
  std::int64_t carol_id_ = 0;
  std::string carol_handle_;
  std::string carol_session_;
  std::string agent_b_session_;
  std::string agent_b_csrf_;
  std::string attachment_id_;
  std::string reset_token_;
  int serial_ = 0;
};

std::vector<RouteLine> RoutesOfTheBinary() {
  const auto r = RunRampart({"routes", "--format", "tsv"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<RouteLine> out;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    RouteLine route;
    std::getline(fields, route.method, '\t');
    std::getline(fields, route.pattern, '\t');
    if (!route.pattern.empty()) out.push_back(route);
  }
  return out;
}

// "METHOD PATTERN ACTOR" → expected status or class.
std::map<std::string, std::string> Expectations() {
  std::ifstream in(std::string(RAMPART_SOURCE_DIR) + "/tests/integration/access_matrix.txt");
  EXPECT_TRUE(in) << "tests/integration/access_matrix.txt is missing";
  std::map<std::string, std::string> out;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string method, pattern, actor, expected, rest;
    fields >> method >> pattern >> actor >> expected;
    if (expected.empty() || (fields >> rest)) {
      ADD_FAILURE() << "access_matrix.txt:" << number << ": expected METHOD PATTERN ACTOR STATUS";
      continue;
    }
    std::string key = method;
    key.append(" ").append(pattern).append(" ").append(actor);
    EXPECT_FALSE(out.contains(key)) << "access_matrix.txt:" << number << ": repeats " << key;
    out[key] = expected;
  }
  return out;
}

TEST_F(AccessMatrixTest, EveryRouteAnswersEveryActorAsTheTableSays) {
  const std::vector<RouteLine> routes = RoutesOfTheBinary();
  ASSERT_GT(routes.size(), 40U);
  const auto expected = Expectations();
  std::set<std::string> used;
  std::ostringstream observed;  // the table as the server answers it, for RAMPART_MATRIX_OBSERVED
  for (const RouteLine& r : routes) {
    const bool api = r.pattern.rfind("/api/", 0) == 0;
    for (const Caller& c : callers_) {
      if (!api && !c.token.empty()) continue;  // tokens are read on /api/ only
      const std::string key = r.Key() + " " + c.name;
      const int status = Call(c, r);
      observed << key << " " << status << "\n";
      const auto it = expected.find(key);
      if (it == expected.end()) {
        ADD_FAILURE() << "no expectation for " << key << " (answered " << status
                      << "): add a line to tests/integration/access_matrix.txt";
        continue;
      }
      used.insert(key);
      EXPECT_TRUE(Matches(it->second, status))
          << r.Key() << " as " << c.name << ": expected " << it->second << ", got " << status;
    }
    if (r.Key() == "POST /account/sessions/{handle}/revoke") {
      EXPECT_EQ(Get("/account/sessions", carol_session_)->status, 200)
          << "someone ended Carol's session by naming its handle";
    }
  }
  for (const auto& [key, value] : expected) {
    EXPECT_TRUE(used.contains(key)) << "access_matrix.txt names a route or actor that does not "
                                       "exist (anymore): "
                                    << key;
  }
  if (const char* path = std::getenv("RAMPART_MATRIX_OBSERVED")) {
    std::ofstream(path) << observed.str();
  }
}

// The role a user holds now, as the admin's API token reads it.
std::string RoleOf(int port, const std::string& admin_token, const std::string& email) {
  auto r = Request(port, "GET", "/api/v1/users?q=" + FormEncode(email), "",
                   {{"Authorization", "Bearer " + admin_token}});
  std::smatch m;
  if (!r || !std::regex_search(r->body, m, std::regex(R"re("role":"([^"]*)")re"))) return "?";
  return m[1].str();
}

TEST_F(AccessMatrixTest, ADemotionAppliesAtTheNextRequestAndEndsTheOldSession) {
  const Caller& admin = ByName("admin");
  const Caller& agent = ByName("agent_dept_a");
  ASSERT_EQ(Get("/agent/", agent.session)->status, 200);
  auto page = Get("/admin/users?q=agent.a%40example", admin.session);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(page->body, m, std::regex(R"(/admin/users/(\d+))")));
  const std::string id = m[1].str();
  auto changed = Post("/admin/users/" + id + "/access", admin.session,
                      "csrf_token=" + admin.csrf + "&role_id=4");
  ASSERT_EQ(changed->status, 303) << changed->body.substr(0, 400);
  EXPECT_EQ(RoleOf(Port(), ByName("token_write").token, "agent.a@example.com"), "End user");
  // The old session is gone: no session id from before the change carries the new access.
  auto after = Get("/agent/", agent.session);
  EXPECT_EQ(after->status, 303);
  EXPECT_EQ(after->Header("location").value_or(""), "/login");
  // Signed in again, the former agent is a customer.
  const std::string fresh = PasswordSignIn("agent.a@example.com");
  EXPECT_EQ(Get("/agent/", fresh)->status, 404);
  EXPECT_EQ(Get("/portal/", fresh)->status, 200);
}

TEST_F(AccessMatrixTest, RefusedChangesChangeNothing) {
  const Caller& admin = ByName("admin");
  const Caller& agent = ByName("agent_all");
  const std::string target = "/admin/users/" + std::to_string(carol_id_);
  // No CSRF token, a cross-site form, an agent, an admin making an owner: all refused.
  EXPECT_EQ(Post(target + "/access", admin.session, "role_id=3")->status, 403);
  EXPECT_EQ(Request(Port(), "POST", target + "/access", "csrf_token=" + admin.csrf + "&role_id=3",
                    {{"Cookie", std::string(kSessionCookie) + "=" + admin.session},
                     {"Content-Type", "application/x-www-form-urlencoded"},
                     {"Sec-Fetch-Site", "cross-site"}})
                ->status,
            403);
  EXPECT_EQ(
      Post(target + "/access", agent.session, "csrf_token=" + agent.csrf + "&role_id=3")->status,
      403);
  auto owner_try =
      Post(target + "/access", admin.session, "csrf_token=" + admin.csrf + "&role_id=1");
  EXPECT_EQ(owner_try->status, 403);
  EXPECT_NE(owner_try->body.find("Only an owner"), std::string::npos);
  EXPECT_EQ(Post(target + "/disable", agent.session, "csrf_token=" + agent.csrf)->status, 403);
  EXPECT_EQ(RoleOf(Port(), ByName("token_write").token, "carol@example.com"), "End user");
  // The last owner stays, even when the owner asks.
  auto page = Get("/admin/users?q=owner", admin.session);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(page->body, m, std::regex(R"(/admin/users/(\d+))")));
  const Caller& owner = ByName("owner");
  EXPECT_EQ(Post("/admin/users/" + m[1].str() + "/access", owner.session,
                 "csrf_token=" + owner.csrf + "&role_id=2")
                ->status,
            409);
  EXPECT_EQ(RoleOf(Port(), ByName("token_write").token, "owner@example.com"), "Owner");
  // A write token may not change users at all: that is the admin scope's, since a token has
  // no password to re-enter.
  const std::string write_only = ByName("token_write").token;
  const auto by_write =
      Request(Port(), "POST", "/api/v1/users", R"({"email":"x0@example.com","role_id":4})",
              {{"Authorization", "Bearer " + write_only}, {"Content-Type", "application/json"}});
  EXPECT_EQ(by_write->status, 403);
  EXPECT_NE(by_write->body.find("admin_scope_required"), std::string::npos) << by_write->body;
  // The API follows the same rules: no owner from an admin's token, no chosen password.
  const std::string write = admin_token_;
  EXPECT_EQ(Request(Port(), "POST", "/api/v1/users", R"({"email":"x1@example.com","role_id":1})",
                    {{"Authorization", "Bearer " + write}, {"Content-Type", "application/json"}})
                ->status,
            403);
  EXPECT_EQ(Request(Port(), "POST", "/api/v1/users",
                    R"({"email":"x2@example.com","role_id":4,"password":"chosen by the admin 1"})",
                    {{"Authorization", "Bearer " + write}, {"Content-Type", "application/json"}})
                ->status,
            400);
  // Nor an admin's token turning the owner into an agent, itself into an owner, or setting a
  // password.
  const auto patch = [&](const std::string& email, const std::string& body) {
    auto list = Request(Port(), "GET", "/api/v1/users?q=" + FormEncode(email), "",
                        {{"Authorization", "Bearer " + write}});
    std::smatch id;
    EXPECT_TRUE(std::regex_search(list->body, id, std::regex(R"re("id":(\d+))re")));
    return Request(Port(), "PATCH", "/api/v1/users/" + id[1].str(), body,
                   {{"Authorization", "Bearer " + write}, {"Content-Type", "application/json"}})
        ->status;
  };
  EXPECT_EQ(patch("owner@example.com", R"({"role_id":3})"), 403);
  EXPECT_EQ(patch("admin@example.com", R"({"role_id":1})"), 403);
  EXPECT_EQ(patch("carol@example.com", R"({"password":"chosen by the admin 1"})"), 400);
  EXPECT_EQ(patch("carol@example.com", R"({"role_id":4,"tenant_id":2})"), 400);
  EXPECT_EQ(RoleOf(Port(), write, "owner@example.com"), "Owner");
  EXPECT_EQ(RoleOf(Port(), write, "admin@example.com"), "Admin");
  EXPECT_EQ(RoleOf(Port(), ByName("token_write").token, "x0@example.com"), "?");
  EXPECT_EQ(RoleOf(Port(), ByName("token_write").token, "x1@example.com"), "?");
  EXPECT_EQ(RoleOf(Port(), ByName("token_write").token, "x2@example.com"), "?");
}

TEST_F(AccessMatrixTest, OnlyAnAdminScopedTokenChangesUsers) {
  const auto create = [&](const std::string& token, const std::string& email) {
    return Request(Port(), "POST", "/api/v1/users", R"({"email":")" + email + R"(","role_id":4})",
                   {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}})
        ->status;
  };
  EXPECT_EQ(create(ByName("token_write").token, "by-write@example.com"), 403);
  EXPECT_EQ(RoleOf(Port(), admin_token_, "by-write@example.com"), "?");
  EXPECT_EQ(create(admin_token_, "by-admin@example.com"), 201);
  EXPECT_EQ(RoleOf(Port(), admin_token_, "by-admin@example.com"), "End user");
}

TEST_F(AccessMatrixTest, HostileNamesAreShownAsTextAndOversizedOnesRefused) {
  const Caller& owner = ByName("owner");
  for (const std::string name :
       {"<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)"}) {
    auto r = Post("/admin/users", owner.session,
                  "csrf_token=" + owner.csrf + "&email=h" + std::to_string(++serial_) +
                      "%40example.com&role_id=4&name=" + FormEncode(name));
    ASSERT_EQ(r->status, 201) << r->body.substr(0, 400);
    auto roles = Post("/admin/roles", owner.session,
                      "csrf_token=" + owner.csrf + "&name=" + FormEncode(name.substr(0, 60)) +
                          std::to_string(serial_) + "&permission=ticket.view&scope=listed");
    EXPECT_EQ(roles->status, 303);
  }
  const std::string users = Get("/admin/users", owner.session)->body;
  const std::string roles = Get("/admin/roles", owner.session)->body;
  for (const std::string& html : {users, roles}) {
    EXPECT_EQ(html.find("<script>alert"), std::string::npos);
    EXPECT_EQ(html.find("<img src=x"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  }
  const auto long_name =
      Post("/admin/users", owner.session,
           "csrf_token=" + owner.csrf +
               "&email=long%40example.com&role_id=4&name=" + std::string(201, 'x'));
  EXPECT_EQ(long_name->status, 422);
  EXPECT_EQ(RoleOf(Port(), ByName("token_write").token, "long@example.com"), "?");
  const auto long_role = Post("/admin/roles", owner.session,
                              "csrf_token=" + owner.csrf + "&name=" + std::string(61, 'r'));
  EXPECT_EQ(long_role->status, 422);
}

}  // namespace
}  // namespace rampart::testing
