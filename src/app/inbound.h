#pragma once
#include <memory>

#include "app/app.h"
#include "mail/auth/dkim_verifier.h"
#include "mail/auth/dns_resolver.h"
#include "mail/auth/public_suffix.h"
#include "mail/inbound/ingest.h"

namespace rampart::app {

// What inbound mail needs, built once from the context: the system resolver, the public suffix
// list (Debian's publicsuffix package), the DKIM verifier and the import settings.
struct InboundRuntime {
  // The system's, or the fixture file's (inbound.dns_fixture_file).
  std::shared_ptr<mail::DnsResolver> dns;
  mail::PublicSuffixList suffixes;
  mail::DkimVerifier dkim;
  std::unique_ptr<mail::InboundServices> services;
};

std::unique_ptr<InboundRuntime> MakeInboundRuntime(Context& context);

}  // namespace rampart::app
