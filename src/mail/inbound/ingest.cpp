#include "mail/inbound/ingest.h"

#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <regex>

#include "auth/actor.h"
#include "auth/users.h"
#include "core/errors.h"
#include "mail/auth/authentication_results.h"
#include "mail/auth/dmarc.h"
#include "mail/auth/reply_token.h"
#include "mail/inbound/bounce.h"
#include "mail/inbound/html_sanitizer.h"
#include "mail/inbound/ingest_store.h"
#include "mime/email_message.h"
#include "tickets/create_ticket.h"
#include "tickets/reply.h"
#include "tickets/ticket_store.h"

namespace rampart::mail {
namespace {

constexpr std::size_t kMaxBodyCharacters = 100'000;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Sha256(std::string_view data) {
  std::string digest(SHA256_DIGEST_LENGTH, '\0');
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         reinterpret_cast<unsigned char*>(digest.data()));
  return digest;
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

std::string DomainOf(const std::string& address) {
  const auto at = address.rfind('@');
  return at == std::string::npos ? std::string() : address.substr(at + 1);
}

// RFC 3834 and the de-facto headers of vacation responders and mailing lists: such mail is
// never answered and never becomes a ticket, or two robots would write to each other forever.
std::string AutomaticMailReason(const mime::EmailMessage& m) {
  const std::string auto_submitted = Lower(m.Header("Auto-Submitted"));
  if (!auto_submitted.empty() && auto_submitted.substr(0, 2) != "no") return "auto-submitted";
  const std::string precedence = Lower(m.Header("Precedence"));
  if (precedence == "bulk" || precedence == "junk" || precedence == "list") {
    return "precedence " + precedence;
  }
  if (!m.Header("X-Autoreply").empty() || !m.Header("X-Autorespond").empty()) return "auto-reply";
  if (!m.Header("List-Id").empty()) return "mailing list";
  return {};
}

bool IsBounce(const mime::EmailMessage& m) {
  const std::string from = Lower(m.from.address);
  const std::string type = Lower(m.Header("Content-Type"));
  return from.rfind("mailer-daemon@", 0) == 0 || from.rfind("postmaster@", 0) == 0 ||
         (type.find("multipart/report") != std::string::npos &&
          type.find("delivery-status") != std::string::npos);
}

std::optional<std::int64_t> SubjectTicketNumber(const std::string& subject) {
  static const std::regex tag(R"(\[RMP-([0-9]{1,12})\])", std::regex::icase);
  std::smatch match;
  if (!std::regex_search(subject, match, tag)) return std::nullopt;
  return std::stoll(match[1].str());
}

std::string DescribeDkim(const std::vector<DkimCheck>& checks) {
  if (checks.empty()) return "none";
  std::string out;
  for (const auto& check : checks) {
    if (!out.empty()) out += ", ";
    out += (check.passed ? "pass " : "fail ") + check.domain;
    if (!check.passed) out += " (" + check.reason + ")";
  }
  return out;
}

std::string DescribeSpf(const std::vector<AuthResult>& trusted) {
  for (const auto& r : trusted) {
    if (r.method == "spf") return r.result + " " + r.Property("smtp.mailfrom");
  }
  return "none";
}

// The body to store: the plain text, else the text of the HTML, bounded.
std::string BodyText(const mime::EmailMessage& m) {
  std::string text = m.text_body;
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) text = HtmlText(m.html_body);
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) text = "(This message has no text.)";
  text.erase(text.find_last_not_of(" \t\r\n") + 1);
  if (text.size() > kMaxBodyCharacters) {
    text.resize(kMaxBodyCharacters);
    while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80)
      text.pop_back();
    if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xC0) text.pop_back();
    text += "\n[The message was longer and has been cut here.]";
  }
  return text;
}

std::string SubjectLine(const std::string& subject) {
  std::string s = subject;
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  const auto first = s.find_first_not_of(' ');
  if (first == std::string::npos) return "(no subject)";
  s = s.substr(first);
  if (s.size() > 300) {
    s.resize(300);
    while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
    if (!s.empty() && static_cast<unsigned char>(s.back()) >= 0xC0) s.pop_back();
  }
  return s;
}

