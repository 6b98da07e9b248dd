#include "auth/token_key.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "core/random.h"

namespace rampart::auth {
namespace {

std::runtime_error KeyError(const std::filesystem::path& path, const std::string& what) {
  return std::runtime_error(path.string() + ": " + what);
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int Get() const { return fd_; }

 private:
  int fd_;
};

void WriteAll(int fd, const unsigned char* data, std::size_t size,
              const std::filesystem::path& path) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw KeyError(path, std::string("cannot write: ") + std::strerror(errno));
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

// Writes a fresh key beside the final name, then links it into place: link() fails when the
// name exists, so two processes starting at once agree on one key, and nobody ever reads a
// half-written file.
void CreateKeyFile(const std::filesystem::path& path) {
  std::string temp = path.string() + ".new-XXXXXX";
  const int raw_fd = ::mkstemp(temp.data());  // mode 0600
  if (raw_fd < 0) throw KeyError(path, std::string("cannot create: ") + std::strerror(errno));
  const Fd fd(raw_fd);
  std::array<unsigned char, kServerKeyBytes> key{};
  core::FillRandom(key.data(), key.size());
  try {
    WriteAll(fd.Get(), key.data(), key.size(), path);
    sodium_memzero(key.data(), key.size());
    if (::fsync(fd.Get()) != 0) throw KeyError(path, "cannot sync the new key");
    if (::link(temp.c_str(), path.c_str()) != 0 && errno != EEXIST) {
      throw KeyError(path, std::string("cannot install: ") + std::strerror(errno));
    }
  } catch (...) {
    sodium_memzero(key.data(), key.size());
    ::unlink(temp.c_str());
    throw;
  }
  ::unlink(temp.c_str());
}

std::string ReadKeyFile(const std::filesystem::path& path) {
  const Fd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.Get() < 0) throw KeyError(path, std::string("cannot open: ") + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd.Get(), &st) != 0) throw KeyError(path, "cannot stat");
  if (!S_ISREG(st.st_mode)) throw KeyError(path, "is not a regular file");
  if ((st.st_mode & 077) != 0) {
    throw KeyError(path, "is accessible by group or others; run chmod 600 on it");
  }
  if (st.st_size != static_cast<off_t>(kServerKeyBytes)) {
    throw KeyError(path, "must hold exactly 32 bytes");
  }
  std::string key(kServerKeyBytes, '\0');
  std::size_t got = 0;
  while (got < key.size()) {
    const ssize_t n = ::read(fd.Get(), key.data() + got, key.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw KeyError(path, "cannot read");
    got += static_cast<std::size_t>(n);
  }
  return key;
}

}  // namespace

std::string LoadOrCreateServerKey(const std::filesystem::path& data_dir) {
  const std::filesystem::path path = data_dir / kServerKeyFile;
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) throw KeyError(path, std::string("cannot stat: ") + std::strerror(errno));
    CreateKeyFile(path);
  }
  return ReadKeyFile(path);
}

}  // namespace rampart::auth
