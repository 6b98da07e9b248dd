#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "storage/database.h"

namespace rampart::mail {

// One unsent outbox row as the sender needs it.
struct OutboxRow {
  std::int64_t id = 0;
  std::string kind;
  std::string recipient;
  std::string subject;
  std::string body;
  std::string html_body;
  std::int64_t created_at = 0;
  std::int64_t attempts = 0;
  std::optional<std::string> message_id;  // fixed before the first attempt, then never changed
  std::string in_reply_to;
  std::string references_ids;  // space-separated ids, without brackets
  std::optional<std::int64_t> ticket_id;
  std::optional<std::int64_t> ticket_number;
};

// The row due first (next_attempt_at <= now, neither sent nor failed), if any.
std::optional<OutboxRow> NextDueOutboxRow(storage::Connection& c, std::int64_t now);

// Fixes the row's Message-ID and threading headers unless it has one already (the caller reads
// the row again afterwards), and records ticket mail's id in mail_sent_ids so that an answer
// quoting it threads into the ticket. Returns whether this call set it.
bool FixOutboxMessageId(storage::Connection& c, std::int64_t row_id,
                        std::optional<std::int64_t> ticket_id, const std::string& recipient,
                        const std::string& message_id, const std::string& in_reply_to,
                        const std::string& references_ids);

// The Message-ID of the newest mail from the customer side that went into the ticket, or "".
std::string LastInboundMessageId(storage::Connection& c, std::int64_t ticket_id);

void MarkOutboxSent(storage::Connection& c, std::int64_t row_id, std::int64_t now);
void MarkOutboxRetry(storage::Connection& c, std::int64_t row_id, std::int64_t attempts,
                     std::int64_t next_attempt_at, const std::string& error);
// Gives up on the row; ticket mail also leaves a staff-only line in the ticket's history
// ("mail_delivery_failed", the recipient and the reason), so that agents see it did not arrive.
void MarkOutboxFailed(storage::Connection& c, const OutboxRow& row, std::int64_t now,
                      const std::string& error);

}  // namespace rampart::mail