// Everything decided about one message before it touches a ticket.
struct Assessment {
  MailRecord record;
  DmarcVerdict dmarc;
  std::optional<std::int64_t> token_ticket_number;  // from a reply token valid for this sender
  std::optional<std::int64_t> candidate_ticket_id;
};

void Authenticate(InboundServices& s, const std::string& raw, const mime::EmailMessage& m,
                  Assessment& a) {
  const auto checks = s.dkim.Verify(raw, s.dns);
  std::vector<std::string> passing;
  for (const auto& check : checks) {
    if (check.passed) passing.push_back(check.domain);
  }
  const auto trusted =
      TrustedResults(m.Headers("Authentication-Results"), s.settings.trusted_authserv_ids);
  a.dmarc = EvaluateDmarc(EvidenceFrom(DomainOf(a.record.from_address), trusted, passing), s.dns,
                          s.suffixes);
  a.record.dkim = DescribeDkim(checks);
  a.record.spf = DescribeSpf(trusted);
  a.record.dmarc = a.dmarc.ResultName();
  a.record.aligned_by = a.dmarc.aligned_by;
}

void FindReplyTokenAndCandidate(InboundServices& s, storage::Connection& c,
                                const mime::EmailMessage& m, Assessment& a) {
  std::string token;
  for (const char* header : {"In-Reply-To", "References", "To", "Cc"}) {
    token = FindReplyToken(m.Header(header));
    if (!token.empty()) break;
  }
  if (!token.empty()) {
    a.token_ticket_number = ReplyTokens(s.key).Verify(token, a.record.from_address);
    a.record.reply_token = a.token_ticket_number ? "valid" : "invalid";
  }
  if (a.token_ticket_number) {
    a.candidate_ticket_id = TicketIdOfNumber(c, *a.token_ticket_number);
    return;
  }
  std::vector<std::string> ids = m.in_reply_to;
  ids.insert(ids.end(), m.references.rbegin(), m.references.rend());
  for (const auto& id : ids) {
    if (auto ticket = TicketOfMessageId(c, id)) {
      a.candidate_ticket_id = ticket;
      return;
    }
  }
  if (auto number = SubjectTicketNumber(m.subject))
    a.candidate_ticket_id = TicketIdOfNumber(c, *number);
}

IngestResult Finish(storage::Connection& c, MailRecord& record, Disposition disposition,
                    std::string reason, std::optional<std::int64_t> ticket_number = std::nullopt) {
  record.disposition = std::string(DispositionName(disposition));
  record.reason = reason;
  // The raw message stays only where someone still has to look at it.
  if (disposition != Disposition::kHeld && disposition != Disposition::kQuarantined) {
    record.raw.reset();
  }
  const std::int64_t id = InsertMailRecord(c, record);
  return {disposition, std::move(reason), ticket_number, id};
}

std::int64_t NumberOfTicket(storage::Connection& c, std::int64_t ticket_id) {
  const auto ticket = tickets::FindTicketById(c, ticket_id);
  return ticket ? ticket->number : 0;
}

