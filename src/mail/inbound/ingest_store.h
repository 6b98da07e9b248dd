#pragma once
// The SQL of inbound mail.
#include <cstdint>
#include <optional>
#include <string>

#include "storage/database.h"

namespace rampart::mail {

struct MailRecord {
  std::optional<std::int64_t> mailbox_id;
  std::string message_id;
  std::string content_hash;  // raw SHA-256
  std::string from_address;
  std::string subject;
  std::string disposition;
  std::string reason;
  std::optional<std::int64_t> ticket_id;
  std::optional<std::int64_t> thread_message_id;
  std::string dkim;
  std::string spf;
  std::string dmarc;
  std::string aligned_by;
  std::string reply_token;
  std::optional<std::string> raw;
  std::int64_t received_at = 0;
};

bool MailAlreadyImported(storage::Connection& c, const std::string& message_id,
                         const std::string& content_hash);
std::int64_t InsertMailRecord(storage::Connection& c, const MailRecord& record);
// The ticket a stored or sent Message-ID belongs to.
std::optional<std::int64_t> TicketOfMessageId(storage::Connection& c,
                                              const std::string& message_id);
std::int64_t NewTicketsFromSenderSince(storage::Connection& c, const std::string& address,
                                       std::int64_t since);
// An end user for an address that wrote in for the first time: no password (the hash "!" never
// verifies), so the account can sign in only after a password reset.
std::int64_t CreateMailUser(storage::Connection& c, const std::string& address,
                            const std::string& name, std::int64_t now);
void SetMessageHtml(storage::Connection& c, std::int64_t message_id, const std::string& html);
std::optional<std::int64_t> TicketIdOfNumber(storage::Connection& c, std::int64_t number);
bool IsRequesterOrCc(storage::Connection& c, std::int64_t ticket_id, std::int64_t user_id,
                     const std::string& address);

}  // namespace rampart::mail
