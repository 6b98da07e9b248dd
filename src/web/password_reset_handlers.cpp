#include "web/password_reset_handlers.h"

#include <ctemplate/template.h>

#include "auth/password_reset.h"
#include "core/errors.h"
#include "core/random.h"
#include "core/strings.h"
#include "observability/log.h"
#include "observability/metrics.h"
#include "security/session_stage.h"
#include "web/pages.h"

namespace rampart::web {
namespace {

using Dict = ctemplate::TemplateDictionary;

// The form's CSRF token: the session's when there is one, else the pre-session cookie's
// (set here when missing), exactly as on the sign-in form.
struct FormToken {
  std::string value;
  bool set_cookie = false;
};

FormToken TokenFor(const http::Request& request) {
  if (const auto* a = security::AnySession(request)) return {a->session.csrf_token, false};
  std::string token = request.Cookie(security::kPreSessionCsrfCookie).value_or("");
  if (token.size() == 43) return {token, false};
  return {core::RandomToken(32), true};
}

http::Response WithToken(http::Response r, const FormToken& token) {
  if (token.set_cookie) {
    r.headers.Add("Set-Cookie", std::string(security::kPreSessionCsrfCookie) + "=" + token.value +
                                    "; Path=/; Secure; HttpOnly; SameSite=Strict");
  }
  return r;
}

std::string FormField(const std::vector<std::pair<std::string, std::string>>& form,
                      std::string_view name) {
  for (const auto& [k, v] : form) {
    if (k == name) return v;
  }
  return "";
}

http::Response ForgotPage(const FormToken& token, bool sent) {
  return WithToken(Page(200, "forgot_password.tpl", "Reset your password", nullptr,
                        [&](Dict& d) {
                          d.SetValue("CSRF_TOKEN", token.value);
                          if (sent) d.ShowSection("SENT");
                        }),
                   token);
}

// The token is a capability: no referrer may carry it to another site.
http::Response NoReferrer(http::Response r) {
  r.headers.Set("Referrer-Policy", "no-referrer");
  return r;
}

}  // namespace

http::Response PasswordResetHandlers::ShowForgot(http::Request& request) const {
  return ForgotPage(TokenFor(request), false);
}

http::Response PasswordResetHandlers::SubmitForgot(http::Request& request) const {
  auto form = http::ParseForm(request.body);
  if (!form) throw core::BadRequest("The form could not be read.");
  auth::PasswordResetRequest reset;
  reset.email = std::string(core::Trim(FormField(*form, "email")));
  reset.client_address = request.client_address;
  if (!policy_.server_key) throw core::InternalError("no server key for reset tokens");
  const auto outcome = auth::RequestPasswordReset(db_, *policy_.server_key, reset, public_url_,
                                                  clock_.NowUnixSeconds());
  metrics::Registry::Global().CountEvent("password_reset_requested", outcome.reason);
  log::Info("password_reset_requested", log::Fields()
                                            .Add("request_id", request.request_id)
                                            .Add("reason", outcome.reason)
                                            .Add("user_id", outcome.user_id)
                                            .Add("client", request.client_address));
  // The same page and status whatever happened: it must not tell which emails have accounts.
  return ForgotPage(TokenFor(request), true);
}

http::Response PasswordResetHandlers::RenderReset(http::Request& request, int status,
                                                  const std::optional<std::string>& error) const {
  const FormToken token = TokenFor(request);
  const auto settings = settings_->Get();
  // Which audience the account belongs to is not shown before the form is sent: the rules of
  // the stricter audience are described, and the server applies the account's own.
  const auth::PasswordPolicy& shown =
      settings->staff_passwords.min_length >= settings->end_user_passwords.min_length
          ? settings->staff_passwords
          : settings->end_user_passwords;
  return NoReferrer(WithToken(Page(status, "reset_password.tpl", "Choose a new password", nullptr,
                                   [&](Dict& d) {
                                     d.SetValue("CSRF_TOKEN", token.value);
                                     d.SetValue("TOKEN", request.PathParam("token"));
                                     for (const std::string& rule :
                                          auth::DescribePasswordPolicy(shown)) {
                                       d.AddSectionDictionary("RULE")->SetValue("TEXT", rule);
                                     }
                                     if (error)
                                       d.AddSectionDictionary("ERROR")->SetValue("MESSAGE", *error);
                                   }),
                              token));
}

http::Response PasswordResetHandlers::ShowReset(http::Request& request) const {
  if (!policy_.server_key ||
      !auth::PasswordResetUsable(db_, *policy_.server_key, request.PathParam("token"),
                                 clock_.NowUnixSeconds())) {
    metrics::Registry::Global().CountEvent("password_reset_failed", "link_invalid");
    return NoReferrer(Page(410, "reset_invalid.tpl", "Link not valid", nullptr, [](Dict&) {}));
  }
  return RenderReset(request, 200, std::nullopt);
}

http::Response PasswordResetHandlers::SubmitReset(http::Request& request) const {
  auto form = http::ParseForm(request.body);
  if (!form) throw core::BadRequest("The form could not be read.");
  if (!policy_.server_key) throw core::InternalError("no server key for reset tokens");
  auth::PasswordResetCompletion completion;
  completion.token = request.PathParam("token");
  completion.new_password = FormField(*form, "new_password");
  completion.client_address = request.client_address;
  const auto settings = settings_->Get();
  std::int64_t user_id = 0;
  try {
    user_id = auth::CompletePasswordReset(
        db_, *policy_.server_key, completion,
        [&settings](auth::Role role) { return settings->PasswordsFor(role); }, policy_.hash_cost,
        clock_.NowUnixSeconds());
  } catch (const core::Invalid& e) {
    metrics::Registry::Global().CountEvent("password_reset_failed", "policy");
    return RenderReset(request, 422, e.UserText());
  } catch (const core::RequestError& e) {
    if (e.Status() != 410) throw;
    metrics::Registry::Global().CountEvent("password_reset_failed", "link_invalid");
    log::Warn("password_reset_failed", log::Fields()
                                           .Add("request_id", request.request_id)
                                           .Add("reason", e.Code())
                                           .Add("client", request.client_address));
    return NoReferrer(Page(410, "reset_invalid.tpl", "Link not valid", nullptr, [](Dict&) {}));
  }
  metrics::Registry::Global().CountEvent("password", "reset");
  log::Info("password_reset", log::Fields()
                                  .Add("request_id", request.request_id)
                                  .Add("user_id", user_id)
                                  .Add("client", request.client_address));
  http::Response r = NoReferrer(http::Response::Redirect("/login?reset=1"));
  // Every session of the account was just ended, this browser's included.
  if (const auto* a = security::AnySession(request); a && a->person.actor.user_id == user_id) {
    r.headers.Add("Set-Cookie", security::ExpiredCookie(security::kSessionCookie));
  }
  return r;
}

}  // namespace rampart::web
