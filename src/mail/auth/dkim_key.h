#pragma once
#include <string>

namespace rampart::mail {

enum class DkimAlgorithm { kRsaSha256, kEd25519Sha256 };

// A signing key as the signer needs it and the DNS record that publishes its public half.
struct DkimKeyPair {
  DkimAlgorithm algorithm = DkimAlgorithm::kRsaSha256;
  std::string private_key_pem;  // PKCS#8 PEM; a secret: store it sealed, never log it
  std::string dns_record;       // the TXT value: "v=DKIM1; k=rsa; p=..." (RFC 6376 §3.6.1)
};

// A fresh key: RSA-2048, or Ed25519 (RFC 8463: the record's p= is the raw 32-byte key).
// Throws std::runtime_error if OpenSSL fails.
DkimKeyPair GenerateDkimKey(DkimAlgorithm algorithm);

// The DNS record of an existing private key; "" when the PEM is not a usable RSA or Ed25519 key.
std::string DkimDnsRecord(const std::string& private_key_pem);

}  // namespace rampart::mail