// The part of the import that writes tickets; runs inside the caller's transaction.
IngestResult Decide(InboundServices& s, storage::Connection& c, const Mailbox& mailbox,
                    const mime::EmailMessage& m, Assessment& a, std::int64_t now) {
  MailRecord& record = a.record;
  const std::optional<std::int64_t> user_id = tickets::FindUserIdByEmail(c, record.from_address);
  std::optional<auth::Person> person;
  if (user_id) person = auth::LoadPerson(c, *user_id);
  if (person && person->disabled) {
    return Finish(c, record, Disposition::kHeld, "The sender's account is disabled.");
  }
  const bool proven = a.dmarc.aligned_pass || a.token_ticket_number.has_value();

  if (person && auth::IsStaff(person->actor.role)) {
    // Staff act on tickets by mail only with both proofs: the domain vouches for the sender and
    // the token proves the message answers one we sent them about this ticket.
    if (!a.dmarc.aligned_pass || !a.token_ticket_number || !a.candidate_ticket_id) {
      return Finish(c, record, Disposition::kHeld,
                    "From a staff address, but without both an aligned DMARC pass and a valid "
                    "reply token: not accepted as that agent's reply.");
    }
    auth::Actor actor = person->actor;
    actor.channel = auth::Actor::Channel::kMail;
    tickets::ReplyRequest reply;
    reply.ticket = "RMP-" + std::to_string(*a.token_ticket_number);
    reply.body = BodyText(m);
    const auto posted = tickets::ReplyIn(c, actor, reply, now);  // permissions re-checked here
    record.ticket_id = a.candidate_ticket_id;
    record.thread_message_id = posted.message_id;
    return Finish(c, record, Disposition::kReply, "Agent reply by mail.", *a.token_ticket_number);
  }

  if (person && !proven) {
    return Finish(c, record, Disposition::kHeld,
                  "Claims to be " + record.from_address +
                      ", a known customer, but has neither an aligned DMARC pass nor a valid "
                      "reply token: it may be forged.");
  }

  // A proven customer answering a ticket they belong to joins its thread.
  if (person && a.candidate_ticket_id &&
      IsRequesterOrCc(c, *a.candidate_ticket_id, *user_id, record.from_address)) {
    const auto ticket = tickets::FindTicketById(c, *a.candidate_ticket_id);
    if (ticket && !ticket->merged_into_id && ticket->status != tickets::Status::kClosed) {
      auth::Actor actor = person->actor;
      actor.channel = auth::Actor::Channel::kMail;
      tickets::ReplyRequest reply;
      reply.ticket = "RMP-" + std::to_string(ticket->number);
      reply.body = BodyText(m);
      const auto posted = tickets::ReplyIn(c, actor, reply, now);
      record.ticket_id = ticket->id;
      record.thread_message_id = posted.message_id;
      return Finish(c, record, Disposition::kReply, "Customer reply by mail.", ticket->number);
    }
  }

  // Everything else starts a ticket of its own, within the per-sender rate.
  if (NewTicketsFromSenderSince(c, record.from_address, now - 3600) >=
      s.settings.max_new_tickets_per_sender_per_hour) {
    return Finish(c, record, Disposition::kHeld,
                  "Too many new tickets from this sender in the last hour.");
  }
  if (!user_id) {  // someone writing for the first time becomes a customer without a password
    std::string name = m.from.name.empty()
                           ? record.from_address.substr(0, record.from_address.find('@'))
                           : m.from.name;
    if (name.size() > 200) name.resize(200);
    person = auth::LoadPerson(c, CreateMailUser(c, record.from_address, name, now));
  }
  if (!person)
    return Finish(c, record, Disposition::kQuarantined, "The sender could not be loaded.");
  auth::Actor actor = person->actor;
  actor.channel = auth::Actor::Channel::kMail;
  tickets::NewTicket ticket;
  ticket.subject = SubjectLine(m.subject);
  ticket.body = BodyText(m);
  ticket.department_id = mailbox.department_id;
  const auto created = tickets::CreateTicketIn(c, actor, ticket, now);
  record.ticket_id = TicketIdOfNumber(c, created.number);
  record.thread_message_id = created.message_id;
  std::string reason = "New ticket from mail.";
  if (a.candidate_ticket_id) {
    reason = "Mentions ticket RMP-" + std::to_string(NumberOfTicket(c, *a.candidate_ticket_id)) +
             ", but the sender is not on it: opened as a new ticket.";
  }
  return Finish(c, record, Disposition::kNewTicket, reason, created.number);
}

tickets::StagedAttachments StageFiles(InboundServices& s, const mime::EmailMessage& m,
                                      std::string& note) {
  return StageMailFiles(s.files, m, note);
}

}  // namespace

