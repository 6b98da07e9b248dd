#include "app/inbound.h"

#include <sstream>

#include "app/mail_dns.h"

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

}  // namespace

std::unique_ptr<InboundRuntime> MakeInboundRuntime(Context& context) {
  auto runtime = std::unique_ptr<InboundRuntime>(new InboundRuntime{MakeDnsResolver(context.config),
                                                                    mail::PublicSuffixList::Load(),
                                                                    mail::DkimVerifier(), nullptr});
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
