#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "mail/notify/notification_template.h"
#include "storage/database.h"

// Queuing notification mail in the caller's transaction, so that a notice exists exactly when
// the change it tells of does. The ticket actions decide who hears of what; this renders the
// admin's template (or the default) and writes the outbox row, which the outbound sender
// composes, signs and sends.
namespace rampart::mail {

// The admin's template for `kind`, else the one shipped in the code.
MailTemplate LoadTemplate(storage::Connection& c, NotificationKind kind);

// Whether new tickets are acknowledged to their requester (on unless an admin turned it off).
bool AcknowledgementsEnabled(storage::Connection& c);

// The configured public address of the site, remembered at start-up so that actions can put
// links into mail without carrying the configuration.
void RecordPublicUrl(storage::Connection& c, std::string_view public_url);
// `path` ("/portal/tickets/RMP-1042") on the public address; the path alone if none is known.
std::string PublicLink(storage::Connection& c, std::string_view path);

// One outbox row for `recipient` about the ticket: subject and body filled from the template
// (the subject with no control characters left), and the HTML alternative escaped from the
// filled body.
void EnqueueNotification(storage::Connection& c, NotificationKind kind,
                         const std::string& recipient, std::int64_t ticket_id,
                         const TemplateValues& values, std::int64_t now);

}  // namespace rampart::mail
