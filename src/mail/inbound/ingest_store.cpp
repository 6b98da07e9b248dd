#include "mail/inbound/ingest_store.h"

namespace rampart::mail {
namespace {

template <typename T>
storage::Value OrNull(const std::optional<T>& v) {
  return v ? storage::Value(*v) : storage::Value(nullptr);
}

}  // namespace

bool MailAlreadyImported(storage::Connection& c, const std::string& message_id,
                         const std::string& content_hash) {
  return c
      .QueryOne("SELECT 1 FROM mail_messages WHERE message_id = ? AND content_hash = ?",
                {message_id, storage::Blob{content_hash}})
      .has_value();
}

std::int64_t InsertMailRecord(storage::Connection& c, const MailRecord& r) {
  c.Execute(
      "INSERT INTO mail_messages (mailbox_id, message_id, content_hash, from_address, subject, "
      "disposition, reason, ticket_id, thread_message_id, dkim, spf, dmarc, aligned_by, "
      "reply_token, raw, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {OrNull(r.mailbox_id), r.message_id, storage::Blob{r.content_hash}, r.from_address, r.subject,
       r.disposition, r.reason, OrNull(r.ticket_id), OrNull(r.thread_message_id), r.dkim, r.spf,
       r.dmarc, r.aligned_by, r.reply_token,
       r.raw ? storage::Value(storage::Blob{*r.raw}) : storage::Value(nullptr), r.received_at});
  return c.LastInsertId();
}

std::optional<std::int64_t> TicketOfMessageId(storage::Connection& c,
                                              const std::string& message_id) {
  if (auto row =
          c.QueryOne("SELECT ticket_id FROM mail_sent_ids WHERE message_id = ?", {message_id})) {
    return row->Int(0);
  }
  if (auto row = c.QueryOne(
          "SELECT ticket_id FROM mail_messages WHERE message_id = ? AND ticket_id IS NOT NULL "
          "ORDER BY id LIMIT 1",
          {message_id})) {
    return row->Int(0);
  }
  return std::nullopt;
}

std::int64_t NewTicketsFromSenderSince(storage::Connection& c, const std::string& address,
                                       std::int64_t since) {
  const auto row = c.QueryOne(
      "SELECT count(*) FROM mail_messages WHERE from_address = ? AND received_at >= ? "
      "AND disposition = 'new_ticket'",
      {address, since});
  return row ? row->Int(0) : 0;
}

std::int64_t CreateMailUser(storage::Connection& c, const std::string& address,
                            const std::string& name, std::int64_t now) {
  c.Execute(
      "INSERT INTO users (email, name, role, password_hash, created_at) "
      "VALUES (?, ?, 'end_user', '!', ?)",
      {address, name, now});
  return c.LastInsertId();
}

void SetMessageHtml(storage::Connection& c, std::int64_t message_id, const std::string& html) {
  c.Execute("UPDATE messages SET body_html = ? WHERE id = ?", {html, message_id});
}

std::optional<std::int64_t> TicketIdOfNumber(storage::Connection& c, std::int64_t number) {
  const auto row = c.QueryOne("SELECT id FROM tickets WHERE number = ?", {number});
  return row ? std::optional(row->Int(0)) : std::nullopt;
}

bool IsRequesterOrCc(storage::Connection& c, std::int64_t ticket_id, std::int64_t user_id,
                     const std::string& address) {
  return c
      .QueryOne(
          "SELECT 1 FROM tickets WHERE id = ? AND requester_id = ? UNION ALL "
          "SELECT 1 FROM ticket_ccs WHERE ticket_id = ? AND (user_id = ? OR email = ?)",
          {ticket_id, user_id, ticket_id, user_id, address})
      .has_value();
}

}  // namespace rampart::mail
