#include "mail/notify/notifications.h"

namespace rampart::mail {
namespace {

constexpr std::string_view kAcknowledgeKey = "mail.acknowledge_new_tickets";
constexpr std::string_view kPublicUrlKey = "mail.public_url";

}  // namespace

MailTemplate LoadTemplate(storage::Connection& c, NotificationKind kind) {
  const auto row = c.QueryOne("SELECT subject, body FROM mail_templates WHERE kind = ?",
                              {std::string(KindName(kind))});
  if (!row) return DefaultTemplate(kind);
  return {row->Text(0), row->Text(1)};
}

bool AcknowledgementsEnabled(storage::Connection& c) {
  const auto row =
      c.QueryOne("SELECT value FROM settings WHERE key = ?", {std::string(kAcknowledgeKey)});
  return !row || row->Text(0) != "off";
}

void RecordPublicUrl(storage::Connection& c, std::string_view public_url) {
  std::string url(public_url);
  while (!url.empty() && url.back() == '/') url.pop_back();
  c.Execute(
      "INSERT INTO settings (key, value) VALUES (?, ?) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE value <> excluded.value",
      {std::string(kPublicUrlKey), url});
}

std::string PublicLink(storage::Connection& c, std::string_view path) {
  const auto row =
      c.QueryOne("SELECT value FROM settings WHERE key = ?", {std::string(kPublicUrlKey)});
  return (row ? row->Text(0) : std::string()) + std::string(path);
}

void EnqueueNotification(storage::Connection& c, NotificationKind kind,
                         const std::string& recipient, std::int64_t ticket_id,
                         const TemplateValues& values, std::int64_t now) {
  const MailTemplate t = LoadTemplate(c, kind);
  const std::string body = Fill(t.body, values);
  c.Execute(
      "INSERT INTO outbox (kind, recipient, subject, body, html_body, created_at, ticket_id, "
      "next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {std::string(KindName(kind)), recipient, FillSubject(t.subject, values), body,
       HtmlAlternative(body), now, ticket_id, now});
}

}  // namespace rampart::mail
