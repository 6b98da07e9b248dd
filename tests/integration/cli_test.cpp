// The command line as operators' scripts use it: commands, exit codes, refusals.
#include <gtest/gtest.h>

#include <fstream>

#include "support/http_client.h"
#include "support/server_process.h"

namespace rampart::testing {
namespace {

constexpr const char* kStrongPassword = "correct horse battery staple 42\n";

TEST(Cli, HelpNamesEveryCommand) {
  auto r = RunRampart({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* command :
       {"serve", "init", "migrate", "backup", "config", "user", "demo-data", "token"}) {
    EXPECT_NE(r.out.find(command), std::string::npos) << command;
  }
  // A review aid, not an everyday command.
  EXPECT_EQ(r.out.find("routes"), std::string::npos);
  EXPECT_EQ(RunRampart({"no-such-command"}).exit_code, 2);
}

TEST(Cli, InitCreatesTheOwnerOnceOnly) {
  TempDir dir;
  auto first =
      RunRampart({"init", "--data-dir", dir.Path().string(), "--owner-email", "boss@example.com"},
                 kStrongPassword);
  EXPECT_EQ(first.exit_code, 0) << first.err;
  auto second =
      RunRampart({"init", "--data-dir", dir.Path().string(), "--owner-email", "other@example.com"},
                 kStrongPassword);
  EXPECT_EQ(second.exit_code, 4);
  EXPECT_NE(second.err.find("already initialised"), std::string::npos);
}

TEST(Cli, InitRejectsAWeakPasswordAndStoresNothing) {
  TempDir dir;
  auto r = RunRampart({"init", "--data-dir", dir.Path().string(), "--owner-email", "a@example.com"},
                      "short\n");
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_NE(r.err.find("password"), std::string::npos);
  // Nothing was created, so a second attempt with a good password succeeds.
  auto ok =
      RunRampart({"init", "--data-dir", dir.Path().string(), "--owner-email", "a@example.com"},
                 kStrongPassword);
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

TEST(Cli, UserAddChecksRoleEmailAndDuplicates) {
  TempDir dir;
  const std::string d = dir.Path().string();
  ASSERT_EQ(RunRampart({"init", "--data-dir", d, "--owner-email", "o@example.com"}, kStrongPassword)
                .exit_code,
            0);
  auto agent = RunRampart({"user", "add", "--data-dir", d, "--email", "agent@example.com", "--role",
                           "agent", "--department", "Billing", "--password-stdin"},
                          kStrongPassword);
  EXPECT_EQ(agent.exit_code, 0) << agent.err;
  auto again = RunRampart({"user", "add", "--data-dir", d, "--email", "AGENT@example.com", "--role",
                           "agent", "--password-stdin"},
                          kStrongPassword);
  EXPECT_EQ(again.exit_code, 4) << "emails are unique regardless of case";
  auto bad_role = RunRampart({"user", "add", "--data-dir", d, "--email", "x@example.com", "--role",
                              "superuser", "--password-stdin"},
                             kStrongPassword);
  EXPECT_EQ(bad_role.exit_code, 2);
  auto bad_email =
      RunRampart({"user", "add", "--data-dir", d, "--email", "x@y\r\nBcc: z@example.com", "--role",
                  "end_user", "--password-stdin"},
                 kStrongPassword);
  EXPECT_EQ(bad_email.exit_code, 5);
}

TEST(Cli, ConfigCheckReportsEveryProblemWithFileKeyAndReason) {
  TempDir dir;
  const auto file = dir.Path() / "rampart.toml";
  std::ofstream(file) << "profile = \"prod\"\n[limits]\nmax_body_bytes = -5\ncolour = 3\n"
                         "[server]\nlisten = \"nowhere\"\n";
  auto r = RunRampart({"config", "check", "--config", file.string()});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.out.find(file.string() + ": profile: must be one of"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("limits.max_body_bytes: must be between"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("limits.colour: unknown key"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("server.listen: must be HOST:PORT"), std::string::npos) << r.out;

  auto env = RunRampart({"config", "check"}, "", {{"RAMPART_LIMITS_MAX_BODY_BYTES", "lots"}});
  EXPECT_EQ(env.exit_code, 3);
  EXPECT_NE(env.out.find("RAMPART_LIMITS_MAX_BODY_BYTES: limits.max_body_bytes: must be a whole"),
            std::string::npos)
      << env.out;

  std::ofstream(file, std::ios::trunc) << "[limits]\nmax_body_bytes = 4096\n";
  auto good = RunRampart({"config", "check", "--config", file.string()});
  EXPECT_EQ(good.exit_code, 0) << good.out;
  EXPECT_NE(good.out.find("limits.max_body_bytes = 4096"), std::string::npos);
}

TEST(Cli, ServerRefusesToStartOnInvalidConfig) {
  TempDir dir;
  auto r = RunRampart({"serve", "--data-dir", dir.Path().string(), "--listen", "127.0.0.1:0"}, "",
                      {{"RAMPART_PROFILE", "chaos"}});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("profile"), std::string::npos);
}

TEST(Cli, BackupWorksWhileTheServerRuns) {
  TempDir dir;
  const std::string d = dir.Path().string();
  ASSERT_EQ(RunRampart({"demo-data", "--data-dir", d, "--tickets", "200"}).exit_code, 0);
  ServerProcess server(dir.Path());
  ASSERT_TRUE(server.Started());
  const auto backup = dir.Path() / "copy.db";
  auto r = RunRampart({"backup", "--data-dir", d, backup.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(backup, std::ios::binary);
  char magic[16] = {};
  in.read(magic, 16);
  EXPECT_EQ(std::string(magic, 15), "SQLite format 3");
  // The copy is a working helpdesk: migrate finds nothing to do.
  TempDir restored;
  std::filesystem::copy_file(backup, restored.Path() / "rampart.db");
  auto migrate = RunRampart({"migrate", "--data-dir", restored.Path().string()});
  EXPECT_EQ(migrate.exit_code, 0);
  EXPECT_NE(migrate.out.find("applied 0 migration"), std::string::npos) << migrate.out;
  // Never overwrites.
  EXPECT_EQ(RunRampart({"backup", "--data-dir", d, backup.string()}).exit_code, 4);
  EXPECT_EQ(Request(server.PublicPort(), "GET", "/healthz")->status, 200);
}

TEST(Cli, DemoDataSeedsPeopleOnceAndTicketsEachTime) {
  TempDir dir;
  const std::string d = dir.Path().string();
  auto first = RunRampart({"demo-data", "--data-dir", d, "--tickets", "10"});
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("owner@example.com"), std::string::npos);
  auto second = RunRampart({"demo-data", "--data-dir", d, "--tickets", "10"});
  EXPECT_EQ(second.exit_code, 0);
  EXPECT_EQ(second.out.find("owner@example.com"), std::string::npos) << "passwords print once";
  EXPECT_NE(second.out.find("added 10 tickets"), std::string::npos);
}

}  // namespace
}  // namespace rampart::testing
