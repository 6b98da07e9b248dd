#include "web/sign_in_handlers.h"

#include <ctemplate/template.h>

#include "audit/audit_log.h"
#include "auth/change_password.h"
#include "core/errors.h"
#include "core/random.h"
#include "core/strings.h"
#include "observability/log.h"
#include "observability/metrics.h"
#include "security/session_stage.h"
#include "tickets/portal_access.h"
#include "web/pages.h"

namespace rampart::web {
namespace {

constexpr const char* kBadCredentials = "The email or password is not correct.";

std::string HomeFor(auth::Role role) {
  return auth::IsStaff(role) ? "/agent/" : "/portal/";
}

Viewer ViewerOf(const security::AuthContext& a) {
  return Viewer{a.person.name, a.session.csrf_token, auth::IsStaff(a.person.actor.role),
                auth::HasAnyAdminPermission(a.person.actor)};
}

const security::AuthContext& RequireSignedIn(const http::Request& r) {
  const security::AuthContext* a = security::SignedIn(r);
  // The access stage runs first; reaching here without a session is a route-table bug.
  if (a == nullptr) throw core::Unauthorized();
  return *a;
}

std::string Field(const std::vector<std::pair<std::string, std::string>>& form,
                  std::string_view name) {
  for (const auto& [k, v] : form) {
    if (k == name) return v;
  }
  return "";
}

}  // namespace

http::Response SignInHandlers::Home(http::Request& request) const {
  if (const auto* a = security::SignedIn(request)) {
    return http::Response::Redirect(HomeFor(a->person.actor.role));
  }
  return http::Response::Redirect("/login");
}

http::Response SignInHandlers::ShowLogin(http::Request& request) const {
  if (const auto* a = security::SignedIn(request)) {
    return http::Response::Redirect(HomeFor(a->person.actor.role));
  }
  // A session part way through sign-in (or planted by someone else) has its own token; the
  // CSRF stage checks against it, and a successful sign-in replaces that session.
  std::optional<std::string> notice;
  if (request.QueryParam("reset")) {
    notice =
        "Your password was changed and every session was signed out. Sign in with the new "
        "password.";
  }
  if (const auto* partial = security::AnySession(request)) {
    LoginView view;
    view.csrf_token = partial->session.csrf_token;
    view.notice = notice;
    return LoginPage(200, view);
  }
  // The sign-in form is protected like any other (login CSRF): a random token in a cookie and
  // in the form must match.
  std::string token = request.Cookie(security::kPreSessionCsrfCookie).value_or("");
  const bool fresh = token.size() != 43;
  if (fresh) token = core::RandomToken(32);
  LoginView view;
  view.csrf_token = token;
  view.sign_up = tickets::ReadPortalSettings(db_).mode != tickets::SignUpMode::kInviteOnly;
  view.notice = notice;
  http::Response r = LoginPage(200, view);
  if (fresh) {
    r.headers.Add("Set-Cookie", std::string(security::kPreSessionCsrfCookie) + "=" + token +
                                    "; Path=/; Secure; HttpOnly; SameSite=Strict");
  }
  return r;
}

http::Response SignInHandlers::SubmitLogin(http::Request& request) const {
  auto form = http::ParseForm(request.body);
  if (!form) throw core::BadRequest("The form could not be read.");
  auth::SignInAttempt attempt;
  attempt.email = std::string(core::Trim(Field(*form, "email")));
  attempt.password = Field(*form, "password");
  attempt.client_address = request.client_address;
  attempt.user_agent = std::string(request.headers.Get("User-Agent").value_or(""));
  const auth::SignInOutcome outcome = auth::SignIn(db_, attempt, policy_, clock_.NowUnixSeconds());
  if (!outcome.ok && outcome.reason == "ip_denied") {
    metrics::Registry::Global().CountEvent("ip_denied", "staff_sign_in");
    log::Warn("ip_denied", log::Fields()
                               .Add("request_id", request.request_id)
                               .Add("reason", "not_in_staff_list")
                               .Add("client", request.client_address));
    throw core::Forbidden("staff sign-in from an address outside the staff allowlist");
  }
  if (!outcome.ok) {
    metrics::Registry::Global().CountEvent("sign_in_failed", outcome.reason);
    log::Warn("sign_in_failed", log::Fields()
                                    .Add("request_id", request.request_id)
                                    .Add("reason", outcome.reason)
                                    .Add("email", attempt.email.substr(0, 254))
                                    .Add("client", request.client_address));
    LoginView view;
    view.csrf_token = request.Cookie(security::kPreSessionCsrfCookie).value_or("");
    view.email = attempt.email.substr(0, 254);
    view.error = kBadCredentials;
    return LoginPage(401, view);
  }
  // A session that came with the request is replaced, never upgraded (no fixation).
  if (const auto* previous = security::AnySession(request)) {
    storage::Lease w = db_.Write();
    auth::RevokeSession(*w, previous->token);
  }
  metrics::Registry::Global().CountEvent("sign_in", "password_accepted");
  log::Info("signed_in", log::Fields()
                             .Add("request_id", request.request_id)
                             .Add("user_id", outcome.user_id)
                             .Add("second_factor", auth::SecondFactorName(outcome.second_factor))
                             .Add("client", request.client_address));
  std::string next = HomeFor(outcome.role);
  if (outcome.second_factor == auth::SecondFactor::kPending) next = "/login/2fa";
  if (outcome.second_factor == auth::SecondFactor::kEnroll) next = "/account/2fa/setup";
  http::Response r = http::Response::Redirect(next);
  r.headers.Add("Set-Cookie", security::SessionCookie(outcome.token));
  r.headers.Add("Set-Cookie", security::ExpiredCookie(security::kPreSessionCsrfCookie));
  return r;
}

http::Response SignInHandlers::SignOut(http::Request& request) const {
  if (const auto* a = security::AnySession(request)) {
    storage::Lease w = db_.Write();
    auth::RevokeSession(*w, a->token);
    log::Info("signed_out", log::Fields()
                                .Add("request_id", request.request_id)
                                .Add("user_id", a->person.actor.user_id));
  }
  http::Response r = http::Response::Redirect("/login");
  r.headers.Add("Set-Cookie", security::ExpiredCookie(security::kSessionCookie));
  return r;
}

http::Response SignInHandlers::ListSessions(http::Request& request) const {
  const auto& a = RequireSignedIn(request);
  std::vector<SessionRow> rows;
  const std::string mine = auth::SessionHandle(a.token);
  for (const auth::Session& s : auth::ListSessions(db_, a.person.actor.user_id)) {
    rows.push_back({s.handle, s.client_address, s.user_agent, core::FormatUtc(s.created_at),
                    core::FormatUtc(s.last_seen_at), s.handle == mine});
  }
  std::optional<std::string> notice;
  if (request.QueryParam("revoked")) notice = "The session was signed out.";
  return SessionsPage(ViewerOf(a), rows, notice);
}

http::Response SignInHandlers::RevokeSession(http::Request& request) const {
  const auto& a = RequireSignedIn(request);
  storage::Lease w = db_.Write();
  // Scoped to the caller's own sessions: another user's handle revokes nothing.
  if (!auth::RevokeSessionByHandle(*w, a.person.actor.user_id, request.PathParam("handle"))) {
    throw core::NotFound("no such session for this user");
  }
  return http::Response::Redirect("/account/sessions?revoked=1");
}

http::Response SignInHandlers::RevokeOtherSessions(http::Request& request) const {
  const auto& a = RequireSignedIn(request);
  storage::Lease w = db_.Write();
  storage::Transaction tx(*w);
  const int signed_out = auth::RevokeOtherSessions(*w, a.person.actor.user_id, a.token);
  audit::Append(*w, clock_.NowUnixSeconds(), a.person.actor.user_id, "sessions.revoke_others",
                "user:" + std::to_string(a.person.actor.user_id), request.client_address,
                "signed out: " + std::to_string(signed_out));
  tx.Commit();
  return http::Response::Redirect("/account/sessions?revoked=1");
}

auth::PasswordPolicy SignInHandlers::PasswordsFor(auth::Role role) const {
  return settings_ ? settings_->Get()->PasswordsFor(role) : auth::PasswordPolicy{};
}

http::Response SignInHandlers::ShowChangePassword(http::Request& request) const {
  const auto& a = RequireSignedIn(request);
  const Viewer viewer = ViewerOf(a);
  return Page(200, "change_password.tpl", "Change password", &viewer, [&](auto& d) {
    d.SetValue("CSRF_TOKEN", a.session.csrf_token);
    for (const std::string& rule :
         auth::DescribePasswordPolicy(PasswordsFor(a.person.actor.role))) {
      d.AddSectionDictionary("RULE")->SetValue("TEXT", rule);
    }
    if (a.person.must_change_password) d.ShowSection("FORCED");
    if (request.QueryParam("changed")) {
      d.AddSectionDictionary("NOTICE")->SetValue(
          "MESSAGE", "Your password was changed and your other sessions were signed out.");
    }
  });
}

http::Response SignInHandlers::SubmitChangePassword(http::Request& request) const {
  const auto& a = RequireSignedIn(request);
  auto form = http::ParseForm(request.body);
  if (!form) throw core::BadRequest("The form could not be read.");
  auth::PasswordChange change;
  change.user_id = a.person.actor.user_id;
  change.current_password = Field(*form, "current_password");
  change.new_password = Field(*form, "new_password");
  change.keep_session_token = a.token;
  change.client_address = request.client_address;
  try {
    auth::ChangePassword(db_, change, PasswordsFor(a.person.actor.role), policy_.hash_cost,
                         clock_.NowUnixSeconds());
  } catch (const core::Invalid& e) {
    const Viewer viewer = ViewerOf(a);
    return Page(422, "change_password.tpl", "Change password", &viewer, [&](auto& d) {
      d.SetValue("CSRF_TOKEN", a.session.csrf_token);
      for (const std::string& rule :
           auth::DescribePasswordPolicy(PasswordsFor(a.person.actor.role))) {
        d.AddSectionDictionary("RULE")->SetValue("TEXT", rule);
      }
      if (a.person.must_change_password) d.ShowSection("FORCED");
      d.AddSectionDictionary("ERROR")->SetValue("MESSAGE", e.UserText());
    });
  }
  log::Info(
      "password_changed",
      log::Fields().Add("request_id", request.request_id).Add("user_id", a.person.actor.user_id));
  metrics::Registry::Global().CountEvent("password", "changed");
  if (a.person.must_change_password) return http::Response::Redirect(HomeFor(a.person.actor.role));
  return http::Response::Redirect("/account/password?changed=1");
}

}  // namespace rampart::web
