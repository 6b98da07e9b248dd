#pragma once
#include <filesystem>
#include <string>

#include "config/config.h"
#include "mail/outbound/outbox_sender.h"

namespace rampart::app {

// The sender's settings from [mail]: reads the SMTP password file and the DKIM key files
// (each a regular file with no group or other permission bits). Throws std::runtime_error
// naming the key whose file is unusable; never includes a secret in the message.
mail::OutboundSettings OutboundSettingsFrom(const config::Mail& mail);

// A secret file's content: a regular file, not a symlink, readable by this user only. Throws
// std::runtime_error naming `key` otherwise.
std::string ReadSecretFile(const std::string& key, const std::string& path);

// `rampart dkim keygen`: writes a new private key to `out` (mode 0600, refusing to overwrite)
// and prints the DNS TXT record to publish.
int DkimKeygen(const std::string& domain, const std::string& selector, const std::string& algorithm,
               const std::filesystem::path& out);

}  // namespace rampart::app
