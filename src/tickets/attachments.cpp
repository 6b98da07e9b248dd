#include "tickets/attachments.h"

#include <fcntl.h>
#include <magic.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "core/errors.h"
#include "core/random.h"
#include "core/strings.h"
#include "tickets/attachment_names.h"
#include "tickets/policy.h"
#include "tickets/ticket_store.h"

namespace rampart::tickets {
namespace {

constexpr std::size_t kIdBytes = 16;          // 128 bits: unguessable, and still checked
constexpr std::size_t kStoredNameBytes = 32;  // 256 bits

// libmagic's handle is not thread-safe: each worker thread gets its own, loaded on first use.
class MagicHandle {
 public:
  MagicHandle() : cookie_(magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR)) {
    if (cookie_ == nullptr) return;
    // Bounds the work per file: the type lives in the first bytes.
    std::size_t bytes_max = 1024 * 1024;
    magic_setparam(cookie_, MAGIC_PARAM_BYTES_MAX, &bytes_max);
    if (magic_load(cookie_, nullptr) != 0) {
      magic_close(cookie_);
      cookie_ = nullptr;
    }
  }
  ~MagicHandle() {
    if (cookie_ != nullptr) magic_close(cookie_);
  }
  MagicHandle(const MagicHandle&) = delete;
  MagicHandle& operator=(const MagicHandle&) = delete;
  magic_t Get() const { return cookie_; }

 private:
  magic_t cookie_;
};

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return core::HexEncode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string AssociatedData(std::string_view id) {
  return "attachment:" + std::string(id);
}

[[noreturn]] void TooLarge(const std::string& code, const std::string& user_text) {
  throw core::RequestError(413, code, user_text, code + ": " + user_text);
}

std::string MiB(std::int64_t bytes) {
  return std::to_string(bytes / (1024 * 1024)) + " MiB";
}

// Writes `data` to `path` with mode 0600 and fsyncs it; the name must be new.
void WriteDurably(const std::filesystem::path& path, std::string_view data) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    throw core::InternalError("attachment create " + path.string() + ": " + std::strerror(errno));
  std::size_t done = 0;
  bool ok = true;
  while (ok && done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  const int error = ok ? 0 : errno;
  ok = ok && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
    throw core::InternalError("attachment write " + path.string() + ": " +
                              std::strerror(error != 0 ? error : errno));
  }
}

void SyncDirectory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    throw core::InternalError("attachment dir open: " + std::string(std::strerror(errno)));
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw core::InternalError("attachment dir fsync: " + std::string(std::strerror(errno)));
}

bool IsHexId(std::string_view id, std::size_t bytes) {
  if (id.size() != bytes * 2) return false;
  for (char ch : id) {
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return false;
  }
  return true;
}

// A Content-ID is a label from the sender: kept only when it is short printable ASCII, so that
// it can be compared with the HTML's cid: references and never carries anything else.
std::string UsableContentId(std::string_view id) {
  if (id.empty() || id.size() > 255) return {};
  for (char ch : id) {
    if (ch <= 0x20 || ch >= 0x7f) return {};
  }
  return std::string(id);
}

AttachmentInfo InfoOf(const storage::Row& r) {
  AttachmentInfo a;
  a.id = r.Text(0);
  a.message_id = r.Int(1);
  a.filename = r.Text(2);
  a.type = r.Text(3);
  a.size = r.Int(4);
  a.sha256 = r.Text(5);
  a.created_at = r.Int(6);
  return a;
}

}  // namespace

std::string SniffType(std::string_view bytes) {
  thread_local const MagicHandle handle;
  if (handle.Get() != nullptr) {
    const char* type = magic_buffer(handle.Get(), bytes.data(), bytes.size());
    // A truncated header can yield "" rather than NULL.
    if (type != nullptr && *type != '\0') return core::ToLower(type);
  }
  return "application/octet-stream";
}

StagedAttachments::StagedAttachments(StagedAttachments&& other) noexcept
    : store_(other.store_), files_(std::move(other.files_)), kept_(other.kept_) {
  other.files_.clear();
}

