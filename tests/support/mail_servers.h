#pragma once
// Test-only helpers for the mail tests: a scratch directory, a self-signed certificate and a
// child process (an SMTP sink, Dovecot) that announces its port on its first output line.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
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

// A port nothing listens on right now (bound, read, released).
inline int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    throw std::runtime_error("no free port");
  }
  close(fd);
  return ntohs(address.sin_port);
}

inline bool Accepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return ok;
}

// Debian's Dovecot with a throwaway configuration: one passwd-file user, maildir storage, a
// self-signed certificate, an IMAPS port and a plain IMAP port. With `tls` false the server has
// no TLS at all (the misconfigured server a client must refuse).
class DovecotServer {
 public:
  static constexpr char kUser[] = "support@help.example";
  static constexpr char kPassword[] = "dovecot-test-pass";

  explicit DovecotServer(bool tls = true) : imap_port_(FreePort()), imaps_port_(FreePort()) {
    const auto& d = dir_.Path();
    // Dovecot's auth process (user dovecot) reads the passwd file inside this directory.
    std::filesystem::permissions(d, std::filesystem::perms::owner_all |
                                        std::filesystem::perms::group_exec |
                                        std::filesystem::perms::others_exec);
    if (tls) MakeSelfSignedCertificate(d);
    std::filesystem::create_directories(d / "run");
    std::filesystem::create_directories(d / "state");
    for (const char* sub : {"new", "cur", "tmp"})
      std::filesystem::create_directories(Maildir() / sub);
    // Mail is read and renamed by the unprivileged user the userdb names.
    std::system(("chmod -R 777 " + (d / "home").string()).c_str());
    std::ofstream(d / "passwd") << kUser << ":{PLAIN}" << kPassword << "\n";
    std::ofstream conf(d / "dovecot.conf");
    conf << "base_dir = " << (d / "run").string() << "\n"
         << "state_dir = " << (d / "state").string() << "\n"
         << "log_path = " << (d / "dovecot.log").string() << "\n"
         << "protocols = imap\nlisten = 127.0.0.1\nauth_mechanisms = plain\n"
         << "disable_plaintext_auth = no\nfirst_valid_uid = 1\n"
         << "mail_location = maildir:" << (d / "home").string() << "/%u/Maildir\n";
    if (tls) {
      conf << "ssl = yes\nssl_cert = <" << (d / "cert.pem").string() << "\nssl_key = <"
           << (d / "key.pem").string() << "\n";
    } else {
      conf << "ssl = no\n";
    }
    conf << "service imap-login {\n  inet_listener imap {\n    port = " << imap_port_ << "\n  }\n"
         << "  inet_listener imaps {\n    port = " << (tls ? imaps_port_ : 0)
         << "\n    ssl = yes\n  }\n}\n"
         << "passdb {\n  driver = passwd-file\n  args = scheme=PLAIN " << (d / "passwd").string()
         << "\n}\nuserdb {\n  driver = static\n  args = uid=nobody gid=nogroup home="
         << (d / "home").string() << "/%u\n}\n";
    conf.close();
    pid_ = fork();
    if (pid_ == 0) {
      const std::string config = (d / "dovecot.conf").string();
      execl("/usr/sbin/dovecot", "dovecot", "-F", "-c", config.c_str(), nullptr);
      _exit(127);
    }
    for (int i = 0; i < 100 && !Accepts(imap_port_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!Accepts(imap_port_)) throw std::runtime_error("dovecot did not start");
  }
  ~DovecotServer() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  DovecotServer(const DovecotServer&) = delete;
  DovecotServer& operator=(const DovecotServer&) = delete;

  int ImapPort() const { return imap_port_; }
  int ImapsPort() const { return imaps_port_; }
  std::string CaFile() const { return (dir_.Path() / "cert.pem").string(); }
  std::string Log() const {
    std::ifstream in(dir_.Path() / "dovecot.log");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  // Delivers a message the way a local delivery agent does: a new file in the maildir.
  void Deliver(const std::string& raw) {
    const std::string name = std::to_string(++delivered_) + ".rampart-test";
    std::ofstream(dir_.Path() / "home" / kUser / "Maildir" / "tmp" / name, std::ios::binary) << raw;
    std::filesystem::rename(dir_.Path() / "home" / kUser / "Maildir" / "tmp" / name,
                            Maildir() / "new" / name);
    std::filesystem::permissions(Maildir() / "new" / name, std::filesystem::perms::all);
  }

 private:
  std::filesystem::path Maildir() const { return dir_.Path() / "home" / kUser / "Maildir"; }
  ScratchDir dir_;
  int imap_port_;
  int imaps_port_;
  pid_t pid_ = -1;
  int delivered_ = 0;
};

}  // namespace rampart::mail::testing
