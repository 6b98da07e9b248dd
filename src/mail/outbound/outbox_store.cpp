#include "mail/outbound/outbox_store.h"

#include "tickets/ticket_store.h"

namespace rampart::mail {

std::optional<OutboxRow> NextDueOutboxRow(storage::Connection& c, std::int64_t now) {
  const auto row = c.QueryOne(
      "SELECT o.id, o.kind, o.recipient, o.subject, o.body, o.html_body, o.created_at, "
      "o.attempts, o.message_id, o.in_reply_to, o.references_ids, o.ticket_id, t.number "
      "FROM outbox AS o LEFT JOIN tickets AS t ON t.id = o.ticket_id "
      "WHERE o.sent_at IS NULL AND o.failed_at IS NULL AND o.next_attempt_at <= ? "
      "ORDER BY o.next_attempt_at, o.id LIMIT 1",
      {now});
  if (!row) return std::nullopt;
  OutboxRow r;
  r.id = row->Int(0);
  r.kind = row->Text(1);
  r.recipient = row->Text(2);
  r.subject = row->Text(3);
  r.body = row->Text(4);
  r.html_body = row->Text(5);
  r.created_at = row->Int(6);
  r.attempts = row->Int(7);
  r.message_id = row->OptionalText(8);
  r.in_reply_to = row->Text(9);
  r.references_ids = row->Text(10);
  r.ticket_id = row->OptionalInt(11);
  r.ticket_number = row->OptionalInt(12);
  return r;
}

bool FixOutboxMessageId(storage::Connection& c, std::int64_t row_id,
                        std::optional<std::int64_t> ticket_id, const std::string& recipient,
                        const std::string& message_id, const std::string& in_reply_to,
                        const std::string& references_ids) {
  c.Execute(
      "UPDATE outbox SET message_id = ?, in_reply_to = ?, references_ids = ? "
      "WHERE id = ? AND message_id IS NULL",
      {message_id, in_reply_to, references_ids, row_id});
  if (c.Changes() == 0) return false;
  if (ticket_id) {
    c.Execute("INSERT INTO mail_sent_ids (message_id, ticket_id, recipient) VALUES (?, ?, ?)",
              {message_id, *ticket_id, recipient});
  }
  return true;
}

std::string LastInboundMessageId(storage::Connection& c, std::int64_t ticket_id) {
  const auto row = c.QueryOne(
      "SELECT message_id FROM mail_messages WHERE ticket_id = ? "
      "AND (disposition = 'new_ticket' OR disposition = 'reply') ORDER BY id DESC LIMIT 1",
      {ticket_id});
  return row ? row->Text(0) : std::string();
}

void MarkOutboxSent(storage::Connection& c, std::int64_t row_id, std::int64_t now) {
  c.Execute("UPDATE outbox SET sent_at = ?, last_error = '' WHERE id = ? AND sent_at IS NULL",
            {now, row_id});
}

void MarkOutboxRetry(storage::Connection& c, std::int64_t row_id, std::int64_t attempts,
                     std::int64_t next_attempt_at, const std::string& error) {
  c.Execute("UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
            {attempts, next_attempt_at, error, row_id});
}

void MarkOutboxFailed(storage::Connection& c, const OutboxRow& row, std::int64_t now,
                      const std::string& error) {
  c.Execute("UPDATE outbox SET attempts = attempts + 1, failed_at = ?, last_error = ? WHERE id = ?",
            {now, error, row.id});
  if (row.ticket_id) {
    tickets::AppendEvent(c, *row.ticket_id, std::nullopt, now, "mail_delivery_failed",
                         row.recipient, error);
  }
}

}  // namespace rampart::mail
