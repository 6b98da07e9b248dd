#include "web/admin_security_pages.h"

#include <ctemplate/template.h>

#include <algorithm>
#include <charconv>

#include "auth/reset_second_factor.h"
#include "core/errors.h"
#include "observability/log.h"
#include "observability/metrics.h"
#include "security/admin_security.h"
#include "security/session_stage.h"
#include "web/pages.h"

namespace rampart::web {
namespace {

using Dict = ctemplate::TemplateDictionary;
using Form = std::vector<std::pair<std::string, std::string>>;

const security::AuthContext& RequireSignedIn(const http::Request& r) {
  const security::AuthContext* a = security::SignedIn(r);
  if (a == nullptr || a->ViaApiToken()) throw core::Unauthorized();
  return *a;
}

Viewer ViewerOf(const security::AuthContext& a) {
  return Viewer{a.person.name, a.session.csrf_token, auth::IsStaff(a.person.actor.role)};
}

const std::string* Find(const Form& form, std::string_view name) {
  for (const auto& [k, v] : form) {
    if (k == name) return &v;
  }
  return nullptr;
}

// Words for each field, used in error messages so that each names the field it is about.
std::string Label(std::string_view field) {
  static const std::vector<std::pair<std::string_view, std::string_view>> kLabels = {
      {"min_length_with_second_factor", "minimum length with two-factor authentication"},
      {"min_length", "minimum length"},
      {"max_length", "maximum length"},
      {"history", "passwords remembered"},
      {"expiry_days", "expiry in days"},
  };
  std::string audience;
  std::string_view rest = field;
  if (field.rfind("staff.", 0) == 0) {
    audience = "Staff passwords";
    rest = field.substr(6);
  } else if (field.rfind("end_users.", 0) == 0) {
    audience = "Customer passwords";
    rest = field.substr(10);
  } else if (field == "ip.everyone") {
    return "IP allowlist for everyone";
  } else if (field == "ip.staff") {
    return "IP allowlist for staff";
  } else if (field == "ip.api") {
    return "IP allowlist for the API";
  }
  for (const auto& [key, words] : kLabels) {
    if (rest == key) return audience + ", " + std::string(words);
  }
  return std::string(field);
}

void ReadPolicy(const Form& form, const std::string& prefix, auth::PasswordPolicy& p,
                std::vector<security::FieldProblem>& problems) {
  const auto number = [&](const char* name, std::size_t& out) {
    const std::string field = prefix + name;
    const std::string* v = Find(form, field);
    std::size_t value = 0;
    const bool ok = v != nullptr && !v->empty() && v->size() <= 6 &&
                    std::from_chars(v->data(), v->data() + v->size(), value).ec == std::errc() &&
                    std::all_of(v->begin(), v->end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!ok) {
      problems.push_back({field, "Enter a whole number."});
      return;
    }
    out = value;
  };
  const auto flag = [&](const char* name) { return Find(form, prefix + name) != nullptr; };
  number("min_length", p.min_length);
  number("min_length_with_second_factor", p.min_length_with_second_factor);
  number("history", p.history);
  number("expiry_days", p.expiry_days);
  p.require_mixed_case = flag("require_mixed_case");
  p.require_digit = flag("require_digit");
  p.require_symbol = flag("require_symbol");
}

void FillPolicy(Dict& d, const std::string& section, const auth::PasswordPolicy& p) {
  Dict* s = d.AddSectionDictionary(section);
  s->SetIntValue("MIN_LENGTH", static_cast<long>(p.min_length));
  s->SetIntValue("MIN_LENGTH_2FA", static_cast<long>(p.min_length_with_second_factor));
  s->SetIntValue("HISTORY", static_cast<long>(p.history));
  s->SetIntValue("EXPIRY_DAYS", static_cast<long>(p.expiry_days));
  if (p.require_mixed_case) s->ShowSection("MIXED_CASE");
  if (p.require_digit) s->ShowSection("DIGIT");
  if (p.require_symbol) s->ShowSection("SYMBOL");
}

http::Response RenderSettings(int status, const security::AuthContext& a,
                              const security::SecurityPageValues& v,
                              const std::vector<security::FieldProblem>& problems, bool saved) {
  const Viewer viewer = ViewerOf(a);
  return Page(status, "admin_security.tpl", "Security settings", &viewer, [&](Dict& d) {
    d.SetValue("CSRF_TOKEN", a.session.csrf_token);
    if (saved) d.ShowSection("SAVED");
    if (!problems.empty()) {
      Dict* errors = d.AddSectionDictionary("ERRORS");
      for (const auto& p : problems) {
        Dict* e = errors->AddSectionDictionary("ERROR");
        e->SetValue("FIELD_ID", p.field);
        e->SetValue("LABEL", Label(p.field));
        e->SetValue("TEXT", p.text);
      }
    }
    FillPolicy(d, "STAFF", v.settings.staff_passwords);
    FillPolicy(d, "END_USERS", v.settings.end_user_passwords);
    if (v.settings.second_factor_owner) d.ShowSection("TFA_OWNER");
    if (v.settings.second_factor_admin) d.ShowSection("TFA_ADMIN");
    if (v.settings.second_factor_agent) d.ShowSection("TFA_AGENT");
    if (v.settings.second_factor_end_user) d.ShowSection("TFA_END_USER");
    d.SetValue("IP_EVERYONE", v.ip_everyone);
    d.SetValue("IP_STAFF", v.ip_staff);
    d.SetValue("IP_API", v.ip_api);
    d.SetValue("CLIENT", a.session.client_address);
  });
}

std::int64_t UserIdParam(const http::Request& r) {
  const std::string text = r.PathParam("id");
  std::int64_t id = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size() || id <= 0 || text.size() > 18) {
    throw core::NotFound("malformed user id");
  }
  return id;
}

}  // namespace

