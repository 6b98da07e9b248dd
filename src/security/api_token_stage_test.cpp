#include "security/api_token_stage.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "auth/users.h"
#include "core/errors.h"
#include "security/session_stage.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_database.h"

namespace rampart::security {
namespace {

class FixedClock : public core::Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::time_point(std::chrono::seconds(1'000'000));
  }
};

class ApiTokenStageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/rampart-token-stage-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    db_ = storage::sqlite::Open({dir_ / "t.db"});
    storage::sqlite::Migrate(*db_);
    agent_ = auth::CreateUser(
        *db_, {"sam@example.com", "Sam", auth::Role::kAgent, "a long enough password"},
        auth::kMinimumHashCost, 0);
    storage::Lease w = db_->Write();
    write_ = auth::CreateApiToken(*w, *key_, agent_, "ci", auth::TokenScope::kWrite, 0);
    read_ = auth::CreateApiToken(*w, *key_, agent_, "ro", auth::TokenScope::kRead, 0);
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Runs the stage; the handler reports what it saw of the caller.
  http::Response Run(const std::string& method, const std::string& path,
                     const std::vector<std::string>& authorization, bool routed = true) {
    http::Pipeline p;
    p.Add("api_token", ApiTokenAuth(*db_, key_, clock_));
    http::Request r;
    r.method = method;
    r.path = path;
    r.routed = routed;
    for (const std::string& a : authorization) r.headers.Add("Authorization", a);
    return p.Run(r, [](http::Request& req) {
      const AuthContext* a = SignedIn(req);
      if (a == nullptr) return http::Response::Text(200, "anonymous");
      return http::Response::Text(
          200, std::to_string(a->person.actor.user_id) +
                   (a->ViaApiToken() ? " token" : " session") +
                   (a->person.actor.channel == auth::Actor::Channel::kApi ? " api" : " web") +
                   (a->person.actor.read_only ? " read" : " write"));
    });
  }
  // The status and code a request ends with.
  std::string Outcome(const std::string& method, const std::string& path,
                      const std::vector<std::string>& authorization) {
    try {
      const http::Response r = Run(method, path, authorization);
      return std::to_string(r.status) + " " + r.body;
    } catch (const core::RequestError& e) {
      return std::to_string(e.Status()) + " " + e.Code();
    }
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::Database> db_;
  std::shared_ptr<const auth::ApiTokenKey> key_ = std::make_shared<const auth::ApiTokenKey>(
      auth::ServerKey::FromBytes(std::string(32, 'k'), 1));
  FixedClock clock_;
  std::int64_t agent_ = 0;
  std::string write_;
  std::string read_;
};

TEST_F(ApiTokenStageTest, AValidTokenSignsInOnTheApiChannel) {
  const std::string id = std::to_string(agent_);
  EXPECT_EQ(Outcome("POST", "/api/v1/tickets", {"Bearer " + write_}),
            "200 " + id + " token api write");
  EXPECT_EQ(Outcome("GET", "/api/v1/tickets", {"Bearer " + read_}),
            "200 " + id + " token api read");
  EXPECT_EQ(Outcome("GET", "/api/v1/me", {"bearer " + read_}), "200 " + id + " token api read")
      << "the scheme is case-insensitive";
}

TEST_F(ApiTokenStageTest, BadTokensAre401WithOneCode) {
  std::string altered = write_;
  altered.back() = altered.back() == 'A' ? 'B' : 'A';
  for (const std::string& header :
       {"Bearer " + altered, std::string("Bearer "), std::string("Bearer rmp_short"),
        std::string("Basic YTpi"), "Token " + write_, std::string("Bearer"), write_}) {
    EXPECT_EQ(Outcome("GET", "/api/v1/me", {header}), "401 invalid_token") << header;
  }
  EXPECT_EQ(Outcome("GET", "/api/v1/me", {"Bearer " + write_, "Bearer " + read_}),
            "401 invalid_token")
      << "two credentials";
}

TEST_F(ApiTokenStageTest, RevokedTokensAndDisabledOwnersAre401) {
  {
    storage::Lease w = db_->Write();
    auth::RevokeApiToken(*w, agent_, auth::ListApiTokens(*w, agent_).back().id, 5);
  }
  EXPECT_EQ(Outcome("GET", "/api/v1/me", {"Bearer " + write_}), "401 invalid_token");
  {
    storage::Lease w = db_->Write();
    w->Execute("UPDATE users SET disabled = 1 WHERE id = ?", {agent_});
  }
  EXPECT_EQ(Outcome("GET", "/api/v1/me", {"Bearer " + read_}), "401 invalid_token");
}

TEST_F(ApiTokenStageTest, ReadScopeMayNotChangeAnything) {
  for (const char* method : {"POST", "PATCH", "PUT", "DELETE"}) {
    EXPECT_EQ(Outcome(method, "/api/v1/tickets", {"Bearer " + read_}), "403 read_only_token")
        << method;
  }
}

TEST_F(ApiTokenStageTest, NoHeaderOrAnotherPathLeavesTheCallerAlone) {
  EXPECT_EQ(Outcome("GET", "/api/v1/me", {}), "200 anonymous");
  // Outside /api/ a Bearer header means nothing: it neither signs in nor fails.
  EXPECT_EQ(Outcome("POST", "/portal/tickets", {"Bearer " + write_}), "200 anonymous");
  EXPECT_EQ(Outcome("POST", "/portal/tickets", {"Bearer junk"}), "200 anonymous");
}

TEST(Csrf, ABearerHeaderDoesNotExemptACookieSession) {
  http::Pipeline p;
  p.Add("csrf", Csrf());
  http::Request r;
  r.method = "POST";
  r.path = "/portal/tickets";
  r.routed = true;
  r.headers.Add("Authorization", "Bearer anything");
  auto session = std::make_shared<AuthContext>();
  session->session.csrf_token = "expected";
  r.context = session;
  EXPECT_THROW(p.Run(r, [](http::Request&) { return http::Response::Text(200, "ran"); }),
               core::RequestError);
  auto token = std::make_shared<AuthContext>();
  token->via = AuthContext::Via::kApiToken;
  r.context = token;
  EXPECT_EQ(p.Run(r, [](http::Request&) { return http::Response::Text(200, "ran"); }).body, "ran");
}

}  // namespace
}  // namespace rampart::security
