#include "support/server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <random>
#include <stdexcept>

extern char** environ;

namespace rampart::testing {
namespace {

std::vector<char*> ToArgv(std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return argv;
}

std::vector<std::string> MergedEnvironment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    // Never inherit configuration from the shell that runs the tests.
    if (entry.rfind("RAMPART_", 0) == 0) continue;
    env.push_back(entry);
  }
  for (const auto& [k, v] : extra) env.push_back(k + "=" + v);
  return env;
}

int ParsePort(const std::string& line) {
  const auto pos = line.find("\"port\":");
  if (pos == std::string::npos) return 0;
  return std::atoi(line.c_str() + pos + 7);
}

}  // namespace

std::string RampartBinary() {
  if (const char* p = std::getenv("RAMPART_TEST_BINARY")) return p;
  return RAMPART_BINARY;
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "rampart-test-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

CommandResult RunRampart(const std::vector<std::string>& args, const std::string& stdin_text,
                         const std::map<std::string, std::string>& env) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0 || pipe(err_pipe) != 0) {
    throw std::runtime_error("pipe failed");
  }
  std::vector<std::string> full{RampartBinary()};
  full.insert(full.end(), args.begin(), args.end());
  auto env_strings = MergedEnvironment(env);
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
      close(fd);
    }
    auto argv = ToArgv(full);
    auto envp = ToArgv(env_strings);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (!stdin_text.empty()) {
    [[maybe_unused]] auto n = write(in_pipe[1], stdin_text.data(), stdin_text.size());
  }
  close(in_pipe[1]);
  CommandResult result;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  char buf[4096];
  while (open_fds > 0) {
    if (poll(fds, 2, 60'000) <= 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP)) == 0) continue;
      const ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
        continue;
      }
      (i == 0 ? result.out : result.err).append(buf, static_cast<std::size_t>(n));
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

ServerProcess::ServerProcess(const std::filesystem::path& data_dir,
                             const std::map<std::string, std::string>& env,
                             const std::vector<std::string>& extra_args, const std::string& host) {
  int err_pipe[2];
  if (pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
  const std::string any_port =
      host.find(':') != std::string::npos ? "[" + host + "]:0" : host + ":0";
  std::vector<std::string> args{RampartBinary(), "serve",  "--data-dir",       data_dir.string(),
                                "--listen",      any_port, "--metrics-listen", "127.0.0.1:0"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  auto env_strings = MergedEnvironment(env);
  pid_ = fork();
  if (pid_ == 0) {
    const int devnull = open("/dev/null", O_RDWR);
    dup2(devnull, 0);
    dup2(devnull, 1);
    dup2(err_pipe[1], 2);
    close(err_pipe[0]);
    close(err_pipe[1]);
    auto argv = ToArgv(args);
    auto envp = ToArgv(env_strings);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(err_pipe[1]);
  reader_ = std::thread([this, fd = err_pipe[0]] { ReadLoop(fd); });
  std::unique_lock lock(mutex_);
  cv_.wait_for(lock, std::chrono::seconds(20),
               [&] { return (public_port_ != 0 && ops_port_ != 0) || exit_code_.has_value(); });
}

ServerProcess::~ServerProcess() {
  if (!exit_code_) {
    Signal(SIGKILL);
    WaitExit(std::chrono::seconds(10));
  }
  if (reader_.joinable()) reader_.join();
}

void ServerProcess::ReadLoop(int fd) {
  std::string pending;
  char buf[4096];
  while (true) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    pending.append(buf, static_cast<std::size_t>(n));
    std::size_t nl;
    while ((nl = pending.find('\n')) != std::string::npos) {
      std::string line = pending.substr(0, nl);
      pending.erase(0, nl + 1);
      std::lock_guard lock(mutex_);
      if (line.find("\"event\":\"listening\"") != std::string::npos) {
        if (line.find("\"listener\":\"public\"") != std::string::npos)
          public_port_ = ParsePort(line);
        if (line.find("\"listener\":\"ops\"") != std::string::npos) ops_port_ = ParsePort(line);
      }
      lines_.push_back(std::move(line));
      cv_.notify_all();
    }
  }
  close(fd);
  std::lock_guard lock(mutex_);
  if (!pending.empty()) lines_.push_back(pending);
  int status = 0;
  if (waitpid(pid_, &status, 0) == pid_) {
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  cv_.notify_all();
}

void ServerProcess::Signal(int signal) {
  if (pid_ > 0) kill(pid_, signal);
}

std::optional<int> ServerProcess::WaitExit(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  cv_.wait_for(lock, timeout, [&] { return exit_code_.has_value(); });
  return exit_code_;
}

bool ServerProcess::WaitForLog(const std::string& needle, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, timeout, [&] {
    for (const auto& l : lines_) {
      if (l.find(needle) != std::string::npos) return true;
    }
    return false;
  });
}

std::string ServerProcess::Logs() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& l : lines_) out.append(l).append("\n");
  return out;
}

}  // namespace rampart::testing
