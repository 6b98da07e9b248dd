#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace rampart::storage {

// SQL text known at compile time. Its constructor is consteval, so a string built at run time
// (by concatenating input, say) cannot become SQL: values travel only as bound parameters.
class Sql {
 public:
  template <std::size_t N>
  consteval Sql(const char (&text)[N]) : text_(text, N - 1) {}  // NOLINT: implicit on purpose
  std::string_view Text() const { return text_; }
  // The literal's address: stable for the process, so it keys the prepared-statement cache.
  const void* Key() const { return text_.data(); }

 private:
  std::string_view text_;
};

struct Blob {
  std::string bytes;
};

using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string, Blob>;

// One result row. Getters throw std::logic_error on a type mismatch: a schema bug, not input.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  std::size_t Size() const { return values_.size(); }
  bool IsNull(std::size_t i) const;
  std::int64_t Int(std::size_t i) const;
  double Double(std::size_t i) const;
  const std::string& Text(std::size_t i) const;
  std::optional<std::string> OptionalText(std::size_t i) const;
  std::optional<std::int64_t> OptionalInt(std::size_t i) const;
  const std::string& Bytes(std::size_t i) const;

 private:
  std::vector<Value> values_;
};

// One result row read in place, for hot paths that would otherwise copy every column into a
// Row: text views point into the driver's buffers and are valid only during the callback.
// Getters throw std::logic_error on a type mismatch, as Row's do.
class RowView {
 public:
  virtual ~RowView() = default;
  virtual bool IsNull(std::size_t i) const = 0;
  virtual std::int64_t Int(std::size_t i) const = 0;
  virtual std::string_view Text(std::size_t i) const = 0;
  std::optional<std::int64_t> OptionalInt(std::size_t i) const {
    if (IsNull(i)) return std::nullopt;
    return Int(i);
  }
};

using Params = std::initializer_list<Value>;

// One database connection, used by one thread at a time (a lease guarantees that).
class Connection {
 public:
  virtual ~Connection() = default;
  virtual void Execute(Sql sql, std::span<const Value> params) = 0;
  virtual std::vector<Row> Query(Sql sql, std::span<const Value> params) = 0;
  // Runs `callback` for each row without collecting them (large scans, exports).
  virtual void ForEach(Sql sql, std::span<const Value> params,
                       const std::function<void(const Row&)>& callback) = 0;
  // Like ForEach, without copying the columns: the view lives for one callback.
  virtual void Scan(Sql sql, std::span<const Value> params,
                    const std::function<void(const RowView&)>& callback) = 0;
  // A migration script: several statements, no parameters.
  virtual void ExecuteScript(Sql sql) = 0;
  virtual std::int64_t LastInsertId() = 0;
  virtual std::int64_t Changes() = 0;
  virtual void Begin() = 0;
  virtual void Commit() = 0;
  virtual void Rollback() = 0;

  void Execute(Sql sql, Params params = {}) {
    Execute(sql, std::span(params.begin(), params.size()));
  }
  std::vector<Row> Query(Sql sql, Params params = {}) {
    return Query(sql, std::span(params.begin(), params.size()));
  }
  std::optional<Row> QueryOne(Sql sql, Params params = {});
};

// Rolls back unless Commit() was called: an exception anywhere undoes the whole unit of work.
class Transaction {
 public:
  explicit Transaction(Connection& connection);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void Commit();

 private:
  Connection& connection_;
  bool done_ = false;
};

// A connection borrowed from a pool; returned when the lease ends.
class Lease {
 public:
  Lease(Connection* connection, std::function<void(Connection*)> release)
      : connection_(connection), release_(std::move(release)) {}
  ~Lease() {
    if (connection_ != nullptr) release_(connection_);
  }
  Lease(Lease&& other) noexcept
      : connection_(std::exchange(other.connection_, nullptr)),
        release_(std::move(other.release_)) {}
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  Connection* operator->() const { return connection_; }
  Connection& operator*() const { return *connection_; }

 private:
  Connection* connection_;
  std::function<void(Connection*)> release_;
};

// The narrow interface domain code sees. SQLite is the default driver; a PostgreSQL driver
// implements the same interface.
class Database {
 public:
  virtual ~Database() = default;
  // A connection for reads; several may be out at once.
  virtual Lease Read() = 0;
  // The one writer; callers queue for it. Keep write leases short.
  virtual Lease Write() = 0;
  // A consistent copy of the live database to `destination`, while others keep working.
  virtual void Backup(const std::filesystem::path& destination) = 0;
};

// Thrown by drivers for failures of the database itself (disk full, corruption, constraint
// violations the caller did not expect). Carries the driver's message for the log only.
class DatabaseError : public std::runtime_error {
 public:
  DatabaseError(const std::string& message, int code, bool constraint)
      : std::runtime_error(message), code_(code), constraint_(constraint) {}
  int Code() const { return code_; }
  bool IsConstraintViolation() const { return constraint_; }

 private:
  int code_;
  bool constraint_;
};

}  // namespace rampart::storage