StagedAttachments::~StagedAttachments() {
  if (kept_ || store_ == nullptr) return;
  for (const File& f : files_) {
    try {
      store_->Remove(f.stored_name);
    } catch (...) {  // NOLINT(bugprone-empty-catch): a destructor must not throw; logged by
                     // Remove's caller
    }
  }
}

std::vector<AttachmentInfo> StagedAttachments::Record(storage::Connection& c,
                                                      std::int64_t message_id,
                                                      std::optional<std::int64_t> actor_id,
                                                      std::int64_t now) {
  std::vector<AttachmentInfo> recorded;
  if (files_.empty()) return recorded;
  const auto message = c.QueryOne("SELECT ticket_id FROM messages WHERE id = ?", {message_id});
  if (!message) throw std::logic_error("attachment for a message that does not exist");
  const std::int64_t ticket_id = message->Int(0);
  for (File& f : files_) {
    f.info.message_id = message_id;
    f.info.created_at = now;
    c.Execute(
        "INSERT INTO attachments (public_id, ticket_id, message_id, stored_name, filename, type, "
        "  size, sha256, created_at, content_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {f.info.id, ticket_id, message_id, f.stored_name, f.info.filename, f.info.type, f.info.size,
         f.info.sha256, now,
         f.info.content_id.empty() ? storage::Value(nullptr) : storage::Value(f.info.content_id)});
    AppendEvent(c, ticket_id, actor_id, now, "attachment", std::nullopt, f.info.filename);
    recorded.push_back(f.info);
  }
  return recorded;
}

AttachmentStore::AttachmentStore(std::filesystem::path directory,
                                 std::shared_ptr<const auth::SecretBox> box,
                                 AttachmentLimits limits)
    : directory_(std::move(directory)), box_(std::move(box)), limits_(limits) {
  std::filesystem::create_directories(directory_);
  std::filesystem::permissions(directory_, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace);
}

StagedAttachments AttachmentStore::Stage(const std::vector<Upload>& uploads) const {
  StagedAttachments staged;
  staged.store_ = this;
  if (uploads.empty()) return staged;
  // Names first: every later check and every log line sees only the normalized name.
  std::vector<std::string> names;
  names.reserve(uploads.size());
  for (const Upload& u : uploads) names.push_back(NormalizeFilename(u.filename));
  if (static_cast<std::int64_t>(uploads.size()) > limits_.max_files) {
    TooLarge("too_many_attachments",
             "At most " + std::to_string(limits_.max_files) + " files may be attached at once.");
  }
  std::int64_t total = 0;
  for (std::size_t i = 0; i < uploads.size(); ++i) {
    const auto size = static_cast<std::int64_t>(uploads[i].bytes.size());
    if (size > limits_.max_file_bytes) {
      TooLarge("attachment_too_large",
               names[i] + " is larger than " + MiB(limits_.max_file_bytes) + ".");
    }
    total += size;
  }
  if (total > limits_.max_total_bytes) {
    TooLarge("attachment_too_large",
             "The files together are larger than " + MiB(limits_.max_total_bytes) + ".");
  }
  for (std::size_t i = 0; i < uploads.size(); ++i) {
    StagedAttachments::File f;
    f.info.id = core::RandomHex(kIdBytes);
    f.stored_name = core::RandomHex(kStoredNameBytes);
    f.info.filename = names[i];
    f.info.type = SniffType(uploads[i].bytes);
    f.info.size = static_cast<std::int64_t>(uploads[i].bytes.size());
    f.info.sha256 = Sha256Hex(uploads[i].bytes);
    f.info.content_id = UsableContentId(uploads[i].content_id);
    const std::string sealed = box_->Seal(uploads[i].bytes, AssociatedData(f.info.id));
    // Written aside and renamed: a file under its final name is always whole.
    const std::filesystem::path tmp = directory_ / (f.stored_name + ".tmp");
    WriteDurably(tmp, sealed);
    std::error_code ec;
    std::filesystem::rename(tmp, directory_ / f.stored_name, ec);
    if (ec) {
      std::filesystem::remove(tmp, ec);
      throw core::InternalError("attachment rename: " + ec.message());
    }
    staged.files_.push_back(std::move(f));
  }
  // The new names are durable before any row points at them.
  SyncDirectory(directory_);
  return staged;
}

