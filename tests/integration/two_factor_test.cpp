// Two-factor sign-in end to end: forced enrolment, codes from an independent generator
// (oathtool), replay refusal, single-use recovery codes.
#include <gtest/gtest.h>

#include <algorithm>

#include <cstdio>
#include <ctime>
#include <regex>

#include "support/http_client.h"
#include "support/server_process.h"
#include "support/web_session.h"

namespace rampart::testing {
namespace {

constexpr const char* kPassword = "a long enough passphrase 2026";
const std::map<std::string, std::string> kFastHashing = {{"RAMPART_AUTH_HASH_MEMORY_KIB", "19456"}};

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

class TwoFactorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(RunRampart({"init", "--data-dir", dir_.Path().string(), "--owner-email",
                          "owner@example.com"},
                         std::string(kPassword) + "\n", kFastHashing)
                  .exit_code,
              0);
    server_ = std::make_unique<ServerProcess>(dir_.Path(), kFastHashing);
    ASSERT_TRUE(server_->Started()) << server_->Logs();
  }
  int Port() const { return server_->PublicPort(); }
  std::optional<HttpResponse> Get(const std::string& target, const std::string& session) {
    return Request(Port(), "GET", target, "", {{"Cookie", "__Host-rampart_session=" + session}});
  }
  std::optional<HttpResponse> Post(const std::string& target, const std::string& session,
                                   const std::string& body) {
    return Request(Port(), "POST", target, body,
                   {{"Cookie", "__Host-rampart_session=" + session},
                    {"Content-Type", "application/x-www-form-urlencoded"}});
  }
  // Password step: returns the (partial) session.
  std::string PasswordStep() {
    auto page = Request(Port(), "GET", "/login");
    const std::string cookie = CookieValue(*page, "__Host-rampart_csrf");
    auto r = Request(Port(), "POST", "/login",
                     "csrf_token=" + CsrfField(page->body) +
                         "&email=owner%40example.com&password=a+long+enough+passphrase+2026",
                     {{"Content-Type", "application/x-www-form-urlencoded"},
                      {"Cookie", "__Host-rampart_csrf=" + cookie}});
    EXPECT_EQ(r->status, 303);
    last_location_ = r->Header("location").value_or("");
    return CookieValue(*r, "__Host-rampart_session");
  }
  // Enrols and returns {base32 secret, recovery codes, full session}.
  std::tuple<std::string, std::vector<std::string>, std::string> Enrol() {
    const std::string partial = PasswordStep();
    EXPECT_EQ(last_location_, "/account/2fa/setup");
    auto setup = Get("/account/2fa/setup", partial);
    EXPECT_EQ(setup->status, 200);
    std::smatch m;
    EXPECT_TRUE(
        std::regex_search(setup->body, m, std::regex(R"re(id="totp-secret">([A-Z2-7]+)<)re")));
    const std::string secret = m[1].str();
    EXPECT_NE(setup->body.find("<svg"), std::string::npos);
    auto done = Post(
        "/account/2fa/setup", partial,
        "csrf_token=" + CsrfField(setup->body) + "&code=" + Oathtool(secret, std::time(nullptr)));
    EXPECT_EQ(done->status, 200) << done->body;
    std::vector<std::string> codes;
    const std::regex code_re(R"re(<code>([A-Za-z0-9-]{19})</code>)re");
    for (std::sregex_iterator it(done->body.begin(), done->body.end(), code_re), end; it != end;
         ++it) {
      codes.push_back((*it)[1].str());
    }
    const std::string full = CookieValue(*done, "__Host-rampart_session");
    EXPECT_NE(full, partial) << "the session id changes when 2FA completes";
    last_partial_ = partial;
    return {secret, codes, full};
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::string last_location_;
  std::string last_partial_;
};

TEST_F(TwoFactorTest, OwnersEnrolBeforeAnythingElseAndTheNewSessionWorks) {
  const std::string partial = PasswordStep();
  EXPECT_EQ(Get("/agent/", partial)->Header("location"), "/account/2fa/setup");
  EXPECT_EQ(Get("/account/sessions", partial)->Header("location"), "/account/2fa/setup");
  auto [secret, codes, full] = Enrol();
  EXPECT_EQ(secret.size(), 32u) << "160-bit secret";
  EXPECT_EQ(codes.size(), 10u);
  EXPECT_EQ(Get("/agent/", full)->status, 200);
  EXPECT_EQ(Get("/agent/", last_partial_)->Header("location"), "/login") << "the old id is dead";
}

TEST_F(TwoFactorTest, SignInAsksForTheCodeAndRefusesAReplay) {
  auto [secret, codes, full] = Enrol();
  const std::time_t now = std::time(nullptr);
  // The enrolment code's step is used; the next step's code is fresh (the window is ±1).
  const std::string next_code = Oathtool(secret, now + 30);
  const std::string partial = PasswordStep();
  EXPECT_EQ(last_location_, "/login/2fa");
  EXPECT_EQ(Get("/agent/", partial)->Header("location"), "/login/2fa");
  auto prompt = Get("/login/2fa", partial);
  auto wrong =
      Post("/login/2fa", partial, "csrf_token=" + CsrfField(prompt->body) + "&code=000000");
  EXPECT_EQ(wrong->status, 401);
  auto ok =
      Post("/login/2fa", partial, "csrf_token=" + CsrfField(prompt->body) + "&code=" + next_code);
  ASSERT_EQ(ok->status, 303);
  EXPECT_EQ(ok->Header("location"), "/agent/");
  EXPECT_EQ(Get("/agent/", CookieValue(*ok, "__Host-rampart_session"))->status, 200);
  // The same code again, in the same window: refused.
  const std::string again = PasswordStep();
  auto prompt2 = Get("/login/2fa", again);
  auto replay =
      Post("/login/2fa", again, "csrf_token=" + CsrfField(prompt2->body) + "&code=" + next_code);
  EXPECT_EQ(replay->status, 401);
  EXPECT_TRUE(server_->WaitForLog("otp_replayed", std::chrono::seconds(2)));
}

TEST_F(TwoFactorTest, RecoveryCodesWorkOnceEach) {
  auto [secret, codes, full] = Enrol();
  ASSERT_FALSE(codes.empty());
  const std::string partial = PasswordStep();
  auto prompt = Get("/login/2fa", partial);
  auto ok =
      Post("/login/2fa", partial, "csrf_token=" + CsrfField(prompt->body) + "&code=" + codes[0]);
  EXPECT_EQ(ok->status, 303);
  const std::string again = PasswordStep();
  auto prompt2 = Get("/login/2fa", again);
  auto reuse =
      Post("/login/2fa", again, "csrf_token=" + CsrfField(prompt2->body) + "&code=" + codes[0]);
  EXPECT_EQ(reuse->status, 401);
}

TEST_F(TwoFactorTest, RecoveryCodesCanBeReplacedAndTheOldOnesStopWorking) {
  auto [secret, codes, full] = Enrol();
  ASSERT_EQ(codes.size(), 10u);
  auto page = Get("/account/2fa/recovery-codes", full);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("You have 10 unused recovery codes"), std::string::npos);
  // Without the form's CSRF token nothing is replaced.
  EXPECT_EQ(Post("/account/2fa/recovery-codes", full, "")->status, 403);
  auto made = Post("/account/2fa/recovery-codes", full, "csrf_token=" + CsrfField(page->body));
  ASSERT_EQ(made->status, 200) << made->body;
  std::vector<std::string> fresh;
  const std::regex code_re(R"re(<code>([A-Za-z0-9-]{19})</code>)re");
  for (std::sregex_iterator it(made->body.begin(), made->body.end(), code_re), end; it != end;
       ++it) {
    fresh.push_back((*it)[1].str());
  }
  ASSERT_EQ(fresh.size(), 10u);
  EXPECT_EQ(std::find(fresh.begin(), fresh.end(), codes[1]), fresh.end());
  // An old code is void; a new one signs in.
  const std::string partial = PasswordStep();
  auto prompt = Get("/login/2fa", partial);
  EXPECT_EQ(
      Post("/login/2fa", partial, "csrf_token=" + CsrfField(prompt->body) + "&code=" + codes[1])
          ->status,
      401);
  const std::string again = PasswordStep();
  auto prompt2 = Get("/login/2fa", again);
  EXPECT_EQ(
      Post("/login/2fa", again, "csrf_token=" + CsrfField(prompt2->body) + "&code=" + fresh[0])
          ->status,
      303);
}

TEST_F(TwoFactorTest, TheSecretIsSealedAtRest) {
  auto [secret, codes, full] = Enrol();
  auto dump = RunRampart(
      {"backup", "--data-dir", dir_.Path().string(), (dir_.Path() / "copy.db").string()});
  ASSERT_EQ(dump.exit_code, 0);
  // Read the raw database file: neither the secret nor a recovery code is in it.
  std::FILE* f = std::fopen((dir_.Path() / "copy.db").c_str(), "rb");
  ASSERT_NE(f, nullptr);
  std::string bytes;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) bytes.append(buf, n);
  std::fclose(f);
  EXPECT_EQ(bytes.find(secret), std::string::npos);
  EXPECT_EQ(bytes.find(codes[0]), std::string::npos);
  EXPECT_EQ(bytes.find(kPassword), std::string::npos);
  EXPECT_NE(bytes.find("$argon2id$"), std::string::npos);
}

}  // namespace
}  // namespace rampart::testing
