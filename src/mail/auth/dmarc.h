#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mail/auth/authentication_results.h"
#include "mail/auth/dns_resolver.h"
#include "mail/auth/public_suffix.h"

namespace rampart::mail {

enum class DmarcAlignment { kRelaxed, kStrict };

// A published DMARC policy record (RFC 7489 §6.3), the tags that decide alignment and policy.
struct DmarcRecord {
  std::string policy = "none";   // p=: none, quarantine, reject
  std::string subdomain_policy;  // sp=, "" when absent (p= applies)
  DmarcAlignment dkim_alignment = DmarcAlignment::kRelaxed;
  DmarcAlignment spf_alignment = DmarcAlignment::kRelaxed;
};

// nullopt unless the text is a DMARC record: "v=DMARC1" first, then well-formed tags. Unknown
// tags are ignored, as the RFC asks; invalid values of known tags make the record invalid.
std::optional<DmarcRecord> ParseDmarcRecord(std::string_view txt);

// What is known about who sent a message, from checks that can be believed: the DKIM
// signatures verified here, and the SPF verdict of a trusted receiver.
struct SenderEvidence {
  std::string from_domain;                     // the RFC 5322 From domain
  std::vector<std::string> dkim_pass_domains;  // d= of each signature that verified
  std::string spf_pass_domain;                 // RFC 5321 MAIL FROM domain, when SPF passed
};

// Evidence from the trusted Authentication-Results (spf=pass with smtp.mailfrom, dkim=pass with
// header.d) plus the domains whose DKIM signatures verified in-process.
SenderEvidence EvidenceFrom(std::string_view from_domain, const std::vector<AuthResult>& trusted,
                            const std::vector<std::string>& verified_dkim_domains);

struct DmarcVerdict {
  enum class Result { kPass, kFail, kNone, kTempError };
  Result result = Result::kNone;  // kNone: the domain publishes no policy
  // An aligned DKIM or SPF pass: the From domain is proven whether or not it publishes a policy.
  bool aligned_pass = false;
  std::string aligned_by;          // "dkim:example.com", "spf:example.com", ""
  std::string policy;              // the policy that applies (p= or sp=), "" when none is published
  std::string ResultName() const;  // "pass", "fail", "none", "temperror"
};

// RFC 7489 §3.1 and §6.6: finds the policy at _dmarc.<From domain>, else at
// _dmarc.<organizational domain>, and checks whether a DKIM or SPF pass aligns with the From
// domain (relaxed: same organizational domain; strict: same name).
DmarcVerdict EvaluateDmarc(const SenderEvidence& evidence, DnsResolver& resolver,
                           const PublicSuffixList& suffixes);

}  // namespace rampart::mail
