#pragma once
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "mail/auth/dkim_key.h"
#include "mail/auth/dkim_key_cache.h"

struct dkim_lib;

namespace rampart::mail {

class DkimError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct DkimSigningKey {
  std::string domain;    // d=, aligned with the From domain for DMARC
  std::string selector;  // s=
  DkimAlgorithm algorithm = DkimAlgorithm::kRsaSha256;
  std::string private_key_pem;
};

// Signs outgoing mail (RFC 6376) with every configured key: RSA-2048 always, Ed25519 as a
// second signature when configured (RFC 8463). Relaxed/relaxed canonicalization; signs From,
// To, Cc, Subject, Date, Message-ID, In-Reply-To, References, Reply-To and the MIME headers, and
// signs From once more than it occurs so that a From added later breaks the signature.
class DkimSigner {
 public:
  explicit DkimSigner(std::vector<DkimSigningKey> keys);
  ~DkimSigner();
  DkimSigner(const DkimSigner&) = delete;
  DkimSigner& operator=(const DkimSigner&) = delete;

  // The "DKIM-Signature: ...\r\n" header fields to put on top of `message` (headers, blank
  // line, body; CRLF or LF line ends), one per key. Throws DkimError when signing fails.
  std::string Sign(std::string_view message) const;

  const DkimKeyCache& Keys() const { return *decoded_keys_; }

 private:
  // The decoded private keys: parsing the PEM costed a third of every signature.
  std::unique_ptr<DkimKeyCache> decoded_keys_ = std::make_unique<DkimKeyCache>();
  std::vector<DkimSigningKey> keys_;
  dkim_lib* lib_ = nullptr;
};

}  // namespace rampart::mail
