#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "auth/actor.h"
#include "auth/sessions.h"
#include "auth/sign_in.h"
#include "core/clock.h"
#include "http/pipeline.h"
#include "storage/database.h"

namespace rampart::security {

inline constexpr const char* kSessionCookie = "__Host-rampart_session";
// Double-submit token for forms shown before a session exists (the sign-in form).
inline constexpr const char* kPreSessionCsrfCookie = "__Host-rampart_csrf";

// Who is calling: set on request.context by the session stage (a live session came with the
// request) or by the API token stage (a valid Bearer token on an /api/ path). Handlers and the
// access stage treat both alike; what differs is recorded here, not in a second type, so that
// nothing can forget to handle one of them.
struct AuthContext : http::RequestContext {
  enum class Via { kSession, kApiToken };
  Via via = Via::kSession;
  std::string token;      // the session cookie's value; empty for API tokens (never kept)
  auth::Session session;  // for API tokens: only user_id is set, and no CSRF token
  auth::Person person;    // for API tokens, the actor's channel is kApi and read scope is read_only
  std::int64_t api_token_id = 0;
  bool ViaApiToken() const { return via == Via::kApiToken; }
};

// The signed-in caller, or nullptr. Counts only sessions past every sign-in step, and API tokens
// (which exist only for users an operator issued them to).
const AuthContext* SignedIn(const http::Request& request);
// Any live session, including one still at the 2FA step.
const AuthContext* AnySession(const http::Request& request);

// Set-Cookie values. `__Host-` cookies must be Secure with Path=/ and no Domain; browsers
// accept Secure cookies from http://localhost, so development needs no TLS.
std::string SessionCookie(const std::string& token);
std::string ExpiredCookie(const std::string& name);

// Loads the session named by the cookie into request.context. Never rejects by itself.
http::Stage Sessions(storage::Database& db, const auth::SignInPolicy& policy,
                     const core::Clock& clock);

// Enforces the route's Access: a page without a full session redirects to /login (or to the
// pending 2FA step); an API route answers 401. On a sensitive route (Route::requires_reauth) a
// session whose last password entry (sign-in or /account/reauth) is older than
// `reauth_window_seconds` is stopped before the handler: a GET is sent to /account/reauth with
// the page as `next`, anything else gets 403 `reauth_required` and changes nothing.
http::Stage AccessControl(const core::Clock& clock, std::int64_t reauth_window_seconds);

// Where a GET of a sensitive page goes when the password must be confirmed first.
inline constexpr const char* kReauthPath = "/account/reauth";

// Refuses state-changing requests without a valid CSRF token (form field `csrf_token`, in an
// urlencoded or a multipart body, which is then kept parsed for the handler; or header
// X-CSRF-Token) bound to the session, or to the pre-session cookie when there is no
// session; also refuses cross-site Origin and Sec-Fetch-Site. Calls authenticated by an API
// token carry no ambient credentials and are exempt; a Bearer header alone is not enough, since
// on any other path it is ignored and the cookie is what authenticates.
http::Stage Csrf();

}  // namespace rampart::security
