#pragma once
// The IMAP settings that reach the test Dovecot's account, for the unit tests of the IMAP code.
#include "mail/inbound/imap_client.h"
#include "support/mail_servers.h"

namespace rampart::mail::testing {

inline ImapSettings SettingsFor(const DovecotServer& server, ImapSettings::Security security) {
  ImapSettings s;
  s.host = "127.0.0.1";
  s.security = security;
  s.port =
      security == ImapSettings::Security::kImplicitTls ? server.ImapsPort() : server.ImapPort();
  s.username = DovecotServer::kUser;
  s.password = DovecotServer::kPassword;
  s.ca_file = server.CaFile();
  s.timeout_seconds = 10;
  return s;
}

}  // namespace rampart::mail::testing
