#pragma once
#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace rampart::testing {

// A temporary directory removed at the end of the test.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& Path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the rampart binary to completion with `stdin_text` on its standard input.
CommandResult RunRampart(const std::vector<std::string>& args, const std::string& stdin_text = "",
                         const std::map<std::string, std::string>& env = {});

// The real server binary, started on ephemeral loopback ports with its own data directory.
class ServerProcess {
 public:
  // Starts `rampart serve --data-dir DIR --listen 127.0.0.1:0 --metrics-listen 127.0.0.1:0`
  // plus `extra_args`, with `env` added to the environment; waits until both listeners are
  // bound (or fails the test).
  explicit ServerProcess(const std::filesystem::path& data_dir,
                         const std::map<std::string, std::string>& env = {},
                         const std::vector<std::string>& extra_args = {},
                         const std::string& host = "127.0.0.1");
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  bool Started() const { return public_port_ != 0; }
  int PublicPort() const { return public_port_; }
  int OpsPort() const { return ops_port_; }
  pid_t Pid() const { return pid_; }

  void Signal(int signal);
  // Waits for the process to exit; returns its exit code or nullopt on timeout.
  std::optional<int> WaitExit(std::chrono::milliseconds timeout);
  // Waits until a stderr log line contains `needle`.
  bool WaitForLog(const std::string& needle, std::chrono::milliseconds timeout);
  std::string Logs() const;

 private:
  void ReadLoop(int fd);
  pid_t pid_ = -1;
  int public_port_ = 0;
  int ops_port_ = 0;
  std::optional<int> exit_code_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::string> lines_;
  std::thread reader_;
};

// Path of the rampart binary under test.
std::string RampartBinary();

}  // namespace rampart::testing
