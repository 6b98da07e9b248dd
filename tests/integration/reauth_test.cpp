// Sensitive actions need the password entered within the last few minutes: each one is stopped
// without it (and changes nothing), allowed after /account/reauth, and `next` never leaves the
// site.
#include "integration/identity_fixture.h"

#include <regex>
#include <sstream>

namespace rampart::testing {
namespace {

class ReauthTest : public IdentityTest {};

TEST_F(ReauthTest, AFreshSignInNeedsNoConfirmation) {
  const std::string ana = SignIn("ana@example.com");
  EXPECT_EQ(Get("/account/password", ana)->status, 200);
}

// Every route the server marks as sensitive (the REAUTH column of `rampart routes`), not only
// the ones written out below: with a stale password a page asks for it again and a change is
// refused before any handler runs, whoever asks.
TEST_F(ReauthTest, EverySensitiveRouteIsStoppedWhenThePasswordIsStale) {
  const std::string ana = SignIn("ana@example.com");
  const std::string csrf = CsrfOf(ana);
  AgeReauth();
  // Accounts, roles, settings, second factors and sessions: what these routes could change.
  const auto State = [this] {
    return Sql(
        "SELECT (SELECT group_concat(email || password_hash || role || disabled) FROM "
        "users) || (SELECT count(*) FROM roles) || (SELECT count(*) FROM settings) || "
        "(SELECT count(*) FROM recovery_codes) || (SELECT count(*) FROM sessions)");
  };
  const std::string before = State();
  const auto routes = RunRampart({"routes", "--format", "tsv", "--data-dir", dir_.Path().string()});
  ASSERT_EQ(routes.exit_code, 0) << routes.err;
  std::istringstream lines(routes.out);
  int checked = 0;
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> f;
    std::istringstream fields(line);
    for (std::string x; std::getline(fields, x, '\t');) f.push_back(x);
    if (f.size() < 5 || f[4] != "reauth") continue;
    const std::string path = std::regex_replace(f[1], std::regex(R"(\{[a-z_]+\})"), "1");
    if (f[0] == "GET") {
      auto r = Get(path, ana);
      EXPECT_EQ(r->status, 303) << path;
      EXPECT_EQ(r->Header("location").value_or("").rfind("/account/reauth?next=", 0), 0u) << path;
    } else {
      auto r = Request(Port(), f[0], path, "csrf_token=" + csrf,
                       {{"Cookie", "__Host-rampart_session=" + ana},
                        {"Content-Type", "application/x-www-form-urlencoded"}});
      EXPECT_EQ(r->status, 403) << f[0] << " " << path;
    }
    ++checked;
  }
  EXPECT_GE(checked, 20);
  EXPECT_EQ(State(), before) << "a refused request changed something";
}

TEST_F(ReauthTest, StalePasswordChangeIsAskedForAndRefusedWithoutChange) {
  const std::string ana = SignIn("ana@example.com");
  const std::string csrf = CsrfOf(ana);
  const std::string hash_before =
      Sql("SELECT password_hash FROM users WHERE email='ana@example.com'");
  AgeReauth();
  auto page = Get("/account/password", ana);
  EXPECT_EQ(page->status, 303);
  EXPECT_EQ(page->Header("location"), "/account/reauth?next=/account/password");
  auto change = Post("/account/password", ana,
                     "csrf_token=" + csrf + "&current_password=" + FormEncode(kIdentityPassword) +
                         "&new_password=" + FormEncode("another long passphrase 2027"));
  EXPECT_EQ(change->status, 403);
  EXPECT_NE(change->body.find("confirm your password"), std::string::npos);
  EXPECT_NE(change->body.find("Nothing was"), std::string::npos);
  EXPECT_EQ(Sql("SELECT password_hash FROM users WHERE email='ana@example.com'"), hash_before);
  EXPECT_EQ(Sql("SELECT count(*) FROM audit_events WHERE event = 'password.changed'"), "0");
  EXPECT_TRUE(server_->WaitForLog("reauth_required", std::chrono::seconds(5)));
  // Confirming brings the same request through.
  const std::string fresh = Reauth(ana, "", "/account/password");
  ASSERT_FALSE(fresh.empty());
  EXPECT_NE(fresh, ana) << "a new session id at re-authentication";
  EXPECT_EQ(Get("/account/password", ana)->status, 303) << "the old id is dead";
  auto again =
      Post("/account/password", fresh,
           "csrf_token=" + CsrfOf(fresh) + "&current_password=" + FormEncode(kIdentityPassword) +
               "&new_password=" + FormEncode("another long passphrase 2027"));
  EXPECT_EQ(again->status, 303) << again->body;
  EXPECT_NE(Sql("SELECT password_hash FROM users WHERE email='ana@example.com'"), hash_before);
  EXPECT_EQ(Sql("SELECT count(*) FROM audit_events WHERE event = 'password.changed'"), "1");
}

TEST_F(ReauthTest, StaleRevokeOthersIsRefusedAndSignsNobodyOut) {
  const std::string laptop = SignIn("ana@example.com");
  const std::string phone = SignIn("ana@example.com");
  const std::string csrf = CsrfOf(laptop);
  AgeReauth();
  auto r = Post("/account/sessions/revoke-others", laptop, "csrf_token=" + csrf);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(Get("/portal/", phone)->status, 200);
  EXPECT_EQ(Sql("SELECT count(*) FROM audit_events WHERE event = 'sessions.revoke_others'"), "0");
  const std::string fresh = Reauth(laptop);
  auto ok = Post("/account/sessions/revoke-others", fresh, "csrf_token=" + CsrfOf(fresh));
  EXPECT_EQ(ok->status, 303);
  EXPECT_EQ(Get("/portal/", phone)->status, 303);
  EXPECT_EQ(Sql("SELECT detail FROM audit_events WHERE event = 'sessions.revoke_others'"),
            "signed out: 1");
}

TEST_F(ReauthTest, StaleTwoFactorSetupIsAskedForAndStoresNothing) {
  const std::string agent = SignIn("agent@example.com");
  const std::string csrf = CsrfOf(agent);
  AgeReauth();
  auto page = Get("/account/2fa/setup", agent);
  EXPECT_EQ(page->status, 303);
  EXPECT_EQ(page->Header("location"), "/account/reauth?next=/account/2fa/setup");
  auto confirm = Post("/account/2fa/setup", agent, "csrf_token=" + csrf + "&code=123456");
  EXPECT_EQ(confirm->status, 403);
  EXPECT_EQ(Sql("SELECT count(*) FROM totp_credentials"), "0");
  const std::string fresh = Reauth(agent, "", "/account/2fa/setup");
  auto [secret, enrolled] = EnrolTotp(fresh);
  ASSERT_FALSE(secret.empty());
  EXPECT_EQ(Sql("SELECT count(*) FROM totp_credentials WHERE confirmed_at IS NOT NULL"), "1");
  EXPECT_EQ(Sql("SELECT count(*) FROM audit_events WHERE event = '2fa.enrolled'"), "1");

  // Enrolled: the confirmation needs the code as well as the password.
  AgeReauth();
  auto without_code = Post(
      "/account/reauth", enrolled,
      "csrf_token=" + CsrfOf(enrolled) + "&next=%2F&password=" + FormEncode(kIdentityPassword));
  EXPECT_EQ(without_code->status, 401);
  EXPECT_NE(without_code->body.find("authenticator"), std::string::npos);
  const std::string again = Reauth(enrolled, Oathtool(secret, std::time(nullptr) + 30));
  EXPECT_FALSE(again.empty());
  EXPECT_EQ(Get("/account/password", again)->status, 200);
}

TEST_F(ReauthTest, WrongPasswordConfirmsNothingAndIsThrottledLikeSignIn) {
  const std::string ana = SignIn("ana@example.com");
  AgeReauth();
  const std::string csrf = CsrfOf(ana);
  for (int i = 0; i < 6; ++i) {
    auto r = Post("/account/reauth", ana,
                  "csrf_token=" + csrf +
                      "&next=%2F&password=" + FormEncode("wrong guess " + std::to_string(i)));
    EXPECT_EQ(r->status, 401);
  }
  const std::string key = "account:" + UserId("ana@example.com");
  EXPECT_GE(std::stoi("0" + Sql("SELECT failures FROM sign_in_throttle WHERE key = '" + key + "'")),
            5)
      << "failures count on the sign-in counter";
  // Delayed (set outright, so that second boundaries do not matter): even the right password
  // is refused until the delay has passed.
  Sql("UPDATE sign_in_throttle SET locked_until = strftime('%s','now') + 600 WHERE key = '" + key +
      "'");
  auto right = Post("/account/reauth", ana,
                    "csrf_token=" + csrf + "&next=%2F&password=" + FormEncode(kIdentityPassword));
  EXPECT_EQ(right->status, 401);
  EXPECT_EQ(Get("/account/password", ana)->status, 303);
}

TEST_F(ReauthTest, NextNeverLeavesTheSite) {
  const std::string ana = SignIn("ana@example.com");
  std::string session = ana;
  for (const char* next :
       {"//evil.example", "https://evil", "/\\evil", "javascript:alert(1)", "/%2F%2Fevil.example",
        "\"><img src=x onerror=alert(1)>", "/account/reauth?next=//evil.example"}) {
    // The form echoes the value only once validated.
    auto form = Get(std::string("/account/reauth?next=") + FormEncode(next), session);
    ASSERT_EQ(form->status, 200);
    EXPECT_EQ(form->body.find("evil"), std::string::npos) << next;
    EXPECT_EQ(form->body.find("<img"), std::string::npos) << next;
    auto r = Post("/account/reauth", session,
                  "csrf_token=" + CsrfField(form->body) + "&next=" + FormEncode(next) +
                      "&password=" + FormEncode(kIdentityPassword));
    ASSERT_EQ(r->status, 303) << next;
    EXPECT_EQ(r->Header("location"), "/") << next;
    session = CookieValue(*r, "__Host-rampart_session");
  }
}

TEST_F(ReauthTest, ConfirmationNeedsItsCsrfTokenAndASession) {
  const std::string ana = SignIn("ana@example.com");
  AgeReauth();
  auto no_csrf = Post("/account/reauth", ana, "next=%2F&password=" + FormEncode(kIdentityPassword));
  EXPECT_EQ(no_csrf->status, 403);
  EXPECT_EQ(Get("/account/password", ana)->status, 303) << "still not confirmed";
  auto anonymous = Request(Port(), "GET", "/account/reauth");
  EXPECT_EQ(anonymous->status, 303);
  EXPECT_EQ(anonymous->Header("location"), "/login");
}

}  // namespace
}  // namespace rampart::testing
