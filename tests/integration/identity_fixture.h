#pragma once
// A helpdesk with an owner, an agent and two customers, and what a browser does with it: the
// shared setting of the identity flow tests (re-authentication, password reset, 2FA reset,
// security settings).
#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <memory>
#include <regex>
#include <string>

#include "support/http_client.h"
#include "support/server_process.h"
#include "support/web_session.h"

namespace rampart::testing {

inline constexpr const char* kIdentityPassword = "a long enough passphrase 2026";
inline const std::map<std::string, std::string> kIdentityEnv = {
    {"RAMPART_AUTH_HASH_MEMORY_KIB", "19456"},
    {"RAMPART_SERVER_PUBLIC_URL", "https://help.example.test"}};

inline std::string Oathtool(const std::string& secret, std::time_t at) {
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

class IdentityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string d = dir_.Path().string();
    ASSERT_EQ(RunRampart({"init", "--data-dir", d, "--owner-email", "owner@example.com"},
                         std::string(kIdentityPassword) + "\n", kIdentityEnv)
                  .exit_code,
              0);
    for (auto [email, role] :
         {std::pair{"agent@example.com", "agent"}, std::pair{"ana@example.com", "end_user"},
          std::pair{"bob@example.com", "end_user"}, std::pair{"admin@example.com", "admin"}}) {
      ASSERT_EQ(RunRampart({"user", "add", "--data-dir", d, "--email", email, "--role", role,
                            "--password-stdin"},
                           std::string(kIdentityPassword) + "\n", kIdentityEnv)
                    .exit_code,
                0);
    }
    server_ = std::make_unique<ServerProcess>(dir_.Path(), kIdentityEnv);
    ASSERT_TRUE(server_->Started()) << server_->Logs();
  }

  int Port() const { return server_->PublicPort(); }

  // Runs SQL on the server's database with the sqlite3 shell, as an operator could; returns
  // its output without the last newline.
  std::string Sql(const std::string& sql) {
    const std::string cmd = "sqlite3 -cmd '.timeout 5000' '" +
                            (dir_.Path() / "rampart.db").string() + "' \"" + sql + "\"";
    FILE* p = popen(cmd.c_str(), "r");
    if (p == nullptr) return "";
    std::string out;
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }
  // Moves every session's last password entry `seconds` into the past.
  void AgeReauth(int seconds = 3600) {
    Sql("UPDATE sessions SET reauth_at = reauth_at - " + std::to_string(seconds));
  }

  std::pair<std::string, std::string> PublicForm(const std::string& path) {
    auto page = Request(Port(), "GET", path);
    EXPECT_TRUE(page);
    return {CookieValue(*page, "__Host-rampart_csrf"), CsrfField(page->body)};
  }
  std::optional<HttpResponse> PostPublic(const std::string& path, const std::string& body,
                                         const std::string& form_path = "") {
    auto [cookie, field] = PublicForm(form_path.empty() ? path : form_path);
    return Request(Port(), "POST", path, "csrf_token=" + field + "&" + body,
                   {{"Content-Type", "application/x-www-form-urlencoded"},
                    {"Cookie", "__Host-rampart_csrf=" + cookie}});
  }
  std::optional<HttpResponse> PostLogin(const std::string& email, const std::string& password) {
    return PostPublic("/login", "email=" + FormEncode(email) + "&password=" + FormEncode(password));
  }
  std::string SignIn(const std::string& email, const std::string& password = kIdentityPassword) {
    auto r = PostLogin(email, password);
    EXPECT_TRUE(r);
    EXPECT_EQ(r->status, 303) << r->body;
    last_location_ = r->Header("location").value_or("");
    return CookieValue(*r, "__Host-rampart_session");
  }
  std::optional<HttpResponse> Get(const std::string& target, const std::string& session) {
    return Request(Port(), "GET", target, "", {{"Cookie", "__Host-rampart_session=" + session}});
  }
  std::optional<HttpResponse> Post(const std::string& target, const std::string& session,
                                   const std::string& body) {
    return Request(Port(), "POST", target, body,
                   {{"Cookie", "__Host-rampart_session=" + session},
                    {"Content-Type", "application/x-www-form-urlencoded"}});
  }
  // The CSRF token of the session, read from a page that every signed-in user may see.
  std::string CsrfOf(const std::string& session) {
    auto page = Get("/account/sessions", session);
    EXPECT_EQ(page->status, 200);
    return CsrfField(page->body);
  }
  // Confirms the password at /account/reauth; returns the session's new cookie value.
  std::string Reauth(const std::string& session, const std::string& code = "",
                     const std::string& next = "/") {
    std::string body = "csrf_token=" + CsrfOf(session) + "&next=" + FormEncode(next) +
                       "&password=" + FormEncode(kIdentityPassword);
    if (!code.empty()) body += "&code=" + code;
    auto r = Post("/account/reauth", session, body);
    EXPECT_EQ(r->status, 303) << r->body;
    return CookieValue(*r, "__Host-rampart_session");
  }
  // Enrols the signed-in session's account in TOTP; returns {secret, the new session}.
  std::pair<std::string, std::string> EnrolTotp(const std::string& session) {
    auto setup = Get("/account/2fa/setup", session);
    EXPECT_EQ(setup->status, 200) << setup->body;
    std::smatch m;
    EXPECT_TRUE(
        std::regex_search(setup->body, m, std::regex(R"re(id="totp-secret">([A-Z2-7]+)<)re")));
    const std::string secret = m[1].str();
    auto done = Post(
        "/account/2fa/setup", session,
        "csrf_token=" + CsrfField(setup->body) + "&code=" + Oathtool(secret, std::time(nullptr)));
    EXPECT_EQ(done->status, 200) << done->body;
    return {secret, CookieValue(*done, "__Host-rampart_session")};
  }
  std::string UserId(const std::string& email) {
    return Sql("SELECT id FROM users WHERE email = '" + email + "'");
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::string last_location_;
};

}  // namespace rampart::testing
