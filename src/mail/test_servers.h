#pragma once
// Test-only helpers for the mail tests: a scratch directory, a self-signed certificate and a
// child process (an SMTP sink, Dovecot) that announces its port on its first output line.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace rampart::mail::testing {

class ScratchDir {
 public:
  ScratchDir() {
    char name[] = "/tmp/rampart-mail-XXXXXX";
    if (mkdtemp(name) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = name;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& Path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Writes cert.pem and key.pem for 127.0.0.1 and localhost (or for `name` only) into `dir`.
inline void MakeSelfSignedCertificate(
    const std::filesystem::path& dir,
    const std::string& subject_alt_names = "DNS:localhost,IP:127.0.0.1") {
  const std::string command =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=test "
      "-addext subjectAltName=" +
      subject_alt_names + " -keyout " + (dir / "key.pem").string() + " -out " +
      (dir / "cert.pem").string() + " >/dev/null 2>&1";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("openssl req failed");
}

// A child whose stdin stays open (closing it asks the child to stop) and whose first stdout
// line is "port N".
class ChildProcess {
 public:
  explicit ChildProcess(const std::vector<std::string>& argv) {
    int in[2];
    int out[2];
    if (pipe(in) != 0 || pipe(out) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(in[0], 0);
      dup2(out[1], 1);
      close(in[1]);
      close(out[0]);
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    stdin_ = in[1];
    stdout_ = fdopen(out[0], "r");
    char line[256] = {};
    if (stdout_ == nullptr || fgets(line, sizeof line, stdout_) == nullptr ||
        std::sscanf(line, "port %d", &port_) != 1) {
      Stop();
      throw std::runtime_error("child did not announce its port");
    }
  }
  ~ChildProcess() { Stop(); }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  int Port() const { return port_; }

 private:
  void Stop() {
    if (stdin_ >= 0) close(stdin_);
    stdin_ = -1;
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
    if (stdout_ != nullptr) fclose(stdout_);
    stdout_ = nullptr;
  }
  pid_t pid_ = -1;
  int stdin_ = -1;
  FILE* stdout_ = nullptr;
  int port_ = 0;
};

}  // namespace rampart::mail::testing
