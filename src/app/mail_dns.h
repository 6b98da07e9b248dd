#pragma once
#include <memory>

#include "config/config.h"
#include "mail/auth/dns_records.h"
#include "mail/auth/dns_resolver.h"

namespace rampart::app {

// The resolver every mail DNS lookup goes through: the system's, or, when
// `inbound.dns_fixture_file` is set (test and demo setups only, with a warning in the log),
// a fixed table read from that file. Throws std::runtime_error for an unreadable or malformed
// fixture file.
std::shared_ptr<mail::DnsResolver> MakeDnsResolver(const config::Config& config);

// What /admin/mail-dns computes its records from: the [mail] settings, with each DKIM key's
// public record derived from its private key file. A key file that cannot be used becomes a
// problem shown on the page, not a failure of the server.
mail::MailDnsSettings MailDnsSettingsFrom(const config::Mail& mail);

}  // namespace rampart::app
