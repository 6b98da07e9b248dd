#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "mail/auth/dkim_key.h"
#include "mail/auth/dkim_signer.h"
#include "mail/auth/dkim_verifier.h"

namespace rampart::mail {
namespace {

const std::string kMessage =
    "From: Rampart Support <support@help.example>\r\n"
    "To: Ana <ana@customer.example>\r\n"
    "Subject: [RMP-1042] Your invoice\r\n"
    "Date: Sun, 29 Nov 2026 12:00:00 +0000\r\n"
    "Message-ID: <rmp-1042-abc@help.example>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Hello Ana,\r\n\r\nthe invoice is attached.\r\n";

// Generated once: RSA key generation costs tens of milliseconds.
const DkimKeyPair& RsaKey() {
  static const DkimKeyPair key = GenerateDkimKey(DkimAlgorithm::kRsaSha256);
  return key;
}
const DkimKeyPair& Ed25519Key() {
  static const DkimKeyPair key = GenerateDkimKey(DkimAlgorithm::kEd25519Sha256);
  return key;
}

FixtureResolver PublishedKeys() {
  FixtureResolver dns;
  dns.Add("rsa1._domainkey.help.example", RsaKey().dns_record);
  dns.Add("ed1._domainkey.help.example", Ed25519Key().dns_record);
  return dns;
}

std::string SignedMessage() {
  const DkimSigner signer(
      {{"help.example", "rsa1", DkimAlgorithm::kRsaSha256, RsaKey().private_key_pem},
       {"help.example", "ed1", DkimAlgorithm::kEd25519Sha256, Ed25519Key().private_key_pem}});
  return signer.Sign(kMessage) + kMessage;
}

TEST(DkimKey, RecordsHaveTheShapeDnsNeeds) {
  EXPECT_EQ(RsaKey().dns_record.rfind("v=DKIM1; k=rsa; p=MII", 0), 0u);
  EXPECT_EQ(Ed25519Key().dns_record.rfind("v=DKIM1; k=ed25519; p=", 0), 0u);
  EXPECT_EQ(Ed25519Key().dns_record.size(), std::string("v=DKIM1; k=ed25519; p=").size() + 44);
  EXPECT_EQ(DkimDnsRecord(RsaKey().private_key_pem), RsaKey().dns_record);
  EXPECT_EQ(DkimDnsRecord("not a key"), "");
}

TEST(Dkim, SignedMailVerifiesWithBothAlgorithms) {
  const std::string message = SignedMessage();
  EXPECT_NE(message.find("a=rsa-sha256"), std::string::npos);
  EXPECT_NE(message.find("a=ed25519-sha256"), std::string::npos);
  EXPECT_NE(message.find("c=relaxed/relaxed"), std::string::npos);
  auto dns = PublishedKeys();
  const auto checks = DkimVerifier().Verify(message, dns);
  ASSERT_EQ(checks.size(), 2u);
  for (const auto& check : checks) {
    EXPECT_TRUE(check.passed) << check.selector << ": " << check.reason;
    EXPECT_EQ(check.domain, "help.example");
  }
}

TEST(Dkim, TamperedBodyOrHeadersOrMissingKeyFail) {
  auto dns = PublishedKeys();
  std::string body_changed = SignedMessage();
  body_changed.replace(body_changed.find("attached"), 8, "ATTACHED");
  for (const auto& check : DkimVerifier().Verify(body_changed, dns)) EXPECT_FALSE(check.passed);

  std::string subject_changed = SignedMessage();
  subject_changed.replace(subject_changed.find("Your invoice"), 12, "Pay here now");
  for (const auto& check : DkimVerifier().Verify(subject_changed, dns)) EXPECT_FALSE(check.passed);

  // A second From added on top: From is signed once more than it occurs.
  const std::string added_from = "From: ceo@help.example\r\n" + SignedMessage();
  for (const auto& check : DkimVerifier().Verify(added_from, dns)) EXPECT_FALSE(check.passed);

  FixtureResolver empty;
  const auto checks = DkimVerifier().Verify(SignedMessage(), empty);
  ASSERT_EQ(checks.size(), 2u);
  for (const auto& check : checks) EXPECT_FALSE(check.passed);

  EXPECT_TRUE(DkimVerifier().Verify(kMessage, dns).empty());
}

// One verifier for the whole test, as one import or one poller uses it: its decoded keys live
// across messages.
TEST(DkimKeyCache, KeysAreDecodedOncePerRecordAndARotatedRecordIsNeverAnsweredFromTheOldKey) {
  const DkimVerifier verifier;
  auto dns = PublishedKeys();
  const std::string message = SignedMessage();
  for (const auto& check : verifier.Verify(message, dns)) EXPECT_TRUE(check.passed) << check.reason;
  // Both keys were decoded through the cache (RSA from its SPKI, Ed25519 from its raw bytes).
  EXPECT_EQ(verifier.Keys().Size(), 2u);
  EXPECT_EQ(verifier.Keys().Hits(), 0u);
  for (const auto& check : verifier.Verify(message, dns)) EXPECT_TRUE(check.passed) << check.reason;
  EXPECT_EQ(verifier.Keys().Hits(), 2u);

  // A cached key does not make an altered message pass.
  std::string body_changed = message;
  body_changed.replace(body_changed.find("attached"), 8, "ATTACHED");
  for (const auto& check : verifier.Verify(body_changed, dns)) EXPECT_FALSE(check.passed);
  std::string subject_changed = message;
  subject_changed.replace(subject_changed.find("Your invoice"), 12, "Pay here now");
  for (const auto& check : verifier.Verify(subject_changed, dns)) EXPECT_FALSE(check.passed);

  // The domain rotates both selectors to new keys: the old signatures must now fail although
  // their old keys are still cached, and mail signed with the new keys passes.
  const DkimKeyPair rsa2 = GenerateDkimKey(DkimAlgorithm::kRsaSha256);
  const DkimKeyPair ed2 = GenerateDkimKey(DkimAlgorithm::kEd25519Sha256);
  FixtureResolver rotated;
  rotated.Add("rsa1._domainkey.help.example", rsa2.dns_record);
  rotated.Add("ed1._domainkey.help.example", ed2.dns_record);
  const auto stale = verifier.Verify(message, rotated);
  ASSERT_EQ(stale.size(), 2u);
  for (const auto& check : stale) EXPECT_FALSE(check.passed) << check.selector;
  const DkimSigner signer(
      {{"help.example", "rsa1", DkimAlgorithm::kRsaSha256, rsa2.private_key_pem},
       {"help.example", "ed1", DkimAlgorithm::kEd25519Sha256, ed2.private_key_pem}});
  const std::string resigned = signer.Sign(kMessage) + kMessage;
  const auto fresh = verifier.Verify(resigned, rotated);
  ASSERT_EQ(fresh.size(), 2u);
  for (const auto& check : fresh) EXPECT_TRUE(check.passed) << check.reason;
  // And back: the old record again answers with the old key, the new mail then fails.
  for (const auto& check : verifier.Verify(resigned, dns)) EXPECT_FALSE(check.passed);
  for (const auto& check : verifier.Verify(message, dns)) EXPECT_TRUE(check.passed);
}

TEST(DkimKeyCache, AMissingOrBrokenKeyIsNotCached) {
  const DkimVerifier verifier;
  FixtureResolver empty;
  for (const auto& check : verifier.Verify(SignedMessage(), empty)) EXPECT_FALSE(check.passed);
  FixtureResolver broken;
  broken.Add("rsa1._domainkey.help.example", "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOC");
  broken.Add("ed1._domainkey.help.example", "v=DKIM1; k=ed25519; p=AAAA");
  for (const auto& check : verifier.Verify(SignedMessage(), broken)) EXPECT_FALSE(check.passed);
  EXPECT_EQ(verifier.Keys().Size(), 0u);
}

TEST(DkimKeyCache, TheOldestKeyGoesWhenFull) {
  DkimKeyCache cache(2);
  const DkimKeyPair a = GenerateDkimKey(DkimAlgorithm::kEd25519Sha256);
  const std::string pem = a.private_key_pem;
  EVP_PKEY* key = nullptr;
  {
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
  }
  ASSERT_NE(key, nullptr);
  cache.Keep("one", key);
  cache.Keep("two", key);
  cache.Keep("three", key);
  EXPECT_EQ(cache.Size(), 2u);
  EXPECT_EQ(cache.Find("one"), nullptr);
  EVP_PKEY* found = cache.Find("three");
  EXPECT_EQ(found, key);
  EVP_PKEY_free(found);
  EVP_PKEY_free(key);
}

TEST(DkimSigner, ParsesEachPrivateKeyOnce) {
  const DkimSigner signer(
      {{"help.example", "rsa1", DkimAlgorithm::kRsaSha256, RsaKey().private_key_pem},
       {"help.example", "ed1", DkimAlgorithm::kEd25519Sha256, Ed25519Key().private_key_pem}});
  const std::string first = signer.Sign(kMessage) + kMessage;
  const std::string second = signer.Sign(kMessage) + kMessage;
  EXPECT_EQ(signer.Keys().Size(), 2u);
  EXPECT_EQ(signer.Keys().Hits(), 2u);
  auto dns = PublishedKeys();
  const DkimVerifier verifier;
  for (const auto& message : {first, second}) {
    const auto checks = verifier.Verify(message, dns);
    ASSERT_EQ(checks.size(), 2u);
    for (const auto& check : checks) EXPECT_TRUE(check.passed) << check.reason;
  }
}

TEST(Dkim, AnIndependentVerifierAgrees) {
  char dir_template[] = "/tmp/rampart-dkim-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  std::ofstream(dir + "/message.eml", std::ios::binary) << SignedMessage();
  std::ofstream(dir + "/records.txt")
      << "rsa1._domainkey.help.example\t" << RsaKey().dns_record
      << "\ned1._domainkey.help.example\t" << Ed25519Key().dns_record << "\n";
  const std::string command = std::string("/usr/bin/python3 ") + RAMPART_SOURCE_DIR +
                              "/tests/support/dkim_verify.py " + dir + "/message.eml " + dir +
                              "/records.txt";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[256];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  const int status = pclose(pipe);
  EXPECT_EQ(output, "pass\npass\n");
  EXPECT_EQ(status, 0);
  std::system(("rm -rf " + dir).c_str());
}

}  // namespace
}  // namespace rampart::mail
