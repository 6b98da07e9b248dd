// Owner and admin security administration: an owner's reset of someone's 2FA, and the
// security settings page (password policy, 2FA per role, IP allowlists), each with its
// refusals.
#include "integration/identity_fixture.h"

namespace rampart::testing {
namespace {

class AdminSecurityTest : public IdentityTest {
 protected:
  // A fully signed-in session of a role that must enrol: enrols it. Returns {secret, session}.
  std::pair<std::string, std::string> EnrolledSession(const std::string& email) {
    const std::string partial = SignIn(email);
    EXPECT_EQ(last_location_, "/account/2fa/setup");
    return EnrolTotp(partial);
  }
  std::string Owner() { return EnrolledSession("owner@example.com").second; }

  // The settings form as the page shows it, with `changes` replacing fields.
  std::string SettingsForm(const std::string& session,
                           const std::map<std::string, std::string>& changes) {
    std::map<std::string, std::string> f = {{"staff.min_length", "15"},
                                            {"staff.min_length_with_second_factor", "8"},
                                            {"staff.history", "5"},
                                            {"staff.expiry_days", "0"},
                                            {"end_users.min_length", "15"},
                                            {"end_users.min_length_with_second_factor", "8"},
                                            {"end_users.history", "5"},
                                            {"end_users.expiry_days", "0"},
                                            {"second_factor.owner", "1"},
                                            {"second_factor.admin", "1"},
                                            {"ip.everyone", ""},
                                            {"ip.staff", ""},
                                            {"ip.api", ""}};
    for (const auto& [k, v] : changes) {
      if (v == "<absent>") {
        f.erase(k);
      } else {
        f[k] = v;
      }
    }
    std::string body = "csrf_token=" + CsrfOf(session);
    for (const auto& [k, v] : f) body += "&" + k + "=" + FormEncode(v);
    return body;
  }
  std::optional<HttpResponse> SaveSettings(const std::string& session,
                                           const std::map<std::string, std::string>& changes) {
    return Post("/admin/security", session, SettingsForm(session, changes));
  }
  std::string SecurityRows() {
    return Sql(
        "SELECT count(*) FROM settings WHERE key LIKE 'security.%' OR key LIKE 'ip_allow.%'");
  }
};

TEST_F(AdminSecurityTest, OwnerResetsAnAgentsTwoFactor) {
  const std::string agent = SignIn("agent@example.com");
  auto [secret, agent_session] = EnrolTotp(agent);
  const std::string agent_id = UserId("agent@example.com");
  ASSERT_EQ(Sql("SELECT count(*) FROM recovery_codes WHERE user_id = " + agent_id), "10");
  const std::string owner = Owner();
  auto confirm = Get("/admin/users/" + agent_id + "/reset-2fa", owner);
  ASSERT_EQ(confirm->status, 200) << confirm->body;
  EXPECT_NE(confirm->body.find("agent@example.com"), std::string::npos);
  auto r = Post("/admin/users/" + agent_id + "/reset-2fa", owner,
                "csrf_token=" + CsrfField(confirm->body));
  ASSERT_EQ(r->status, 303) << r->body;
  EXPECT_EQ(Sql("SELECT count(*) FROM totp_credentials WHERE user_id = " + agent_id), "0");
  EXPECT_EQ(Sql("SELECT count(*) FROM recovery_codes WHERE user_id = " + agent_id), "0");
  EXPECT_EQ(Get("/agent/", agent_session)->status, 303) << "the agent's sessions are signed out";
  EXPECT_EQ(Sql("SELECT count(*) FROM audit_events WHERE event = '2fa.reset' AND target = 'user:" +
                agent_id + "' AND actor_id = " + UserId("owner@example.com")),
            "1");
  EXPECT_EQ(Sql("SELECT count(*) FROM outbox WHERE kind = 'security_notice' AND recipient = "
                "'agent@example.com'"),
            "1");
  // Agents do not need 2FA by default: the next sign-in goes straight in, without a code.
  SignIn("agent@example.com");
  EXPECT_EQ(last_location_, "/agent/");
}

TEST_F(AdminSecurityTest, ResetSendsARoleThatRequiresTwoFactorBackToEnrolment) {
  const std::string admin = EnrolledSession("admin@example.com").second;
  EXPECT_EQ(Get("/agent/", admin)->status, 200);
  const std::string owner = Owner();
  const std::string admin_id = UserId("admin@example.com");
  auto r = Post("/admin/users/" + admin_id + "/reset-2fa", owner, "csrf_token=" + CsrfOf(owner));
  ASSERT_EQ(r->status, 303);
  EXPECT_EQ(Get("/agent/", admin)->status, 303);
  SignIn("admin@example.com");
  EXPECT_EQ(last_location_, "/account/2fa/setup");
}

TEST_F(AdminSecurityTest, OnlyOwnersMayResetAndOnlyFreshly) {
  const std::string agent = SignIn("agent@example.com");
  auto [secret, enrolled_agent] = EnrolTotp(agent);
  const std::string agent_id = UserId("agent@example.com");
  const std::string target = "/admin/users/" + agent_id + "/reset-2fa";
  const std::string admin = EnrolledSession("admin@example.com").second;
  const std::string ana = SignIn("ana@example.com");
  EXPECT_EQ(Post(target, admin, "csrf_token=" + CsrfOf(admin))->status, 403);
  EXPECT_EQ(Get(target, admin)->status, 403);
  EXPECT_EQ(Post(target, ana, "csrf_token=" + CsrfOf(ana))->status, 403);
  EXPECT_EQ(Post(target, enrolled_agent, "csrf_token=" + CsrfOf(enrolled_agent))->status, 403);
  const std::string owner = Owner();
  EXPECT_EQ(Post(target, owner, "")->status, 403) << "no CSRF token";
  EXPECT_EQ(Post("/admin/users/999999/reset-2fa", owner, "csrf_token=" + CsrfOf(owner))->status,
            404);
  EXPECT_EQ(Get("/admin/users/1%20OR%201=1/reset-2fa", owner)->status, 404);
  // Stale: asked to confirm, and the POST changes nothing.
  const std::string csrf = CsrfOf(owner);
  AgeReauth();
  auto page = Get(target, owner);
  EXPECT_EQ(page->status, 303);
  EXPECT_EQ(page->Header("location"), "/account/reauth?next=" + target);
  EXPECT_EQ(Post(target, owner, "csrf_token=" + csrf)->status, 403);
  EXPECT_EQ(Sql("SELECT count(*) FROM totp_credentials WHERE user_id = " + agent_id), "1");
  EXPECT_EQ(Sql("SELECT count(*) FROM audit_events WHERE event = '2fa.reset'"), "0");
  EXPECT_EQ(Get("/agent/", enrolled_agent)->status, 200);
}

TEST_F(AdminSecurityTest, SettingsPageShowsDefaultsAndSavesEveryField) {
  const std::string owner = Owner();
  auto page = Get("/admin/security", owner);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_NE(page->body.find(
                R"(name="staff.min_length" inputmode="numeric" required maxlength="6" value="15")"),
            std::string::npos);
  auto r = SaveSettings(owner, {{"end_users.min_length", "20"},
                                {"staff.require_digit", "1"},
                                {"second_factor.agent", "1"},
                                {"end_users.history", "2"},
                                {"staff.expiry_days", "90"},
                                {"ip.api", "192.0.2.0/24\n2001:db8::/32"}});
  ASSERT_EQ(r->status, 303) << r->body;
  auto shown = Get("/admin/security", owner);
  EXPECT_NE(
      shown->body.find(
          R"(name="end_users.min_length" inputmode="numeric" required maxlength="6" value="20")"),
      std::string::npos);
  EXPECT_NE(shown->body.find(R"(name="staff.require_digit" value="1" checked)"), std::string::npos);
  EXPECT_NE(shown->body.find("2001:db8::/32"), std::string::npos);
  EXPECT_EQ(Sql("SELECT value FROM settings WHERE key = 'security.end_users.min_length'"), "20");
  EXPECT_EQ(Sql("SELECT value FROM settings WHERE key = 'security.staff.expiry_days'"), "90");
  const std::string detail =
      Sql("SELECT detail FROM audit_events WHERE event = 'settings.security'");
  EXPECT_NE(detail.find("end_users.min_length"), std::string::npos) << detail;
  EXPECT_NE(detail.find("ip.api"), std::string::npos) << detail;

  // In force at once: customers need 20 characters, staff a digit, agents a second factor.
  const std::string ana = SignIn("ana@example.com");
  auto change =
      Post("/account/password", ana,
           "csrf_token=" + CsrfOf(ana) + "&current_password=" + FormEncode(kIdentityPassword) +
               "&new_password=" + FormEncode("sixteen chars ok"));
  EXPECT_EQ(change->status, 422);
  EXPECT_NE(change->body.find("at least 20"), std::string::npos);
  SignIn("agent@example.com");
  EXPECT_EQ(last_location_, "/account/2fa/setup");
}

TEST_F(AdminSecurityTest, ExpiryWhenTurnedOnSendsAnOldPasswordToTheChangeForm) {
  const std::string owner = Owner();
  Sql("UPDATE users SET password_changed_at = strftime('%s','now') - 40 * 86400");
  SignIn("ana@example.com");
  EXPECT_EQ(last_location_, "/portal/") << "off by default";
  ASSERT_EQ(SaveSettings(owner, {{"end_users.expiry_days", "30"}})->status, 303);
  const std::string ana = SignIn("ana@example.com");
  auto page = Get("/portal/", ana);
  EXPECT_EQ(page->status, 303);
  EXPECT_EQ(page->Header("location"), "/account/password");
  auto form = Get("/account/password", ana);
  EXPECT_NE(form->body.find("changed every 30 days"), std::string::npos);
  EXPECT_NE(form->body.find("data-strength-meter"), std::string::npos);
}

TEST_F(AdminSecurityTest, EveryBadFieldIsNamedAndNothingIsSaved) {
  const std::string owner = Owner();
  auto r = SaveSettings(owner, {{"staff.min_length", "7"},
                                {"end_users.history", "abc"},
                                {"end_users.expiry_days", "99999"},
                                {"ip.staff", "10.0.0.300/8"},
                                {"ip.everyone", "\"><img src=x onerror=alert(1)>"}});
  ASSERT_EQ(r->status, 422);
  EXPECT_NE(r->body.find("Staff passwords, minimum length"), std::string::npos);
  EXPECT_NE(r->body.find("Customer passwords, passwords remembered"), std::string::npos);
  EXPECT_NE(r->body.find("Customer passwords, expiry in days"), std::string::npos);
  EXPECT_NE(r->body.find("IP allowlist for staff"), std::string::npos);
  EXPECT_NE(r->body.find("10.0.0.300/8"), std::string::npos);
  EXPECT_NE(r->body.find("IP allowlist for everyone"), std::string::npos);
  EXPECT_EQ(r->body.find("<img src=x"), std::string::npos);
  EXPECT_EQ(SecurityRows(), "0");
  EXPECT_EQ(Sql("SELECT count(*) FROM audit_events WHERE event = 'settings.security'"), "0");
  // Oversized input is refused, not stored.
  auto big = SaveSettings(owner, {{"ip.api", std::string(70 * 1024, '1')}});
  EXPECT_EQ(big->status, 422);
  EXPECT_EQ(SecurityRows(), "0");
}

TEST_F(AdminSecurityTest, AListThatWouldLockOutTheSaverIsRefused) {
  const std::string owner = Owner();
  for (const char* field : {"ip.staff", "ip.everyone"}) {
    auto r = SaveSettings(owner, {{field, "192.0.2.0/24"}});
    ASSERT_EQ(r->status, 422) << field;
    EXPECT_NE(r->body.find("lock you out"), std::string::npos);
  }
  EXPECT_EQ(SecurityRows(), "0");
  auto ok = SaveSettings(owner, {{"ip.staff", "127.0.0.1/32\n192.0.2.0/24"}});
  EXPECT_EQ(ok->status, 303);
  EXPECT_EQ(Get("/agent/", owner)->status, 200);
}

TEST_F(AdminSecurityTest, SettingsNeedThePermissionAFreshPasswordAndTheToken) {
  const std::string agent = SignIn("agent@example.com");
  EXPECT_EQ(Get("/admin/security", agent)->status, 403);
  EXPECT_EQ(SaveSettings(agent, {{"staff.min_length", "30"}})->status, 403);
  const std::string ana = SignIn("ana@example.com");
  EXPECT_EQ(SaveSettings(ana, {{"staff.min_length", "30"}})->status, 403);
  const std::string admin = EnrolledSession("admin@example.com").second;
  EXPECT_EQ(Get("/admin/security", admin)->status, 200);
  const std::string body = SettingsForm(admin, {{"staff.min_length", "30"}});
  AgeReauth();
  EXPECT_EQ(Post("/admin/security", admin, body)->status, 403);
  auto without_token = Post("/admin/security", admin, body.substr(body.find('&') + 1));
  EXPECT_EQ(without_token->status, 403);
  EXPECT_EQ(SecurityRows(), "0");
}

}  // namespace
}  // namespace rampart::testing
