#pragma once
#include <string>
#include <vector>

#include "auth/authorize.h"
#include "mail/auth/dns_resolver.h"

namespace rampart::mail {

// What the records to publish are computed from: the outgoing mail configuration, with each
// DKIM key's public record already derived from its private key file (as `dkim keygen` prints
// it). `problems` says what kept a record from being computed, in admin words.
struct MailDnsSettings {
  std::string from_address;  // mail.from_address: its domain gets SPF and DMARC
  std::string dkim_domain;
  std::string smtp_host;  // the relay, named in the SPF advice
  struct DkimKey {
    std::string selector;
    std::string record;  // "v=DKIM1; k=rsa; p=..."
  };
  std::vector<DkimKey> dkim_keys;
  std::vector<std::string> problems;
};

// One TXT record to publish. `exact`: the value must be published as it is (a DKIM key);
// otherwise it is a suggestion to adapt (SPF lists the relay, DMARC the policy).
struct DnsRecordToPublish {
  std::string kind;  // "DKIM", "SPF", "DMARC"
  std::string name;  // "s2026._domainkey.help.example"
  std::string value;
  std::string note;
  bool exact = false;
};

// How the published DNS compares with a record to publish.
enum class DnsRecordState {
  kMatches,    // published as suggested
  kFound,      // a record of this kind is published, different from the suggestion (SPF, DMARC)
  kDifferent,  // published, but it cannot work: another DKIM key, or two SPF records
  kMissing,    // nothing of this kind at the name
  kUnknown,    // the lookup failed for now (timeout, SERVFAIL)
};
std::string_view DnsRecordStateName(DnsRecordState state);  // "matches", ...

struct DnsRecordCheck {
  DnsRecordToPublish record;
  DnsRecordState state = DnsRecordState::kMissing;
  std::vector<std::string> found;  // the TXT records of that kind at the name, as published
};

// The records to publish for `settings`: DKIM per key, SPF and DMARC for the From domain.
// Needs settings.helpdesk (core::Forbidden otherwise).
std::vector<DnsRecordToPublish> MailDnsRecords(const auth::Actor& actor,
                                               const MailDnsSettings& settings);

// Looks each record's name up through `resolver` (blocking: call it from a worker) and
// compares. Needs settings.helpdesk.
std::vector<DnsRecordCheck> CheckMailDns(const auth::Actor& actor, const MailDnsSettings& settings,
                                         DnsResolver& resolver);

}  // namespace rampart::mail
