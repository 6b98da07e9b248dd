#include "config/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace rampart::config {
namespace {

TEST(Config, DefaultsServeLoopbackFromDataDir) {
  LoadResult r = Load(std::nullopt, {});
  ASSERT_TRUE(r.Ok());
  EXPECT_EQ(r.config.server.listen.ToString(), "127.0.0.1:8080");
  EXPECT_EQ(r.config.storage.data_dir, "./data");
  EXPECT_EQ(r.config.profile, "development");
}

TEST(Config, EnvironmentOverridesTheFile) {
  char path[] = "/tmp/rampart-config-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  std::ofstream(path) << "[limits]\nmax_body_bytes = 4096\n[server]\nlisten = \"[::1]:9000\"\n";
  LoadResult r = Load(std::filesystem::path(path), {{"RAMPART_LIMITS_MAX_BODY_BYTES", "8192"}});
  unlink(path);
  ASSERT_TRUE(r.Ok()) << r.problems.front().ToString();
  EXPECT_EQ(r.config.limits.max_body_bytes, 8192);
  EXPECT_EQ(r.config.server.listen.host, "::1");
  EXPECT_EQ(r.config.server.listen.port, 9000);
}

TEST(Config, EveryProblemIsReportedNotJustTheFirst) {
  LoadResult r = Load(std::nullopt, {{"RAMPART_PROFILE", "prod"},
                                     {"RAMPART_SERVER_IO_THREADS", "0"},
                                     {"RAMPART_LIMTS_MAX_BODY_BYTES", "1"}});
  ASSERT_EQ(r.problems.size(), 3u);
}

TEST(Config, SyntaxErrorsNameTheLine) {
  char path[] = "/tmp/rampart-config-XXXXXX";
  const int fd = mkstemp(path);
  close(fd);
  std::ofstream(path) << "profile = \"test\"\nthis is not toml\n";
  LoadResult r = Load(std::filesystem::path(path), {});
  unlink(path);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_NE(r.problems[0].source.find(":2:"), std::string::npos) << r.problems[0].ToString();
}

TEST(Config, PublicUrlAndReauthWindowAreChecked) {
  LoadResult ok = Load(std::nullopt, {{"RAMPART_SERVER_PUBLIC_URL", "https://help.example.com"},
                                      {"RAMPART_AUTH_REAUTH_WINDOW_S", "300"}});
  ASSERT_TRUE(ok.Ok()) << ok.problems.front().ToString();
  EXPECT_EQ(ok.config.server.public_url, "https://help.example.com");
  EXPECT_EQ(ok.config.auth.reauth_window_s, 300);
  EXPECT_EQ(Load(std::nullopt, {}).config.auth.reauth_window_s, 600);
  for (const char* bad : {"javascript:alert(1)", "help.example.com", "https://help.example.com/",
                          "https://a b", "https://x\"><script>"}) {
    EXPECT_FALSE(Load(std::nullopt, {{"RAMPART_SERVER_PUBLIC_URL", bad}}).Ok()) << bad;
  }
  EXPECT_FALSE(Load(std::nullopt, {{"RAMPART_AUTH_REAUTH_WINDOW_S", "5"}}).Ok());
}

TEST(Config, EndpointsParseStrictly) {
  Endpoint e;
  EXPECT_TRUE(ParseEndpoint("0.0.0.0:443", e));
  EXPECT_TRUE(ParseEndpoint("[::]:0", e));
  EXPECT_FALSE(ParseEndpoint("::1:80", e));
  EXPECT_FALSE(ParseEndpoint("host:99999", e));
  EXPECT_FALSE(ParseEndpoint("host:", e));
  EXPECT_FALSE(ParseEndpoint("ho st:80", e));
}

}  // namespace
}  // namespace rampart::config
