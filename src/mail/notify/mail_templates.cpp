#include "mail/notify/mail_templates.h"

#include "audit/audit_log.h"
#include "auth/authorize.h"
#include "core/errors.h"
#include "mail/notify/notifications.h"

namespace rampart::mail {
namespace {

void Require(const auth::Actor& actor) {
  const auth::Decision decision = auth::Authorize(actor, auth::Permission::kSettingsHelpdesk);
  if (!decision) {
    throw core::Forbidden("settings.helpdesk denied: " + std::string(decision.reason));
  }
}

std::optional<std::int64_t> UserIdOf(const auth::Actor& actor) {
  return actor.user_id > 0 ? std::optional(actor.user_id) : std::nullopt;
}

}  // namespace

MailTemplateSettings GetMailTemplates(const auth::Actor& actor, storage::Database& db) {
  Require(actor);
  storage::Lease c = db.Read();
  MailTemplateSettings out;
  out.acknowledge_new_tickets = AcknowledgementsEnabled(*c);
  for (NotificationKind kind : kNotificationKinds) {
    const auto row = c->QueryOne("SELECT subject, body FROM mail_templates WHERE kind = ?",
                                 {std::string(KindName(kind))});
    if (row) {
      out.templates.push_back({kind, {row->Text(0), row->Text(1)}, true});
    } else {
      out.templates.push_back({kind, DefaultTemplate(kind), false});
    }
  }
  return out;
}

void SaveMailTemplates(const auth::Actor& actor, storage::Database& db,
                       const MailTemplateSettings& settings, std::int64_t now) {
  Require(actor);
  std::vector<KindTemplate> checked;
  for (const KindTemplate& t : settings.templates) {
    const std::string prefix(KindName(t.kind));
    try {
      checked.push_back({t.kind, CheckTemplate(t.text), false});
    } catch (const core::Invalid& e) {
      // The field names the kind too, so that the page can point at the right box.
      throw core::Invalid(prefix + "." + e.Field(), e.UserText().substr(e.Field().size() + 2));
    }
  }
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  std::string changed;
  for (const KindTemplate& t : checked) {
    const std::string kind(KindName(t.kind));
    const MailTemplate shipped = DefaultTemplate(t.kind);
    const MailTemplate before = LoadTemplate(*c, t.kind);
    if (before.subject == t.text.subject && before.body == t.text.body) continue;
    if (t.text.subject == shipped.subject && t.text.body == shipped.body) {
      c->Execute("DELETE FROM mail_templates WHERE kind = ?", {kind});
    } else {
      c->Execute(
          "INSERT INTO mail_templates (kind, subject, body, updated_at, updated_by) "
          "VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind) DO UPDATE SET subject = excluded.subject, "
          "body = excluded.body, updated_at = excluded.updated_at, "
          "updated_by = excluded.updated_by",
          {kind, t.text.subject, t.text.body, now,
           actor.user_id > 0 ? storage::Value{actor.user_id} : storage::Value{nullptr}});
    }
    changed += (changed.empty() ? "" : ",") + kind;
  }
  c->Execute(
      "INSERT INTO settings (key, value) VALUES ('mail.acknowledge_new_tickets', ?) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      {std::string(settings.acknowledge_new_tickets ? "on" : "off")});
  audit::Append(*c, now, UserIdOf(actor), "mail.templates_changed", "mail_templates", "",
                "changed=" + (changed.empty() ? std::string("none") : changed) +
                    " acknowledge=" + (settings.acknowledge_new_tickets ? "on" : "off"));
  tx.Commit();
}

}  // namespace rampart::mail