std::optional<std::string> AttachmentStore::Read(std::string_view stored_name,
                                                 std::string_view id) const {
  if (!IsHexId(stored_name, kStoredNameBytes)) return std::nullopt;
  const std::filesystem::path path = directory_ / std::string(stored_name);
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string sealed;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && st.st_size > 0) sealed.reserve(static_cast<std::size_t>(st.st_size));
  char buf[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    sealed.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return box_->Open(sealed, AssociatedData(id));
}

void AttachmentStore::Remove(std::string_view stored_name) const {
  if (!IsHexId(stored_name, kStoredNameBytes)) return;
  std::error_code ec;
  std::filesystem::remove(directory_ / std::string(stored_name), ec);
}

std::size_t AttachmentStore::RemoveOrphans(storage::Database& db,
                                           std::int64_t min_age_seconds) const {
  const auto cutoff =
      std::filesystem::file_time_type::clock::now() - std::chrono::seconds(min_age_seconds);
  std::vector<std::filesystem::path> candidates;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(directory_, ec)) {
    if (entry.last_write_time(ec) <= cutoff && !ec) candidates.push_back(entry.path());
  }
  std::size_t removed = 0;
  storage::Lease c = db.Read();
  for (const std::filesystem::path& path : candidates) {
    const std::string name = path.filename().string();
    const bool known =
        IsHexId(name, kStoredNameBytes) &&
        c->QueryOne("SELECT 1 FROM attachments WHERE stored_name = ?", {name}).has_value();
    if (!known && std::filesystem::remove(path, ec)) ++removed;
  }
  return removed;
}

std::vector<AttachmentInfo> LoadTicketAttachments(storage::Connection& c, std::int64_t ticket_id) {
  std::vector<AttachmentInfo> out;
  for (const storage::Row& r :
       c.Query("SELECT public_id, message_id, filename, type, size, sha256, created_at "
               "FROM attachments WHERE ticket_id = ? ORDER BY message_id, id",
               {ticket_id})) {
    out.push_back(InfoOf(r));
  }
  return out;
}

AttachmentContent OpenAttachment(const auth::Actor& actor, storage::Database& db,
                                 const AttachmentStore& store, std::string_view id) {
  RequirePermission(actor, auth::Permission::kTicketView);
  if (!IsHexId(id, kIdBytes)) throw core::NotFound("attachment id malformed");
  AttachmentContent content;
  std::string stored_name;
  {
    storage::Lease c = db.Read();
    ReadSnapshot snapshot(*c);
    const auto row = c->QueryOne(
        "SELECT a.public_id, a.message_id, a.filename, a.type, a.size, a.sha256, a.created_at, "
        "  a.stored_name, a.ticket_id, m.internal "
        "FROM attachments AS a JOIN messages AS m ON m.id = a.message_id WHERE a.public_id = ?",
        {std::string(id)});
    if (!row) throw core::NotFound("attachment does not exist");
    const auto ticket = FindTicketById(*c, row->Int(8));
    if (!ticket || !MaySee(actor, *ticket))
      throw core::NotFound("attachment's ticket out of reach");
    // A note's files are as internal as the note.
    if (row->Int(9) != 0 && !ActsAsStaff(actor)) throw core::NotFound("attachment of a note");
    content.info = InfoOf(*row);
    stored_name = row->Text(7);
  }
  auto bytes = store.Read(stored_name, content.info.id);
  if (!bytes) {
    throw core::InternalError("attachment " + content.info.id + " missing or does not open");
  }
  content.bytes = std::move(*bytes);
  return content;
}

}  // namespace rampart::tickets
