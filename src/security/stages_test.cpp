#include "security/stages.h"

#include <gtest/gtest.h>

#include "core/errors.h"

namespace rampart::security {
namespace {

http::Response Render(int status, const std::string& code, const std::string& message,
                      const std::string&, const std::string&, bool json) {
  return http::Response::Text(status, (json ? "json:" : "html:") + code + ":" + message);
}

TEST(ErrorMapping, UnknownExceptionsBecomeABare500) {
  http::Pipeline p;
  p.Add("errors", ErrorMapping(Render));
  http::Request r;
  r.path = "/agent/";
  http::Response res = p.Run(r, [](http::Request&) -> http::Response {
    throw std::runtime_error("SQLITE_CORRUPT at /var/lib/rampart/rampart.db");
  });
  EXPECT_EQ(res.status, 500);
  EXPECT_EQ(res.body.find("SQLITE"), std::string::npos);
  EXPECT_EQ(res.body.find("/var/lib"), std::string::npos);
}

TEST(ErrorMapping, TypedErrorsKeepStatusAndUserTextOnly) {
  http::Pipeline p;
  p.Add("errors", ErrorMapping(Render));
  http::Request r;
  r.path = "/api/v1/tickets";
  http::Response res = p.Run(
      r, [](http::Request&) -> http::Response { throw core::NotFound("ticket 7 of user 9"); });
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.body, "json:not_found:Not found.");
}

TEST(ErrorMapping, ApiRefusalsOfCredentialsSayHowToAuthenticate) {
  http::Pipeline p;
  p.Add("errors", ErrorMapping(Render));
  http::Request r;
  r.path = "/api/v1/me";
  http::Response none =
      p.Run(r, [](http::Request&) -> http::Response { throw core::Unauthorized(); });
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.headers.Get("WWW-Authenticate"), "Bearer realm=\"rampart\"");
  http::Response bad = p.Run(r, [](http::Request&) -> http::Response {
    throw core::RequestError(401, "invalid_token", "Bad token.", "unknown");
  });
  EXPECT_EQ(bad.headers.Get("WWW-Authenticate"),
            "Bearer realm=\"rampart\", error=\"invalid_token\"");
  r.path = "/portal/";
  http::Response page =
      p.Run(r, [](http::Request&) -> http::Response { throw core::Unauthorized(); });
  EXPECT_FALSE(page.headers.Has("WWW-Authenticate"));
}

TEST(ErrorMapping, TheFieldAtFaultReachesTheRenderer) {
  http::Pipeline p;
  p.Add("errors", ErrorMapping([](int status, const std::string& code, const std::string&,
                                  const std::string& field, const std::string&, bool) {
          return http::Response::Text(status, code + ":" + field);
        }));
  http::Request r;
  r.path = "/api/v1/tickets";
  EXPECT_EQ(p.Run(r,
                  [](http::Request&) -> http::Response {
                    throw core::Malformed("subject", "must be a string", "wrong_type");
                  })
                .body,
            "wrong_type:subject");
  EXPECT_EQ(
      p.Run(r, [](http::Request&) -> http::Response { throw core::Invalid("subject", "too long"); })
          .body,
      "invalid:subject");
}

TEST(SecurityHeaders, FillWhatHandlersLeaveOut) {
  http::Pipeline p;
  p.Add("headers", SecurityHeaders());
  http::Request r;
  http::Response res = p.Run(r, [](http::Request&) {
    http::Response x = http::Response::Text(200, "");
    x.headers.Set("Cache-Control", "public, max-age=60");
    x.headers.Set("Server", "leaky/1.0");
    return x;
  });
  EXPECT_EQ(res.headers.Get("Cache-Control"), "public, max-age=60");
  EXPECT_FALSE(res.headers.Has("Server"));
  EXPECT_FALSE(res.headers.Has("Strict-Transport-Security"));
  EXPECT_EQ(res.headers.Get("X-Content-Type-Options"), "nosniff");
  r.secure = true;
  http::Response tls = p.Run(r, [](http::Request&) { return http::Response::Text(200, ""); });
  EXPECT_TRUE(tls.headers.Has("Strict-Transport-Security"));
  EXPECT_EQ(tls.headers.Get("Cache-Control"), "no-store");
}

TEST(SecurityHeaders, OnlyTheMailFramePolicyAllowsFramesAndOnlyOfOurOwn) {
  const std::string page = kContentSecurityPolicy;
  const std::string with_frame = kContentSecurityPolicyWithMailFrame;
  EXPECT_EQ(page.find("frame-src"), std::string::npos);
  EXPECT_EQ(with_frame, page + "; frame-src 'self'");
  const std::string frame = MailFramePolicy(false);
  EXPECT_EQ(frame.rfind("sandbox; default-src 'none';", 0), 0u);
  EXPECT_EQ(frame.find("script-src"), std::string::npos);
  EXPECT_EQ(frame.find("https:"), std::string::npos);
  EXPECT_NE(frame.find("frame-ancestors 'self'"), std::string::npos);
  EXPECT_NE(MailFramePolicy(true).find("img-src data: cid: https:;"), std::string::npos);
}

}  // namespace
}  // namespace rampart::security
