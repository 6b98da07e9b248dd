#include "app/mail_dns.h"

#include <stdexcept>

#include "app/outbound_mail.h"
#include "mail/auth/dkim_key.h"
#include "mail/auth/dns_fixture_file.h"
#include "observability/log.h"

namespace rampart::app {

std::shared_ptr<mail::DnsResolver> MakeDnsResolver(const config::Config& config) {
  const std::string& fixture = config.inbound.dns_fixture_file;
  if (fixture.empty()) return std::make_shared<mail::SystemResolver>();
  log::Warn("dns_fixture_in_use",
            log::Fields()
                .Add("file", fixture)
                .Add("note",
                     "DNS answers come from a fixed file, not from DNS: for tests and "
                     "demos only, never in production"));
  try {
    return std::make_shared<mail::FixtureResolver>(mail::LoadDnsFixtureFile(fixture));
  } catch (const std::runtime_error& e) {
    // Named by its setting, so that the operator knows which file stopped the start.
    const std::string what = e.what();
    if (what.rfind("inbound.dns_fixture_file", 0) == 0) throw;
    throw std::runtime_error("inbound.dns_fixture_file: " + what);
  }
}

mail::MailDnsSettings MailDnsSettingsFrom(const config::Mail& m) {
  mail::MailDnsSettings s;
  s.from_address = m.from_address;
  s.dkim_domain = m.dkim_domain;
  s.smtp_host = m.smtp_host;
  const auto add_key = [&](const std::string& selector, const char* key, const std::string& file) {
    if (selector.empty() || file.empty()) return;
    try {
      const std::string record = mail::DkimDnsRecord(ReadSecretFile(key, file));
      if (record.empty()) {
        s.problems.push_back(std::string(key) + ": the file holds no usable key.");
        return;
      }
      s.dkim_keys.push_back({selector, record});
    } catch (const std::exception& e) {
      s.problems.push_back(e.what());
    }
  };
  add_key(m.dkim_selector, "mail.dkim.key_file", m.dkim_key_file);
  add_key(m.dkim_ed25519_selector, "mail.dkim.ed25519_key_file", m.dkim_ed25519_key_file);
  return s;
}

}  // namespace rampart::app
