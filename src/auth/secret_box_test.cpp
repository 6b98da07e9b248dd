#include "auth/secret_box.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace rampart::auth {
namespace {

ServerKey TestKey(char fill, std::uint8_t version = 1) {
  return ServerKey::FromBytes(std::string(kServerKeyBytes, fill), version);
}

class KeyDir : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/rampart-key-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::filesystem::path& file, const std::string& bytes, mode_t mode) {
    std::ofstream(file, std::ios::binary) << bytes;
    ASSERT_EQ(::chmod(file.c_str(), mode), 0);
  }
  std::filesystem::path dir_;
};

TEST(SecretBox, SealThenOpenRoundTrips) {
  const SecretBox box(TestKey('k'));
  const std::string sealed = box.Seal("JBSWY3DPEHPK3PXP", "totp:42");
  EXPECT_EQ(sealed.size(), 1u + 24 + 16 + 16);
  EXPECT_EQ(static_cast<std::uint8_t>(sealed[0]), 1);
  EXPECT_EQ(sealed.find("JBSWY3DP"), std::string::npos);
  EXPECT_EQ(box.Open(sealed, "totp:42"), "JBSWY3DPEHPK3PXP");
  EXPECT_EQ(box.Open(box.Seal("", "ad"), "ad"), "");
}

TEST(SecretBox, EverySealUsesAFreshNonce) {
  const SecretBox box(TestKey('k'));
  EXPECT_NE(box.Seal("same", "ad"), box.Seal("same", "ad"));
}

TEST(SecretBox, AnyFlippedByteIsDetected) {
  const SecretBox box(TestKey('k'));
  const std::string sealed = box.Seal("mailbox password", "mailbox:7:password");
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    EXPECT_FALSE(box.Open(tampered, "mailbox:7:password")) << "byte " << i;
  }
  EXPECT_FALSE(box.Open(sealed.substr(0, sealed.size() - 1), "mailbox:7:password"));
  EXPECT_FALSE(box.Open(sealed + "x", "mailbox:7:password"));
  EXPECT_FALSE(box.Open("", "mailbox:7:password"));
  EXPECT_FALSE(box.Open(std::string(40, '\x01'), "mailbox:7:password"));
}

TEST(SecretBox, ValueMovedToAnotherRowDoesNotOpen) {
  const SecretBox box(TestKey('k'));
  const std::string sealed = box.Seal("seed of user 42", "totp:42");
  EXPECT_FALSE(box.Open(sealed, "totp:43"));
  EXPECT_FALSE(box.Open(sealed, "totp:4"));
  EXPECT_FALSE(box.Open(sealed, ""));
}

TEST(SecretBox, AnotherKeyCannotOpen) {
  const SecretBox box(TestKey('k'));
  const SecretBox other(TestKey('j'));
  EXPECT_FALSE(other.Open(box.Seal("secret", "ad"), "ad"));
}

TEST(SecretBox, RetiredKeysStillOpenAfterRotation) {
  SecretBox old_box(TestKey('a', 1));
  const std::string old_sealed = old_box.Seal("old secret", "ad");

  SecretBox box(TestKey('b', 2));
  EXPECT_FALSE(box.Open(old_sealed, "ad"));  // unknown version
  box.AddRetiredKey(TestKey('a', 1));
  EXPECT_EQ(box.Open(old_sealed, "ad"), "old secret");
  EXPECT_TRUE(box.NeedsRewrap(old_sealed));
  const std::string rewrapped = box.Seal(*box.Open(old_sealed, "ad"), "ad");
  EXPECT_EQ(static_cast<std::uint8_t>(rewrapped[0]), 2);
  EXPECT_FALSE(box.NeedsRewrap(rewrapped));
  EXPECT_THROW(box.AddRetiredKey(TestKey('c', 1)), std::invalid_argument);
}

TEST(SecretBox, RelabelledVersionDoesNotOpen) {
  // The same key material under two version numbers: the version byte is authenticated, so a
  // ciphertext relabelled from 1 to 2 fails even though the key would otherwise fit.
  SecretBox box(TestKey('a', 2));
  box.AddRetiredKey(TestKey('a', 1));
  std::string sealed = box.Seal("value", "ad");
  sealed[0] = 1;
  EXPECT_FALSE(box.Open(sealed, "ad"));
}

