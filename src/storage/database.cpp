#include "storage/database.h"

#include <stdexcept>

namespace rampart::storage {
namespace {

template <typename T>
const T& Get(const std::vector<Value>& values, std::size_t i, const char* what) {
  if (i >= values.size()) throw std::logic_error("row has no column " + std::to_string(i));
  const T* v = std::get_if<T>(&values[i]);
  if (v == nullptr) throw std::logic_error(std::string("column is not ") + what);
  return *v;
}

}  // namespace

bool Row::IsNull(std::size_t i) const {
  return i < values_.size() && std::holds_alternative<std::nullptr_t>(values_[i]);
}
std::int64_t Row::Int(std::size_t i) const {
  return Get<std::int64_t>(values_, i, "an integer");
}
double Row::Double(std::size_t i) const {
  if (i < values_.size()) {
    if (const auto* n = std::get_if<std::int64_t>(&values_[i])) return static_cast<double>(*n);
  }
  return Get<double>(values_, i, "a real");
}
const std::string& Row::Text(std::size_t i) const {
  return Get<std::string>(values_, i, "text");
}
const std::string& Row::Bytes(std::size_t i) const {
  if (i < values_.size()) {
    if (const auto* t = std::get_if<std::string>(&values_[i])) return *t;
  }
  return Get<Blob>(values_, i, "a blob").bytes;
}
std::optional<std::string> Row::OptionalText(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}
std::optional<std::int64_t> Row::OptionalInt(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

// Sql is a two-word view; by value is cheaper than by reference.
// cppcheck-suppress passedByValue
std::optional<Row> Connection::QueryOne(Sql sql, Params params) {
  std::vector<Row> rows = Query(sql, params);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

Transaction::Transaction(Connection& connection) : connection_(connection) {
  connection_.Begin();
}

Transaction::~Transaction() {
  if (done_) return;
  try {
    connection_.Rollback();
  } catch (...) {  // NOLINT(bugprone-empty-catch): a destructor must not throw; the error is
                   // already propagating and the connection is reset on its next use.
  }
}

void Transaction::Commit() {
  connection_.Commit();
  done_ = true;
}

}  // namespace rampart::storage
