#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "auth/authorize.h"
#include "auth/secret_box.h"
#include "mail/inbound/mailboxes.h"
#include "storage/database.h"

namespace rampart::mail {

// The admin's mailbox actions (/admin/mailboxes). Each needs settings.helpdesk; turning
// certificate verification off also needs settings.security, since it exposes the mailbox's
// password and mail to anyone on the path. Every change is audited in its transaction, without
// the password.

std::vector<MailboxSettings> ViewMailboxes(storage::Database& db, const auth::Actor& actor);
// core::NotFound when there is no such mailbox.
MailboxSettings ViewMailbox(storage::Database& db, const auth::Actor& actor, std::int64_t id);

struct MailboxSaved {
  std::int64_t id = 0;                   // the mailbox, when saved
  std::vector<MailboxProblem> problems;  // why nothing was saved
};
// Adds a mailbox (settings.id == 0) or replaces one's settings; an empty password on an edit
// keeps the stored one. Problems in the input come back in `problems` with nothing changed;
// a taken name is a problem of the field "name".
MailboxSaved SaveMailbox(storage::Database& db, const auth::SecretBox& box,
                         const auth::Actor& actor, const MailboxSettings& settings,
                         const std::string& client_address, std::int64_t now);

// Stops polling the mailbox and refuses piped mail for it; its settings are kept.
void DisableMailbox(storage::Database& db, const auth::Actor& actor, std::int64_t id,
                    const std::string& client_address, std::int64_t now);

}  // namespace rampart::mail
