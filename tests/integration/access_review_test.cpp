// `rampart access-review`: what an operator reads when reviewing who holds what.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/http_client.h"
#include "support/server_process.h"

namespace rampart::testing {
namespace {

namespace json = boost::json;

constexpr const char* kPassword = "a long enough passphrase 2026";
const std::map<std::string, std::string> kFastHashing = {{"RAMPART_AUTH_HASH_MEMORY_KIB", "19456"}};

class AccessReviewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    d_ = dir_.Path().string();
    ASSERT_EQ(RunRampart({"init", "--data-dir", d_, "--owner-email", "owner@example.com"},
                         std::string(kPassword) + "\n", kFastHashing)
                  .exit_code,
              0);
    Add("sam@example.com", "agent", {"--department", "Support"});
    Add("rita@example.com", "agent", {"--department", "Billing", "--all-departments"});
    Add("ana@example.com", "end_user", {});
  }
  void Add(const std::string& email, const std::string& role, std::vector<std::string> extra) {
    std::vector<std::string> args = {"user",   "add", "--data-dir",      d_, "--email", email,
                                     "--role", role,  "--password-stdin"};
    args.insert(args.end(), extra.begin(), extra.end());
    ASSERT_EQ(RunRampart(args, std::string(kPassword) + "\n", kFastHashing).exit_code, 0);
  }
  json::object Review() {
    const auto r = RunRampart({"access-review", "--data-dir", d_, "--format", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    json::error_code ec;
    json::value v = json::parse(r.out, ec);
    EXPECT_FALSE(ec) << r.out;
    return v.is_object() ? v.as_object() : json::object{};
  }
  static const json::object* Find(const json::object& review, const std::string& email) {
    for (const json::value& s : review.at("staff").as_array()) {
      if (s.at("email").as_string() == email) return &s.as_object();
    }
    return nullptr;
  }

  TempDir dir_;
  std::string d_;
};

TEST_F(AccessReviewTest, ListsEveryStaffAccountWithItsAccessAndTokens) {
  const auto token = RunRampart({"token", "create", "--data-dir", d_, "--user", "sam@example.com",
                                 "--scope", "read", "--name", "reporting"});
  ASSERT_EQ(token.exit_code, 0);
  json::object review = Review();
  ASSERT_EQ(review.at("staff").as_array().size(), 3U) << "owner and two agents; no end user";
  EXPECT_EQ(Find(review, "ana@example.com"), nullptr);

  const json::object* owner = Find(review, "owner@example.com");
  ASSERT_NE(owner, nullptr);
  EXPECT_EQ(owner->at("role").as_string(), "Owner");
  EXPECT_TRUE(owner->at("all_departments").as_bool());
  EXPECT_NE(json::serialize(owner->at("permissions")).find("\"role.manage\""), std::string::npos);

  const json::object* sam = Find(review, "sam@example.com");
  ASSERT_NE(sam, nullptr);
  EXPECT_EQ(sam->at("role").as_string(), "Agent");
  EXPECT_FALSE(sam->at("all_departments").as_bool());
  EXPECT_EQ(json::serialize(sam->at("departments")), R"(["Support"])");
  EXPECT_EQ(json::serialize(sam->at("permissions")).find("user.manage"), std::string::npos);
  EXPECT_FALSE(sam->at("two_factor").as_bool());
  EXPECT_TRUE(sam->at("last_sign_in_at").is_null());
  EXPECT_FALSE(sam->at("disabled").as_bool());
  const json::array& tokens = sam->at("api_tokens").as_array();
  ASSERT_EQ(tokens.size(), 1U);
  EXPECT_EQ(tokens[0].at("scope").as_string(), "read");
  EXPECT_EQ(tokens[0].at("name").as_string(), "reporting");
  EXPECT_FALSE(tokens[0].at("created_at").as_string().empty());
  EXPECT_TRUE(tokens[0].at("last_used_at").is_null());

  const json::object* rita = Find(review, "rita@example.com");
  ASSERT_NE(rita, nullptr);
  EXPECT_TRUE(rita->at("all_departments").as_bool());

  // Using the token shows up as its last use.
  {
    ServerProcess server(dir_.Path(), kFastHashing);
    ASSERT_TRUE(server.Started()) << server.Logs();
    std::string t = token.out;
    while (!t.empty() && t.back() == '\n') t.pop_back();
    const auto me =
        Request(server.PublicPort(), "GET", "/api/v1/me", "", {{"Authorization", "Bearer " + t}});
    ASSERT_EQ(me->status, 200);
  }
  review = Review();
  EXPECT_FALSE(
      Find(review, "sam@example.com")->at("api_tokens").as_array()[0].at("last_used_at").is_null());
}

TEST_F(AccessReviewTest, TextFormatNamesEachAccountAndItsPermissions) {
  const auto r = RunRampart({"access-review", "--data-dir", d_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("3 staff account(s)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("sam@example.com"), std::string::npos);
  EXPECT_NE(r.out.find("departments: Support"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ticket.reply"), std::string::npos);
  EXPECT_EQ(r.out.find("ana@example.com"), std::string::npos);
  EXPECT_EQ(RunRampart({"access-review", "--data-dir", d_, "--format", "xml"}).exit_code, 2);
}

}  // namespace
}  // namespace rampart::testing
