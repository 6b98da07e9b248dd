#include "security/stages.h"

#include <chrono>
#include <exception>

#include "core/errors.h"
#include "observability/log.h"
#include "observability/metrics.h"

namespace rampart::security {

const char* const kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'";

const char* const kContentSecurityPolicyWithMailFrame =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'; frame-src 'self'";

std::string MailFramePolicy(bool remote_images) {
  std::string policy = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data: cid:";
  if (remote_images) policy += " https:";
  // form-action and base-uri do not fall back to default-src: closed explicitly.
  policy += "; form-action 'none'; base-uri 'none'; frame-ancestors 'self'";
  return policy;
}

namespace {

// The path as logged: a route whose path carries a secret (a password reset link's token) is
// logged by its pattern, so that reading the logs never yields a usable link.
std::string LoggedPath(const http::Request& request) {
  if (request.route.find("{token}") != std::string::npos) return request.route;
  return request.path.substr(0, 200);
}

}  // namespace

http::Stage AccessLog() {
  return [](http::Request& request, const http::Next& next) {
    const auto started = std::chrono::steady_clock::now();
    http::Response response = next(request);
    response.headers.Add("X-Request-Id", request.request_id);
    if (!log::Enabled(log::Level::kInfo)) return response;
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    // Only allow-listed facts: never cookies, tokens, bodies or full query strings.
    log::Info("request", log::Fields()
                             .Add("request_id", request.request_id)
                             .Add("method", request.method)
                             .Add("route", request.route)
                             .Add("path", LoggedPath(request))
                             .Add("status", response.status)
                             .Add("ms", ms)
                             .Add("client", request.client_address));
    return response;
  };
}

http::Stage SecurityHeaders() {
  return [](http::Request& request, const http::Next& next) {
    http::Response response = next(request);
    auto& h = response.headers;
    // Appended, not replaced: a fresh response has none of these, and a handler that set one
    // (a stricter CSP, a cacheable asset) keeps its own.
    const auto set_default = [&](std::string_view name, std::string_view value) {
      if (!h.Has(name)) h.Add(name, value);
    };
    set_default("Content-Security-Policy", kContentSecurityPolicy);
    set_default("X-Content-Type-Options", "nosniff");
    set_default("X-Frame-Options", "DENY");
    set_default("Referrer-Policy", "same-origin");
    set_default("Permissions-Policy",
                "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
                "microphone=(), payment=(), usb=(), interest-cohort=()");
    set_default("Cross-Origin-Opener-Policy", "same-origin");
    set_default("Cross-Origin-Resource-Policy", "same-origin");
    // Nothing is cacheable unless the handler says so (static assets do).
    set_default("Cache-Control", "no-store");
    if (request.secure) h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
    if (h.Has("Server")) h.Remove("Server");
    return response;
  };
}

http::Stage ErrorMapping(ErrorRenderer render) {
  return [render = std::move(render)](http::Request& request, const http::Next& next) {
    const bool json = request.path.rfind("/api/", 0) == 0;
    try {
      return next(request);
    } catch (const core::RequestError& e) {
      const auto level = e.Status() >= 500 ? log::Level::kError : log::Level::kInfo;
      log::Write(level, "request_failed",
                 log::Fields()
                     .Add("request_id", request.request_id)
                     .Add("status", e.Status())
                     .Add("code", e.Code())
                     .Add("detail", e.what()));
      http::Response r =
          render(e.Status(), e.Code(), e.UserText(), e.Field(), request.request_id, json);
      if (e.Status() == 401 && json) {
        r.headers.Set("WWW-Authenticate", e.Code() == "invalid_token"
                                              ? "Bearer realm=\"rampart\", error=\"invalid_token\""
                                              : "Bearer realm=\"rampart\"");
      }
      if (e.Status() == 405) {
        // The detail carries "allow: GET, POST"; the Allow header is required with a 405.
        const std::string detail = e.what();
        const auto pos = detail.find("allow: ");
        if (pos != std::string::npos) r.headers.Set("Allow", detail.substr(pos + 7));
      }
      return r;
    } catch (const std::exception& e) {
      metrics::Registry::Global().CountEvent("internal_error", "exception");
      log::Error("internal_error", log::Fields()
                                       .Add("request_id", request.request_id)
                                       .Add("route", request.route)
                                       .Add("detail", e.what()));
      return render(500, "internal", "Something went wrong on our side.", "", request.request_id,
                    json);
    }
  };
}

}  // namespace rampart::security
