#include "mail/inbound/mailboxes.h"

#include "auth/users.h"
#include "core/errors.h"
#include "observability/log.h"

namespace rampart::mail {
namespace {

std::string SecurityName(ImapSettings::Security security) {
  return security == ImapSettings::Security::kStartTls ? "starttls" : "tls";
}

}  // namespace

std::int64_t AddMailbox(storage::Database& db, const auth::SecretBox& box, const MailboxSettings& m,
                        std::int64_t now) {
  if (m.name.empty() || m.name.size() > 100) throw core::Invalid("name", "1 to 100 characters");
  if (const std::string problem = auth::EmailProblem(m.address); !problem.empty()) {
    throw core::Invalid("address", problem);
  }
  if (!m.imap_host.empty()) {
    if (m.imap_port < 1 || m.imap_port > 65535) throw core::Invalid("imap_port", "1 to 65535");
    if (m.imap_username.empty()) throw core::Invalid("imap_username", "is required with a host");
  }
  if (m.poll_seconds < 10 || m.poll_seconds > 86400) {
    throw core::Invalid("poll_seconds", "10 to 86400");
  }
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  if (c->QueryOne("SELECT 1 FROM mailboxes WHERE name = ?", {m.name})) {
    throw core::Conflict("A mailbox with this name exists.");
  }
  const storage::Value password =
      m.imap_password.empty()
          ? storage::Value(nullptr)
          : storage::Value(storage::Blob{box.Seal(m.imap_password, "mailbox:" + m.name)});
  c->Execute(
      "INSERT INTO mailboxes (name, address, department_id, imap_host, imap_port, imap_security, "
      "imap_username, imap_password_sealed, imap_folder, imap_ca_file, insecure_skip_verify, "
      "poll_seconds, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {m.name, m.address,
       m.department_id ? storage::Value(*m.department_id) : storage::Value(nullptr), m.imap_host,
       std::int64_t{m.imap_port}, SecurityName(m.imap_security), m.imap_username, password,
       m.imap_folder, m.imap_ca_file, std::int64_t{m.insecure_skip_verify ? 1 : 0},
       std::int64_t{m.poll_seconds}, now});
  const std::int64_t id = c->LastInsertId();
  tx.Commit();
  return id;
}

std::vector<MailboxSettings> ListMailboxes(storage::Database& db) {
  std::vector<MailboxSettings> out;
  storage::Lease c = db.Read();
  for (const auto& row :
       c->Query("SELECT name, address, department_id, imap_host, imap_port, imap_security, "
                "imap_username, imap_folder, insecure_skip_verify, poll_seconds FROM mailboxes "
                "ORDER BY name",
                {})) {
    MailboxSettings m;
    m.name = row.Text(0);
    m.address = row.Text(1);
    m.department_id = row.OptionalInt(2);
    m.imap_host = row.Text(3);
    m.imap_port = static_cast<int>(row.Int(4));
    m.imap_security = row.Text(5) == "starttls" ? ImapSettings::Security::kStartTls
                                                : ImapSettings::Security::kImplicitTls;
    m.imap_username = row.Text(6);
    m.imap_folder = row.Text(7);
    m.insecure_skip_verify = row.Int(8) != 0;
    m.poll_seconds = static_cast<int>(row.Int(9));
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<PolledMailbox> MailboxesToPoll(storage::Database& db, const auth::SecretBox& box) {
  std::vector<PolledMailbox> out;
  storage::Lease c = db.Read();
  for (const auto& row : c->Query(
           "SELECT id, name, address, department_id, imap_host, imap_port, imap_security, "
           "imap_username, imap_password_sealed, imap_folder, insecure_skip_verify, poll_seconds, "
           "imap_ca_file FROM mailboxes WHERE enabled = 1 AND imap_host <> '' ORDER BY id",
           {})) {
    PolledMailbox p;
    p.mailbox = Mailbox{row.Int(0), row.Text(1), row.Text(2), row.OptionalInt(3)};
    p.imap.host = row.Text(4);
    p.imap.port = static_cast<int>(row.Int(5));
    p.imap.security = row.Text(6) == "starttls" ? ImapSettings::Security::kStartTls
                                                : ImapSettings::Security::kImplicitTls;
    p.imap.username = row.Text(7);
    if (!row.IsNull(8)) {
      auto password = box.Open(row.Bytes(8), "mailbox:" + p.mailbox.name);
      if (!password) {
        log::Error("mailbox_password_unreadable", log::Fields().Add("mailbox", p.mailbox.name));
        continue;
      }
      p.imap.password = std::move(*password);
    }
    p.imap.mailbox = row.Text(9);
    p.imap.insecure_skip_verify = row.Int(10) != 0;
    p.poll_seconds = static_cast<int>(row.Int(11));
    p.imap.ca_file = row.Text(12);
    out.push_back(std::move(p));
  }
  return out;
}

int PollOnce(InboundServices& services, const PolledMailbox& polled, std::int64_t now) {
  ImapClient client(polled.imap);
  int imported = 0;
  for (const std::uint64_t uid : client.PendingUids()) {
    auto fetched = client.Fetch(uid, services.settings.max_message_bytes + 1);
    // A message over the limit is recorded (quarantined) from its first bytes, then marked.
    const IngestResult result = IngestMessage(services, polled.mailbox, fetched.raw, now);
    log::Info("mail_imported", log::Fields()
                                   .Add("mailbox", polled.mailbox.name)
                                   .Add("uid", static_cast<std::int64_t>(uid))
                                   .Add("disposition", DispositionName(result.disposition)));
    client.MarkImported(uid);  // only now: the import above has committed
    ++imported;
  }
  return imported;
}

}  // namespace rampart::mail
