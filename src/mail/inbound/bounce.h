#pragma once
#include <optional>
#include <string>
#include <vector>

#include "mime/email_message.h"
#include "storage/database.h"

// Delivery failure reports (RFC 3464 multipart/report, and the plainer reports of mailer
// daemons): which of our messages failed, to whom, and why, so that the failure shows on the
// ticket the message was about.
namespace rampart::mail {

struct BounceReport {
  // Message-IDs the report names as the original, without brackets, most specific first: the
  // returned message or its headers, then the report's own In-Reply-To and References.
  std::vector<std::string> original_ids;
  std::string recipient;   // Final-Recipient (else Original-Recipient), "" when not given
  std::string diagnostic;  // Diagnostic-Code, else Status; one line, bounded; "" when not given
};

// Reads the report's parts. Everything in it is the remote side's text: bounded, control
// characters removed, never trusted beyond finding our own Message-ID in it.
BounceReport ReadBounce(const mime::EmailMessage& m);

// The ticket of the first original id that is one WE sent (mail_sent_ids only: an id someone
// merely wrote to us proves nothing about our mail), and that id's recipient.
struct BouncedMail {
  std::int64_t ticket_id = 0;
  std::string recipient;
};
std::optional<BouncedMail> FindBouncedMail(storage::Connection& c, const BounceReport& report);

}  // namespace rampart::mail