http::Response AdminSecurityPages::ShowSettings(http::Request& request) const {
  const auto& a = RequireSignedIn(request);
  const auto values = security::ViewSecurityPage(db_, a.person.actor, {*settings_, *allowlists_});
  return RenderSettings(200, a, values, {}, request.QueryParam("saved").has_value());
}

http::Response AdminSecurityPages::SaveSettings(http::Request& request) const {
  const auto& a = RequireSignedIn(request);
  // Checked before the form is even read, so that nothing about the form leaks to others.
  const auto current = security::ViewSecurityPage(db_, a.person.actor, {*settings_, *allowlists_});
  auto form = http::ParseForm(request.body);
  if (!form) throw core::BadRequest("The form could not be read.");
  security::SecurityPageValues v = current;
  std::vector<security::FieldProblem> problems;
  ReadPolicy(*form, "staff.", v.settings.staff_passwords, problems);
  ReadPolicy(*form, "end_users.", v.settings.end_user_passwords, problems);
  v.settings.second_factor_owner = Find(*form, "second_factor.owner") != nullptr;
  v.settings.second_factor_admin = Find(*form, "second_factor.admin") != nullptr;
  v.settings.second_factor_agent = Find(*form, "second_factor.agent") != nullptr;
  v.settings.second_factor_end_user = Find(*form, "second_factor.end_user") != nullptr;
  const auto text = [&](const char* name) {
    const std::string* s = Find(*form, name);
    return s ? *s : std::string();
  };
  v.ip_everyone = text("ip.everyone");
  v.ip_staff = text("ip.staff");
  v.ip_api = text("ip.api");
  problems = security::SaveSecurityPage(db_, a.person.actor, v, std::move(problems),
                                        request.client_address, {*settings_, *allowlists_},
                                        clock_.NowUnixSeconds());
  if (!problems.empty()) {
    metrics::Registry::Global().CountEvent("security_settings", "refused");
    log::Info("security_settings_refused", log::Fields()
                                               .Add("request_id", request.request_id)
                                               .Add("user_id", a.person.actor.user_id)
                                               .Add("field", problems.front().field));
    return RenderSettings(422, a, v, problems, false);
  }
  metrics::Registry::Global().CountEvent("security_settings", "saved");
  log::Info(
      "security_settings_saved",
      log::Fields().Add("request_id", request.request_id).Add("user_id", a.person.actor.user_id));
  return http::Response::Redirect("/admin/security?saved=1");
}

http::Response AdminSecurityPages::ShowResetSecondFactor(http::Request& request) const {
  const auto& a = RequireSignedIn(request);
  const auto account = auth::ViewSecondFactor(db_, a.person.actor, UserIdParam(request));
  const Viewer viewer = ViewerOf(a);
  return Page(200, "admin_reset_2fa.tpl", "Reset two-factor authentication", &viewer, [&](Dict& d) {
    d.SetValue("CSRF_TOKEN", a.session.csrf_token);
    d.SetIntValue("USER_ID", static_cast<long>(account.user_id));
    d.SetValue("EMAIL", account.email);
    d.SetValue("NAME", account.name);
    d.SetValue("ROLE", std::string(auth::RoleName(account.role)));
    if (request.QueryParam("done")) d.ShowSection("DONE");
    d.ShowSection(account.enrolled ? "ENROLLED" : "NOT_ENROLLED");
    if (account.user_id == a.person.actor.user_id) d.ShowSection("SELF");
  });
}

http::Response AdminSecurityPages::ResetSecondFactor(http::Request& request) const {
  const auto& a = RequireSignedIn(request);
  const std::int64_t user_id = UserIdParam(request);
  auth::ResetSecondFactor(db_, a.person.actor, user_id, request.client_address,
                          clock_.NowUnixSeconds());
  metrics::Registry::Global().CountEvent("totp", "reset_by_owner");
  log::Info("totp_reset", log::Fields()
                              .Add("request_id", request.request_id)
                              .Add("user_id", a.person.actor.user_id)
                              .Add("target_user_id", user_id));
  return http::Response::Redirect("/admin/users/" + std::to_string(user_id) + "/reset-2fa?done=1");
}

}  // namespace rampart::web
