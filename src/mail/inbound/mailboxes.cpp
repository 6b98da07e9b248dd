#include "mail/inbound/mailboxes.h"

#include <algorithm>
#include <cctype>

#include "auth/users.h"
#include "core/errors.h"
#include "core/strings.h"
#include "observability/log.h"

namespace rampart::mail {
namespace {

std::string SecurityName(ImapSettings::Security security) {
  return security == ImapSettings::Security::kStartTls ? "starttls" : "tls";
}

// Valid UTF-8 without control characters: CR/LF in a value would reach IMAP commands and logs.
bool PlainText(std::string_view s) {
  return core::IsValidUtf8(s) && !core::HasControlCharacters(s);
}

bool IsLabelChar(char ch) {
  return std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '-';
}

// A DNS name (labels of letters, digits and hyphens, not starting or ending with one), an IPv4
// address (which is such a name), or an IPv6 address in brackets, as an IMAP URL takes it.
bool IsHostName(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  if (host.front() == '[') {
    if (host.size() < 4 || host.back() != ']') return false;
    const std::string_view inner = host.substr(1, host.size() - 2);
    return std::all_of(inner.begin(), inner.end(),
                       [](char ch) {
                         return std::isxdigit(static_cast<unsigned char>(ch)) != 0 || ch == ':' ||
                                ch == '.';
                       }) &&
           inner.find(':') != std::string_view::npos;
  }
  std::size_t start = 0;
  while (start <= host.size()) {
    std::size_t end = host.find('.', start);
    if (end == std::string_view::npos) end = host.size();
    const std::string_view label = host.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-' ||
        !std::all_of(label.begin(), label.end(), IsLabelChar)) {
      return false;
    }
    start = end + 1;
  }
  return true;
}

// Reads a row of the columns the two queries below select, in their order.
MailboxSettings MailboxFromRow(const storage::Row& row) {
  MailboxSettings m;
  m.id = row.Int(0);
  m.name = row.Text(1);
  m.address = row.Text(2);
  m.department_id = row.OptionalInt(3);
  m.imap_host = row.Text(4);
  m.imap_port = static_cast<int>(row.Int(5));
  m.imap_security = row.Text(6) == "starttls" ? ImapSettings::Security::kStartTls
                                              : ImapSettings::Security::kImplicitTls;
  m.imap_username = row.Text(7);
  m.imap_folder = row.Text(8);
  m.imap_ca_file = row.Text(9);
  m.insecure_skip_verify = row.Int(10) != 0;
  m.poll_seconds = static_cast<int>(row.Int(11));
  m.enabled = row.Int(12) != 0;
  m.has_password = row.Int(13) != 0;
  m.last_poll_at = row.OptionalInt(14).value_or(0);
  m.last_poll_result = row.Text(15);
  return m;
}

}  // namespace

std::vector<MailboxProblem> MailboxSettingsProblems(const MailboxSettings& m) {
  std::vector<MailboxProblem> problems;
  const auto problem = [&](const char* field, std::string text) {
    problems.push_back({field, std::move(text)});
  };
  if (m.name.empty() || m.name.size() > 100) {
    problem("name", "Enter a name of 1 to 100 characters.");
  } else if (!PlainText(m.name)) {
    problem("name", "The name must be plain text, without control characters.");
  }
  if (const std::string p = auth::EmailProblem(m.address); !p.empty()) {
    problem("address", "The address " + p + ".");
  }
  if (!m.imap_host.empty() && !IsHostName(m.imap_host)) {
    problem("imap_host",
            "Enter a host name such as imap.example.com, an IPv4 address or an IPv6 address in "
            "brackets.");
  }
  if (m.imap_port < 1 || m.imap_port > 65535) problem("imap_port", "Enter a port from 1 to 65535.");
  if (m.imap_username.size() > 254 || !PlainText(m.imap_username)) {
    problem("imap_username",
            "The user name must be at most 254 characters, without control "
            "characters.");
  } else if (!m.imap_host.empty() && m.imap_username.empty()) {
    problem("imap_username", "A user name is required with an IMAP host.");
  }
  if (m.imap_password.size() > 1024 || !PlainText(m.imap_password)) {
    problem("imap_password",
            "The password must be at most 1024 characters, without control "
            "characters.");
  }
  if (m.imap_folder.empty() || m.imap_folder.size() > 200 || !PlainText(m.imap_folder)) {
    problem("imap_folder", "Enter a folder of 1 to 200 characters, without control characters.");
  }
  if (m.imap_ca_file.size() > 4096 || !PlainText(m.imap_ca_file)) {
    problem("imap_ca_file", "The CA file must be a path of at most 4096 characters.");
  }
  if (m.poll_seconds < 10 || m.poll_seconds > 86400) {
    problem("poll_seconds", "Enter a poll interval from 10 to 86400 seconds.");
  }
  return problems;
}

std::int64_t AddMailbox(storage::Database& db, const auth::SecretBox& box, const MailboxSettings& m,
                        std::int64_t now) {
  if (const auto problems = MailboxSettingsProblems(m); !problems.empty()) {
    throw core::Invalid(problems.front().field, problems.front().text);
  }
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  const std::int64_t id = InsertMailbox(*c, box, m, now);
  tx.Commit();
  return id;
}

