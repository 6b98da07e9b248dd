#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/authorize.h"
#include "auth/secret_box.h"
#include "storage/database.h"

// Files attached to ticket messages. The client's name for a file is a label only (normalized
// first, never a path); its type comes from its bytes (libmagic); it is kept sealed under
// <data_dir>/attachments/ with a random name, outside anything the server serves, and read back
// only through OpenAttachment, which asks auth::Authorize about the ticket it belongs to.
namespace rampart::tickets {

struct AttachmentLimits {
  std::int64_t max_file_bytes = 10 * 1024 * 1024;
  std::int64_t max_files = 10;                      // per message
  std::int64_t max_total_bytes = 25 * 1024 * 1024;  // per message
};

// A file as the client sent it.
struct Upload {
  std::string filename;
  std::string bytes;
  // A mail part's Content-ID without angle brackets, so that the message's HTML can show it
  // through a cid: reference; "" for files uploaded in the browser or API.
  std::string content_id;
};

// What anyone who may see the message may know about one of its files.
struct AttachmentInfo {
  std::string id;  // random, 32 hex digits: the only id that leaves the server
  std::int64_t message_id = 0;
  std::string filename;  // normalized
  std::string type;      // sniffed from the content
  std::int64_t size = 0;
  std::string sha256;  // hex, of the plaintext
  std::int64_t created_at = 0;
  std::string content_id;  // see Upload; not shown, not in the API
};

// The type libmagic reads from the bytes ("image/png", "text/html"); application/octet-stream
// when it cannot tell. Safe to call from any thread (one magic handle per thread).
std::string SniffType(std::string_view bytes);

class AttachmentStore;

// Files written and fsynced for a message that is not committed yet. Until Keep() they belong
// to no row, so the destructor removes them: a failed or refused write leaves nothing behind.
class StagedAttachments {
 public:
  StagedAttachments() = default;
  StagedAttachments(StagedAttachments&&) noexcept;
  StagedAttachments& operator=(StagedAttachments&&) = delete;
  StagedAttachments(const StagedAttachments&) = delete;
  StagedAttachments& operator=(const StagedAttachments&) = delete;
  ~StagedAttachments();

  bool Empty() const { return files_.empty(); }
  // Inserts one row per file for `message_id` (its ticket is the message's) and one history
  // entry "attachment" each (staff-only history), inside the caller's write transaction.
  // Returns what was recorded.
  std::vector<AttachmentInfo> Record(storage::Connection& c, std::int64_t message_id,
                                     std::optional<std::int64_t> actor_id, std::int64_t now);
  // The transaction committed: the files now belong to their rows.
  void Keep() { kept_ = true; }

 private:
  friend class AttachmentStore;
  struct File {
    AttachmentInfo info;
    std::string stored_name;
  };
  const AttachmentStore* store_ = nullptr;
  std::vector<File> files_;
  bool kept_ = false;
};

class AttachmentStore {
 public:
  // `directory` is created (mode 0700) when missing.
  AttachmentStore(std::filesystem::path directory, std::shared_ptr<const auth::SecretBox> box,
                  AttachmentLimits limits);

  const AttachmentLimits& Limits() const { return limits_; }
  // Checks the limits (413 "attachment_too_large" / "too_many_attachments"), normalizes each
  // name, sniffs each type, seals each file under its id and writes it durably. Nothing is
  // left on disk when this throws.
  StagedAttachments Stage(const std::vector<Upload>& uploads) const;
  // The plaintext of a stored file, or nullopt when it is missing or does not open under this
  // id (altered, or another attachment's file put in its place).
  std::optional<std::string> Read(std::string_view stored_name, std::string_view id) const;
  void Remove(std::string_view stored_name) const;
  // Removes files that no row names: left behind when the process died between writing a file
  // and committing its message (a failure it survives cleans up at once). Spares files younger
  // than `min_age_seconds`, which may belong to an upload in flight. Returns how many went.
  std::size_t RemoveOrphans(storage::Database& db, std::int64_t min_age_seconds) const;
  const std::filesystem::path& Directory() const { return directory_; }

 private:
  std::filesystem::path directory_;
  std::shared_ptr<const auth::SecretBox> box_;
  AttachmentLimits limits_;
};

// The files of messages of one ticket, in message order; for the thread.
std::vector<AttachmentInfo> LoadTicketAttachments(storage::Connection& c, std::int64_t ticket_id);

struct AttachmentContent {
  AttachmentInfo info;
  std::string bytes;
};

// One attachment's bytes for `actor`. NotFound when the id is unknown, when the actor may not
// see the ticket, and when the file belongs to an internal note the actor may not read: all
// three look the same. InternalError when the stored file is missing or does not open.
AttachmentContent OpenAttachment(const auth::Actor& actor, storage::Database& db,
                                 const AttachmentStore& store, std::string_view id);

}  // namespace rampart::tickets