std::string_view DispositionName(Disposition disposition) {
  switch (disposition) {
    case Disposition::kNewTicket: return "new_ticket";
    case Disposition::kReply: return "reply";
    case Disposition::kHeld: return "held";
    case Disposition::kQuarantined: return "quarantined";
    case Disposition::kIgnored: return "ignored";
    case Disposition::kBounce: return "bounce";
    case Disposition::kDuplicate: return "duplicate";
  }
  return "quarantined";
}

tickets::StagedAttachments StageMailFiles(const tickets::AttachmentStore* files,
                                          const mime::EmailMessage& m, std::string& note) {
  if (m.attachments.empty()) return {};
  if (files == nullptr) {
    note = "Its attachments were not stored.";
    return {};
  }
  std::vector<tickets::Upload> uploads;
  for (const auto& part : m.attachments) {
    uploads.push_back(
        {part.filename.empty() ? "attachment" : part.filename, part.bytes, part.content_id});
  }
  try {
    return files->Stage(uploads);
  } catch (const core::RequestError& refused) {
    note = "Its attachments were not stored: " + refused.UserText();
    return {};
  }
}

std::string StoredBodyText(const mime::EmailMessage& message) {
  return BodyText(message);
}

std::optional<Mailbox> FindMailbox(storage::Database& db, std::string_view name) {
  storage::Lease c = db.Read();
  const auto row = c->QueryOne(
      "SELECT id, name, address, department_id FROM mailboxes WHERE name = ? AND enabled = 1",
      {std::string(name)});
  if (!row) return std::nullopt;
  return Mailbox{row->Int(0), row->Text(1), row->Text(2), row->OptionalInt(3)};
}

namespace {

// What can be decided about a message without the database: parsed, and (when it may touch a
// ticket) its sender authenticated and its files staged. Done before the write lock is taken,
// so that DNS lookups and file writes never hold it.
struct Prepared {
  enum class Early { kNone, kTooLarge, kUnreadable, kNoFrom, kBounce, kAutomatic };
  Assessment a;
  mime::ParsedEmail parsed;
  Early early = Early::kNone;
  std::string automatic;  // why it is automatic mail
  std::optional<tickets::StagedAttachments> staged;
  std::string files_note;
};

Prepared Prepare(InboundServices& s, std::string_view raw_view, std::int64_t now) {
  Prepared p;
  const std::string raw(raw_view);
  MailRecord& record = p.a.record;
  record.content_hash = Sha256(raw);
  record.received_at = now;
  record.raw = raw;

  mime::EmailLimits limits;
  limits.max_message_bytes = s.settings.max_message_bytes;
  p.parsed = mime::ParseEmail(raw, limits);
  const mime::EmailMessage& m = p.parsed.message;
  record.message_id =
      m.message_id.empty() ? "no-message-id." + Hex(record.content_hash) : m.message_id;
  record.from_address = Lower(m.from.address);
  record.subject = SubjectLine(m.subject);

  if (p.parsed.error == mime::EmailError::kTooLarge) {
    p.early = Prepared::Early::kTooLarge;
  } else if (p.parsed.error != mime::EmailError::kNone) {
    p.early = Prepared::Early::kUnreadable;
  } else if (!auth::EmailProblem(record.from_address).empty()) {
    p.early = Prepared::Early::kNoFrom;
  } else if (IsBounce(m)) {
    p.early = Prepared::Early::kBounce;
  } else if (p.automatic = AutomaticMailReason(m); !p.automatic.empty()) {
    p.early = Prepared::Early::kAutomatic;
  }
  if (p.early != Prepared::Early::kNone) return p;
  {
    // A message seen before costs no signature check; the write transaction checks again.
    storage::Lease r = s.db.Read();
    if (MailAlreadyImported(*r, record.message_id, record.content_hash)) return p;
  }
  Authenticate(s, raw, m, p.a);
  // Files are sealed and written before the transaction (as the web does); if the message is
  // not imported as a ticket or reply, the staged files are removed again.
  p.staged.emplace(StageFiles(s, m, p.files_note));
  return p;
}

// One message's writes: its own transaction, or a savepoint inside a batch's transaction.
class WriteUnit {
 public:
  WriteUnit(storage::Connection& c, bool in_batch) : c_(c), in_batch_(in_batch) {
    if (in_batch_) {
      c_.Execute("SAVEPOINT mail_message");
    } else {
      c_.Begin();
    }
  }
  ~WriteUnit() {
    if (done_) return;
    try {
      if (in_batch_) {
        c_.Execute("ROLLBACK TO mail_message");
        c_.Execute("RELEASE mail_message");
      } else {
        c_.Rollback();
      }
    } catch (...) {  // NOLINT(bugprone-empty-catch): a destructor must not throw; the error is
                     // already propagating and the batch's transaction rolls back with it.
    }
  }
  WriteUnit(const WriteUnit&) = delete;
  WriteUnit& operator=(const WriteUnit&) = delete;
  void Commit() {
    if (in_batch_) {
      c_.Execute("RELEASE mail_message");
    } else {
      c_.Commit();
    }
    done_ = true;
  }

