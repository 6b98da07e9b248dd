#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rampart::auth {

inline constexpr std::size_t kServerKeyBytes = 32;
inline constexpr char kServerKeyFileName[] = "server.key";

// A key file that is missing, unreadable, too open or malformed. The server refuses to start on
// it: running with a readable or truncated key would mean serving with secrets anyone can read.
class KeyFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The server's master key: 32 random bytes that never enter the database, so a stolen copy of
// the database alone decrypts nothing. The bytes live in guarded, locked memory (sodium_malloc)
// and are wiped when the key goes away. Every use derives its own subkey (crypto_kdf), so the
// encryption key and each keyed-hash key are unrelated even though they share one file.
class ServerKey {
 public:
  // `version` (1..255) names this key inside every ciphertext it seals, so that after a
  // rotation old ciphertexts still say which key opens them.
  static ServerKey FromBytes(std::string_view bytes, std::uint8_t version);
  // Reads a key file: a regular file (not a symlink) owned by this user, with no group or
  // other permission bits, of exactly 32 bytes. Throws KeyFileError otherwise.
  static ServerKey Load(const std::filesystem::path& file, std::uint8_t version = 1);
  // <data_dir>/server.key as version 1, created with mode 0600 from fresh randomness when
  // absent. The new file appears whole or not at all (written aside, then linked into place).
  static ServerKey LoadOrCreate(const std::filesystem::path& data_dir);

  ServerKey(ServerKey&&) noexcept;
  ServerKey& operator=(ServerKey&&) noexcept;
  ServerKey(const ServerKey&) = delete;
  ServerKey& operator=(const ServerKey&) = delete;
  ~ServerKey();

  std::uint8_t Version() const { return version_; }
  // Derives a subkey of `size` bytes (16..64) for one use, into `out`.
  void Derive(std::uint64_t subkey_id, const char (&context)[9], unsigned char* out,
              std::size_t size) const;

 private:
  ServerKey(unsigned char* bytes, std::uint8_t version) : bytes_(bytes), version_(version) {}
  unsigned char* bytes_ = nullptr;  // sodium_malloc'd, kServerKeyBytes
  std::uint8_t version_ = 0;
};

// Authenticated encryption of small secrets (TOTP seeds, mailbox passwords, webhook secrets)
// with XChaCha20-Poly1305. The output is: version byte, 24-byte random nonce, ciphertext and
// 16-byte tag. The associated data binds a ciphertext to its place ("totp:42"), so a value
// copied into another row or column does not open; the version byte is authenticated too.
class SecretBox {
 public:
  explicit SecretBox(ServerKey current);
  // A key from before a rotation: still opens what it sealed, never seals anything new.
  void AddRetiredKey(ServerKey key);

  std::string Seal(std::string_view plaintext, std::string_view associated_data) const;
  // The plaintext, or nothing when the value was altered, belongs to other associated data, or
  // was sealed by a key this box does not hold. Callers treat nothing as a failure to report,
  // never as an empty secret.
  std::optional<std::string> Open(std::string_view sealed, std::string_view associated_data) const;
  // True when `sealed` was made by a retired key and should be sealed again with the current one.
  bool NeedsRewrap(std::string_view sealed) const;
  std::uint8_t CurrentVersion() const { return keys_.front().Version(); }

 private:
  const ServerKey* KeyFor(std::uint8_t version) const;
  std::vector<ServerKey> keys_;  // keys_[0] is the current key
};

// What a keyed hash is for. Each purpose gets its own subkey, so a value hashed for one purpose
// (an API token) can never stand in for another (a session id). The numbers are part of the
// stored data: never renumber, only append.
enum class HashPurpose : std::uint64_t {
  kSessionId = 1,
  kApiToken = 2,
  kPasswordResetToken = 3,
  kThrottleName = 4,
  kPortalInvite = 5,  // invitation and sign-up links (portal_invites)
  kMailReplyToken = 6,
};

// HMAC-SHA-256 of `data` under the subkey for `purpose`: 32 raw bytes. For tokens that are
// looked up by their hash (session ids, API tokens): they carry 256 random bits, so a fast
// keyed hash is enough, and without the key file a database copy cannot even test a guess.
std::string KeyedHash(const ServerKey& key, HashPurpose purpose, std::string_view data);

}  // namespace rampart::auth
