#include "mail/auth/dkim_key.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>
#include <stdexcept>
#include <vector>

namespace rampart::mail {
namespace {

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

std::string Base64(const unsigned char* data, std::size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::string RecordOf(EVP_PKEY* key) {
  if (EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519) {
    unsigned char raw[32];
    std::size_t length = sizeof raw;
    if (EVP_PKEY_get_raw_public_key(key, raw, &length) != 1) return {};
    return "v=DKIM1; k=ed25519; p=" + Base64(raw, length);
  }
  if (EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA) {
    if (EVP_PKEY_get_bits(key) < 2048) return {};
    unsigned char* der = nullptr;
    const int length = i2d_PUBKEY(key, &der);
    if (length <= 0) return {};
    std::string record = "v=DKIM1; k=rsa; p=" + Base64(der, static_cast<std::size_t>(length));
    OPENSSL_free(der);
    return record;
  }
  return {};
}

}  // namespace

DkimKeyPair GenerateDkimKey(DkimAlgorithm algorithm) {
  PkeyPtr key(algorithm == DkimAlgorithm::kRsaSha256
                  ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(2048))
                  : EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"),
              EVP_PKEY_free);
  if (!key) throw std::runtime_error("DKIM key generation failed");
  BioPtr bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    throw std::runtime_error("DKIM key could not be written as PEM");
  }
  char* pem = nullptr;
  const long pem_length = BIO_get_mem_data(bio.get(), &pem);
  DkimKeyPair pair;
  pair.algorithm = algorithm;
  pair.private_key_pem.assign(pem, static_cast<std::size_t>(pem_length));
  pair.dns_record = RecordOf(key.get());
  return pair;
}

std::string DkimDnsRecord(const std::string& private_key_pem) {
  BioPtr bio(BIO_new_mem_buf(private_key_pem.data(), static_cast<int>(private_key_pem.size())),
             BIO_free);
  if (!bio) return {};
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
  return key ? RecordOf(key.get()) : std::string();
}

}  // namespace rampart::mail
