#include "mail/inbound/mailbox_admin.h"

#include "audit/audit_log.h"
#include "core/errors.h"

namespace rampart::mail {
namespace {

void RequirePermission(const auth::Actor& actor) {
  if (!auth::Authorize(actor, auth::Permission::kSettingsHelpdesk)) {
    throw core::Forbidden("mailbox administration without settings.helpdesk");
  }
}

// What the audit log keeps of a mailbox's settings: everything an investigator needs to see
// what changed, never the password (only whether it was set).
std::string AuditDetail(const MailboxSettings& m, std::string_view password) {
  std::string d = "name=" + m.name + " address=" + m.address;
  d += " department=" + (m.department_id ? std::to_string(*m.department_id) : std::string("none"));
  if (m.imap_host.empty()) {
    d += " imap=none";
  } else {
    d += " imap=" + m.imap_username + "@" + m.imap_host + ":" + std::to_string(m.imap_port);
    d += m.imap_security == ImapSettings::Security::kStartTls ? " security=starttls"
                                                              : " security=tls";
    d += " folder=" + m.imap_folder;
  }
  d += m.insecure_skip_verify ? " certificate_verification=OFF" : " certificate_verification=on";
  d += " poll_seconds=" + std::to_string(m.poll_seconds);
  d += m.enabled ? " enabled" : " disabled";
  d += " password=";
  d += password;
  return d;
}

}  // namespace

std::vector<MailboxSettings> ViewMailboxes(storage::Database& db, const auth::Actor& actor) {
  RequirePermission(actor);
  return ListMailboxes(db);
}

MailboxSettings ViewMailbox(storage::Database& db, const auth::Actor& actor, std::int64_t id) {
  RequirePermission(actor);
  storage::Lease c = db.Read();
  auto m = SelectMailbox(*c, id);
  if (!m) throw core::NotFound("no mailbox " + std::to_string(id));
  return *m;
}

MailboxSaved SaveMailbox(storage::Database& db, const auth::SecretBox& box,
                         const auth::Actor& actor, const MailboxSettings& settings,
                         const std::string& client_address, std::int64_t now) {
  RequirePermission(actor);
  MailboxSaved result;
  result.problems = MailboxSettingsProblems(settings);
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  std::optional<MailboxSettings> before;
  if (settings.id != 0) {
    before = SelectMailbox(*c, settings.id);
    if (!before) throw core::NotFound("no mailbox " + std::to_string(settings.id));
  }
  const bool turns_verification_off =
      settings.insecure_skip_verify && !(before && before->insecure_skip_verify);
  if (turns_verification_off && !auth::Authorize(actor, auth::Permission::kSettingsSecurity)) {
    throw core::Forbidden("mailbox certificate verification off without settings.security");
  }
  if (settings.department_id &&
      !c->QueryOne("SELECT 1 FROM departments WHERE id = ?", {*settings.department_id})) {
    result.problems.push_back({"department_id", "Choose one of the departments listed."});
  }
  const bool name_taken = c->QueryOne("SELECT 1 FROM mailboxes WHERE name = ? AND id <> ?",
                                      {settings.name, settings.id})
                              .has_value();
  if (name_taken) result.problems.push_back({"name", "Another mailbox has this name."});
  if (!result.problems.empty()) return result;  // the transaction rolls back: nothing changed

  const char* password = settings.imap_password.empty()
                             ? (before && before->has_password ? "kept" : "none")
                             : (before ? "changed" : "set");
  if (before) {
    UpdateMailbox(*c, box, settings);
    result.id = settings.id;
  } else {
    result.id = InsertMailbox(*c, box, settings, now);
  }
  audit::Append(*c, now, actor.user_id, before ? "mailbox.updated" : "mailbox.created",
                "mailbox:" + std::to_string(result.id), client_address,
                AuditDetail(settings, password));
  tx.Commit();
  return result;
}

void DisableMailbox(storage::Database& db, const auth::Actor& actor, std::int64_t id,
                    const std::string& client_address, std::int64_t now) {
  RequirePermission(actor);
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  if (!SetMailboxEnabled(*c, id, false)) throw core::NotFound("no mailbox " + std::to_string(id));
  audit::Append(*c, now, actor.user_id, "mailbox.disabled", "mailbox:" + std::to_string(id),
                client_address, "");
  tx.Commit();
}

}  // namespace rampart::mail
