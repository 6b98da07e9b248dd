#pragma once
#include <functional>
#include <string>

#include "http/pipeline.h"

namespace rampart::security {

// Stamps X-Request-Id on the response and writes one access-log line per request.
http::Stage AccessLog();

// The security headers every response carries (CSP without unsafe-inline/eval, nosniff,
// frame-ancestors, referrer and permissions policies, no-store unless a handler allows caching,
// HSTS over TLS). Handlers may tighten a header but this stage fills what they left out.
http::Stage SecurityHeaders();

// The body of an error page; `json` for API paths. `field` names the input at fault, or is "".
using ErrorRenderer = std::function<http::Response(
    int status, const std::string& code, const std::string& message, const std::string& field,
    const std::string& request_id, bool json)>;

// Turns exceptions into responses: typed request errors keep their status, user text and field;
// anything else becomes a bare 500. Internals (what(), SQL, paths) go to the log only. A 401 on
// an API path carries `WWW-Authenticate: Bearer` (RFC 6750), with error="invalid_token" when a
// token was presented and refused.
http::Stage ErrorMapping(ErrorRenderer render);

// The Content-Security-Policy sent on every page.
extern const char* const kContentSecurityPolicy;

// The same policy plus `frame-src 'self'`, for the ticket pages that show an HTML mail body in
// a sandboxed frame. Only these pages get it: every other page keeps frames blocked by
// default-src 'none', and the framed route is the only one whose frame-ancestors admits us.
extern const char* const kContentSecurityPolicyWithMailFrame;

// The policy of the framed mail body itself: sandboxed (no scripts, no forms, an opaque origin),
// nothing loaded but inline styles and data:/cid: images; `remote_images` adds https: images,
// only after the viewer asked for them. Framed only by our own pages.
std::string MailFramePolicy(bool remote_images);

}  // namespace rampart::security
