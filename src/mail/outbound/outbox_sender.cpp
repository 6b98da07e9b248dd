#include "mail/outbound/outbox_sender.h"

#include <sstream>

#include "core/random.h"
#include "mail/auth/reply_token.h"
#include "mail/outbound/retry_policy.h"
#include "mime/compose.h"
#include "observability/log.h"

namespace rampart::mail {
namespace {

std::string DomainOf(const std::string& address) {
  const auto at = address.rfind('@');
  return at == std::string::npos ? std::string() : address.substr(at + 1);
}

// An id from someone else's mail goes into our headers only when it is a plain msg-id; the
// import's stand-in for mail without one is not a real id.
bool UsableForeignId(const std::string& id) {
  if (id.empty() || id.size() > 250 || id.rfind("no-message-id.", 0) == 0) return false;
  if (id.find('@') == std::string::npos) return false;
  for (const char ch : id) {
    const auto u = static_cast<unsigned char>(ch);
    if (u <= 0x20 || u >= 0x7f || ch == '<' || ch == '>' || ch == '"' || ch == '\\') return false;
  }
  return true;
}

std::vector<std::string> SplitIds(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string id; in >> id;) out.push_back(id);
  return out;
}

std::string Describe(const SmtpOutcome& outcome) {
  std::string text = outcome.smtp_code != 0 ? std::to_string(outcome.smtp_code) + " " : "";
  return text + outcome.detail;
}

}  // namespace

OutboxSender::OutboxSender(storage::Database& db, const auth::ServerKey& key,
                           OutboundSettings settings, const core::Clock& clock)
    : db_(db),
      key_(key),
      settings_(std::move(settings)),
      clock_(clock),
      domain_(DomainOf(settings_.from_address)) {
  if (!settings_.dkim_keys.empty()) signer_ = std::make_unique<DkimSigner>(settings_.dkim_keys);
}

OutboxSender::~OutboxSender() {
  Stop();
}

std::string OutboxSender::NewMessageId(const OutboxRow& row) const {
  const std::string random = core::RandomHex(16);
  if (row.ticket_number) {
    return ReplyTokens(key_).Make(*row.ticket_number, row.recipient) + "." + random + "@" + domain_;
  }
  return random + "@" + domain_;
}

SendPass OutboxSender::SendDue() {
  SendPass pass;
  // Rows retried in this pass are due later, so the loop ends; the bound is a guard.
  for (int i = 0; i < 10'000; ++i) {
    std::optional<OutboxRow> row;
    {
      storage::Lease r = db_.Read();
      row = NextDueOutboxRow(*r, clock_.NowUnixSeconds());
    }
    if (!row) break;
    switch (SendOne(std::move(*row))) {
      case Result::kSent: ++pass.sent; break;
      case Result::kRetried: ++pass.retried; break;
      case Result::kFailed: ++pass.failed; break;
      case Result::kSkipped: break;
    }
    std::lock_guard lock(mutex_);
    if (stop_) break;
  }
  return pass;
}

