// Password reset by emailed link: the same answer for every email, a single-use 30-minute link
// from the outbox, the policy applied, every session signed out, and no token in the logs.
#include <algorithm>

#include "integration/identity_fixture.h"

namespace rampart::testing {
namespace {

constexpr const char* kNewPassword = "a brand new passphrase for 2027";

class PasswordResetTest : public IdentityTest {
 protected:
  std::optional<HttpResponse> Forgot(const std::string& email) {
    return PostPublic("/login/forgot", "email=" + FormEncode(email));
  }
  // The token of the newest reset mail to `email`, read from the outbox as the mailer would.
  std::string LinkToken(const std::string& email) {
    const std::string body =
        Sql("SELECT body FROM outbox WHERE kind = 'password_reset' AND recipient = '" + email +
            "' ORDER BY id DESC LIMIT 1");
    std::smatch m;
    if (!std::regex_search(
            body, m,
            std::regex(R"re(https://help\.example\.test/login/reset/([A-Za-z0-9_-]{43})\n)re"))) {
      return "";
    }
    return m[1].str();
  }
  std::optional<HttpResponse> Reset(const std::string& token, const std::string& password) {
    return PostPublic("/login/reset/" + token, "new_password=" + FormEncode(password),
                      "/login/forgot");
  }
};

TEST_F(PasswordResetTest, ForgotAnswersTheSameForKnownUnknownAndDisabledAccounts) {
  Sql("UPDATE users SET disabled = 1 WHERE email = 'bob@example.com'");
  auto known = Forgot("ana@example.com");
  auto unknown = Forgot("nobody@example.com");
  auto disabled = Forgot("bob@example.com");
  ASSERT_TRUE(known && unknown && disabled);
  EXPECT_EQ(known->status, 200);
  EXPECT_EQ(unknown->status, known->status);
  EXPECT_EQ(disabled->status, known->status);
  const auto strip = [](const std::string& body) {
    return std::regex_replace(body, std::regex(R"re(name="csrf_token" value="[^"]*")re"), "");
  };
  EXPECT_EQ(strip(unknown->body), strip(known->body));
  EXPECT_EQ(strip(disabled->body), strip(known->body));
  // Mail only for the active account, in one row with its reset.
  EXPECT_EQ(Sql("SELECT count(*) FROM outbox"), "1");
  EXPECT_EQ(Sql("SELECT recipient || '|' || subject FROM outbox"),
            "ana@example.com|Reset your Rampart password");
  EXPECT_EQ(Sql("SELECT count(*) FROM password_resets"), "1");
  EXPECT_EQ(Sql("SELECT expires_at - created_at FROM password_resets"), "1800");
  const std::string token = LinkToken("ana@example.com");
  ASSERT_EQ(token.size(), 43u);
  // Only a keyed hash of the token is stored.
  EXPECT_EQ(Sql("SELECT count(*) FROM password_resets WHERE instr(token_hash, '" + token +
                "') > 0 OR length(token_hash) != 32"),
            "0");
}

TEST_F(PasswordResetTest, ForgotTakesAboutAsLongForUnknownEmails) {
  using Clock = std::chrono::steady_clock;
  const auto time = [&](const std::string& email) {
    const auto start = Clock::now();
    Forgot(email);
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  };
  std::vector<long> known;
  std::vector<long> unknown;
  // Below the throttle's free requests for the account; medians of three resist one slow outlier.
  for (int i = 0; i < 3; ++i) {
    known.push_back(time("ana@example.com"));
    unknown.push_back(time("nobody" + std::to_string(i) + "@example.com"));
  }
  std::sort(known.begin(), known.end());
  std::sort(unknown.begin(), unknown.end());
  // 50 ms, or a fifth of the slower median when a busy machine stretches every request: a
  // difference that reveals an account (a hash on one path only) is several times larger.
  const long bound = std::max(50L, std::max(known[1], unknown[1]) / 5);
  EXPECT_LT(std::abs(known[1] - unknown[1]), bound)
      << "known " << known[1] << " ms, unknown " << unknown[1] << " ms";
}

TEST_F(PasswordResetTest, LinkSetsThePasswordOnceAndSignsEverySessionOut) {
  const std::string laptop = SignIn("ana@example.com");
  const std::string phone = SignIn("ana@example.com");
  const std::string bob = SignIn("bob@example.com");
  ASSERT_EQ(Forgot("ana@example.com")->status, 200);
  const std::string token = LinkToken("ana@example.com");
  auto form = Request(Port(), "GET", "/login/reset/" + token);
  ASSERT_EQ(form->status, 200);
  EXPECT_EQ(form->Header("referrer-policy"), "no-referrer");
  EXPECT_NE(form->body.find("At least 15 characters"), std::string::npos) << "the rules in words";
  const std::string hash_before =
      Sql("SELECT password_hash FROM users WHERE email='ana@example.com'");

  // The policy applies, and says which rule failed; the link stays usable.
  auto short_one = Reset(token, "short");
  EXPECT_EQ(short_one->status, 422);
  EXPECT_NE(short_one->body.find("at least"), std::string::npos);
  auto repetitive = Reset(token, "abcabcabcabcabcabcabc");
  EXPECT_EQ(repetitive->status, 422);
  EXPECT_NE(repetitive->body.find("repeats"), std::string::npos);
  auto same = Reset(token, kIdentityPassword);
  EXPECT_EQ(same->status, 422);
  EXPECT_NE(same->body.find("recently"), std::string::npos);
  EXPECT_EQ(Sql("SELECT password_hash FROM users WHERE email='ana@example.com'"), hash_before);

  auto done = Reset(token, kNewPassword);
  ASSERT_EQ(done->status, 303) << done->body;
  EXPECT_EQ(done->Header("location"), "/login?reset=1");
  EXPECT_EQ(Get("/portal/", laptop)->status, 303);
  EXPECT_EQ(Get("/portal/", phone)->status, 303);
  EXPECT_EQ(Get("/portal/", bob)->status, 200) << "other people stay signed in";
  EXPECT_EQ(
      Sql("SELECT count(*) FROM password_history WHERE user_id = " + UserId("ana@example.com")),
      "1");
  EXPECT_EQ(Sql("SELECT count(*) FROM audit_events WHERE event = 'password.reset' AND target = "
                "'user:" +
                UserId("ana@example.com") + "'"),
            "1");
  EXPECT_EQ(PostLogin("ana@example.com", kIdentityPassword)->status, 401);
  EXPECT_EQ(PostLogin("ana@example.com", kNewPassword)->status, 303);

  // Used up.
  EXPECT_EQ(Request(Port(), "GET", "/login/reset/" + token)->status, 410);
  EXPECT_EQ(Reset(token, "yet another passphrase 2028")->status, 410);
  EXPECT_EQ(PostLogin("ana@example.com", kNewPassword)->status, 303);
}

TEST_F(PasswordResetTest, ExpiredWrongAndSupersededLinksAreRefused) {
  ASSERT_EQ(Forgot("ana@example.com")->status, 200);
  const std::string first = LinkToken("ana@example.com");
  ASSERT_EQ(Forgot("ana@example.com")->status, 200);
  const std::string second = LinkToken("ana@example.com");
  ASSERT_NE(first, second);
  EXPECT_EQ(Reset(first, kNewPassword)->status, 410) << "a newer link replaces the older";
  // Expired: 30 minutes after it was made.
  Sql("UPDATE password_resets SET expires_at = created_at - 1");
  EXPECT_EQ(Request(Port(), "GET", "/login/reset/" + second)->status, 410);
  EXPECT_EQ(Reset(second, kNewPassword)->status, 410);
  // Wrong, truncated, oversized and hostile tokens.
  std::string altered = second;
  altered[0] = altered[0] == 'A' ? 'B' : 'A';
  for (const std::string& bad :
       {altered, second.substr(0, 42), std::string(5000, 'A'), std::string("%3Cscript%3E")}) {
    auto r = Reset(bad, kNewPassword);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 410) << bad.substr(0, 50);
    EXPECT_EQ(r->body.find("<script>"), std::string::npos);
  }
  EXPECT_EQ(PostLogin("ana@example.com", kIdentityPassword)->status, 303) << "nothing changed";
}

TEST_F(PasswordResetTest, AnotherUsersLinkSetsOnlyThatUsersPassword) {
  ASSERT_EQ(Forgot("bob@example.com")->status, 200);
  const std::string bobs = LinkToken("bob@example.com");
  // Ana, signed in, uses Bob's link: it changes Bob's password, never Ana's.
  const std::string ana = SignIn("ana@example.com");
  auto page = Get("/account/sessions", ana);
  auto r =
      Request(Port(), "POST", "/login/reset/" + bobs,
              "csrf_token=" + CsrfField(page->body) + "&new_password=" + FormEncode(kNewPassword),
              {{"Content-Type", "application/x-www-form-urlencoded"},
               {"Cookie", "__Host-rampart_session=" + ana}});
  EXPECT_EQ(r->status, 303);
  EXPECT_EQ(PostLogin("ana@example.com", kIdentityPassword)->status, 303);
  EXPECT_EQ(PostLogin("bob@example.com", kNewPassword)->status, 303);
}

TEST_F(PasswordResetTest, ResetNeedsTheFormsCsrfToken) {
  ASSERT_EQ(Forgot("ana@example.com")->status, 200);
  const std::string token = LinkToken("ana@example.com");
  auto r =
      Request(Port(), "POST", "/login/reset/" + token, "new_password=" + FormEncode(kNewPassword),
              {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(r->status, 403);
  auto forgot = Request(Port(), "POST", "/login/forgot", "email=ana%40example.com",
                        {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(forgot->status, 403);
  EXPECT_EQ(Sql("SELECT count(*) FROM outbox"), "1");
  EXPECT_EQ(PostLogin("ana@example.com", kIdentityPassword)->status, 303);
}

TEST_F(PasswordResetTest, RequestsAreThrottledPerAccountAndPerAddress) {
  for (int i = 0; i < 6; ++i) EXPECT_EQ(Forgot("ana@example.com")->status, 200);
  EXPECT_EQ(Sql("SELECT count(*) FROM outbox"), "3") << "three mails, then a wait";
  for (int i = 0; i < 12; ++i) {
    std::string email = std::to_string(i);
    email.append("@example.com");
    EXPECT_EQ(Forgot(email)->status, 200);
  }
  // The address is now slowed as well: even another real account gets no mail.
  EXPECT_EQ(Forgot("bob@example.com")->status, 200);
  EXPECT_EQ(Sql("SELECT count(*) FROM outbox WHERE recipient = 'bob@example.com'"), "0");
}

TEST_F(PasswordResetTest, ResetLiftsTheSignInLockAndKeepsTwoFactor) {
  const std::string id = UserId("ana@example.com");
  Sql("INSERT INTO sign_in_throttle (key, failures, last_failure_at, locked_until) VALUES "
      "('account:" +
      id + "', 100, 0, 9223372036854775807)");
  EXPECT_EQ(PostLogin("ana@example.com", kIdentityPassword)->status, 401);
  ASSERT_EQ(Forgot("ana@example.com")->status, 200);
  ASSERT_EQ(Reset(LinkToken("ana@example.com"), kNewPassword)->status, 303);
  EXPECT_EQ(PostLogin("ana@example.com", kNewPassword)->status, 303);
  // A second factor survives a reset: sign-in still stops at the code.
  const std::string agent = SignIn("agent@example.com");
  EnrolTotp(agent);
  ASSERT_EQ(Forgot("agent@example.com")->status, 200);
  ASSERT_EQ(Reset(LinkToken("agent@example.com"), kNewPassword)->status, 303);
  EXPECT_EQ(
      Sql("SELECT count(*) FROM totp_credentials WHERE user_id = " + UserId("agent@example.com")),
      "1");
  SignIn("agent@example.com", kNewPassword);
  EXPECT_EQ(last_location_, "/login/2fa");
}

TEST_F(PasswordResetTest, NoTokenReachesTheLogs) {
  ASSERT_EQ(Forgot("ana@example.com")->status, 200);
  const std::string token = LinkToken("ana@example.com");
  Request(Port(), "GET", "/login/reset/" + token);
  ASSERT_EQ(Reset(token, kNewPassword)->status, 303);
  ASSERT_TRUE(server_->WaitForLog("password_reset", std::chrono::seconds(5)));
  EXPECT_EQ(server_->Logs().find(token), std::string::npos);
  EXPECT_EQ(server_->Logs().find(kNewPassword), std::string::npos);
}

}  // namespace
}  // namespace rampart::testing
