// Sign-in, sessions and CSRF as a browser and an attacker see them.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <thread>

#include "support/http_client.h"
#include "support/server_process.h"
#include "support/web_session.h"

namespace rampart::testing {
namespace {

constexpr const char* kPassword = "a long enough passphrase 2026";
// The floor cost keeps the suite fast; the cost itself is covered by unit tests.
const std::map<std::string, std::string> kFastHashing = {{"RAMPART_AUTH_HASH_MEMORY_KIB", "19456"}};

class SignInTest : public ::testing::Test {
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

  // The sign-in form's CSRF cookie and field, as a browser would get them.
  std::pair<std::string, std::string> LoginForm(const std::string& cookie = "") {
    auto page = cookie.empty() ? Request(Port(), "GET", "/login")
                               : Request(Port(), "GET", "/login", "", {{"Cookie", cookie}});
    EXPECT_TRUE(page);
    return {CookieValue(*page, "__Host-rampart_csrf"), CsrfField(page->body)};
  }

  std::optional<HttpResponse> PostLogin(const std::string& email, const std::string& password,
                                        const std::string& extra_cookie = "") {
    auto [cookie, field] = LoginForm(extra_cookie);
    std::string cookies = "__Host-rampart_csrf=" + cookie;
    if (!extra_cookie.empty()) cookies += "; " + extra_cookie;
    return Request(
        Port(), "POST", "/login",
        "csrf_token=" + field + "&email=" + FormEncode(email) + "&password=" + FormEncode(password),
        {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", cookies}});
  }

  std::string SignIn(const std::string& email) {
    auto r = PostLogin(email, kPassword);
    EXPECT_TRUE(r);
    EXPECT_EQ(r->status, 303) << r->body;
    return CookieValue(*r, "__Host-rampart_session");
  }

  std::optional<HttpResponse> Get(const std::string& target, const std::string& session) {
    return Request(Port(), "GET", target, "", {{"Cookie", "__Host-rampart_session=" + session}});
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(SignInTest, EndUserSignsInAndReachesThePortal) {
  auto r = PostLogin("ana@example.com", kPassword);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 303);
  EXPECT_EQ(r->Header("location"), "/portal/");
  const std::string line = SetCookieLine(*r, "__Host-rampart_session");
  EXPECT_NE(line.find("Secure"), std::string::npos);
  EXPECT_NE(line.find("HttpOnly"), std::string::npos);
  EXPECT_NE(line.find("SameSite=Lax"), std::string::npos);
  EXPECT_NE(line.find("Path=/"), std::string::npos);
  EXPECT_EQ(line.find("Domain"), std::string::npos);
  const std::string session = CookieValue(*r, "__Host-rampart_session");
  EXPECT_EQ(session.size(), 43u);  // 256 bits
  auto portal = Get("/portal/", session);
  ASSERT_TRUE(portal);
  EXPECT_EQ(portal->status, 200);
  EXPECT_NE(portal->body.find("My tickets"), std::string::npos);
  EXPECT_EQ(portal->Header("cache-control"), "no-store");
}

TEST_F(SignInTest, ClosedPagesSendStrangersToSignIn) {
  auto r = Request(Port(), "GET", "/portal/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 303);
  EXPECT_EQ(r->Header("location"), "/login");
  auto forged = Get("/portal/", std::string(43, 'A'));
  EXPECT_EQ(forged->status, 303);
}

TEST_F(SignInTest, WrongPasswordAndUnknownEmailLookTheSame) {
  auto wrong = PostLogin("ana@example.com", "not the password at all");
  auto unknown = PostLogin("nobody@example.com", "not the password at all");
  ASSERT_TRUE(wrong && unknown);
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(unknown->status, 401);
  // Same page but for the echoed email and the per-request reference.
  auto normalise = [](std::string body, const std::string& email) {
    body = std::regex_replace(body, std::regex(email), "EMAIL");
    return std::regex_replace(body, std::regex("csrf_token\" value=\"[^\"]*\""), "");
  };
  EXPECT_EQ(normalise(wrong->body, "ana@example.com"),
            normalise(unknown->body, "nobody@example.com"));
  EXPECT_TRUE(CookieValue(*wrong, "__Host-rampart_session").empty());
  EXPECT_EQ(server_->WaitForLog("\"reason\":\"bad_credentials\"", std::chrono::seconds(2)), true);
}

TEST_F(SignInTest, RepeatedFailuresThrottleTheAccountWithoutSayingSo) {
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(PostLogin("bob@example.com", "wrong password, try again")->status, 401);
  }
  // The throttle counts whole seconds: start the fifth failure just after a second begins, so
  // that the attempt right after it falls within the one-second delay it sets.
  while (std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
                 .count() %
             1000 >
         100) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(PostLogin("bob@example.com", "wrong password, try again")->status, 401);
  // The right password now looks exactly like a wrong one: the account is in its delay.
  auto throttled = PostLogin("bob@example.com", kPassword);
  ASSERT_TRUE(throttled);
  EXPECT_EQ(throttled->status, 401);
  EXPECT_TRUE(CookieValue(*throttled, "__Host-rampart_session").empty());
  EXPECT_NE(throttled->body.find("The email or password is not correct."), std::string::npos);
  EXPECT_FALSE(throttled->Header("retry-after"));
  EXPECT_TRUE(server_->WaitForLog("\"reason\":\"throttled\"", std::chrono::seconds(2)));
  // Other accounts are not affected.
  EXPECT_EQ(PostLogin("ana@example.com", kPassword)->status, 303);
}

TEST_F(SignInTest, SignInWithoutTheCsrfTokenIsRefusedAndCreatesNoSession) {
  auto r =
      Request(Port(), "POST", "/login", "email=ana%40example.com&password=" + FormEncode(kPassword),
              {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_TRUE(CookieValue(*r, "__Host-rampart_session").empty());
  // A token that does not match its cookie is refused too.
  auto [cookie, field] = LoginForm();
  auto mismatched = Request(Port(), "POST", "/login",
                            "csrf_token=" + std::string(43, 'x') +
                                "&email=ana%40example.com&password=" + FormEncode(kPassword),
                            {{"Content-Type", "application/x-www-form-urlencoded"},
                             {"Cookie", "__Host-rampart_csrf=" + cookie}});
  EXPECT_EQ(mismatched->status, 403);
}

TEST_F(SignInTest, CrossSiteOriginIsRefused) {
  auto [cookie, field] = LoginForm();
  auto r =
      Request(Port(), "POST", "/login",
              "csrf_token=" + field + "&email=ana%40example.com&password=" + FormEncode(kPassword),
              {{"Content-Type", "application/x-www-form-urlencoded"},
               {"Cookie", "__Host-rampart_csrf=" + cookie},
               {"Origin", "https://evil.example"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
}

TEST_F(SignInTest, SessionIdChangesAtSignInAndTheOldOneDies) {
  // The owner's first session stops at the 2FA step; signing in again from that browser must
  // give a new id, never upgrade the old one.
  auto first_response = PostLogin("owner@example.com", kPassword);
  const std::string first = CookieValue(*first_response, "__Host-rampart_session");
  ASSERT_FALSE(first.empty());
  auto again = PostLogin("owner@example.com", kPassword, "__Host-rampart_session=" + first);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 303) << again->body;
  const std::string second = CookieValue(*again, "__Host-rampart_session");
  EXPECT_FALSE(second.empty());
  EXPECT_NE(first, second);
  EXPECT_EQ(Get("/agent/", first)->Header("location"), "/login");
  EXPECT_EQ(Get("/agent/", second)->Header("location"), "/account/2fa/setup");
}

TEST_F(SignInTest, SignOutEndsTheSession) {
  const std::string session = SignIn("ana@example.com");
  auto page = Get("/account/sessions", session);
  ASSERT_EQ(page->status, 200);
  const std::string csrf = CsrfField(page->body);
  // Without the token the sign-out is refused and the session lives on.
  auto refused =
      Request(Port(), "POST", "/logout", "", {{"Cookie", "__Host-rampart_session=" + session}});
  EXPECT_EQ(refused->status, 403);
  EXPECT_EQ(Get("/portal/", session)->status, 200);
  auto out = Request(Port(), "POST", "/logout", "csrf_token=" + csrf,
                     {{"Content-Type", "application/x-www-form-urlencoded"},
                      {"Cookie", "__Host-rampart_session=" + session}});
  EXPECT_EQ(out->status, 303);
  EXPECT_NE(SetCookieLine(*out, "__Host-rampart_session").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(Get("/portal/", session)->status, 303);
}

TEST_F(SignInTest, SessionsCanBeListedAndRevokedOnlyByTheirOwner) {
  const std::string laptop = SignIn("ana@example.com");
  const std::string phone = SignIn("ana@example.com");
  const std::string bob = SignIn("bob@example.com");
  auto list = Get("/account/sessions", laptop);
  ASSERT_EQ(list->status, 200);
  std::smatch m;
  std::vector<std::string> handles;
  const std::regex revoke_form(R"re(/account/sessions/([0-9a-f]{64})/revoke)re");
  for (std::sregex_iterator it(list->body.begin(), list->body.end(), revoke_form), end; it != end;
       ++it) {
    handles.push_back((*it)[1].str());
  }
  ASSERT_EQ(handles.size(), 1u) << "the other session, not this one";
  // Bob cannot revoke Ana's session by its handle.
  auto bob_page = Get("/account/sessions", bob);
  auto bob_try = Request(Port(), "POST", "/account/sessions/" + handles[0] + "/revoke",
                         "csrf_token=" + CsrfField(bob_page->body),
                         {{"Content-Type", "application/x-www-form-urlencoded"},
                          {"Cookie", "__Host-rampart_session=" + bob}});
  EXPECT_EQ(bob_try->status, 404);
  EXPECT_EQ(Get("/portal/", phone)->status, 200);
  // Ana can.
  auto revoke = Request(Port(), "POST", "/account/sessions/" + handles[0] + "/revoke",
                        "csrf_token=" + CsrfField(list->body),
                        {{"Content-Type", "application/x-www-form-urlencoded"},
                         {"Cookie", "__Host-rampart_session=" + laptop}});
  EXPECT_EQ(revoke->status, 303);
  EXPECT_EQ(Get("/portal/", phone)->status, 303);
  EXPECT_EQ(Get("/portal/", laptop)->status, 200);
}

TEST_F(SignInTest, OwnersMustEnrolInTwoFactorBeforeAnythingElse) {
  auto r = PostLogin("owner@example.com", kPassword);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 303);
  EXPECT_EQ(r->Header("location"), "/account/2fa/setup");
  const std::string session = CookieValue(*r, "__Host-rampart_session");
  auto agent_page = Get("/agent/", session);
  EXPECT_EQ(agent_page->status, 303);
  EXPECT_EQ(agent_page->Header("location"), "/account/2fa/setup");
}

TEST_F(SignInTest, AgentsReachTheWorkspaceAndCustomersDoNot) {
  EXPECT_EQ(Get("/agent/", SignIn("agent@example.com"))->status, 200);
  EXPECT_EQ(Get("/agent/", SignIn("ana@example.com"))->status, 404);
}

}  // namespace
}  // namespace rampart::testing
