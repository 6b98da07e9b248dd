#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rampart::log {

enum class Level { kDebug, kInfo, kWarn, kError };

// Key/value pairs of one structured log line. Values are escaped when the line is written, so
// anything (a hostile header, a filename) may be passed. Never pass secrets: there is no redaction.
class Fields {
 public:
  Fields& Add(std::string_view key, std::string_view value);
  Fields& Add(std::string_view key, const char* value) { return Add(key, std::string_view(value)); }
  Fields& Add(std::string_view key, const std::string& value) {
    return Add(key, std::string_view(value));
  }
  Fields& Add(std::string_view key, std::int64_t value);
  Fields& Add(std::string_view key, int value) { return Add(key, std::int64_t{value}); }
  Fields& Add(std::string_view key, std::uint64_t value);
  Fields& Add(std::string_view key, double value);
  Fields& Add(std::string_view key, bool value);
  // Pairs of key and already-encoded JSON value.
  const std::vector<std::pair<std::string, std::string>>& Items() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// Sets the minimum level and the environment profile stamped on every line. Call once at start.
void Init(Level min_level, std::string_view profile);
bool ParseLevel(std::string_view text, Level& out);
void Write(Level level, std::string_view event, const Fields& fields = {});
// Whether a line at `level` would be written: lets hot paths skip building its fields.
bool Enabled(Level level);
inline void Debug(std::string_view event, const Fields& f = {}) {
  Write(Level::kDebug, event, f);
}
inline void Info(std::string_view event, const Fields& f = {}) {
  Write(Level::kInfo, event, f);
}
inline void Warn(std::string_view event, const Fields& f = {}) {
  Write(Level::kWarn, event, f);
}
inline void Error(std::string_view event, const Fields& f = {}) {
  Write(Level::kError, event, f);
}

}  // namespace rampart::log
