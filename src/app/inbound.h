#pragma once
#include <memory>

#include "app/app.h"
#include "mail/auth/dkim_verifier.h"
#include "mail/auth/dns_resolver.h"
#include "mail/auth/public_suffix.h"
#include "mail/inbound/ingest.h"

namespace rampart::app {

// What inbound mail needs, built once from the context: the resolver (the system's, or the
// fixture table of `inbound.dns_fixture_file`), the public suffix list (Debian's publicsuffix
// package), the DKIM verifier and the import settings.
struct InboundRuntime {
  std::unique_ptr<mail::DnsResolver> dns;
  mail::PublicSuffixList suffixes;
  mail::DkimVerifier dkim;
  std::unique_ptr<mail::InboundServices> services;
};

// Throws std::runtime_error when the DNS fixture file cannot be read or is malformed.
std::unique_ptr<InboundRuntime> MakeInboundRuntime(Context& context);

}  // namespace rampart::app
