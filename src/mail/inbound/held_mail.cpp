#include "mail/inbound/held_mail.h"

#include "audit/audit_log.h"
#include "core/errors.h"
#include "mail/inbound/html_sanitizer.h"
#include "mail/inbound/ingest.h"
#include "mail/inbound/ingest_store.h"
#include "mime/email_message.h"
#include "tickets/create_ticket.h"
#include "tickets/policy.h"
#include "tickets/ticket_store.h"

namespace rampart::mail {
namespace {

constexpr std::int64_t kListLimit = 500;

std::string WithNote(std::string reason, const std::string& note) {
  if (!note.empty()) reason += " " + note;
  return reason;
}

// The row and the facts the decisions need; read in the caller's transaction.
struct Waiting {
  WaitingMail mail;
  std::optional<std::int64_t> department_id;
  std::optional<std::string> raw;
};

Waiting FromRow(const storage::Row& row) {
  Waiting w;
  w.mail.id = row.Int(0);
  w.mail.quarantined = row.Text(1) == "quarantined";
  w.mail.from_address = row.Text(2);
  w.mail.subject = row.Text(3);
  w.mail.received_at = row.Int(4);
  w.mail.reason = row.Text(5);
  w.mail.checks = SenderChecks{row.Text(6), row.Text(7), row.Text(8), row.Text(9), row.Text(10)};
  w.mail.mailbox = row.Text(11);
  w.department_id = row.OptionalInt(12);
  return w;
}

// Held mail is an agent's to decide for the departments they could answer a ticket in;
// quarantined mail shows what broke, which is for those who run the helpdesk.
bool MaySee(const auth::Actor& actor, const Waiting& w) {
  if (w.mail.quarantined)
    return auth::Authorize(actor, auth::Permission::kSettingsHelpdesk).allowed;
  auth::TicketFacts facts;
  facts.department_id = w.department_id;
  return auth::Authorize(actor, auth::Permission::kTicketReply, &facts).allowed;
}

// Staff with either permission; for anyone else (a customer, who may reply on their own
// tickets, or a read-only token) held mail does not exist.
bool MayDecideAny(const auth::Actor& actor) {
  return tickets::ActsAsStaff(actor) &&
         (auth::Authorize(actor, auth::Permission::kTicketReply) ||
          auth::Authorize(actor, auth::Permission::kSettingsHelpdesk));
}

void RequireAnyWaitingPermission(const auth::Actor& actor) {
  if (!MayDecideAny(actor)) {
    throw core::NotFound("waiting mail for an actor without ticket.reply or settings.helpdesk");
  }
}

std::optional<Waiting> LoadWaiting(storage::Connection& c, std::int64_t id) {
  const auto row = c.QueryOne(
      "SELECT mm.id, mm.disposition, mm.from_address, mm.subject, mm.received_at, mm.reason, "
      "mm.dkim, mm.spf, mm.dmarc, mm.aligned_by, mm.reply_token, coalesce(mb.name, ''), "
      "mb.department_id, mm.raw FROM mail_messages AS mm "
      "LEFT JOIN mailboxes AS mb ON mb.id = mm.mailbox_id "
      "WHERE mm.id = ? AND (mm.disposition = 'held' OR mm.disposition = 'quarantined')",
      {id});
  if (!row) return std::nullopt;
  Waiting w = FromRow(*row);
  if (!row->IsNull(13)) w.raw = row->Bytes(13);
  return w;
}

bool WasDecided(storage::Connection& c, std::int64_t id) {
  return c.QueryOne("SELECT 1 FROM mail_messages WHERE id = ? AND decided_at IS NOT NULL", {id})
      .has_value();
}

// The waiting message for a decision inside the caller's transaction. A message someone already
// decided on is a Conflict (the second click of a double submit), one never visible NotFound.
Waiting RequireWaiting(storage::Connection& c, const auth::Actor& actor, std::int64_t id,
                       bool held_only) {
  std::optional<Waiting> w = LoadWaiting(c, id);
  if (!w) {
    if (WasDecided(c, id)) throw core::Conflict("This message was already released or discarded.");
    throw core::NotFound("no waiting mail " + std::to_string(id));
  }
  if (!MaySee(actor, *w)) throw core::NotFound("waiting mail out of the actor's reach");
  if (held_only && w->mail.quarantined) {
    throw core::Conflict("A quarantined message cannot be imported; it can only be discarded.");
  }
  return *w;
}

void MarkDecided(storage::Connection& c, std::int64_t id, std::string_view disposition,
                 const std::string& reason, std::optional<std::int64_t> ticket_id,
                 std::optional<std::int64_t> message_id, const auth::Actor& actor,
                 std::int64_t now) {
  const auto user = tickets::ActorUserId(actor);
  c.Execute(
      "UPDATE mail_messages SET disposition = ?, reason = ?, ticket_id = ?, "
      "thread_message_id = ?, decided_by = ?, decided_at = ?, raw = NULL "
      "WHERE id = ? AND (disposition = 'held' OR disposition = 'quarantined')",
      {std::string(disposition), reason,
       ticket_id ? storage::Value(*ticket_id) : storage::Value(nullptr),
       message_id ? storage::Value(*message_id) : storage::Value(nullptr),
       user ? storage::Value(*user) : storage::Value(nullptr), now, id});
  // Loaded as waiting in this same transaction: anything else is a broken invariant.
  if (c.Changes() != 1) throw std::logic_error("waiting mail changed inside its transaction");
}

mime::EmailMessage Parse(const Waiting& w) {
  if (!w.raw) throw core::Conflict("The message's content is no longer stored.");
  mime::ParsedEmail parsed = mime::ParseEmail(*w.raw);
  if (parsed.error != mime::EmailError::kNone) {
    throw core::Conflict("The message cannot be read, so it cannot be imported.");
  }
  return std::move(parsed.message);
}

std::string UnverifiedNote(const Waiting& w) {
  return "Mail from " + w.mail.from_address +
         " (sender NOT verified; released from held mail):\n\n";
}

std::string Audited(const Waiting& w) {
  return "mail " + std::to_string(w.mail.id);
}

}  // namespace

std::vector<WaitingMail> ListWaitingMail(const auth::Actor& actor, storage::Database& db) {
  RequireAnyWaitingPermission(actor);
  storage::Lease c = db.Read();
  std::vector<WaitingMail> out;
  c->ForEach(
      "SELECT mm.id, mm.disposition, mm.from_address, mm.subject, mm.received_at, mm.reason, "
      "mm.dkim, mm.spf, mm.dmarc, mm.aligned_by, mm.reply_token, coalesce(mb.name, ''), "
      "mb.department_id FROM mail_messages AS mm "
      "LEFT JOIN mailboxes AS mb ON mb.id = mm.mailbox_id "
      "WHERE mm.disposition = 'held' OR mm.disposition = 'quarantined' "
      "ORDER BY mm.id DESC",
      std::vector<storage::Value>{}, [&](const storage::Row& row) {
        if (static_cast<std::int64_t>(out.size()) >= kListLimit) return;
        Waiting w = FromRow(row);
        if (MaySee(actor, w)) out.push_back(std::move(w.mail));
      });
  return out;
}

std::int64_t CountWaitingMail(const auth::Actor& actor, storage::Database& db) {
  if (!MayDecideAny(actor)) return 0;
  return static_cast<std::int64_t>(ListWaitingMail(actor, db).size());
}

WaitingMailDetail GetWaitingMail(const auth::Actor& actor, storage::Database& db, std::int64_t id) {
  RequireAnyWaitingPermission(actor);
  storage::Lease c = db.Read();
  const std::optional<Waiting> w = LoadWaiting(*c, id);
  if (!w || !MaySee(actor, *w)) throw core::NotFound("waiting mail out of reach");
  WaitingMailDetail detail{w->mail, ""};
  if (!w->raw) {
    detail.text = "(The message's content was not kept: it was larger than the size limit.)";
    return detail;
  }
  const mime::ParsedEmail parsed = mime::ParseEmail(*w->raw);
  detail.text = parsed.error == mime::EmailError::kNone
                    ? StoredBodyText(parsed.message)
                    : "(The message could not be read as mail.)";
  return detail;
}

std::int64_t ReleaseAsNewTicket(const auth::Actor& actor, storage::Database& db, std::int64_t id,
                                std::int64_t now, const tickets::AttachmentStore* files) {
  RequireAnyWaitingPermission(actor);
  tickets::RequirePermission(actor, auth::Permission::kTicketReply);
  tickets::RequirePermission(actor, auth::Permission::kTicketCreate);
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  const Waiting w = RequireWaiting(*c, actor, id, /*held_only=*/true);
  const mime::EmailMessage m = Parse(w);
  std::optional<std::int64_t> requester = tickets::FindUserIdByEmail(*c, w.mail.from_address);
  if (!requester) {
    std::string name = m.from.name.empty()
                           ? w.mail.from_address.substr(0, w.mail.from_address.find('@'))
                           : m.from.name;
    if (name.size() > 200) name.resize(200);
    requester = CreateMailUser(*c, w.mail.from_address, name, now);
  }
  tickets::NewTicket ticket;
  ticket.subject = w.mail.subject.empty() ? "(no subject)" : w.mail.subject;
  ticket.body = UnverifiedNote(w) + StoredBodyText(m);
  ticket.requester_id = requester;
  ticket.department_id = w.department_id;
  const tickets::CreatedTicket created = tickets::CreateTicketIn(*c, actor, ticket, now);
  const SanitizedHtml html = SanitizeHtml(m.html_body);
  if (html.rendered && !html.html.empty()) SetMessageHtml(*c, created.message_id, html.html);
  std::string files_note;
  tickets::StagedAttachments staged = StageMailFiles(files, m, files_note);
  staged.Record(*c, created.message_id, tickets::ActorUserId(actor), now);
  const std::optional<std::int64_t> ticket_id = TicketIdOfNumber(*c, created.number);
  if (ticket_id) {
    tickets::AppendEvent(*c, *ticket_id, tickets::ActorUserId(actor), now, "unverified_sender",
                         std::nullopt, w.mail.from_address);
  }
  MarkDecided(*c, id, "new_ticket",
              WithNote("Released as a new ticket by an agent; sender not verified.", files_note),
              ticket_id, created.message_id, actor, now);
  audit::Append(*c, now, tickets::ActorUserId(actor), "mail.held.new_ticket", Audited(w), "",
                tickets::FormatTicketNumber(created.number));
  tx.Commit();
  staged.Keep();  // committed: the files belong to their rows now
  return created.number;
}

std::int64_t AddToTicket(const auth::Actor& actor, storage::Database& db, std::int64_t id,
                         std::string_view number, std::int64_t now,
                         const tickets::AttachmentStore* files) {
  RequireAnyWaitingPermission(actor);
  tickets::RequirePermission(actor, auth::Permission::kTicketReply);
  tickets::RequirePermission(actor, auth::Permission::kTicketNote);
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  const Waiting w = RequireWaiting(*c, actor, id, /*held_only=*/true);
  // The agent's reach is checked now, not when the page was shown.
  tickets::TicketRow t =
      tickets::LoadTicketFor(*c, actor, auth::Permission::kTicketNote, number, "ticket");
  const mime::EmailMessage m = Parse(w);
  tickets::NewMessage note;
  note.ticket_id = t.id;
  note.author_id = tickets::AuthorIdOf(actor);
  note.author_kind = tickets::AuthorKindOf(actor);
  note.body = UnverifiedNote(w) + StoredBodyText(m);
  note.internal = true;
  note.created_at = now;
  const std::int64_t message_id = tickets::InsertMessage(*c, note);
  const SanitizedHtml html = SanitizeHtml(m.html_body);
  if (html.rendered && !html.html.empty()) SetMessageHtml(*c, message_id, html.html);
  std::string files_note;
  tickets::StagedAttachments staged = StageMailFiles(files, m, files_note);
  staged.Record(*c, message_id, tickets::ActorUserId(actor), now);
  t.updated_at = now;
  tickets::UpdateTicket(*c, t);
  tickets::AppendEvent(*c, t.id, tickets::ActorUserId(actor), now, "note", std::nullopt,
                       std::to_string(message_id));
  tickets::AppendEvent(*c, t.id, tickets::ActorUserId(actor), now, "unverified_sender",
                       std::nullopt, w.mail.from_address);
  MarkDecided(*c, id, "reply",
              WithNote("Added to a ticket by an agent as a note; sender not verified.", files_note),
              t.id, message_id, actor, now);
  audit::Append(*c, now, tickets::ActorUserId(actor), "mail.held.add_to_ticket", Audited(w), "",
                tickets::FormatTicketNumber(t.number));
  tx.Commit();
  staged.Keep();  // committed: the files belong to their rows now
  return t.number;
}

void DiscardWaitingMail(const auth::Actor& actor, storage::Database& db, std::int64_t id,
                        std::int64_t now) {
  RequireAnyWaitingPermission(actor);
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  const Waiting w = RequireWaiting(*c, actor, id, /*held_only=*/false);
  MarkDecided(*c, id, "discarded",
              w.mail.quarantined ? "Discarded from quarantine." : "Discarded from held mail.",
              std::nullopt, std::nullopt, actor, now);
  audit::Append(*c, now, tickets::ActorUserId(actor), "mail.held.discard", Audited(w), "",
                w.mail.from_address);
  tx.Commit();
}

}  // namespace rampart::mail
