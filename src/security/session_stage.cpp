#include "security/session_stage.h"

#include <algorithm>

#include "core/errors.h"
#include "core/strings.h"
#include "observability/log.h"
#include "observability/metrics.h"
#include "security/local_path.h"
#include "security/multipart_form.h"

namespace rampart::security {
namespace {

bool IsUnsafe(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

bool IsApi(const http::Request& r) {
  return r.path.rfind("/api/", 0) == 0;
}

std::optional<std::string> FormField(http::Request& r, std::string_view name) {
  // Multipart bodies (forms with files) are parsed here once and kept for the handler.
  if (IsMultipartForm(r)) return MultipartForm(r).Field(name);
  const auto type = r.headers.Get("Content-Type");
  if (!type || type->rfind("application/x-www-form-urlencoded", 0) != 0) return std::nullopt;
  auto form = http::ParseForm(r.body);
  if (!form) return std::nullopt;
  for (auto& [k, v] : *form) {
    if (k == name) return v;
  }
  return std::nullopt;
}

http::Response Deny(const http::Request& r, const char* reason) {
  metrics::Registry::Global().CountEvent("csrf_rejected", reason);
  log::Warn("csrf_rejected", log::Fields()
                                 .Add("request_id", r.request_id)
                                 .Add("reason", reason)
                                 .Add("route", r.route)
                                 .Add("client", r.client_address));
  throw core::RequestError(403, reason,
                           "This form has expired or did not come from this site. "
                           "Reload the page and try again.",
                           reason);
}

bool ReauthStale(const http::Request& r, const AuthContext& a, std::int64_t now,
                 std::int64_t window) {
  // API tokens carry no password to confirm: the token stage lets only admin-scoped ones through.
  return r.requires_reauth && !a.ViaApiToken() && now - a.session.reauth_at > window;
}

http::Response AskForReauth(const http::Request& r, const AuthContext& a) {
  metrics::Registry::Global().CountEvent("reauth_required",
                                         IsUnsafe(r.method) ? "refused" : "asked");
  log::Info("reauth_required", log::Fields()
                                   .Add("request_id", r.request_id)
                                   .Add("user_id", a.person.actor.user_id)
                                   .Add("route", r.route)
                                   .Add("method", r.method));
  if (IsUnsafe(r.method) || IsApi(r)) {
    throw core::RequestError(
        403, "reauth_required",
        "For your security, confirm your password before making this change. Nothing was "
        "changed: open the page again, confirm your password when asked, then repeat the change.",
        "sensitive action without a recent re-authentication");
  }
  // Half signed in (enrolment) and stale: the way back is a fresh sign-in.
  if (!a.session.FullySignedIn()) return http::Response::Redirect("/login");
  // A path that cannot be carried safely comes back to the start page instead.
  const std::string local = LocalPathOrEmpty(r.path);
  std::string location = kReauthPath;
  location.append("?next=");
  location.append(local.empty() ? std::string("/") : EncodeQueryValue(local));
  return http::Response::Redirect(location);
}

}  // namespace

const AuthContext* AnySession(const http::Request& request) {
  return dynamic_cast<const AuthContext*>(request.context.get());
}

const AuthContext* SignedIn(const http::Request& request) {
  const AuthContext* a = AnySession(request);
  if (a == nullptr) return nullptr;
  return a->ViaApiToken() || a->session.FullySignedIn() ? a : nullptr;
}

std::string SessionCookie(const std::string& token) {
  return std::string(kSessionCookie) + "=" + token + "; Path=/; Secure; HttpOnly; SameSite=Lax";
}

std::string ExpiredCookie(const std::string& name) {
  return name + "=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0";
}

http::Stage Sessions(storage::Database& db, const auth::SignInPolicy& policy,
                     const core::Clock& clock) {
  return [&db, policy, &clock](http::Request& request, const http::Next& next) {
    if (request.rejected) return next(request);
    if (auto token = request.Cookie(kSessionCookie)) {
      const std::int64_t now = clock.NowUnixSeconds();
      // Timeouts depend on the role, known only after loading: load with the longer window,
      // then check the role's own.
      auth::SessionTimeouts widest{
          std::max(policy.staff.idle_seconds, policy.end_users.idle_seconds),
          std::max(policy.staff.lifetime_seconds, policy.end_users.lifetime_seconds)};
      if (auto session = auth::LoadSession(db, *token, now, widest)) {
        std::optional<auth::Person> person;
        {
          storage::Lease c = db.Read();
          person = auth::LoadPerson(*c, session->user_id);
        }
        const auto& own = person ? auth::TimeoutsFor(policy, person->actor.role) : widest;
        const bool within_role_limits = now - session->last_seen_at <= own.idle_seconds &&
                                        now < session->created_at + own.lifetime_seconds;
        if (person && !person->disabled && within_role_limits) {
          auto ctx = std::make_shared<AuthContext>();
          ctx->token = *token;
          ctx->session = std::move(*session);
          ctx->person = std::move(*person);
          request.context = std::move(ctx);
        } else {
          storage::Lease w = db.Write();
          auth::RevokeSession(*w, *token);
        }
      }
    }
    return next(request);
  };
}

http::Stage AccessControl(const core::Clock& clock, std::int64_t reauth_window_seconds) {
  return [&clock, reauth_window_seconds](http::Request& request, const http::Next& next) {
    const auto access = static_cast<http::Access>(request.required_access);
    if (access == http::Access::kPublic || !request.routed) return next(request);
    const AuthContext* any = AnySession(request);
    const auto stale = [&](const AuthContext& a) {
      return ReauthStale(request, a, clock.NowUnixSeconds(), reauth_window_seconds);
    };
    if (access == http::Access::kSignInStep) {
      if (any == nullptr) return http::Response::Redirect("/login");
      if (stale(*any)) return AskForReauth(request, *any);
      return next(request);
    }
    if (const AuthContext* a = SignedIn(request)) {
      // A one-time password (from `demo-data` or an admin) leads to the change form first.
      if (a->person.must_change_password && request.path != "/account/password" &&
          request.path != kReauthPath) {
        if (IsApi(request)) throw core::Forbidden("password change pending");
        return http::Response::Redirect("/account/password");
      }
      if (stale(*a)) return AskForReauth(request, *a);
      return next(request);
    }
    if (IsApi(request)) throw core::Unauthorized();
    if (any != nullptr) {
      // Half signed in: the only way forward is the pending step.
      return http::Response::Redirect(any->session.second_factor == auth::SecondFactor::kEnroll
                                          ? "/account/2fa/setup"
                                          : "/login/2fa");
    }
    return http::Response::Redirect("/login");
  };
}

http::Stage Csrf() {
  return [](http::Request& request, const http::Next& next) {
    // Unrouted requests (404, 405, refused by the connection) reach no handler: nothing to protect.
    if (!IsUnsafe(request.method) || !request.routed) return next(request);
    if (const AuthContext* a = AnySession(request); a != nullptr && a->ViaApiToken()) {
      return next(request);
    }
    // Browsers send these on every cross-site form post; a mismatch is never legitimate.
    if (auto site = request.headers.Get("Sec-Fetch-Site"); site && *site == "cross-site") {
      return Deny(request, "csrf_cross_site");
    }
    if (auto origin = request.headers.Get("Origin"); origin && *origin != "null") {
      const auto host = request.headers.Get("Host");
      const std::string_view o = *origin;
      const auto scheme_end = o.find("://");
      const std::string_view origin_host =
          scheme_end == std::string_view::npos ? o : o.substr(scheme_end + 3);
      if (!host || origin_host != *host) return Deny(request, "csrf_origin_mismatch");
    }
    std::optional<std::string> presented = FormField(request, "csrf_token");
    if (!presented) {
      if (auto header = request.headers.Get("X-CSRF-Token")) presented = std::string(*header);
    }
    if (!presented || presented->empty()) return Deny(request, "csrf_missing");
    std::string expected;
    if (const AuthContext* a = AnySession(request)) {
      expected = a->session.csrf_token;
    } else if (auto cookie = request.Cookie(kPreSessionCsrfCookie)) {
      expected = *cookie;
    }
    if (expected.empty() || !core::ConstantTimeEquals(*presented, expected)) {
      return Deny(request, "csrf_mismatch");
    }
    return next(request);
  };
}

}  // namespace rampart::security
