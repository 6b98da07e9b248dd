#pragma once
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

// What the session stage learned: set on request.context when a live session came with the
// request.
struct AuthContext : http::RequestContext {
  std::string token;
  auth::Session session;
  auth::Person person;
};

// The signed-in caller, or nullptr. Counts only sessions past every sign-in step.
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
// pending 2FA step); an API route answers 401.
http::Stage AccessControl();

// Refuses state-changing requests without a valid CSRF token (form field `csrf_token` or
// header X-CSRF-Token) bound to the session, or to the pre-session cookie when there is no
// session; also refuses cross-site Origin and Sec-Fetch-Site. Bearer-token API calls carry no
// ambient credentials and are exempt.
http::Stage Csrf();

}  // namespace rampart::security