std::int64_t InsertMailbox(storage::Connection& c, const auth::SecretBox& box,
                           const MailboxSettings& m, std::int64_t now) {
  if (c.QueryOne("SELECT 1 FROM mailboxes WHERE name = ?", {m.name})) {
    throw core::Conflict("A mailbox with this name exists.");
  }
  const storage::Value password =
      m.imap_password.empty()
          ? storage::Value(nullptr)
          : storage::Value(storage::Blob{box.Seal(m.imap_password, "mailbox:" + m.name)});
  c.Execute(
      "INSERT INTO mailboxes (name, address, department_id, imap_host, imap_port, imap_security, "
      "imap_username, imap_password_sealed, imap_folder, imap_ca_file, insecure_skip_verify, "
      "poll_seconds, enabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {m.name, m.address,
       m.department_id ? storage::Value(*m.department_id) : storage::Value(nullptr), m.imap_host,
       std::int64_t{m.imap_port}, SecurityName(m.imap_security), m.imap_username, password,
       m.imap_folder, m.imap_ca_file, std::int64_t{m.insecure_skip_verify ? 1 : 0},
       std::int64_t{m.poll_seconds}, std::int64_t{m.enabled ? 1 : 0}, now});
  return c.LastInsertId();
}

bool UpdateMailbox(storage::Connection& c, const auth::SecretBox& box, const MailboxSettings& m) {
  const auto stored =
      c.QueryOne("SELECT name, imap_password_sealed FROM mailboxes WHERE id = ?", {m.id});
  if (!stored) return false;
  if (c.QueryOne("SELECT 1 FROM mailboxes WHERE name = ? AND id <> ?", {m.name, m.id})) {
    throw core::Conflict("A mailbox with this name exists.");
  }
  storage::Value password(nullptr);
  if (!m.imap_password.empty()) {
    password = storage::Blob{box.Seal(m.imap_password, "mailbox:" + m.name)};
  } else if (!stored->IsNull(1)) {
    // Kept; the name is the sealed box's associated data, so a renamed mailbox seals it again.
    const std::string old_name = stored->Text(0);
    const std::string sealed = stored->Bytes(1);
    const auto opened = old_name == m.name ? std::nullopt : box.Open(sealed, "mailbox:" + old_name);
    password = storage::Blob{opened ? box.Seal(*opened, "mailbox:" + m.name) : sealed};
  }
  c.Execute(
      "UPDATE mailboxes SET name = ?, address = ?, department_id = ?, imap_host = ?, "
      "imap_port = ?, imap_security = ?, imap_username = ?, imap_password_sealed = ?, "
      "imap_folder = ?, insecure_skip_verify = ?, poll_seconds = ?, enabled = ? WHERE id = ?",
      {m.name, m.address,
       m.department_id ? storage::Value(*m.department_id) : storage::Value(nullptr), m.imap_host,
       std::int64_t{m.imap_port}, SecurityName(m.imap_security), m.imap_username, password,
       m.imap_folder, std::int64_t{m.insecure_skip_verify ? 1 : 0}, std::int64_t{m.poll_seconds},
       std::int64_t{m.enabled ? 1 : 0}, m.id});
  return true;
}

bool SetMailboxEnabled(storage::Connection& c, std::int64_t id, bool enabled) {
  if (!c.QueryOne("SELECT 1 FROM mailboxes WHERE id = ?", {id})) return false;
  c.Execute("UPDATE mailboxes SET enabled = ? WHERE id = ?", {std::int64_t{enabled ? 1 : 0}, id});
  return true;
}

void RecordPollResult(storage::Database& db, std::int64_t mailbox_id, std::int64_t now,
                      const std::string& result) {
  storage::Lease c = db.Write();
  c->Execute("UPDATE mailboxes SET last_poll_at = ?, last_poll_result = ? WHERE id = ?",
             {now, result.substr(0, 500), mailbox_id});
}

std::vector<MailboxSettings> ListMailboxes(storage::Database& db) {
  std::vector<MailboxSettings> out;
  storage::Lease c = db.Read();
  for (const auto& row :
       c->Query("SELECT id, name, address, department_id, imap_host, imap_port, imap_security, "
                "imap_username, imap_folder, imap_ca_file, insecure_skip_verify, poll_seconds, "
                "enabled, imap_password_sealed IS NOT NULL, last_poll_at, last_poll_result "
                "FROM mailboxes ORDER BY name",
                {})) {
    out.push_back(MailboxFromRow(row));
  }
  return out;
}

std::optional<MailboxSettings> SelectMailbox(storage::Connection& c, std::int64_t id) {
  const auto row = c.QueryOne(
      "SELECT id, name, address, department_id, imap_host, imap_port, imap_security, "
      "imap_username, imap_folder, imap_ca_file, insecure_skip_verify, poll_seconds, "
      "enabled, imap_password_sealed IS NOT NULL, last_poll_at, last_poll_result "
      "FROM mailboxes WHERE id = ?",
      {id});
  if (!row) return std::nullopt;
  return MailboxFromRow(*row);
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
