// The access stage's re-authentication window, with an injected clock: the boundary, the
// configured length, and what each kind of request gets.
#include <gtest/gtest.h>

#include "core/errors.h"
#include "security/session_stage.h"

namespace rampart::security {
namespace {

class FixedClock final : public core::Clock {
 public:
  explicit FixedClock(std::int64_t now) : now_(now) {}
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::time_point(std::chrono::seconds(now_));
  }

 private:
  std::int64_t now_;
};

constexpr std::int64_t kSignedInAt = 1'000'000;

struct Outcome {
  int status = 0;
  std::string location;
  bool handler_ran = false;
  std::string code;
};

Outcome Access(std::int64_t now, std::int64_t window, const std::string& method,
               const std::string& path, bool sensitive, auth::SecondFactor factor) {
  const FixedClock clock(now);
  http::Pipeline p;
  p.Add("access", AccessControl(clock, window));
  http::Request r;
  r.method = method;
  r.path = path;
  r.routed = true;
  r.required_access = static_cast<int>(http::Access::kSignedIn);
  r.requires_reauth = sensitive;
  auto ctx = std::make_shared<AuthContext>();
  ctx->session.user_id = 7;
  ctx->session.reauth_at = kSignedInAt;
  ctx->session.second_factor = factor;
  ctx->person.actor.user_id = 7;
  r.context = ctx;
  Outcome out;
  try {
    http::Response res = p.Run(r, [&](http::Request&) {
      out.handler_ran = true;
      return http::Response::Text(200, "ok");
    });
    out.status = res.status;
    out.location = std::string(res.headers.Get("Location").value_or(""));
  } catch (const core::RequestError& e) {
    out.status = e.Status();
    out.code = e.Code();
  }
  return out;
}

TEST(ReauthWindow, InsideTheWindowTheSensitiveRouteRuns) {
  const auto o =
      Access(kSignedInAt + 600, 600, "POST", "/account/password", true, auth::SecondFactor::kNone);
  EXPECT_TRUE(o.handler_ran);
  EXPECT_EQ(o.status, 200);
}

TEST(ReauthWindow, OneSecondPastItAPostIsRefusedBeforeTheHandler) {
  const auto o =
      Access(kSignedInAt + 601, 600, "POST", "/account/password", true, auth::SecondFactor::kNone);
  EXPECT_FALSE(o.handler_ran);
  EXPECT_EQ(o.status, 403);
  EXPECT_EQ(o.code, "reauth_required");
}

TEST(ReauthWindow, AGetIsSentToConfirmWithThePageAsNext) {
  const auto o =
      Access(kSignedInAt + 3600, 600, "GET", "/admin/security", true, auth::SecondFactor::kDone);
  EXPECT_FALSE(o.handler_ran);
  EXPECT_EQ(o.status, 303);
  EXPECT_EQ(o.location, "/account/reauth?next=/admin/security");
}

TEST(ReauthWindow, ThePathIsEncodedOrReplaced) {
  EXPECT_EQ(Access(kSignedInAt + 3600, 600, "GET", "/admin/users/7/reset-2fa", true,
                   auth::SecondFactor::kDone)
                .location,
            "/account/reauth?next=/admin/users/7/reset-2fa");
  EXPECT_EQ(
      Access(kSignedInAt + 3600, 600, "GET", "//evil.example/x", true, auth::SecondFactor::kDone)
          .location,
      "/account/reauth?next=/");
}

TEST(ReauthWindow, TheWindowIsConfigurable) {
  EXPECT_TRUE(
      Access(kSignedInAt + 1200, 1800, "POST", "/account/password", true, auth::SecondFactor::kNone)
          .handler_ran);
  EXPECT_FALSE(
      Access(kSignedInAt + 120, 60, "POST", "/account/password", true, auth::SecondFactor::kNone)
          .handler_ran);
}

TEST(ReauthWindow, OrdinaryRoutesIgnoreIt) {
  EXPECT_TRUE(
      Access(kSignedInAt + 86400, 600, "POST", "/portal/tickets", false, auth::SecondFactor::kNone)
          .handler_ran);
}

}  // namespace
}  // namespace rampart::security
