#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "auth/secret_box.h"
#include "mail/auth/dkim_verifier.h"
#include "mail/auth/dns_resolver.h"
#include "mail/auth/public_suffix.h"
#include "mime/email_message.h"
#include "storage/database.h"
#include "tickets/attachments.h"

namespace rampart::mail {

struct InboundSettings {
  // Authentication-Results from these receivers are believed (RFC 8601 §5); all others ignored.
  std::vector<std::string> trusted_authserv_ids;
  std::size_t max_message_bytes = 25 * 1024 * 1024;
  int max_new_tickets_per_sender_per_hour = 20;
};

struct Mailbox {
  std::int64_t id = 0;
  std::string name;
  std::string address;  // where customers write to
  std::optional<std::int64_t> department_id;
};

// What inbound mail needs for its whole life, built once at start-up.
struct InboundServices {
  storage::Database& db;
  const auth::ServerKey& key;
  DnsResolver& dns;
  const PublicSuffixList& suffixes;
  const DkimVerifier& dkim;
  InboundSettings settings;
  // Where a message's files go; without a store they are left out (and the record says so).
  const tickets::AttachmentStore* files = nullptr;
};

enum class Disposition {
  kNewTicket,
  kReply,
  kHeld,         // claims an identity it cannot prove, or too many new tickets: an agent decides
  kQuarantined,  // cannot be parsed or has no usable sender: an admin looks
  kIgnored,      // an auto-reply or list mail: never answered, never a ticket
  kBounce,       // a delivery failure report about mail we sent
  kDuplicate,    // already imported (same Message-ID and content): nothing written
};
std::string_view DispositionName(Disposition disposition);

struct IngestResult {
  Disposition disposition = Disposition::kQuarantined;
  std::string reason;                  // why, in words an agent can act on
  std::optional<std::int64_t> ticket;  // the ticket number it created or joined
  std::int64_t record_id = 0;          // the mail_messages row
};

// Imports one message: the one code path for IMAP, `rampart mail ingest` and tests.
// In order: duplicate check, parse, loop control, sender authentication (DKIM verified here,
// SPF from trusted receivers, DMARC alignment), reply token, threading, sender rules, then the
// ticket or reply and the record of what was decided, in ONE transaction, so a message is
// imported exactly once even when the fetch is repeated after a crash.
IngestResult IngestMessage(InboundServices& services, const Mailbox& mailbox, std::string_view raw,
                           std::int64_t now);

// The same import for several messages with ONE commit (one disk sync instead of one per
// message), for `rampart mail ingest --mbox`. Each message is decided exactly as by
// IngestMessage, in order, under a savepoint of its own inside the batch's transaction, so a
// later message sees the earlier ones (duplicates, threads, the per-sender rate). Signatures are
// checked and files staged before the write lock is taken. Exactly once still holds: the
// batch's records commit together or not at all, and a repeated import finds the committed
// ones duplicates. Throws when the batch could not be committed (nothing of it was written).
std::vector<IngestResult> IngestMessages(InboundServices& services, const Mailbox& mailbox,
                                         std::span<const std::string> raws, std::int64_t now);

// IngestMessages in its two halves, so that an import can prepare the next batch on a second
// thread while the writer commits the previous one. PrepareMessages takes no write lock: it
// parses, verifies DKIM, evaluates DMARC and stages files (it may run on any thread, while
// another batch is written). ImportPrepared then writes the batch as IngestMessages does, in
// order; a message that became a duplicate after it was prepared is found so in the
// transaction. Batches must be imported in the order they were read.
class PreparedBatch {
 public:
  PreparedBatch();
  ~PreparedBatch();
  PreparedBatch(PreparedBatch&&) noexcept;
  PreparedBatch& operator=(PreparedBatch&&) noexcept;
  std::size_t Size() const;

 private:
  friend PreparedBatch PrepareMessages(InboundServices&, std::span<const std::string>,
                                       std::int64_t);
  friend std::vector<IngestResult> ImportPrepared(InboundServices&, const Mailbox&, PreparedBatch&,
                                                  std::int64_t);
  struct Messages;
  std::unique_ptr<Messages> messages_;
};
PreparedBatch PrepareMessages(InboundServices& services, std::span<const std::string> raws,
                              std::int64_t now);
// Throws when the batch could not be committed (nothing of it was written).
std::vector<IngestResult> ImportPrepared(InboundServices& services, const Mailbox& mailbox,
                                         PreparedBatch& batch, std::int64_t now);

// The text a message is stored with: its plain part, else the text of its HTML, bounded. Also
// used when an agent releases held mail, so that it reads as if it had been imported at once.
// The message's files (attachments and inline parts), staged in `files`; none when they are
// beyond the limits or there is no store, and then `note` says why.
tickets::StagedAttachments StageMailFiles(const tickets::AttachmentStore* files,
                                          const mime::EmailMessage& m, std::string& note);

std::string StoredBodyText(const mime::EmailMessage& message);

std::optional<Mailbox> FindMailbox(storage::Database& db, std::string_view name);

}  // namespace rampart::mail