OutboxSender::Result OutboxSender::SendOne(OutboxRow row) {
  if (!row.message_id) {
    // Fixed and committed before any attempt: a crash later resends this same id, never a new one.
    const std::string id = NewMessageId(row);
    std::string parent;
    if (row.ticket_id) {
      storage::Lease r = db_.Read();
      parent = LastInboundMessageId(*r, *row.ticket_id);
      if (!UsableForeignId(parent)) parent.clear();
    }
    storage::Lease w = db_.Write();
    storage::Transaction tx(*w);
    const bool set =
        FixOutboxMessageId(*w, row.id, row.ticket_id, row.recipient, id, parent, parent);
    tx.Commit();
    if (!set) return Result::kSkipped;  // someone else fixed it: take the row as stored next time
    row.message_id = id;
    row.in_reply_to = parent;
    row.references_ids = parent;
  }

  mime::OutgoingEmail email;
  email.from = {settings_.from_name, settings_.from_address};
  email.to = {{"", row.recipient}};
  if (!settings_.reply_address.empty()) {
    std::string reply = settings_.reply_address;
    if (row.ticket_number) {
      const auto at = reply.rfind('@');
      reply.insert(at, "+" + ReplyTokens(key_).Make(*row.ticket_number, row.recipient));
    }
    email.reply_to = {{settings_.from_name, reply}};
  }
  email.subject = row.subject;
  email.message_id = *row.message_id;
  if (!row.in_reply_to.empty()) email.in_reply_to = {row.in_reply_to};
  email.references = SplitIds(row.references_ids);
  email.date = clock_.NowUnixSeconds();
  email.text_body = row.body;
  email.html_body = row.html_body;
  // Notifications are automatic; a reply an agent wrote is not (RFC 3834).
  email.auto_submitted = row.kind != "reply";
  const mime::ComposedEmail composed = mime::ComposeEmail(email);
  if (!composed.errors.empty()) {
    Fail(row,
         "cannot compose: " + composed.errors.front().field + " " + composed.errors.front().reason);
    return Result::kFailed;
  }

  std::string message;
  if (signer_) {
    try {
      message = signer_->Sign(composed.bytes);
    } catch (const DkimError& e) {
      // Never unsigned once a key is configured: the key may be fixed before we give up.
      return Retry(row, std::string("DKIM signing failed: ") + e.what());
    }
  }
  message += composed.bytes;

  const SmtpOutcome outcome =
      SendMail(settings_.smtp, settings_.from_address, {row.recipient}, message);
  switch (outcome.kind) {
    case SmtpOutcome::Kind::kSent: {
      storage::Lease w = db_.Write();
      storage::Transaction tx(*w);
      MarkOutboxSent(*w, row.id, clock_.NowUnixSeconds());
      tx.Commit();
      log::Info("mail_sent", log::Fields()
                                 .Add("outbox_id", row.id)
                                 .Add("kind", row.kind)
                                 .Add("message_id", *row.message_id));
      return Result::kSent;
    }
    case SmtpOutcome::Kind::kTemporary: return Retry(row, Describe(outcome));
    case SmtpOutcome::Kind::kPermanent: Fail(row, Describe(outcome)); return Result::kFailed;
  }
  return Result::kSkipped;
}

OutboxSender::Result OutboxSender::Retry(const OutboxRow& row, const std::string& error) {
  const std::int64_t now = clock_.NowUnixSeconds();
  if (now - row.created_at >= settings_.give_up_after_s) {
    Fail(row, "gave up after " + std::to_string(row.attempts + 1) + " attempts: " + error);
    return Result::kFailed;
  }
  const std::int64_t attempts = row.attempts + 1;
  const std::int64_t next = now + RetryDelaySeconds(attempts, core::RandomUint64());
  {
    storage::Lease w = db_.Write();
    storage::Transaction tx(*w);
    MarkOutboxRetry(*w, row.id, attempts, next, error);
    tx.Commit();
  }
  log::Warn("mail_deferred", log::Fields()
                                 .Add("outbox_id", row.id)
                                 .Add("attempts", attempts)
                                 .Add("next_attempt_at", next)
                                 .Add("error", error));
  return Result::kRetried;
}

void OutboxSender::Fail(const OutboxRow& row, const std::string& error) {
  {
    storage::Lease w = db_.Write();
    storage::Transaction tx(*w);
    MarkOutboxFailed(*w, row, clock_.NowUnixSeconds(), error);
    tx.Commit();
  }
  log::Error("mail_failed", log::Fields().Add("outbox_id", row.id).Add("error", error));
}

void OutboxSender::Start(std::chrono::milliseconds interval) {
  thread_ = std::thread([this, interval] { Loop(interval); });
}

void OutboxSender::Wake() {
  std::lock_guard lock(mutex_);
  woken_ = true;
  wake_.notify_one();
}

void OutboxSender::Stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

void OutboxSender::Loop(std::chrono::milliseconds interval) {
  for (;;) {
    try {
      SendDue();
    } catch (const std::exception& e) {
      // A busy database or a full disk: the rows stay unsent and the next pass tries again.
      log::Error("mail_sender_error", log::Fields().Add("error", e.what()));
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, interval, [this] { return stop_ || woken_; });
    if (stop_) return;
    woken_ = false;
  }
}

}  // namespace rampart::mail
