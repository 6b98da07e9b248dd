#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "auth/secret_box.h"
#include "core/clock.h"
#include "mail/auth/dkim_signer.h"
#include "mail/outbound/outbox_store.h"
#include "mail/outbound/smtp_sender.h"
#include "storage/database.h"

namespace rampart::mail {

struct OutboundSettings {
  SmtpSettings smtp;
  std::string from_address;  // also the envelope sender; its domain names our Message-IDs
  std::string from_name;
  std::string reply_address;              // "" for no Reply-To
  std::vector<DkimSigningKey> dkim_keys;  // empty: unsigned (only when no key is configured)
  std::int64_t give_up_after_s = 2 * 86400;
};

// What one pass over the due rows did.
struct SendPass {
  int sent = 0;
  int retried = 0;
  int failed = 0;
};

// Sends the outbox. Each row: its Message-ID (and, for ticket mail, the reply token in it, the
// threading headers and the mail_sent_ids entry) is fixed and committed before the first
// attempt; it is composed, DKIM-signed with every key, submitted, and marked sent in a short
// transaction of its own before the next row is taken. A temporary refusal is retried with
// backoff (retry_policy.h) until give_up_after_s after the row was written; a permanent one
// ends at once; both failures show on the ticket.
//
// Delivery is at least once, not exactly once: a crash after the server's 250 and before the
// mark commits sends the row again on restart, with the same Message-ID, which receivers and
// our own inbound import deduplicate by. No row is ever sent with a different Message-ID, and
// nothing is sent unsigned when a key is configured (a signing failure is retried like a
// temporary refusal).
class OutboxSender {
 public:
  OutboxSender(storage::Database& db, const auth::ServerKey& key, OutboundSettings settings,
               const core::Clock& clock);
  ~OutboxSender();
  OutboxSender(const OutboxSender&) = delete;
  OutboxSender& operator=(const OutboxSender&) = delete;

  // Sends every row due now, one after the other.
  SendPass SendDue();

  // Runs SendDue in a background thread every `interval` (and when woken) until Stop.
  void Start(std::chrono::milliseconds interval);
  void Wake();
  // Lets the current message finish (SMTP has its own timeout) and joins the thread.
  void Stop();

  // Our Message-ID for a row: "rmp-<n>-<mac>.<random>@<domain>" for ticket mail, so that the
  // answer's In-Reply-To carries the recipient's reply token, else "<random>@<domain>".
  std::string NewMessageId(const OutboxRow& row) const;

 private:
  enum class Result { kSent, kRetried, kFailed, kSkipped };
  Result SendOne(OutboxRow row);
  void Fail(const OutboxRow& row, const std::string& error);
  // Schedules the next attempt, or fails the row once it is give_up_after_s old.
  Result Retry(const OutboxRow& row, const std::string& error);
  void Loop(std::chrono::milliseconds interval);

  storage::Database& db_;
  const auth::ServerKey& key_;
  OutboundSettings settings_;
  const core::Clock& clock_;
  std::unique_ptr<DkimSigner> signer_;
  std::string domain_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace rampart::mail
