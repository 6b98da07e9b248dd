// IP allowlists per scope, over IPv4 and IPv6, with trusted and untrusted proxy headers.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "support/http_client.h"
#include "support/server_process.h"

namespace rampart::testing {
namespace {

using namespace std::chrono_literals;
constexpr const char* kPassword = "a long enough passphrase 2026";
const std::map<std::string, std::string> kFastHashing = {{"RAMPART_AUTH_HASH_MEMORY_KIB", "19456"}};

class IpAllowlistTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string d = dir_.Path().string();
    ASSERT_EQ(RunRampart({"init", "--data-dir", d, "--owner-email", "owner@example.com"},
                         std::string(kPassword) + "\n", kFastHashing)
                  .exit_code,
              0);
    for (auto [email, role] :
         {std::pair{"agent@example.com", "agent"}, std::pair{"ana@example.com", "end_user"}}) {
      ASSERT_EQ(RunRampart({"user", "add", "--data-dir", d, "--email", email, "--role", role,
                            "--password-stdin"},
                           std::string(kPassword) + "\n", kFastHashing)
                    .exit_code,
                0);
    }
  }
  void Allow(const std::string& scope, const std::string& list) {
    auto r = RunRampart({"security", "ip-allow", "--data-dir", dir_.Path().string(), "--scope",
                         scope, "--set", list});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  void Start(std::map<std::string, std::string> env = {}, const std::string& host = "127.0.0.1") {
    env.insert(kFastHashing.begin(), kFastHashing.end());
    server_ = std::make_unique<ServerProcess>(dir_.Path(), env, std::vector<std::string>{}, host);
    ASSERT_TRUE(server_->Started()) << server_->Logs();
  }
  int Status(const std::string& target, const std::map<std::string, std::string>& headers = {},
             bool ipv6 = false) {
    auto r = Request(server_->PublicPort(), "GET", target, "", headers, ipv6);
    return r ? r->status : 0;
  }
  // Lists are reloaded every few seconds: poll until the expected status, with a deadline.
  bool Eventually(const std::string& target, int status, const std::string& cookie = "") {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      std::map<std::string, std::string> h;
      if (!cookie.empty()) h["Cookie"] = cookie;
      if (Status(target, h) == status) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(IpAllowlistTest, EveryoneListRefusesOtherAddressesWithNoDetail) {
  Allow("everyone", "10.0.0.0/8, 2001:db8::/32");
  Start();
  auto r = Request(server_->PublicPort(), "GET", "/login");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(r->body.find("10.0.0.0"), std::string::npos);
  EXPECT_EQ(r->body.find("allowlist"), std::string::npos);
  EXPECT_TRUE(server_->WaitForLog("not_in_everyone_list", 2s));
  // The documented way back in, on the server itself, while it runs.
  ASSERT_EQ(
      RunRampart({"security", "ip-allow", "--data-dir", dir_.Path().string(), "--reset"}).exit_code,
      0);
  EXPECT_TRUE(Eventually("/login", 200));
}

TEST_F(IpAllowlistTest, SpoofedForwardedForFromAnUntrustedPeerIsIgnored) {
  Allow("everyone", "192.0.2.0/24");
  Start();
  EXPECT_EQ(Status("/login", {{"X-Forwarded-For", "192.0.2.5"}}), 403);
  EXPECT_EQ(Status("/login", {{"Forwarded", "for=192.0.2.5"}}), 403);
}

TEST_F(IpAllowlistTest, TrustedProxyHeadersNameTheClient) {
  Allow("everyone", "192.0.2.0/24");
  Start({{"RAMPART_SERVER_TRUSTED_PROXIES", "127.0.0.1/32"}});
  EXPECT_EQ(Status("/login", {{"X-Forwarded-For", "192.0.2.5"}}), 200);
  // The client cannot smuggle an allowed address in front of its real one.
  EXPECT_EQ(Status("/login", {{"X-Forwarded-For", "192.0.2.5, 198.51.100.1"}}), 403);
  EXPECT_EQ(Status("/login", {{"Forwarded", "for=\"[2001:db8::1]:1234\""}}), 403);
  EXPECT_EQ(Status("/login"), 403) << "the proxy itself is not in the list";
}

TEST_F(IpAllowlistTest, Ipv6ClientsAreMatched) {
  Allow("everyone", "2001:db8::/32");
  Start({}, "::1");
  EXPECT_EQ(Status("/login", {}, true), 403);
  ASSERT_EQ(RunRampart({"security", "ip-allow", "--data-dir", dir_.Path().string(), "--scope",
                        "everyone", "--set", "2001:db8::/32, ::1/128"})
                .exit_code,
            0);
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline && status != 200) {
    status = Status("/login", {}, true);
    if (status != 200) std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(status, 200);
}

TEST_F(IpAllowlistTest, StaffListStopsStaffButNotCustomers) {
  Allow("staff", "10.0.0.0/8");
  Start();
  auto page = Request(server_->PublicPort(), "GET", "/login");
  ASSERT_EQ(page->status, 200) << "the staff list does not apply to anonymous visitors";
  auto login = [&](const std::string& email) {
    auto form = Request(server_->PublicPort(), "GET", "/login");
    const auto set = form->Header("set-cookie").value_or("");
    const std::string cookie = set.substr(0, set.find(';'));
    const auto at = form->body.find("name=\"csrf_token\" value=\"");
    const std::string token = form->body.substr(at + 25, 43);
    std::string encoded_email = email;
    encoded_email.replace(encoded_email.find('@'), 1, "%40");
    return Request(server_->PublicPort(), "POST", "/login",
                   "csrf_token=" + token + "&email=" + encoded_email +
                       "&password=a+long+enough+passphrase+2026",
                   {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", cookie}});
  };
  EXPECT_EQ(login("agent@example.com")->status, 403);
  EXPECT_EQ(login("ana@example.com")->status, 303);
}

TEST_F(IpAllowlistTest, AStaffSessionStopsWorkingWhenItsAddressIsNoLongerAllowed) {
  Start();
  auto form = Request(server_->PublicPort(), "GET", "/login");
  const auto set = form->Header("set-cookie").value_or("");
  const auto at = form->body.find("name=\"csrf_token\" value=\"");
  auto signed_in = Request(server_->PublicPort(), "POST", "/login",
                           "csrf_token=" + form->body.substr(at + 25, 43) +
                               "&email=agent%40example.com&password=a+long+enough+passphrase+2026",
                           {{"Content-Type", "application/x-www-form-urlencoded"},
                            {"Cookie", set.substr(0, set.find(';'))}});
  ASSERT_EQ(signed_in->status, 303);
  std::string session;
  const auto [b, e] = signed_in->headers.equal_range("set-cookie");
  for (auto it = b; it != e; ++it) {
    if (it->second.rfind("__Host-rampart_session=", 0) == 0)
      session = it->second.substr(0, it->second.find(';'));
  }
  ASSERT_FALSE(session.empty());
  EXPECT_EQ(Status("/agent/", {{"Cookie", session}}), 200);
  Allow("staff", "10.0.0.0/8");
  EXPECT_TRUE(Eventually("/agent/", 403, session));
}

TEST_F(IpAllowlistTest, ApiListAppliesToTheApiOnly) {
  Allow("api", "10.0.0.0/8");
  Start();
  EXPECT_EQ(Status("/api/v1/me"), 403);
  EXPECT_EQ(Status("/login"), 200);
}

TEST_F(IpAllowlistTest, BadListsAreRejectedAndChangeNothing) {
  auto r = RunRampart({"security", "ip-allow", "--data-dir", dir_.Path().string(), "--scope",
                       "everyone", "--set", "10.0.0.0/8, 300.1.1.1"});
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_NE(r.err.find("300.1.1.1"), std::string::npos);
  auto show = RunRampart({"security", "ip-allow", "--data-dir", dir_.Path().string()});
  EXPECT_NE(show.out.find("everyone: (any address)"), std::string::npos) << show.out;
}

}  // namespace
}  // namespace rampart::testing