 private:
  storage::Connection& c_;
  bool in_batch_;
  bool done_ = false;
};

// Writes what was decided about one prepared message. Staged files are kept once their rows
// are committed: here for a message of its own, by the batch (through `kept`) for a batch.
IngestResult Import(InboundServices& s, storage::Connection& c, const Mailbox& mailbox, Prepared& p,
                    std::int64_t now, std::vector<tickets::StagedAttachments>* batch_files) {
  const bool in_batch = batch_files != nullptr;
  Assessment& a = p.a;
  MailRecord& record = a.record;
  record.mailbox_id = mailbox.id ? std::optional(mailbox.id) : std::nullopt;
  if (MailAlreadyImported(c, record.message_id, record.content_hash)) {
    // Prepared before its first copy was committed (an earlier batch): its files go again now.
    p.staged.reset();
    return {Disposition::kDuplicate, "Already imported.", std::nullopt, 0};
  }
  const auto finish_alone = [&](Disposition disposition, std::string reason) {
    WriteUnit unit(c, in_batch);
    auto result = Finish(c, record, disposition, std::move(reason));
    unit.Commit();
    return result;
  };
  switch (p.early) {
    case Prepared::Early::kTooLarge:
      record.raw.reset();  // not kept: the limit exists to bound what is stored
      return finish_alone(Disposition::kQuarantined, "Larger than the message size limit.");
    case Prepared::Early::kUnreadable:
      return finish_alone(Disposition::kQuarantined, "Not a readable message.");
    case Prepared::Early::kNoFrom:
      return finish_alone(Disposition::kQuarantined, "No usable From address.");
    case Prepared::Early::kBounce: {
      // Never a ticket and never answered; when it reports on mail we sent about a ticket, the
      // failure shows on that ticket's page for its agents.
      const BounceReport report = ReadBounce(p.parsed.message);
      WriteUnit unit(c, in_batch);
      std::string reason = "Delivery failure report.";
      std::optional<std::int64_t> number;
      if (const auto bounced = FindBouncedMail(c, report)) {
        record.ticket_id = bounced->ticket_id;
        // Named by our own record of whom the mail went to, not by the report (which anyone can
        // write): the line never blames an address we did not send that message to.
        const std::string& recipient = bounced->recipient;
        const std::string diagnostic =
            report.diagnostic.empty() ? std::string("no reason given") : report.diagnostic;
        tickets::AppendEvent(c, bounced->ticket_id, std::nullopt, now, "mail_bounced", recipient,
                             diagnostic);
        number = NumberOfTicket(c, bounced->ticket_id);
        reason = "Delivery to " + recipient + " failed: " + diagnostic;
      }
      auto result = Finish(c, record, Disposition::kBounce, reason, number);
      unit.Commit();
      return result;
    }
    case Prepared::Early::kAutomatic:
      return finish_alone(Disposition::kIgnored, "Automatic mail (" + p.automatic + ").");
    case Prepared::Early::kNone: break;
  }
  const mime::EmailMessage& m = p.parsed.message;
  if (!p.staged) {
    // Seen as a duplicate while preparing, gone since (cannot happen with one importer): the
    // checks that were skipped then are made now.
    Authenticate(s, *record.raw, m, a);
    p.staged.emplace(StageFiles(s, m, p.files_note));
  }
  FindReplyTokenAndCandidate(s, c, m, a);
  try {
    WriteUnit unit(c, in_batch);
    IngestResult result = Decide(s, c, mailbox, m, a, now);
    bool files_recorded = false;
    if (result.disposition == Disposition::kNewTicket ||
        result.disposition == Disposition::kReply) {
      const SanitizedHtml html = SanitizeHtml(m.html_body);
      if (html.rendered && !html.html.empty() && record.thread_message_id) {
        SetMessageHtml(c, *record.thread_message_id, html.html);
      }
      if (record.thread_message_id && !p.staged->Empty()) {
        p.staged->Record(c, *record.thread_message_id, std::nullopt, now);
        files_recorded = true;
      }
      if (!p.files_note.empty()) result.reason += " " + p.files_note;
    }
    unit.Commit();
    if (!files_recorded) {
      // Held mail keeps its raw bytes, not its files: no row points at them, so they go now
      // (a held message's attachments used to stay on disk with no row, unreachable).
      p.staged.reset();
    } else if (in_batch) {
      batch_files->push_back(std::move(*p.staged));
    } else {
      p.staged->Keep();
    }
    return result;
  } catch (const core::RequestError& refused) {
    // The action refused (no permission any more, a closed ticket, invalid input): nothing of
    // it was written; the message waits for an agent with the reason.
    record.ticket_id.reset();
    record.thread_message_id.reset();
    return finish_alone(Disposition::kHeld, refused.UserText());
  }
}

}  // namespace

