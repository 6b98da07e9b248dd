#include "auth/secret_box.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "core/random.h"

namespace rampart::auth {
namespace {

constexpr std::uint64_t kSealSubkeyId = 1;
constexpr char kSealContext[9] = "rpsecbox";
constexpr char kKeyedHashContext[9] = "rpkeyhsh";
constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr std::size_t kHeaderBytes = 1 + kNonceBytes;

static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == 32);
static_assert(crypto_auth_hmacsha256_KEYBYTES == 32);
static_assert(crypto_kdf_KEYBYTES == kServerKeyBytes);

void EnsureSodium() {
  static const int kInit = sodium_init();
  if (kInit < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string Describe(const std::filesystem::path& file, const char* what) {
  return "key file " + file.string() + ": " + what;
}

std::string DescribeErrno(const std::filesystem::path& file, const char* what) {
  return Describe(file, what) + " (" + std::strerror(errno) + ")";
}

// Closes a descriptor on every path out of a function.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int Get() const { return fd_; }
  int Release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

unsigned char* AllocateKeyBytes() {
  EnsureSodium();
  auto* bytes = static_cast<unsigned char*>(sodium_malloc(kServerKeyBytes));
  if (bytes == nullptr) throw std::runtime_error("sodium_malloc failed for the server key");
  return bytes;
}

// A 32-byte buffer that wipes itself: derived subkeys never outlive the call that needs them.
class Subkey {
 public:
  Subkey() = default;
  ~Subkey() { sodium_memzero(bytes_, sizeof bytes_); }
  Subkey(const Subkey&) = delete;
  Subkey& operator=(const Subkey&) = delete;
  unsigned char* Data() { return bytes_; }

 private:
  unsigned char bytes_[32] = {};
};

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// The version byte is authenticated along with the caller's associated data, so a ciphertext
// relabelled with another version cannot be opened by the other key even by accident.
std::string FullAssociatedData(std::uint8_t version, std::string_view associated_data) {
  std::string ad(1, static_cast<char>(version));
  ad.append(associated_data);
  return ad;
}

}  // namespace

ServerKey ServerKey::FromBytes(std::string_view bytes, std::uint8_t version) {
  if (bytes.size() != kServerKeyBytes) throw std::invalid_argument("server key must be 32 bytes");
  if (version == 0) throw std::invalid_argument("server key version must be 1..255");
  unsigned char* buffer = AllocateKeyBytes();
  std::memcpy(buffer, bytes.data(), kServerKeyBytes);
  sodium_mprotect_readonly(buffer);
  return ServerKey(buffer, version);
}

ServerKey ServerKey::Load(const std::filesystem::path& file, std::uint8_t version) {
  if (version == 0) throw std::invalid_argument("server key version must be 1..255");
  // O_NOFOLLOW: a symlink could point the server at a file whose permissions we did not check.
  Fd fd(::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY));
  if (fd.Get() < 0) throw KeyFileError(DescribeErrno(file, "cannot be opened"));
  struct stat st {};
  if (::fstat(fd.Get(), &st) != 0) throw KeyFileError(DescribeErrno(file, "cannot be examined"));
  if (!S_ISREG(st.st_mode)) throw KeyFileError(Describe(file, "is not a regular file"));
  if (st.st_uid != ::geteuid()) {
    throw KeyFileError(Describe(file, "is owned by another user; it must belong to the server's"));
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    throw KeyFileError(
        Describe(file,
                 "is accessible to group or others; run chmod 600 on it (and consider the "
                 "key exposed)"));
  }
  if (st.st_size != static_cast<off_t>(kServerKeyBytes)) {
    throw KeyFileError(Describe(file, "must hold exactly 32 bytes"));
  }
  unsigned char* buffer = AllocateKeyBytes();
  ServerKey key(buffer, version);  // frees the buffer if reading fails below
  std::size_t got = 0;
  while (got < kServerKeyBytes) {
    const ssize_t n = ::read(fd.Get(), buffer + got, kServerKeyBytes - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw KeyFileError(DescribeErrno(file, "could not be read whole"));
    got += static_cast<std::size_t>(n);
  }
  sodium_mprotect_readonly(buffer);
  return key;
}

ServerKey ServerKey::LoadOrCreate(const std::filesystem::path& data_dir) {
  const std::filesystem::path file = data_dir / kServerKeyFileName;
  struct stat st {};
  if (::lstat(file.c_str(), &st) == 0) return Load(file);
  if (errno != ENOENT) throw KeyFileError(DescribeErrno(file, "cannot be examined"));

  // Written under a temporary name and linked into place: a crash leaves no half-written key
  // (which Load would refuse), and link() fails rather than replace a key another process
  // created meanwhile.
  const std::filesystem::path temp =
      data_dir / (std::string(kServerKeyFileName) + ".new-" + core::RandomHex(8));
  {
    Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (fd.Get() < 0) throw KeyFileError(DescribeErrno(temp, "cannot be created"));
    unsigned char fresh[kServerKeyBytes];
    core::FillRandom(fresh, sizeof fresh);
    std::size_t put = 0;
    while (put < sizeof fresh) {
      const ssize_t n = ::write(fd.Get(), fresh + put, sizeof fresh - put);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        sodium_memzero(fresh, sizeof fresh);
        ::unlink(temp.c_str());
        throw KeyFileError(DescribeErrno(temp, "could not be written"));
      }
      put += static_cast<std::size_t>(n);
    }
    sodium_memzero(fresh, sizeof fresh);
    if (::fsync(fd.Get()) != 0 || ::close(fd.Release()) != 0) {
      ::unlink(temp.c_str());
      throw KeyFileError(DescribeErrno(temp, "could not be synced"));
    }
  }
  const int linked = ::link(temp.c_str(), file.c_str());
  const int link_errno = errno;
  ::unlink(temp.c_str());
  if (linked != 0 && link_errno != EEXIST) {
    errno = link_errno;
    throw KeyFileError(DescribeErrno(file, "could not be put in place"));
  }
  // Make the new directory entry durable before anything is sealed with this key.
  Fd dir(::open(data_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.Get() >= 0) ::fsync(dir.Get());
  return Load(file);
}

ServerKey::ServerKey(ServerKey&& other) noexcept
    : bytes_(std::exchange(other.bytes_, nullptr)), version_(other.version_) {}

ServerKey& ServerKey::operator=(ServerKey&& other) noexcept {
  if (this != &other) {
    if (bytes_ != nullptr) sodium_free(bytes_);
    bytes_ = std::exchange(other.bytes_, nullptr);
    version_ = other.version_;
  }
  return *this;
}

ServerKey::~ServerKey() {
  // sodium_free wipes the bytes before releasing the guarded pages.
  if (bytes_ != nullptr) sodium_free(bytes_);
}

void ServerKey::Derive(std::uint64_t subkey_id, const char (&context)[9], unsigned char* out,
                       std::size_t size) const {
  if (bytes_ == nullptr) throw std::logic_error("use of a moved-from server key");
  if (crypto_kdf_derive_from_key(out, size, subkey_id, context, bytes_) != 0) {
    throw std::invalid_argument("subkey size must be 16..64 bytes");
  }
}

SecretBox::SecretBox(ServerKey current) {
  keys_.push_back(std::move(current));
}

void SecretBox::AddRetiredKey(ServerKey key) {
  if (KeyFor(key.Version()) != nullptr) {
    throw std::invalid_argument("two keys with the same version in one secret box");
  }
  keys_.push_back(std::move(key));
}

const ServerKey* SecretBox::KeyFor(std::uint8_t version) const {
  for (const ServerKey& key : keys_) {
    if (key.Version() == version) return &key;
  }
  return nullptr;
}

std::string SecretBox::Seal(std::string_view plaintext, std::string_view associated_data) const {
  const ServerKey& key = keys_.front();
  Subkey subkey;
  key.Derive(kSealSubkeyId, kSealContext, subkey.Data(), 32);
  std::string out(kHeaderBytes + plaintext.size() + kTagBytes, '\0');
  auto* raw = reinterpret_cast<unsigned char*>(out.data());
  raw[0] = key.Version();
  // 192-bit random nonces: collisions are negligible however many values one key seals.
  core::FillRandom(raw + 1, kNonceBytes);
  const std::string ad = FullAssociatedData(key.Version(), associated_data);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(raw + kHeaderBytes, &written, Bytes(plaintext),
                                             plaintext.size(), Bytes(ad), ad.size(), nullptr,
                                             raw + 1, subkey.Data());
  out.resize(kHeaderBytes + written);
  return out;
}

std::optional<std::string> SecretBox::Open(std::string_view sealed,
                                           std::string_view associated_data) const {
  if (sealed.size() < kHeaderBytes + kTagBytes) return std::nullopt;
  const auto version = static_cast<std::uint8_t>(sealed[0]);
  const ServerKey* key = KeyFor(version);
  if (key == nullptr) return std::nullopt;
  Subkey subkey;
  key->Derive(kSealSubkeyId, kSealContext, subkey.Data(), 32);
  const std::string ad = FullAssociatedData(version, associated_data);
  const std::string_view body = sealed.substr(kHeaderBytes);
  std::string plain(body.size() - kTagBytes, '\0');
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &written, nullptr, Bytes(body),
          body.size(), Bytes(ad), ad.size(), Bytes(sealed.substr(1, kNonceBytes)),
          subkey.Data()) != 0) {
    return std::nullopt;
  }
  plain.resize(written);
  return plain;
}

bool SecretBox::NeedsRewrap(std::string_view sealed) const {
  return !sealed.empty() && static_cast<std::uint8_t>(sealed[0]) != CurrentVersion();
}

std::string KeyedHash(const ServerKey& key, HashPurpose purpose, std::string_view data) {
  Subkey subkey;
  key.Derive(static_cast<std::uint64_t>(purpose), kKeyedHashContext, subkey.Data(), 32);
  std::string out(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256(reinterpret_cast<unsigned char*>(out.data()), Bytes(data), data.size(),
                         subkey.Data());
  return out;
}

}  // namespace rampart::auth
