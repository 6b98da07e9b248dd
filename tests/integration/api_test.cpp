// The JSON API v1 against the real binary: what a client does with it, and what an attacker
// tries. Tokens come from `rampart token create`, exactly as operators issue them.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include "support/http_client.h"
#include "support/server_process.h"
#include "support/web_session.h"

namespace rampart::testing {
namespace {

namespace json = boost::json;

constexpr const char* kPassword = "a long enough passphrase 2026";
// The floor cost keeps the suite fast; the cost itself is covered by unit tests.
const std::map<std::string, std::string> kFastHashing = {{"RAMPART_AUTH_HASH_MEMORY_KIB", "19456"}};

json::value Parse(const HttpResponse& r) {
  json::error_code ec;
  json::value v = json::parse(r.body, ec);
  EXPECT_FALSE(ec) << "not JSON: " << r.body.substr(0, 300);
  return v;
}

std::string ErrorCode(const HttpResponse& r) {
  const json::value v = Parse(r);
  if (!v.is_object() || !v.as_object().contains("error")) return "no error: " + r.body;
  return std::string(v.at("error").at("code").as_string());
}

std::string ErrorField(const HttpResponse& r) {
  const json::value v = Parse(r);
  const auto* field = v.at("error").as_object().if_contains("field");
  return field != nullptr ? std::string(field->as_string()) : "";
}

std::string Str(const json::value& v, std::string_view key) {
  return std::string(v.at(key).as_string());
}

// One shared helpdesk for the suite: people and tokens are set up once (each `user add` hashes
// a password); every test opens its own tickets, so none depends on another's.
class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const std::string d = dir_->Path().string();
    ASSERT_EQ(RunRampart({"init", "--data-dir", d, "--owner-email", "owner@example.com"},
                         std::string(kPassword) + "\n", kFastHashing)
                  .exit_code,
              0);
    for (auto [email, role, department] : {std::tuple{"sam@example.com", "agent", "Support"},
                                           std::tuple{"bill@example.com", "agent", "Billing"},
                                           std::tuple{"ana@example.com", "end_user", ""},
                                           std::tuple{"bob@example.com", "end_user", ""}}) {
      std::vector<std::string> args = {"user",   "add", "--data-dir",      d, "--email", email,
                                       "--role", role,  "--password-stdin"};
      if (*department != '\0') {
        args.emplace_back("--department");
        args.emplace_back(department);
      }
      ASSERT_EQ(RunRampart(args, std::string(kPassword) + "\n", kFastHashing).exit_code, 0);
    }
    tokens_ = new std::map<std::string, std::string>();
    for (const char* who : {"sam", "bill", "ana", "bob"}) {
      (*tokens_)[who] = CreateToken(std::string(who) + "@example.com", "write");
    }
    (*tokens_)["ana_read"] = CreateToken("ana@example.com", "read");
    server_ = new ServerProcess(dir_->Path(), kFastHashing);
    ASSERT_TRUE(server_->Started()) << server_->Logs();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete tokens_;
    delete dir_;
  }

