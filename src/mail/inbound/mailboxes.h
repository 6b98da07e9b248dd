#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/secret_box.h"
#include "mail/inbound/imap_client.h"
#include "mail/inbound/ingest.h"
#include "storage/database.h"

namespace rampart::mail {

// A mailbox as the admin configures it: where customers write, which department gets its
// tickets, and (optionally) the IMAP account to poll.
struct MailboxSettings {
  std::string name;
  std::string address;
  std::optional<std::int64_t> department_id;
  std::string imap_host;  // "" when an MTA pipes mail in instead
  int imap_port = 993;
  ImapSettings::Security imap_security = ImapSettings::Security::kImplicitTls;
  std::string imap_username;
  std::string imap_password;  // sealed before it is stored; never logged
  std::string imap_folder = "INBOX";
  std::string imap_ca_file;  // a private CA to trust for this server; "" for the system's
  bool insecure_skip_verify = false;
  int poll_seconds = 60;
};

// Adds a mailbox; the IMAP password is sealed with the server key (associated data
// "mailbox:<name>"). Throws core::Invalid naming the field for bad input, core::Conflict when
// the name is taken.
std::int64_t AddMailbox(storage::Database& db, const auth::SecretBox& box,
                        const MailboxSettings& settings, std::int64_t now);

struct PolledMailbox {
  Mailbox mailbox;
  ImapSettings imap;
  int poll_seconds = 60;
};
// Enabled mailboxes with an IMAP account, passwords opened. A password that no longer opens
// (another server key) leaves its mailbox out, with an error in the log.
std::vector<PolledMailbox> MailboxesToPoll(storage::Database& db, const auth::SecretBox& box);
std::vector<MailboxSettings> ListMailboxes(storage::Database& db);

// One pass over one mailbox: fetches what is not yet imported, imports each message, and marks
// it on the server only after its import committed. Returns how many were imported (duplicates
// included: they are marked too). Throws ImapError when the server cannot be used.
int PollOnce(InboundServices& services, const PolledMailbox& mailbox, std::int64_t now);

}  // namespace rampart::mail
