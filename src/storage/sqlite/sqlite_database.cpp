#include "storage/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "observability/metrics.h"

namespace rampart::storage::sqlite {
namespace {

[[noreturn]] void Fail(sqlite3* db, int rc, std::string_view what) {
  const int extended = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  std::string msg(what);
  msg.append(": ").append(db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  throw DatabaseError(msg, extended, (extended & 0xFF) == SQLITE_CONSTRAINT);
}

void Check(sqlite3* db, int rc, std::string_view what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) Fail(db, rc, what);
}

// Adds the time spent in one database call to the metrics when it ends.
class DbTimer {
 public:
  DbTimer() : start_(std::chrono::steady_clock::now()) {}
  ~DbTimer() {
    metrics::Registry::Global().AddDatabaseTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
  }
  DbTimer(const DbTimer&) = delete;
  DbTimer& operator=(const DbTimer&) = delete;

 private:
  std::chrono::steady_clock::time_point start_;
};

// Closes what SQL injection could reach beyond the data itself, on every connection.
// SQLite counts every allocation in global statistics under one process-wide mutex: with
// several connections busy on several threads, that mutex was a fifth of a search's profile
// (lock, unlock and futex wake-ups). Nothing here reads the statistics or sets a heap limit,
// which need them. It can only be set before SQLite initializes, so once, before the first
// open; should something have initialized it already, the call fails harmlessly.
void TurnOffMemoryStatistics() {
  static const int result = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)result;
}

void ApplyHardening(sqlite3* db) {
  int ignored = 0;
  // Defensive mode: no writes to sqlite_master, no PRAGMA writable_schema tricks.
  Check(db, sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, &ignored), "defensive");
  // Debian builds with FTS3_TOKENIZER: the two-argument fts3_tokenizer() hands out a pointer.
  Check(db, sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0, &ignored), "fts3");
  // "x" must be an identifier, never a string literal that hides a typo.
  Check(db, sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, &ignored), "dqs_dml");
  Check(db, sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, &ignored), "dqs_ddl");
  Check(db, sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, &ignored), "ext");
  // Functions with side effects may not run from inside schema objects (views, triggers).
  Check(db, sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, &ignored), "trusted_schema");
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 64 * 1024 * 1024);
  sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 1024 * 1024);
  sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
}

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(const Options& options, bool writer) {
    TurnOffMemoryStatistics();
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
                      SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE;
    const int rc = sqlite3_open_v2(options.path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = "open " + options.path.string() + ": " + sqlite3_errstr(rc);
      sqlite3_close(db_);
      db_ = nullptr;
      throw DatabaseError(msg, rc, false);
    }
    ApplyHardening(db_);
    sqlite3_busy_timeout(db_, options.busy_timeout_ms);
    ExecuteScript("PRAGMA foreign_keys = ON;");
    if (writer) {
      ExecuteScript("PRAGMA journal_mode = WAL;");
      ExecuteScript("PRAGMA synchronous = FULL;");
      // A savepoint keeps the original of each page it changes in a sub-journal, which SQLite
      // spills to a temporary file past 64 KiB: a group commit (one savepoint per ticket) grew it
      // past that and wrote ~54 KB per created ticket to it, one pwrite per page. In memory it
      // costs a copy. Only the writer: readers' large sorts keep spilling to disk.
      ExecuteScript("PRAGMA temp_store = MEMORY;");
      SetJournalSizeLimit(options.journal_size_limit_bytes);
    } else {
      ExecuteScript("PRAGMA query_only = ON;");
    }
  }

  ~SqliteConnection() override {
    for (auto& [key, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  void Execute(Sql sql, std::span<const Value> params) override {
    DbTimer timer;
    sqlite3_stmt* stmt = Prepare(sql, params);
    const int rc = Step(stmt);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) Fail(db_, rc, "execute");
  }

  std::vector<Row> Query(Sql sql, std::span<const Value> params) override {
    std::vector<Row> rows;
    ForEach(sql, params, [&](const Row& row) { rows.push_back(row); });
    return rows;
  }

  void ForEach(Sql sql, std::span<const Value> params,
               const std::function<void(const Row&)>& callback) override {
    DbTimer timer;
    sqlite3_stmt* stmt = Prepare(sql, params);
    StatementReset reset{stmt};
    while (true) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) Fail(db_, rc, "query");
      callback(ReadRow(stmt));
    }
  }

  void Scan(Sql sql, std::span<const Value> params,
            const std::function<void(const RowView&)>& callback) override {
    DbTimer timer;
    sqlite3_stmt* stmt = Prepare(sql, params);
    StatementReset reset{stmt};
    const StatementRow row(stmt);
    while (true) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) Fail(db_, rc, "query");
      callback(row);
    }
  }

  void ExecuteScript(Sql sql) override {
    DbTimer timer;
    char* error = nullptr;
    const std::string text(sql.Text());
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
      std::string msg = error != nullptr ? error : sqlite3_errstr(rc);
      sqlite3_free(error);
      throw DatabaseError("script: " + msg, sqlite3_extended_errcode(db_),
                          (rc & 0xFF) == SQLITE_CONSTRAINT);
    }
  }

  std::int64_t LastInsertId() override { return sqlite3_last_insert_rowid(db_); }
  std::int64_t Changes() override { return sqlite3_changes64(db_); }
  // IMMEDIATE: the writer takes the write lock at once, so a transaction never fails half way
  // with SQLITE_BUSY when it first writes.
  void Begin() override { ExecuteScript("BEGIN IMMEDIATE"); }
  void Commit() override { ExecuteScript("COMMIT"); }
  void Rollback() override {
    if (sqlite3_get_autocommit(db_) == 0) ExecuteScript("ROLLBACK");
  }

  sqlite3* Handle() { return db_; }

 private:
  // Bounds the WAL after checkpoints: it grew to 260 MB under insert load without this.
  // PRAGMA takes no bound parameters, so the value is formatted here; it is an integer from
  // validated configuration, never text from a request.
  void SetJournalSizeLimit(std::int64_t bytes) {
    const std::string pragma =
        "PRAGMA journal_size_limit = " + std::to_string(bytes);  // sql-build-ok
    Check(db_, sqlite3_exec(db_, pragma.c_str(), nullptr, nullptr, nullptr), "journal_size_limit");
  }

  // The current row of a stepped statement, read column by column on demand.
  class StatementRow final : public RowView {
   public:
    explicit StatementRow(sqlite3_stmt* stmt)
        : stmt_(stmt), columns_(static_cast<std::size_t>(sqlite3_column_count(stmt))) {}
    bool IsNull(std::size_t i) const override { return TypeOf(i) == SQLITE_NULL; }
    std::int64_t Int(std::size_t i) const override {
      if (TypeOf(i) != SQLITE_INTEGER) Mismatch(i, "an integer");
      return sqlite3_column_int64(stmt_, static_cast<int>(i));
    }
    std::string_view Text(std::size_t i) const override {
      if (TypeOf(i) != SQLITE_TEXT) Mismatch(i, "text");
      const auto* p =
          reinterpret_cast<const char*>(sqlite3_column_text(stmt_, static_cast<int>(i)));
      return {p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, static_cast<int>(i)))};
    }

   private:
    int TypeOf(std::size_t i) const {
      if (i >= columns_) Mismatch(i, "a column");
      return sqlite3_column_type(stmt_, static_cast<int>(i));
    }
    [[noreturn]] static void Mismatch(std::size_t i, const char* expected) {
      throw std::logic_error("column " + std::to_string(i) + " is not " + expected);
    }
    sqlite3_stmt* stmt_;
    std::size_t columns_;
  };

  struct StatementReset {
    sqlite3_stmt* stmt;
    ~StatementReset() {
      sqlite3_reset(stmt);
      sqlite3_clear_bindings(stmt);
    }
  };

  int Step(sqlite3_stmt* stmt) {
    StatementReset reset{stmt};
    int rc = sqlite3_step(stmt);
    while (rc == SQLITE_ROW) rc = sqlite3_step(stmt);
    return rc;
  }

  // cppcheck-suppress passedByValue ; Sql is a two-word view, cheaper by value
  sqlite3_stmt* Prepare(Sql sql, std::span<const Value> params) {
    sqlite3_stmt*& stmt = statements_[sql.Key()];
    if (stmt == nullptr) {
      const int rc = sqlite3_prepare_v3(db_, sql.Text().data(), static_cast<int>(sql.Text().size()),
                                        SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
      if (rc != SQLITE_OK) {
        stmt = nullptr;
        statements_.erase(sql.Key());
        Fail(db_, rc, "prepare");
      }
    }
    if (sqlite3_bind_parameter_count(stmt) != static_cast<int>(params.size())) {
      throw DatabaseError("parameter count mismatch for: " + std::string(sql.Text()), SQLITE_RANGE,
                          false);
    }
    for (std::size_t i = 0; i < params.size(); ++i) Bind(stmt, static_cast<int>(i + 1), params[i]);
    return stmt;
  }

  void Bind(sqlite3_stmt* stmt, int index, const Value& value) {
    int rc = SQLITE_OK;
    if (std::holds_alternative<std::nullptr_t>(value)) {
      rc = sqlite3_bind_null(stmt, index);
    } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
      rc = sqlite3_bind_int64(stmt, index, *i);
    } else if (const auto* d = std::get_if<double>(&value)) {
      rc = sqlite3_bind_double(stmt, index, *d);
    } else if (const auto* s = std::get_if<std::string>(&value)) {
      rc = sqlite3_bind_text64(stmt, index, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    } else if (const auto* b = std::get_if<Blob>(&value)) {
      rc = sqlite3_bind_blob64(stmt, index, b->bytes.data(), b->bytes.size(), SQLITE_TRANSIENT);
    }
    Check(db_, rc, "bind");
  }

  static Row ReadRow(sqlite3_stmt* stmt) {
    const int n = sqlite3_column_count(stmt);
    std::vector<Value> values;
    values.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      switch (sqlite3_column_type(stmt, i)) {
        case SQLITE_INTEGER:
          values.emplace_back(std::int64_t{sqlite3_column_int64(stmt, i)});
          break;
        case SQLITE_FLOAT: values.emplace_back(sqlite3_column_double(stmt, i)); break;
        case SQLITE_TEXT: {
          const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
          values.emplace_back(
              std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i))));
          break;
        }
        case SQLITE_BLOB: {
          const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
          const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt, i));
          values.emplace_back(Blob{p != nullptr ? std::string(p, size) : std::string()});
          break;
        }
        default: values.emplace_back(nullptr);
      }
    }
    return Row(std::move(values));
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<const void*, sqlite3_stmt*> statements_;
};