TEST(KeyedHash, DependsOnKeyPurposeAndData) {
  const ServerKey key = TestKey('k');
  const std::string h = KeyedHash(key, HashPurpose::kSessionId, "token");
  EXPECT_EQ(h.size(), 32u);
  EXPECT_EQ(h, KeyedHash(key, HashPurpose::kSessionId, "token"));
  EXPECT_NE(h, KeyedHash(key, HashPurpose::kApiToken, "token"));
  EXPECT_NE(h, KeyedHash(key, HashPurpose::kSessionId, "token2"));
  EXPECT_NE(h, KeyedHash(TestKey('j'), HashPurpose::kSessionId, "token"));
}

TEST(ServerKeyBytes, WrongSizeOrVersionIsRefused) {
  EXPECT_THROW(ServerKey::FromBytes("short", 1), std::invalid_argument);
  EXPECT_THROW(ServerKey::FromBytes(std::string(32, 'k'), 0), std::invalid_argument);
}

TEST_F(KeyDir, CreatesAPrivateKeyFileOnceAndReusesIt) {
  const ServerKey first = ServerKey::LoadOrCreate(dir_);
  const std::filesystem::path file = dir_ / "server.key";
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 32);
  const ServerKey second = ServerKey::LoadOrCreate(dir_);
  EXPECT_EQ(KeyedHash(first, HashPurpose::kApiToken, "x"),
            KeyedHash(second, HashPurpose::kApiToken, "x"));
  // No temporary file is left behind.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_),
                          std::filesystem::directory_iterator()),
            1);
}

TEST_F(KeyDir, TwoInstallationsGetDifferentKeys) {
  const std::filesystem::path other = dir_ / "other";
  std::filesystem::create_directory(other);
  const ServerKey a = ServerKey::LoadOrCreate(dir_);
  const ServerKey b = ServerKey::LoadOrCreate(other);
  EXPECT_NE(KeyedHash(a, HashPurpose::kApiToken, "x"), KeyedHash(b, HashPurpose::kApiToken, "x"));
}

TEST_F(KeyDir, GroupOrWorldReadableKeyIsRefused) {
  const std::filesystem::path file = dir_ / "server.key";
  for (mode_t mode : {0640, 0604, 0660, 0602, 0610}) {
    Write(file, std::string(32, 'k'), mode);
    EXPECT_THROW(ServerKey::Load(file), KeyFileError) << std::oct << mode;
    EXPECT_THROW(ServerKey::LoadOrCreate(dir_), KeyFileError) << std::oct << mode;
  }
  Write(file, std::string(32, 'k'), 0400);
  EXPECT_NO_THROW(ServerKey::Load(file));
}

TEST_F(KeyDir, WrongSizeKeyIsRefused) {
  const std::filesystem::path file = dir_ / "server.key";
  for (std::size_t size : {0, 16, 31, 33, 64}) {
    Write(file, std::string(size, 'k'), 0600);
    EXPECT_THROW(ServerKey::LoadOrCreate(dir_), KeyFileError) << size;
  }
}

TEST_F(KeyDir, SymlinkAndMissingKeyAreRefused) {
  const std::filesystem::path real = dir_ / "real.key";
  Write(real, std::string(32, 'k'), 0600);
  std::filesystem::create_symlink(real, dir_ / "server.key");
  EXPECT_THROW(ServerKey::LoadOrCreate(dir_), KeyFileError);
  EXPECT_THROW(ServerKey::Load(dir_ / "absent.key"), KeyFileError);
  EXPECT_THROW(ServerKey::Load(dir_), KeyFileError);  // a directory
}

TEST_F(KeyDir, KeyOwnedByAnotherUserIsRefused) {
  if (::geteuid() != 0) GTEST_SKIP() << "only root can give a file away";
  const std::filesystem::path file = dir_ / "server.key";
  Write(file, std::string(32, 'k'), 0600);
  ASSERT_EQ(::chown(file.c_str(), 65534, 65534), 0);
  EXPECT_THROW(ServerKey::Load(file), KeyFileError);
}

}  // namespace
}  // namespace rampart::auth
