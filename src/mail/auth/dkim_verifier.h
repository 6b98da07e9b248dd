#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mail/auth/dkim_key_cache.h"
#include "mail/auth/dns_resolver.h"

struct dkim_lib;

namespace rampart::mail {

struct DkimCheck {
  std::string domain;    // d=
  std::string selector;  // s=
  bool passed = false;   // signature and body hash verified with the published key
  std::string reason;    // "pass" or why not: "bad signature", "key not found", ...
};

// Verifies every DKIM signature of a message in-process (libopendkim), fetching keys through the
// given resolver. Keys under 1024 bits are refused. Safe to use from several threads. Decoded
// keys are kept for the verifier's life (one import, one poller), per domain, selector and key
// text, so a key rotated in DNS is used as soon as the resolver answers it.
class DkimVerifier {
 public:
  DkimVerifier();
  ~DkimVerifier();
  DkimVerifier(const DkimVerifier&) = delete;
  DkimVerifier& operator=(const DkimVerifier&) = delete;

  // One entry per DKIM-Signature header (empty when there is none). The message should already
  // be within the inbound size limit.
  std::vector<DkimCheck> Verify(std::string_view message, DnsResolver& resolver) const;

  const DkimKeyCache& Keys() const { return *keys_; }

 private:
  std::unique_ptr<DkimKeyCache> keys_ = std::make_unique<DkimKeyCache>();
  dkim_lib* lib_ = nullptr;
};

}  // namespace rampart::mail