  static std::string CreateToken(const std::string& email, const std::string& scope) {
    const auto r = RunRampart({"token", "create", "--data-dir", dir_->Path().string(), "--user",
                               email, "--scope", scope, "--name", "integration test"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string token = r.out;
    while (!token.empty() && token.back() == '\n') token.pop_back();
    EXPECT_EQ(token.rfind("rmp_", 0), 0u) << r.out;
    return token;
  }

  static int Port() { return server_->PublicPort(); }
  static const std::string& Token(const std::string& who) { return tokens_->at(who); }

  static HttpResponse Call(const std::string& method, const std::string& target,
                           const std::string& token, const std::string& body = "",
                           std::map<std::string, std::string> headers = {}) {
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    if (!body.empty() && !headers.contains("Content-Type")) {
      headers["Content-Type"] = "application/json";
    }
    auto r = Request(Port(), method, target, body, headers);
    EXPECT_TRUE(r) << method << " " << target;
    return r ? *r : HttpResponse{};
  }
  static HttpResponse Call(const std::string& method, const std::string& target,
                           const std::string& token, const json::object& body) {
    return Call(method, target, token, json::serialize(body));
  }

  // A fresh ticket opened by `who` through the API; returns its public number.
  static std::string OpenTicket(const std::string& who, const std::string& subject,
                                json::object extra = {}) {
    extra["subject"] = subject;
    extra["body"] = "Opened by " + who + " for a test.";
    const HttpResponse r = Call("POST", "/api/v1/tickets", Token(who), extra);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Str(Parse(r), "number") : "RMP-0";
  }

  static std::size_t ThreadLength(const std::string& number, const std::string& who = "sam") {
    const HttpResponse r = Call("GET", "/api/v1/tickets/" + number + "/messages", Token(who));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? Parse(r).at("data").as_array().size() : 0;
  }

  static std::int64_t DepartmentOf(const std::string& who) {
    const HttpResponse me = Call("GET", "/api/v1/me", Token(who));
    return Parse(me).at("department_ids").as_array().at(0).as_int64();
  }

  static TempDir* dir_;
  static ServerProcess* server_;
  static std::map<std::string, std::string>* tokens_;
};

TempDir* ApiTest::dir_ = nullptr;
ServerProcess* ApiTest::server_ = nullptr;
std::map<std::string, std::string>* ApiTest::tokens_ = nullptr;

// ---- Use ----

TEST_F(ApiTest, MeNamesTheTokenOwnerAndScope) {
  const HttpResponse r = Call("GET", "/api/v1/me", Token("ana_read"));
  ASSERT_EQ(r.status, 200) << r.body;
  const json::value me = Parse(r);
  EXPECT_EQ(Str(me, "email"), "ana@example.com");
  EXPECT_EQ(Str(me, "role"), "end_user");
  EXPECT_EQ(Str(me.at("auth"), "method"), "api_token");
  EXPECT_EQ(Str(me.at("auth"), "scope"), "read");
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_EQ(r.Header("cache-control"), "no-store");
}

TEST_F(ApiTest, EndUserOpensListsAndReadsTheirTicket) {
  const HttpResponse created =
      Call("POST", "/api/v1/tickets", Token("ana"),
           json::object{{"subject", "Printer on fire"}, {"body", "It is on fire again."}});
  ASSERT_EQ(created.status, 201) << created.body;
  const json::value t = Parse(created);
  const std::string number = Str(t, "number");
  EXPECT_TRUE(std::regex_match(number, std::regex("RMP-[0-9]+"))) << number;
  EXPECT_EQ(created.Header("location"), "/api/v1/tickets/" + number);
  EXPECT_EQ(Str(t, "status"), "open");
  EXPECT_EQ(Str(t, "channel"), "api");
  EXPECT_EQ(Str(t.at("requester"), "email"), "ana@example.com");
  ASSERT_EQ(t.at("messages").as_array().size(), 1u);
  EXPECT_EQ(Str(t.at("messages").at(0), "body"), "It is on fire again.");
  EXPECT_FALSE(t.as_object().contains("id")) << "row ids never leave the server";

  const HttpResponse list = Call("GET", "/api/v1/tickets?view=mine&limit=100", Token("ana"));
  ASSERT_EQ(list.status, 200) << list.body;
  bool listed = false;
  const json::value rows = Parse(list);
  for (const json::value& row : rows.at("data").as_array()) {
    listed = listed || Str(row, "number") == number;
  }
  EXPECT_TRUE(listed);

  const HttpResponse got = Call("GET", "/api/v1/tickets/" + number, Token("ana"));
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Str(Parse(got), "subject"), "Printer on fire");
  // A read-scoped token of the same person reads the same ticket.
  EXPECT_EQ(Call("GET", "/api/v1/tickets/" + number, Token("ana_read")).status, 200);
}

TEST_F(ApiTest, ConcurrentCreationsShareCommitsWithDistinctGapFreeNumbers) {
  // Sixteen clients at once: the group commit takes them in batches. A creation that fails
  // inside a batch (a department that does not exist) fails alone and takes no number.
  constexpr int kClients = 16;
  constexpr int kEach = 4;
  std::vector<std::vector<HttpResponse>> results(kClients);
  std::vector<std::thread> clients;
  clients.reserve(kClients);
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      for (int k = 0; k < kEach; ++k) {
        json::object body{{"subject", "Concurrent " + std::to_string(i) + "-" + std::to_string(k)},
                          {"body", "Opened at the same time as others."}};
        if (k == 1) body["department"] = 987654;
        results[i].push_back(Call("POST", "/api/v1/tickets", Token("sam"), body));
      }
    });
  }
  for (auto& client : clients) client.join();

  std::set<std::int64_t> numbers;
  for (int i = 0; i < kClients; ++i) {
    for (int k = 0; k < kEach; ++k) {
      const HttpResponse& r = results[i][k];
      if (k == 1) {
        EXPECT_EQ(r.status, 422) << r.body;
        EXPECT_EQ(ErrorField(r), "department");
        continue;
      }
      ASSERT_EQ(r.status, 201) << r.body;
      const json::value ticket = Parse(r);
      EXPECT_EQ(Str(ticket, "subject"),
                "Concurrent " + std::to_string(i) + "-" + std::to_string(k));
      numbers.insert(std::stoll(Str(ticket, "number").substr(4)));
    }
  }
  ASSERT_EQ(numbers.size(), static_cast<std::size_t>(kClients * (kEach - 1)));
  EXPECT_EQ(*numbers.rbegin() - *numbers.begin() + 1, kClients * (kEach - 1));
  // Each is readable at once, as the 201 promised.
  const HttpResponse last =
      Call("GET", "/api/v1/tickets/RMP-" + std::to_string(*numbers.rbegin()), Token("sam"));
  EXPECT_EQ(last.status, 200) << last.body;
}

