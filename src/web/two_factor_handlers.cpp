#include "web/two_factor_handlers.h"

#include <ctemplate/template.h>

#include "audit/audit_log.h"
#include "auth/recovery_codes.h"
#include "auth/throttle.h"
#include "auth/totp.h"
#include "auth/totp_credentials.h"
#include "core/errors.h"
#include "observability/log.h"
#include "observability/metrics.h"
#include "security/session_stage.h"
#include "web/pages.h"

namespace rampart::web {
namespace {

using Dict = ctemplate::TemplateDictionary;

const security::AuthContext& SessionOf(const http::Request& r) {
  const security::AuthContext* a = security::AnySession(r);
  if (a == nullptr) throw core::Unauthorized();  // the access stage sends these to /login
  return *a;
}

std::string FormField(const http::Request& r, std::string_view name) {
  auto form = http::ParseForm(r.body);
  if (!form) throw core::BadRequest("The form could not be read.");
  for (const auto& [k, v] : *form) {
    if (k == name) return v;
  }
  return "";
}

std::string HomeFor(auth::Role role) {
  return auth::IsStaff(role) ? "/agent/" : "/portal/";
}

// Recovery codes are 80 random bits: argon2id at its floor cost is ample and keeps enrolment
// (ten hashes) quick.
constexpr auth::HashCost kRecoveryCodeCost = auth::kMinimumHashCost;

}  // namespace

http::Response TwoFactorHandlers::RenderSetup(http::Request& request, int status,
                                              const std::optional<std::string>& error) const {
  const auto& a = SessionOf(request);
  // A fresh secret each time the page is shown: only a confirmed one ever protects sign-in.
  const std::string secret = auth::GenerateTotpSecret();
  {
    storage::Lease w = db_.Write();
    if (auth::HasConfirmedTotp(*w, a.person.actor.user_id)) {
      throw core::Conflict("Two-factor authentication is already on for this account.");
    }
    auth::StoreTotpEnrollment(*w, *box_, a.person.actor.user_id, secret, clock_.NowUnixSeconds());
  }
  const std::string uri = auth::TotpUri("Rampart", a.person.email, secret);
  const Viewer* viewer = nullptr;  // no navigation until the account is fully signed in
  Viewer full{a.person.name, a.session.csrf_token, auth::IsStaff(a.person.actor.role)};
  if (a.session.FullySignedIn()) viewer = &full;
  return Page(status, "totp_setup.tpl", "Two-factor authentication", viewer, [&](Dict& d) {
    d.SetValue("CSRF_TOKEN", a.session.csrf_token);
    d.SetValue("SECRET", auth::Base32Encode(secret));
    // SVG built from the QR module matrix only: numbers, no text from the request.
    d.SetValue("QR_SVG", auth::QrCodeSvg(uri));
    if (a.session.second_factor == auth::SecondFactor::kEnroll) d.ShowSection("REQUIRED");
    if (error) d.AddSectionDictionary("ERROR")->SetValue("MESSAGE", *error);
  });
}

http::Response TwoFactorHandlers::ShowSetup(http::Request& request) const {
  return RenderSetup(request, 200, std::nullopt);
}

http::Response TwoFactorHandlers::ConfirmSetup(http::Request& request) const {
  const auto& a = SessionOf(request);
  const std::int64_t user = a.person.actor.user_id;
  const std::int64_t now = clock_.NowUnixSeconds();
  const std::string code = FormField(request, "code");
  auth::TotpVerdict verdict;
  {
    storage::Lease w = db_.Write();
    verdict = auth::VerifyUserTotp(*w, *box_, user, code, now);
  }
  if (verdict.outcome != auth::TotpOutcome::kAccepted) {
    metrics::Registry::Global().CountEvent("totp_enrol_failed", verdict.reason);
    return RenderSetup(request, 422,
                       "That code did not match. Scan this new code and enter the code it shows.");
  }
  // Hash the codes before taking the writer; store them and move the session on together.
  const auth::RecoveryCodeSet codes = auth::GenerateRecoveryCodes(kRecoveryCodeCost);
  std::string token;
  {
    storage::Lease w = db_.Write();
    storage::Transaction tx(*w);
    auth::StoreRecoveryCodes(*w, user, codes.hashes);
    audit::Append(*w, now, user, "2fa.enrolled", "user:" + std::to_string(user),
                  request.client_address, "totp with 10 recovery codes");
    token = auth::RotateSession(*w, a.token, auth::SecondFactor::kDone, now,
                                auth::TimeoutsFor(policy_, a.person.actor.role));
    tx.Commit();
  }
  log::Info("totp_enrolled",
            log::Fields().Add("request_id", request.request_id).Add("user_id", user));
  metrics::Registry::Global().CountEvent("totp", "enrolled");
  http::Response r = Page(200, "recovery_codes.tpl", "Recovery codes", nullptr, [&](Dict& d) {
    for (const std::string& c : codes.codes) d.AddSectionDictionary("CODE")->SetValue("VALUE", c);
    d.SetValue("NEXT", HomeFor(a.person.actor.role));
  });
  r.headers.Add("Set-Cookie", security::SessionCookie(token));
  return r;
}

http::Response TwoFactorHandlers::ShowPrompt(http::Request& request) const {
  const auto& a = SessionOf(request);
  if (a.session.second_factor != auth::SecondFactor::kPending) {
    return http::Response::Redirect(HomeFor(a.person.actor.role));
  }
  return Page(200, "totp_prompt.tpl", "Two-factor authentication", nullptr,
              [&](Dict& d) { d.SetValue("CSRF_TOKEN", a.session.csrf_token); });
}

http::Response TwoFactorHandlers::SubmitPrompt(http::Request& request) const {
  const auto& a = SessionOf(request);
  if (a.session.second_factor != auth::SecondFactor::kPending) {
    return http::Response::Redirect(HomeFor(a.person.actor.role));
  }
  const std::int64_t user = a.person.actor.user_id;
  const std::int64_t now = clock_.NowUnixSeconds();
  const std::string code = FormField(request, "code");
  const auth::SignInThrottle throttle(policy_.throttle);
  const auth::ThrottleKeys keys{auth::AccountThrottleKey(user),
                                auth::ClientThrottleKey(request.client_address)};
  bool accepted = false;
  std::string_view reason = "otp_wrong";
  {
    storage::Lease w = db_.Write();
    if (!throttle.Check(*w, keys, now).allowed) {
      reason = "throttled";
    } else if (code.size() > 8) {
      // Longer than a TOTP code: a recovery code (single use, consumed in this transaction).
      accepted = auth::ConsumeRecoveryCode(*w, user, code, now);
      reason = accepted ? "recovery_code" : "recovery_code_wrong";
    } else {
      const auto verdict = auth::VerifyUserTotp(*w, *box_, user, code, now);
      accepted = verdict.outcome == auth::TotpOutcome::kAccepted;
      reason = accepted ? "totp" : verdict.reason;
    }
    if (!accepted && reason != "throttled") throttle.RecordFailure(*w, keys, now);
  }
  if (!accepted) {
    metrics::Registry::Global().CountEvent("second_factor_failed", reason);
    log::Warn("second_factor_failed", log::Fields()
                                          .Add("request_id", request.request_id)
                                          .Add("user_id", user)
                                          .Add("reason", reason)
                                          .Add("client", request.client_address));
    return Page(401, "totp_prompt.tpl", "Two-factor authentication", nullptr, [&](Dict& d) {
      d.SetValue("CSRF_TOKEN", a.session.csrf_token);
      d.AddSectionDictionary("ERROR")->SetValue("MESSAGE", "That code is not correct.");
    });
  }
  std::string token;
  {
    storage::Lease w = db_.Write();
    storage::Transaction tx(*w);
    throttle.RecordSuccess(*w, keys);
    token = auth::RotateSession(*w, a.token, auth::SecondFactor::kDone, now,
                                auth::TimeoutsFor(policy_, a.person.actor.role));
    tx.Commit();
  }
  metrics::Registry::Global().CountEvent("second_factor", reason);
  log::Info("signed_in", log::Fields()
                             .Add("request_id", request.request_id)
                             .Add("user_id", user)
                             .Add("second_factor", reason));
  http::Response r = http::Response::Redirect(HomeFor(a.person.actor.role));
  r.headers.Add("Set-Cookie", security::SessionCookie(token));
  return r;
}

http::Response TwoFactorHandlers::ShowRecoveryCodes(http::Request& request) const {
  const auto& a = SessionOf(request);
  const std::int64_t user = a.person.actor.user_id;
  bool enrolled = false;
  std::int64_t unused = 0;
  {
    storage::Lease r = db_.Read();
    enrolled = auth::HasConfirmedTotp(*r, user);
    unused = enrolled ? auth::CountUnusedRecoveryCodes(*r, user) : 0;
  }
  return Page(200, "recovery_manage.tpl", "Recovery codes", nullptr, [&](Dict& d) {
    d.SetValue("CSRF_TOKEN", a.session.csrf_token);
    if (enrolled) {
      d.AddSectionDictionary("ENROLLED")->SetIntValue("UNUSED", static_cast<long>(unused));
    } else {
      d.ShowSection("NOT_ENROLLED");
    }
  });
}

http::Response TwoFactorHandlers::RegenerateRecoveryCodes(http::Request& request) const {
  const auto& a = SessionOf(request);
  const std::int64_t user = a.person.actor.user_id;
  const std::int64_t now = clock_.NowUnixSeconds();
  {
    storage::Lease r = db_.Read();
    if (!auth::HasConfirmedTotp(*r, user)) {
      throw core::Conflict("Set up two-factor authentication first; it comes with recovery codes.");
    }
  }
  // Hashed before the writer is taken, as at enrolment.
  const auth::RecoveryCodeSet codes = auth::GenerateRecoveryCodes(kRecoveryCodeCost);
  {
    storage::Lease w = db_.Write();
    storage::Transaction tx(*w);
    auth::StoreRecoveryCodes(*w, user, codes.hashes);  // every earlier code stops working
    audit::Append(*w, now, user, "2fa.recovery_codes_regenerated", "user:" + std::to_string(user),
                  request.client_address, "10 new codes; the earlier ones are void");
    tx.Commit();
  }
  log::Info("recovery_codes_regenerated",
            log::Fields().Add("request_id", request.request_id).Add("user_id", user));
  return Page(200, "recovery_codes.tpl", "Recovery codes", nullptr, [&](Dict& d) {
    for (const std::string& c : codes.codes) d.AddSectionDictionary("CODE")->SetValue("VALUE", c);
    d.SetValue("NEXT", "/account/sessions");
  });
}

}  // namespace rampart::web