IngestResult IngestMessage(InboundServices& s, const Mailbox& mailbox, std::string_view raw,
                           std::int64_t now) {
  Prepared p = Prepare(s, raw, now);
  storage::Lease c = s.db.Write();
  return Import(s, *c, mailbox, p, now, nullptr);
}

struct PreparedBatch::Messages {
  std::vector<Prepared> prepared;
};

PreparedBatch::PreparedBatch() = default;
PreparedBatch::~PreparedBatch() = default;
PreparedBatch::PreparedBatch(PreparedBatch&&) noexcept = default;
PreparedBatch& PreparedBatch::operator=(PreparedBatch&&) noexcept = default;

std::size_t PreparedBatch::Size() const {
  return messages_ ? messages_->prepared.size() : 0;
}

PreparedBatch PrepareMessages(InboundServices& s, std::span<const std::string> raws,
                              std::int64_t now) {
  PreparedBatch batch;
  batch.messages_ = std::make_unique<PreparedBatch::Messages>();
  batch.messages_->prepared.reserve(raws.size());
  for (const std::string& raw : raws) batch.messages_->prepared.push_back(Prepare(s, raw, now));
  return batch;
}

std::vector<IngestResult> ImportPrepared(InboundServices& s, const Mailbox& mailbox,
                                         PreparedBatch& batch, std::int64_t now) {
  std::vector<IngestResult> results;
  if (!batch.messages_) return results;
  std::vector<Prepared>& prepared = batch.messages_->prepared;
  results.reserve(prepared.size());
  std::vector<tickets::StagedAttachments> files;
  storage::Lease c = s.db.Write();
  storage::Transaction tx(*c);
  for (Prepared& p : prepared) results.push_back(Import(s, *c, mailbox, p, now, &files));
  tx.Commit();
  for (auto& f : files) f.Keep();
  return results;
}

std::vector<IngestResult> IngestMessages(InboundServices& s, const Mailbox& mailbox,
                                         std::span<const std::string> raws, std::int64_t now) {
  PreparedBatch batch = PrepareMessages(s, raws, now);
  return ImportPrepared(s, mailbox, batch, now);
}

}  // namespace rampart::mail
