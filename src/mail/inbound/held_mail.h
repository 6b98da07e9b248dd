#pragma once
// Mail that ingest held (it claims an identity it cannot prove, or came too often) or
// quarantined (unreadable, no usable sender), and what a person decides about it. Each decision
// is one transaction that also changes the row's disposition, so a message is released or
// discarded at most once.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/authorize.h"
#include "mail/inbound/message_view.h"
#include "storage/database.h"
#include "tickets/attachments.h"

namespace rampart::mail {

struct WaitingMail {
  std::int64_t id = 0;
  bool quarantined = false;  // else held
  std::string from_address;  // as the message claims it: NOT verified
  std::string subject;
  std::int64_t received_at = 0;
  std::string reason;
  std::string mailbox;
  SenderChecks checks;
};

struct WaitingMailDetail {
  WaitingMail mail;
  std::string text;  // the message's text as it would be stored, or a note why there is none
};

// What the actor may look at: held mail of the departments they reach (ticket.reply, decided by
// auth::Authorize as for a ticket of the mailbox's department), and quarantined mail for those
// who run the helpdesk (settings.helpdesk). Newest first, at most 500.
std::vector<WaitingMail> ListWaitingMail(const auth::Actor& actor, storage::Database& db);
std::int64_t CountWaitingMail(const auth::Actor& actor, storage::Database& db);

// One waiting message. core::NotFound when it does not exist, is no longer waiting, or the
// actor may not see it.
WaitingMailDetail GetWaitingMail(const auth::Actor& actor, storage::Database& db, std::int64_t id);

// Opens a ticket from held mail, requested by its From address (an account without password
// is made for a new address), in the mailbox's department; the ticket's history records that
// the sender was not verified. Returns the ticket number. core::Conflict when the message was
// already released or discarded. The message's files go with it into `files` (when given).
std::int64_t ReleaseAsNewTicket(const auth::Actor& actor, storage::Database& db, std::int64_t id,
                                std::int64_t now, const tickets::AttachmentStore* files = nullptr);

// Adds held mail to ticket `number` as an internal note of the releasing agent (an unverified
// message never speaks for anyone in the thread), after checking, at this moment, that the
// agent may add notes to that ticket. Returns the ticket number. The files go with the note.
std::int64_t AddToTicket(const auth::Actor& actor, storage::Database& db, std::int64_t id,
                         std::string_view number, std::int64_t now,
                         const tickets::AttachmentStore* files = nullptr);

// Drops held or quarantined mail: nothing is imported, the raw message is deleted.
void DiscardWaitingMail(const auth::Actor& actor, storage::Database& db, std::int64_t id,
                        std::int64_t now);

}  // namespace rampart::mail
