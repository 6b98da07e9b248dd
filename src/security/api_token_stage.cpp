#include "security/api_token_stage.h"

#include "auth/actor.h"
#include "core/errors.h"
#include "core/strings.h"
#include "observability/log.h"
#include "observability/metrics.h"
#include "security/session_stage.h"

namespace rampart::security {
namespace {

bool IsApi(const http::Request& r) {
  return r.path.rfind("/api/", 0) == 0;
}

bool IsUnsafe(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

void Observe(const http::Request& r, const char* event, const char* reason) {
  metrics::Registry::Global().CountEvent(event, reason);
  log::Warn(event, log::Fields()
                       .Add("request_id", r.request_id)
                       .Add("reason", reason)
                       .Add("route", r.route)
                       .Add("client", r.client_address));
}

// One answer for every way a token can fail, so that it reveals nothing about which it was;
// the code "invalid_token" becomes RFC 6750's error attribute on WWW-Authenticate.
[[noreturn]] void Refuse(const http::Request& r, const char* reason) {
  Observe(r, "api_token_rejected", reason);
  throw core::RequestError(401, "invalid_token", "The API token is malformed, unknown or revoked.",
                           reason);
}

}  // namespace

http::Stage ApiTokenAuth(storage::Database& db, std::shared_ptr<const auth::ApiTokenKey> key,
                         const core::Clock& clock) {
  return [&db, key = std::move(key), &clock](http::Request& request, const http::Next& next) {
    if (request.rejected || !IsApi(request)) return next(request);
    const auto header = request.headers.Get("Authorization");
    if (!header) return next(request);
    // Two credentials would leave it to chance which one a proxy or we believe.
    if (request.headers.Count("Authorization") != 1) Refuse(request, "several_authorization");
    const std::string_view value = *header;
    const auto space = value.find(' ');
    // The scheme is case-insensitive (RFC 7235); Basic and the rest are not ours to accept.
    if (space == std::string_view::npos ||
        !core::EqualsIgnoreCase(value.substr(0, space), "Bearer")) {
      Refuse(request, "not_bearer");
    }
    const std::string_view token = core::Trim(value.substr(space + 1));
    if (!auth::LooksLikeApiToken(token)) Refuse(request, "malformed_token");
    const auto found = auth::AuthenticateApiToken(db, *key, token, clock.NowUnixSeconds());
    if (!found) Refuse(request, "unknown_or_revoked_token");
    std::optional<auth::Person> person;
    {
      storage::Lease c = db.Read();
      person = auth::LoadPerson(*c, found->user_id);
    }
    if (!person || person->disabled) Refuse(request, "owner_disabled");

    auto ctx = std::make_shared<AuthContext>();
    ctx->via = AuthContext::Via::kApiToken;
    ctx->api_token_id = found->token_id;
    ctx->session.user_id = found->user_id;
    ctx->person = std::move(*person);
    ctx->person.actor.channel = auth::Actor::Channel::kApi;
    ctx->person.actor.read_only = found->scope == auth::TokenScope::kRead;
    const bool read_only = ctx->person.actor.read_only;
    request.context = std::move(ctx);
    if (read_only && IsUnsafe(request.method) && request.routed) {
      Observe(request, "api_token_forbidden", "read_only_token");
      throw core::RequestError(403, "read_only_token", "This API token may only read.",
                               "read-only token on " + request.method + " " + request.route);
    }
    // A session makes a sensitive change only after re-entering its password; a token has none
    // to re-enter, so only a token issued for it (scope admin, from the server's shell) may.
    if (request.requires_reauth && request.routed && found->scope != auth::TokenScope::kAdmin) {
      Observe(request, "api_token_forbidden", "admin_scope_required");
      throw core::RequestError(
          403, "admin_scope_required",
          "This change needs an API token of scope admin. Nothing was changed.",
          "non-admin token on sensitive " + request.method + " " + request.route);
    }
    return next(request);
  };
}

}  // namespace rampart::security