TEST_F(ApiTest, ListsPageWithACursor) {
  for (int i = 0; i < 3; ++i) OpenTicket("bob", "Paging " + std::to_string(i));
  const HttpResponse first = Call("GET", "/api/v1/tickets?limit=2", Token("bob"));
  ASSERT_EQ(first.status, 200) << first.body;
  const json::value page = Parse(first);
  EXPECT_EQ(page.at("data").as_array().size(), 2u);
  ASSERT_TRUE(page.at("next_cursor").is_string());
  const HttpResponse second =
      Call("GET", "/api/v1/tickets?limit=2&cursor=" + Str(page, "next_cursor"), Token("bob"));
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_FALSE(Parse(second).at("data").as_array().empty());
  EXPECT_EQ(Call("GET", "/api/v1/tickets?limit=0", Token("bob")).status, 422);
  EXPECT_EQ(Call("GET", "/api/v1/tickets?limit=ten", Token("bob")).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/tickets?view=everything", Token("bob")).status, 422);
  const HttpResponse unknown = Call("GET", "/api/v1/tickets?colour=red", Token("bob"));
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(ErrorField(unknown), "colour");
}

TEST_F(ApiTest, ReplyNoteStatusAndSearchAcrossRoles) {
  const std::string number = OpenTicket("ana", "Invoice zebracorn mismatch");
  // The customer replies.
  const HttpResponse reply = Call("POST", "/api/v1/tickets/" + number + "/messages", Token("ana"),
                                  json::object{{"body", "Any news?"}});
  ASSERT_EQ(reply.status, 201) << reply.body;
  EXPECT_EQ(Str(Parse(reply), "body"), "Any news?");
  EXPECT_FALSE(Parse(reply).at("internal").as_bool());
  // An agent (the ticket is in the shared inbox) adds a note and replies.
  const HttpResponse note =
      Call("POST", "/api/v1/tickets/" + number + "/messages", Token("sam"),
           json::object{{"body", "Customer is on the legacy plan."}, {"internal", true}});
  ASSERT_EQ(note.status, 201) << note.body;
  EXPECT_TRUE(Parse(note).at("internal").as_bool());
  EXPECT_EQ(Str(Parse(note).at("author"), "kind"), "agent");
  ASSERT_EQ(Call("POST", "/api/v1/tickets/" + number + "/messages", Token("sam"),
                 json::object{{"body", "Looking into it."}})
                .status,
            201);
  // The customer sees the replies, never the note.
  EXPECT_EQ(ThreadLength(number, "sam"), 4u);
  EXPECT_EQ(ThreadLength(number, "ana"), 3u);
  const HttpResponse as_customer = Call("GET", "/api/v1/tickets/" + number, Token("ana"));
  EXPECT_EQ(as_customer.body.find("legacy plan"), std::string::npos);

  // The agent works the ticket, one property per request.
  const std::string path = "/api/v1/tickets/" + number;
  HttpResponse patched = Call("PATCH", path, Token("sam"), json::object{{"status", "pending"}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Str(Parse(patched), "status"), "pending");
  patched = Call("PATCH", path, Token("sam"), json::object{{"priority", "high"}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Str(Parse(patched), "priority"), "high");
  const std::int64_t sam_id = Parse(Call("GET", "/api/v1/me", Token("sam"))).at("id").as_int64();
  patched = Call("PATCH", path, Token("sam"), json::object{{"assignee_id", sam_id}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Parse(patched).at("assignee").at("id").as_int64(), sam_id);
  patched = Call("PATCH", path, Token("sam"),
                 json::object{{"tags", json::object{{"add", json::array{"billing", "vip"}}}}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Parse(patched).at("tags").as_array().size(), 2u);
  patched = Call("PATCH", path, Token("sam"), json::object{{"assignee_id", nullptr}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_TRUE(Parse(patched).at("assignee").is_null());
  // Two changes at once could half succeed: refused whole.
  const HttpResponse two =
      Call("PATCH", path, Token("sam"), json::object{{"status", "open"}, {"priority", "low"}});
  EXPECT_EQ(two.status, 400);
  EXPECT_EQ(ErrorCode(two), "one_change_per_request");

  // Search finds it for the requester and the agent, not for another customer.
  for (const char* who : {"ana", "sam"}) {
    const HttpResponse found = Call("GET", "/api/v1/search?q=zebracorn", Token(who));
    ASSERT_EQ(found.status, 200) << found.body;
    const json::value result = Parse(found);
    const json::array& hits = result.at("data").as_array();
    ASSERT_EQ(hits.size(), 1u) << who;
    EXPECT_EQ(Str(hits.at(0), "number"), number);
  }
  EXPECT_TRUE(
      Parse(Call("GET", "/api/v1/search?q=zebracorn", Token("bob"))).at("data").as_array().empty());
  // The note's words are not searchable by the customer.
  EXPECT_TRUE(
      Parse(Call("GET", "/api/v1/search?q=legacy", Token("ana"))).at("data").as_array().empty());
  EXPECT_EQ(Call("GET", "/api/v1/search", Token("ana")).status, 400);
}

TEST_F(ApiTest, OpenApiDocumentIsPublicJson) {
  const HttpResponse r = Call("GET", "/api/v1/openapi.json", "");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Str(Parse(r), "openapi").substr(0, 2), "3.");
}

// The document lists exactly the /api/ routes the server has, and marks the same ones public.
TEST_F(ApiTest, OpenApiDocumentMatchesTheServersRoutes) {
  const auto listed = RunRampart({"routes", "--data-dir", dir_->Path().string()});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  std::set<std::string> routed;
  std::istringstream lines(listed.out);
  std::string method, pattern, access, permission;
  while (lines >> method >> pattern >> access >> permission) {
    if (pattern.rfind("/api/", 0) == 0) routed.insert(method + " " + pattern + " " + access);
  }
  EXPECT_GE(routed.size(), 9u);
  std::set<std::string> documented;
  const json::value doc = Parse(Call("GET", "/api/v1/openapi.json", ""));
  for (const auto& path : doc.at("paths").as_object()) {
    for (const auto& op : path.value().as_object()) {
      if (op.key() == "parameters") continue;
      std::string m(op.key());
      for (char& ch : m) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      const auto* security = op.value().as_object().if_contains("security");
      const bool open = security != nullptr && security->as_array().empty();
      documented.insert(m + " " + std::string(path.key()) + (open ? " public" : " signed_in"));
    }
  }
  EXPECT_EQ(routed, documented);
}

// ---- Abuse ----

TEST_F(ApiTest, NoCredentialsIs401WithAChallenge) {
  for (const char* target : {"/api/v1/me", "/api/v1/tickets", "/api/v1/search?q=x"}) {
    const HttpResponse r = Call("GET", target, "");
    EXPECT_EQ(r.status, 401) << target;
    EXPECT_EQ(ErrorCode(r), "unauthorized");
    EXPECT_EQ(r.Header("www-authenticate"), "Bearer realm=\"rampart\"");
    EXPECT_EQ(r.Header("content-type"), "application/json");
  }
  EXPECT_EQ(
      Call("POST", "/api/v1/tickets", "", json::object{{"subject", "x"}, {"body", "y"}}).status,
      401);
}

TEST_F(ApiTest, BadTokensAre401AndLookAlike) {
  std::string altered = Token("ana");
  altered.back() = altered.back() == 'A' ? 'B' : 'A';
  for (const std::map<std::string, std::string>& headers :
       std::vector<std::map<std::string, std::string>>{
           {{"Authorization", "Bearer " + altered}},
           {{"Authorization", "Bearer rmp_tooshort"}},
           {{"Authorization", "Bearer " + Token("ana").substr(4)}},
           {{"Authorization", "Basic YW5hOnBhc3N3b3Jk"}},
           {{"Authorization", "Bearer " + Token("ana") + "' OR '1'='1"}}}) {
    const auto r = Request(Port(), "GET", "/api/v1/me", "", headers);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401) << headers.begin()->second;
    EXPECT_EQ(ErrorCode(*r), "invalid_token");
    EXPECT_EQ(r->Header("www-authenticate"), "Bearer realm=\"rampart\", error=\"invalid_token\"");
    EXPECT_EQ(r->body.find(Token("ana").substr(4, 10)), std::string::npos);
  }
  EXPECT_TRUE(
      server_->WaitForLog("\"reason\":\"unknown_or_revoked_token\"", std::chrono::seconds(2)));
  EXPECT_EQ(server_->Logs().find(altered), std::string::npos) << "tokens are never logged";
}

TEST_F(ApiTest, RevokedTokenIs401) {
  const std::string token = CreateToken("bob@example.com", "write");
  ASSERT_EQ(Call("GET", "/api/v1/me", token).status, 200);
  const auto list = RunRampart(
      {"token", "list", "--data-dir", dir_->Path().string(), "--user", "bob@example.com"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.out.find("rmp_"), std::string::npos) << "a list never shows tokens";
  const std::string newest = list.out.substr(0, list.out.find('\t'));
  const auto revoked = RunRampart({"token", "revoke", "--data-dir", dir_->Path().string(), "--user",
                                   "bob@example.com", "--id", newest});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  const HttpResponse r = Call("GET", "/api/v1/me", token);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(ErrorCode(r), "invalid_token");
  // Revoking again, or someone else's token, is refused.
  EXPECT_EQ(RunRampart({"token", "revoke", "--data-dir", dir_->Path().string(), "--user",
                        "bob@example.com", "--id", newest})
                .exit_code,
            5);
  EXPECT_EQ(RunRampart({"token", "revoke", "--data-dir", dir_->Path().string(), "--user",
                        "ana@example.com", "--id", "1"})
                .exit_code,
            5);
}

TEST_F(ApiTest, ReadScopedTokenMayNotChangeAnything) {
  const std::string number = OpenTicket("ana", "Read-only probe");
  const std::string read = Token("ana_read");
  const std::size_t before_list =
      Parse(Call("GET", "/api/v1/tickets?limit=100", read)).at("data").as_array().size();
  const HttpResponse create =
      Call("POST", "/api/v1/tickets", read, json::object{{"subject", "x"}, {"body", "y"}});
  EXPECT_EQ(create.status, 403);
  EXPECT_EQ(ErrorCode(create), "read_only_token");
  EXPECT_EQ(Call("POST", "/api/v1/tickets/" + number + "/messages", read,
                 json::object{{"body", "sneaky"}})
                .status,
            403);
  EXPECT_EQ(
      Call("PATCH", "/api/v1/tickets/" + number, read, json::object{{"status", "closed"}}).status,
      403);
  // Refused before the body is read: even a broken body gets 403, not 400.
  EXPECT_EQ(Call("POST", "/api/v1/tickets", read, "{not json").status, 403);
  // Nothing changed.
  EXPECT_EQ(Parse(Call("GET", "/api/v1/tickets?limit=100", read)).at("data").as_array().size(),
            before_list);
  const json::value t = Parse(Call("GET", "/api/v1/tickets/" + number, read));
  EXPECT_EQ(Str(t, "status"), "open");
  EXPECT_EQ(t.at("messages").as_array().size(), 1u);
}

TEST_F(ApiTest, EndUsersCannotReachOthersTickets) {
  const std::string number = OpenTicket("ana", "Ana's private matter");
  const std::string path = "/api/v1/tickets/" + number;
  const HttpResponse missing = Call("GET", "/api/v1/tickets/RMP-999999", Token("bob"));
  ASSERT_EQ(missing.status, 404);
  for (const HttpResponse& r :
       {Call("GET", path, Token("bob")), Call("GET", path + "/messages", Token("bob")),
        Call("POST", path + "/messages", Token("bob"), json::object{{"body", "hi"}}),
        Call("PATCH", path, Token("bob"), json::object{{"status", "closed"}})}) {
    EXPECT_EQ(r.status, 404) << r.body;
    EXPECT_EQ(ErrorCode(r), "not_found");
    // Indistinguishable from a ticket that does not exist.
    EXPECT_EQ(Parse(r).at("error").at("message"), Parse(missing).at("error").at("message"));
    EXPECT_EQ(r.body.find("private"), std::string::npos);
  }
  EXPECT_EQ(ThreadLength(number), 1u);
  EXPECT_EQ(Str(Parse(Call("GET", path, Token("ana"))), "status"), "open");
}

TEST_F(ApiTest, EndUserCannotPostInternalNotesOrStaffFields) {
  const std::string number = OpenTicket("ana", "Note probe");
  const HttpResponse note = Call("POST", "/api/v1/tickets/" + number + "/messages", Token("ana"),
                                 json::object{{"body", "I am staff now"}, {"internal", true}});
  EXPECT_EQ(note.status, 403) << note.body;
  EXPECT_EQ(ThreadLength(number), 1u) << "nothing stored";
  const HttpResponse priority = Call("PATCH", "/api/v1/tickets/" + number, Token("ana"),
                                     json::object{{"priority", "urgent"}});
  EXPECT_EQ(priority.status, 403) << priority.body;
  const HttpResponse tags =
      Call("POST", "/api/v1/tickets", Token("ana"),
           json::object{{"subject", "x"}, {"body", "y"}, {"tags", json::array{"vip"}}});
  EXPECT_EQ(tags.status, 422) << tags.body;
  EXPECT_EQ(ErrorField(tags), "tags");
}

TEST_F(ApiTest, AgentsOutsideTheDepartmentGet404) {
  const std::int64_t billing = DepartmentOf("bill");
  const std::string number =
      OpenTicket("ana", "Refund please", json::object{{"department", billing}});
  const std::string path = "/api/v1/tickets/" + number;
  EXPECT_EQ(Call("GET", path, Token("bill")).status, 200);
  for (const HttpResponse& r :
       {Call("GET", path, Token("sam")), Call("GET", path + "/messages", Token("sam")),
        Call("POST", path + "/messages", Token("sam"),
             json::object{{"body", "peek"}, {"internal", true}}),
        Call("PATCH", path, Token("sam"), json::object{{"status", "solved"}})}) {
    EXPECT_EQ(r.status, 404) << r.body;
  }
  EXPECT_EQ(ThreadLength(number, "bill"), 1u);
  // Nor can an agent drop a ticket into a department they do not work in.
  const HttpResponse elsewhere =
      Call("POST", "/api/v1/tickets", Token("sam"),
           json::object{{"subject", "x"}, {"body", "y"}, {"department", billing}});
  EXPECT_EQ(elsewhere.status, 422) << elsewhere.body;
}

TEST_F(ApiTest, SearchKeepsDepartmentsApartAndReadsQuerySyntaxAsText) {
  const std::int64_t billing = DepartmentOf("bill");
  const std::string number =
      OpenTicket("ana", "Quokkablimp refund", json::object{{"department", billing}});
  const auto numbers = [](const std::string& who, const std::string& q) {
    const HttpResponse r = Call("GET", "/api/v1/search?q=" + FormEncode(q), Token(who));
    EXPECT_EQ(r.status, 200) << who << " " << q << ": " << r.body;
    std::set<std::string> found;
    if (r.status != 200) return found;
    const json::value result = Parse(r);
    for (const json::value& hit : result.at("data").as_array()) found.insert(Str(hit, "number"));
    return found;
  };
  EXPECT_EQ(numbers("bill", "quokkablimp"), std::set<std::string>{number});
  EXPECT_EQ(numbers("ana", "quokkablimp"), std::set<std::string>{number});
  EXPECT_TRUE(numbers("sam", "quokkablimp").empty());  // Support may not see Billing's ticket
  EXPECT_TRUE(numbers("bob", "quokkablimp").empty());  // nor another customer

  // FTS5 syntax and markup are searched for as text: a clean answer, never an error, and never
  // a hit outside the searcher's reach.
  for (const std::string q :
       {"\"", "*", "**", "NEAR(", "NEAR(quokkablimp refund)", "subject:quokkablimp",
        "requester:ana", "quokkablimp OR x", "quokkablimp*", "{subject body}: quokkablimp",
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)",
        "quokkablimp\" OR \"1\"=\"1", "'; DROP TABLE tickets; --"}) {
    for (const char* who : {"sam", "bob"}) {
      const HttpResponse r = Call("GET", "/api/v1/search?q=" + FormEncode(q), Token(who));
      ASSERT_TRUE(r.status == 200 || r.status == 400 || r.status == 422)
          << q << ": " << r.status << " " << r.body;
      if (r.status == 200) {
        const json::value result = Parse(r);
        for (const json::value& hit : result.at("data").as_array()) {
          EXPECT_NE(Str(hit, "number"), number) << who << " found it with " << q;
        }
      } else {
        EXPECT_EQ(ErrorField(r), "query") << q;
      }
    }
  }
  // The prefix form still finds it for those who may see it.
  EXPECT_EQ(numbers("bill", "quokka*"), std::set<std::string>{number});
  // Oversized and control-character queries are refused, naming the parameter.
  for (const std::string& q : {std::string(600, 'a'), std::string("bell\a")}) {
    const HttpResponse r = Call("GET", "/api/v1/search?q=" + FormEncode(q), Token("bill"));
    EXPECT_TRUE(r.status == 400 || r.status == 422) << r.status << " " << r.body;
    EXPECT_EQ(ErrorField(r), "query");
  }
  // The ticket is still there, unchanged, for its department.
  EXPECT_EQ(Call("GET", "/api/v1/tickets/" + number, Token("bill")).status, 200);
  EXPECT_EQ(ThreadLength(number, "bill"), 1u);
}

TEST_F(ApiTest, MalformedBodiesAre400NamingTheField) {
  const std::string t = Token("ana");
  const HttpResponse broken = Call("POST", "/api/v1/tickets", t, "{\"subject\": \"x\",");
  EXPECT_EQ(broken.status, 400);
  EXPECT_EQ(ErrorCode(broken), "invalid_json");
  EXPECT_EQ(Call("POST", "/api/v1/tickets", t, "[\"subject\"]").status, 400);
  EXPECT_EQ(Call("POST", "/api/v1/tickets", t, "\"just text\"").status, 400);

  const HttpResponse type = Call("POST", "/api/v1/tickets", t, R"({"subject":42,"body":"y"})");
  EXPECT_EQ(type.status, 400);
  EXPECT_EQ(ErrorCode(type), "wrong_type");
  EXPECT_EQ(ErrorField(type), "subject");

  const HttpResponse unknown =
      Call("POST", "/api/v1/tickets", t, R"({"subject":"x","body":"y","requester_id":1})");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(ErrorCode(unknown), "unknown_field");
  EXPECT_EQ(ErrorField(unknown), "requester_id");

  const HttpResponse missing = Call("POST", "/api/v1/tickets", t, R"({"subject":"x"})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(ErrorField(missing), "body");

  const HttpResponse repeated =
      Call("POST", "/api/v1/tickets", t, R"({"subject":"x","body":"y","body":"z"})");
  EXPECT_EQ(repeated.status, 400);
  EXPECT_EQ(ErrorCode(repeated), "repeated_field");

  // Well-formed but against the rules: 422, field named.
  const HttpResponse empty = Call("POST", "/api/v1/tickets", t, R"({"subject":"","body":"y"})");
  EXPECT_EQ(empty.status, 422);
  EXPECT_EQ(ErrorField(empty), "subject");
}

TEST_F(ApiTest, BodiesMustBeSentAsJson) {
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                           "application/json; charset=iso-8859-1"}) {
    const HttpResponse r = Call("POST", "/api/v1/tickets", Token("ana"),
                                R"({"subject":"x","body":"y"})", {{"Content-Type", type}});
    EXPECT_EQ(r.status, 415) << type;
    EXPECT_EQ(ErrorCode(r), "unsupported_media_type");
  }
}

TEST_F(ApiTest, OversizedBodiesAre413) {
  const std::string number = OpenTicket("ana", "Size probe");
  const auto declare = [&](const std::string& method, const std::string& target,
                           std::size_t length) {
    RawConnection c(Port());
    c.Send(method + " " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + Token("ana") +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(length) +
           "\r\n\r\n");
    auto r = c.ReadResponse();
    return r ? r->status : 0;
  };
  EXPECT_EQ(declare("POST", "/api/v1/tickets/" + number + "/messages", 2 * 1024 * 1024), 413);
  EXPECT_EQ(declare("POST", "/api/v1/tickets", 2 * 1024 * 1024), 413);
  EXPECT_EQ(declare("PATCH", "/api/v1/tickets/" + number, 64 * 1024), 413);
  EXPECT_EQ(ThreadLength(number), 1u);
}

TEST_F(ApiTest, ScriptInTextIsStoredAndReturnedVerbatimAsJson) {
  const std::string subject = "<script>alert(document.cookie)</script>";
  const std::string body = "<img src=x onerror=\"alert(1)\"> & </textarea><svg onload=alert(2)>'";
  const HttpResponse created = Call("POST", "/api/v1/tickets", Token("ana"),
                                    json::object{{"subject", subject}, {"body", body}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string number = Str(Parse(created), "number");
  for (const HttpResponse& r : {created, Call("GET", "/api/v1/tickets/" + number, Token("sam")),
                                Call("GET", "/api/v1/tickets?limit=100", Token("ana"))}) {
    EXPECT_EQ(r.Header("content-type"), "application/json");
    EXPECT_EQ(r.Header("x-content-type-options"), "nosniff");
    EXPECT_EQ(r.body.find('<'), std::string::npos) << "no markup on the wire, even unparsed";
  }
  const json::value t = Parse(Call("GET", "/api/v1/tickets/" + number, Token("sam")));
  EXPECT_EQ(Str(t, "subject"), subject);
  EXPECT_EQ(Str(t.at("messages").at(0), "body"), body);
}

// A browser session may use the API too, but a state-changing call needs its CSRF token.
TEST_F(ApiTest, CookieSessionsNeedTheCsrfTokenToWrite) {
  const auto login_page = Request(Port(), "GET", "/login");
  ASSERT_TRUE(login_page);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(login_page->body, m,
                                std::regex(R"re(name="csrf_token" value="([^"]*)")re")));
  const std::string form_token = m[1].str();
  std::string pre_cookie;
  const auto [b, e] = login_page->headers.equal_range("set-cookie");
  for (auto it = b; it != e; ++it) {
    if (it->second.rfind("__Host-rampart_csrf=", 0) == 0) {
      pre_cookie = it->second.substr(0, it->second.find(';'));
    }
  }
  const auto signed_in =
      Request(Port(), "POST", "/login",
              "csrf_token=" + form_token +
                  "&email=ana%40example.com&password=a+long+enough+passphrase+2026",
              {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", pre_cookie}});
  ASSERT_TRUE(signed_in);
  ASSERT_EQ(signed_in->status, 303) << signed_in->body;
  std::string session;
  const auto [sb, se] = signed_in->headers.equal_range("set-cookie");
  for (auto it = sb; it != se; ++it) {
    if (it->second.rfind("__Host-rampart_session=", 0) == 0) {
      session = it->second.substr(0, it->second.find(';'));
    }
  }
  ASSERT_FALSE(session.empty());

  const auto me = Request(Port(), "GET", "/api/v1/me", "", {{"Cookie", session}});
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200);
  EXPECT_EQ(Str(Parse(*me).at("auth"), "method"), "session");

  const std::size_t count_before =
      Parse(Call("GET", "/api/v1/tickets?limit=100", Token("ana"))).at("data").as_array().size();
  const std::string json_body = R"({"subject":"Via the browser","body":"Hello"})";
  const auto forged = Request(Port(), "POST", "/api/v1/tickets", json_body,
                              {{"Cookie", session}, {"Content-Type", "application/json"}});
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403) << forged->body;
  // A Bearer header that authenticates nothing does not stand in for the CSRF token either.
  const auto with_junk_bearer = Request(
      Port(), "POST", "/api/v1/tickets", json_body,
      {{"Cookie", session}, {"Content-Type", "application/json"}, {"Authorization", "Bearer x"}});
  ASSERT_TRUE(with_junk_bearer);
  EXPECT_EQ(with_junk_bearer->status, 401);
  EXPECT_EQ(
      Parse(Call("GET", "/api/v1/tickets?limit=100", Token("ana"))).at("data").as_array().size(),
      count_before);

  // With the session's CSRF token (from any of its pages), it works.
  const auto form = Request(Port(), "GET", "/portal/tickets/new", "", {{"Cookie", session}});
  ASSERT_TRUE(form);
  ASSERT_TRUE(
      std::regex_search(form->body, m, std::regex(R"re(name="csrf_token" value="([^"]*)")re")));
  const auto allowed = Request(
      Port(), "POST", "/api/v1/tickets", json_body,
      {{"Cookie", session}, {"Content-Type", "application/json"}, {"X-CSRF-Token", m[1].str()}});
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->status, 201) << allowed->body;
}

TEST_F(ApiTest, TokenCreateRefusesBadInputWithStableExitCodes) {
  const std::string d = dir_->Path().string();
  EXPECT_EQ(
      RunRampart({"token", "create", "--data-dir", d, "--user", "nobody@example.com"}).exit_code,
      5);
  EXPECT_EQ(RunRampart({"token", "create", "--data-dir", d, "--user", "ana@example.com", "--scope",
                        "owner"})
                .exit_code,
            2);
  EXPECT_EQ(
      RunRampart({"token", "create", "--data-dir", d, "--user", "ana@example.com", "--name", ""})
          .exit_code,
      5);
  EXPECT_EQ(RunRampart({"token", "create", "--user", "ana@example.com", "--data-dir",
                        (dir_->Path() / "nothing-here").string()})
                .exit_code,
            6);
}

// A key file others could read is refused, not used: the server will not start on it.
TEST(ApiServerKey, AGroupReadableKeyFileStopsTokenCommands) {
  TempDir dir;
  const std::string d = dir.Path().string();
  ASSERT_EQ(RunRampart({"init", "--data-dir", d, "--owner-email", "owner@example.com"},
                       std::string(kPassword) + "\n", kFastHashing)
                .exit_code,
            0);
  const auto first =
      RunRampart({"token", "create", "--data-dir", d, "--user", "owner@example.com"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(::chmod((dir.Path() / "server.key").c_str(), 0644), 0);
  const auto refused =
      RunRampart({"token", "create", "--data-dir", d, "--user", "owner@example.com"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("server.key"), std::string::npos) << refused.err;
  EXPECT_TRUE(refused.out.empty()) << "no token printed";
  ServerProcess server(dir.Path(), kFastHashing);
  EXPECT_FALSE(server.Started());
  EXPECT_EQ(server.WaitExit(std::chrono::seconds(5)), 1);
}

}  // namespace
}  // namespace rampart::testing
