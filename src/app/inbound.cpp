#include "app/inbound.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "mail/auth/dns_fixture_file.h"
#include "observability/log.h"

namespace rampart::app {
namespace {

std::vector<std::string> Words(const std::string& text) {
  std::string spaced = text;
  for (char& c : spaced) {
    if (c == ',') c = ' ';
  }
  std::istringstream in(spaced);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// The fixture table answers every DKIM key and DMARC policy lookup: anyone who can write that
// file decides which mail is authentic, so it is for tests, benchmarks and demos only, and
// every start says so in the log.
std::unique_ptr<mail::DnsResolver> MakeResolver(const std::string& fixture_file) {
  if (fixture_file.empty()) return std::make_unique<mail::SystemResolver>();
  std::ifstream in(fixture_file);
  if (!in) throw std::runtime_error("inbound.dns_fixture_file: cannot read " + fixture_file);
  auto fixture = std::make_unique<mail::FixtureResolver>();
  try {
    mail::LoadDnsFixture(in, *fixture);
  } catch (const mail::DnsFixtureError& e) {
    throw std::runtime_error("inbound.dns_fixture_file: " + std::string(e.what()));
  }
  log::Warn("dns_fixture_in_use",
            log::Fields()
                .Add("file", fixture_file)
                .Add("reason",
                     "DKIM keys and DMARC policies are answered from a fixture file, "
                     "not from DNS: for tests, benchmarks and demos only"));
  return fixture;
}

}  // namespace

std::unique_ptr<InboundRuntime> MakeInboundRuntime(Context& context) {
  auto runtime = std::unique_ptr<InboundRuntime>(
      new InboundRuntime{MakeResolver(context.config.inbound.dns_fixture_file),
                         mail::PublicSuffixList::Load(), mail::DkimVerifier(), nullptr});
  mail::InboundSettings settings;
  settings.trusted_authserv_ids = Words(context.config.inbound.trusted_authserv_ids);
  settings.max_message_bytes = static_cast<std::size_t>(context.config.inbound.max_message_bytes);
  settings.max_new_tickets_per_sender_per_hour =
      static_cast<int>(context.config.inbound.max_new_tickets_per_sender_per_hour);
  runtime->services = std::make_unique<mail::InboundServices>(
      mail::InboundServices{*context.db, *context.sign_in.server_key, *runtime->dns,
                            runtime->suffixes, runtime->dkim, settings, context.attachments.get()});
  return runtime;
}

}  // namespace rampart::app
