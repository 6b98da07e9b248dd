#include "web/reauth_handlers.h"

#include <ctemplate/template.h>

#include "auth/reauthenticate.h"
#include "core/errors.h"
#include "observability/log.h"
#include "observability/metrics.h"
#include "security/local_path.h"
#include "security/session_stage.h"
#include "web/pages.h"

namespace rampart::web {
namespace {

std::string SafeNext(const std::optional<std::string>& next) {
  std::string local = security::LocalPathOrEmpty(next.value_or(""));
  // Confirming again for the confirmation page itself would loop.
  if (local.empty() || local.rfind(security::kReauthPath, 0) == 0) return "/";
  return local;
}

const security::AuthContext& RequireSession(const http::Request& r) {
  const security::AuthContext* a = security::SignedIn(r);
  if (a == nullptr || a->ViaApiToken()) throw core::Unauthorized();
  return *a;
}

http::Response Render(int status, const security::AuthContext& a, const std::string& next,
                      bool ask_code, const std::optional<std::string>& error) {
  const Viewer viewer{a.person.name, a.session.csrf_token, auth::IsStaff(a.person.actor.role)};
  return Page(status, "reauth.tpl", "Confirm your password", &viewer,
              [&](ctemplate::TemplateDictionary& d) {
                d.SetValue("CSRF_TOKEN", a.session.csrf_token);
                d.SetValue("NEXT", next);
                d.SetValue("EMAIL", a.person.email);
                if (ask_code) d.ShowSection("CODE");
                if (error) d.AddSectionDictionary("ERROR")->SetValue("MESSAGE", *error);
              });
}

}  // namespace

http::Response ReauthHandlers::Show(http::Request& request) const {
  const auto& a = RequireSession(request);
  return Render(200, a, SafeNext(request.QueryParam("next")),
                auth::NeedsSecondFactorToReauthenticate(db_, a.person.actor.user_id), std::nullopt);
}

http::Response ReauthHandlers::Submit(http::Request& request) const {
  const auto& a = RequireSession(request);
  auto form = http::ParseForm(request.body);
  if (!form) throw core::BadRequest("The form could not be read.");
  auth::ReauthAttempt attempt;
  std::optional<std::string> next;
  for (auto& [k, v] : *form) {
    if (k == "password") attempt.password = v;
    if (k == "code") attempt.code = v;
    if (k == "next") next = v;
  }
  const std::string target = SafeNext(next);
  attempt.user_id = a.person.actor.user_id;
  attempt.role = a.person.actor.role;
  attempt.session_token = a.token;
  attempt.second_factor = a.session.second_factor;
  attempt.client_address = request.client_address;
  const auth::ReauthOutcome outcome =
      auth::Reauthenticate(db_, *box_, attempt, policy_, clock_.NowUnixSeconds());
  if (!outcome.ok) {
    metrics::Registry::Global().CountEvent("reauth_failed", outcome.reason);
    log::Warn("reauth_failed", log::Fields()
                                   .Add("request_id", request.request_id)
                                   .Add("user_id", a.person.actor.user_id)
                                   .Add("reason", outcome.reason)
                                   .Add("client", request.client_address));
    if (outcome.reason == "session_gone") throw core::Unauthorized();
    const bool ask_code = auth::NeedsSecondFactorToReauthenticate(db_, a.person.actor.user_id);
    return Render(
        401, a, target, ask_code,
        ask_code ? "The password or the code is not correct." : "The password is not correct.");
  }
  metrics::Registry::Global().CountEvent("reauth", "confirmed");
  log::Info("reauthenticated", log::Fields()
                                   .Add("request_id", request.request_id)
                                   .Add("user_id", a.person.actor.user_id)
                                   .Add("client", request.client_address));
  http::Response r = http::Response::Redirect(target);
  r.headers.Add("Set-Cookie", security::SessionCookie(outcome.token));
  return r;
}

}  // namespace rampart::web