// Copies the WAL back into the database file on a thread of its own. SQLite's automatic
// checkpoint runs inside the commit that crosses 1,000 WAL pages, on the writer: the group
// commit of ticket creation then wrote ~4 MB into the database file and synced it while every
// waiting request waited too (a tenth of creations took 50-100 ms at a million tickets). Here
// the writer's WAL hook only wakes this thread, whose PASSIVE checkpoint never blocks the writer
// or readers (it copies what no reader still needs and is retried on the next wake-up).
class Checkpointer {
 public:
  static constexpr int kWalPages = 1000;  // SQLite's own threshold

  explicit Checkpointer(const Options& options) {
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW;
    const int rc = sqlite3_open_v2(options.path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = "open " + options.path.string() + " for checkpoints: " + sqlite3_errstr(rc);
      sqlite3_close(db_);
      throw DatabaseError(msg, rc, false);
    }
    ApplyHardening(db_);
    sqlite3_busy_timeout(db_, options.busy_timeout_ms);
    // A checkpoint syncs the WAL before copying and the database file after, as the writer's
    // own would.
    sqlite3_exec(db_, "PRAGMA synchronous = FULL;", nullptr, nullptr, nullptr);
    thread_ = std::thread([this] { Run(); });
  }
  ~Checkpointer() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
    sqlite3_close_v2(db_);
  }
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // sqlite3_wal_hook callback, on the writer after each commit.
  static int AfterCommit(void* self, sqlite3* /*db*/, const char* /*name*/, int wal_pages) {
    if (wal_pages >= kWalPages) static_cast<Checkpointer*>(self)->Wake();
    return SQLITE_OK;
  }

 private:
  void Wake() {
    {
      std::lock_guard lock(mutex_);
      wanted_ = true;
    }
    wake_.notify_one();
  }
  void Run() {
    while (true) {
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || wanted_; });
        if (stopping_) return;
        wanted_ = false;
      }
      int wal_pages = 0;
      int copied = 0;
      const int rc =
          sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_pages, &copied);
      // BUSY: another checkpoint is running; the next commit past the threshold wakes us again.
      if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
        metrics::Registry::Global().CountEvent("storage", "checkpoint_failed");
      }
    }
  }

  sqlite3* db_ = nullptr;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool wanted_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(const Options& options) : options_(options) {
    // The writer first: it switches the file to WAL before readers open it.
    writer_ = std::make_unique<SqliteConnection>(options_, true);
    for (int i = 0; i < options_.read_connections; ++i) {
      readers_.push_back(std::make_unique<SqliteConnection>(options_, false));
      free_readers_.push_back(readers_.back().get());
    }
    checkpointer_ = std::make_unique<Checkpointer>(options_);
    // Replaces the automatic checkpoint (sqlite3_wal_autocheckpoint is this hook).
    sqlite3_wal_hook(writer_->Handle(), &Checkpointer::AfterCommit, checkpointer_.get());
  }
  ~SqliteDatabase() override {
    sqlite3_wal_hook(writer_->Handle(), nullptr, nullptr);
    checkpointer_.reset();
  }
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  Lease Read() override {
    std::unique_lock lock(mutex_);
    readers_free_.wait(lock, [&] { return !free_readers_.empty(); });
    Connection* c = free_readers_.back();
    free_readers_.pop_back();
    return Lease(c, [this](Connection* released) {
      {
        std::lock_guard guard(mutex_);
        free_readers_.push_back(released);
      }
      readers_free_.notify_one();
    });
  }

  Lease Write() override {
    std::unique_lock lock(mutex_);
    writer_free_.wait(lock, [&] { return !writer_busy_; });
    writer_busy_ = true;
    return Lease(writer_.get(), [this](Connection* released) {
      // A transaction left open by an exception must not leak into the next lease.
      try {
        released->Rollback();
      } catch (const DatabaseError&) {  // NOLINT(bugprone-empty-catch): best effort, see above
      }
      {
        std::lock_guard guard(mutex_);
        writer_busy_ = false;
      }
      writer_free_.notify_one();
    });
  }

  void Backup(const std::filesystem::path& destination) override {
    sqlite3* dest = nullptr;
    const int rc =
        sqlite3_open_v2(destination.c_str(), &dest,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_close(dest);
      throw DatabaseError("open backup " + destination.string() + ": " + sqlite3_errstr(rc), rc,
                          false);
    }
    // Copy through a reader: the source stays open for writes; pages changed during the copy
    // make SQLite restart the step, so copy in chunks and let writers in between.
    Lease reader = Read();
    auto* source = static_cast<SqliteConnection&>(*reader).Handle();
    sqlite3_backup* backup = sqlite3_backup_init(dest, "main", source, "main");
    if (backup == nullptr) {
      std::string msg = sqlite3_errmsg(dest);
      sqlite3_close(dest);
      throw DatabaseError("backup init: " + msg, 0, false);
    }
    int step = SQLITE_OK;
    do {
      step = sqlite3_backup_step(backup, 256);
      if (step == SQLITE_BUSY || step == SQLITE_LOCKED) sqlite3_sleep(10);
    } while (step == SQLITE_OK || step == SQLITE_BUSY || step == SQLITE_LOCKED);
    sqlite3_backup_finish(backup);
    const int final_rc = sqlite3_errcode(dest);
    sqlite3_close(dest);
    if (step != SQLITE_DONE || final_rc != SQLITE_OK) {
      throw DatabaseError(std::string("backup: ") + sqlite3_errstr(step), step, false);
    }
  }

 private:
  Options options_;
  std::mutex mutex_;
  std::condition_variable readers_free_;
  std::condition_variable writer_free_;
  std::unique_ptr<SqliteConnection> writer_;
  bool writer_busy_ = false;
  std::vector<std::unique_ptr<SqliteConnection>> readers_;
  std::vector<Connection*> free_readers_;
  std::unique_ptr<Checkpointer> checkpointer_;
};

}  // namespace

std::unique_ptr<Database> Open(const Options& options) {
  return std::make_unique<SqliteDatabase>(options);
}

}  // namespace rampart::storage::sqlite
