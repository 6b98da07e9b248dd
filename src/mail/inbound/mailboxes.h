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
  std::int64_t id = 0;  // 0 until stored
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
  bool enabled = true;
  // Read back only, never written from here: whether a sealed password is stored, and what the
  // poller last reported (last_poll_at 0: never polled).
  bool has_password = false;
  std::int64_t last_poll_at = 0;
  std::string last_poll_result;
};

// One broken rule of a mailbox's settings: the field it is about and what to fix, in user
// words.
struct MailboxProblem {
  std::string field;
  std::string text;
};

// Every rule the settings break, in form order; empty when they are fine. The one validation of
// the command line and the admin pages: lengths, a port in range, a host name or address, no
// control characters (CR/LF would reach IMAP commands and logs) in any field.
std::vector<MailboxProblem> MailboxSettingsProblems(const MailboxSettings& settings);

// Adds a mailbox; the IMAP password is sealed with the server key (associated data
// "mailbox:<name>"). Throws core::Invalid naming the field for bad input, core::Conflict when
// the name is taken.
std::int64_t AddMailbox(storage::Database& db, const auth::SecretBox& box,
                        const MailboxSettings& settings, std::int64_t now);

// The same, inside the caller's transaction (so that its audit event commits with it); the
// settings must have passed MailboxSettingsProblems.
std::int64_t InsertMailbox(storage::Connection& c, const auth::SecretBox& box,
                           const MailboxSettings& settings, std::int64_t now);
// Replaces a stored mailbox's settings in the caller's transaction. An empty imap_password keeps
// the stored one (sealed again when the name changes, since the name is its associated data).
// Returns false when there is no mailbox `settings.id`. Throws core::Conflict when the new
// name is taken.
bool UpdateMailbox(storage::Connection& c, const auth::SecretBox& box,
                   const MailboxSettings& settings);
bool SetMailboxEnabled(storage::Connection& c, std::int64_t id, bool enabled);
std::optional<MailboxSettings> SelectMailbox(storage::Connection& c, std::int64_t id);

// What the poller saw on its last pass over a mailbox ("3 imported", or the error, which never
// holds credentials), for the admin's list.
void RecordPollResult(storage::Database& db, std::int64_t mailbox_id, std::int64_t now,
                      const std::string& result);

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
