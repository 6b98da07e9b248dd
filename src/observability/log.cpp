#include "observability/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <mutex>

#include "core/strings.h"

namespace rampart::log {
namespace {

std::atomic<int> g_min_level{static_cast<int>(Level::kInfo)};
std::string g_profile = "development";  // written once by Init, before any thread starts
std::shared_ptr<spdlog::logger> g_logger;
std::once_flag g_logger_once;

spdlog::logger& Logger() {
  std::call_once(g_logger_once, [] {
    // Lines go to stderr so that stdout stays for a command's own output (a printed password).
    g_logger = spdlog::stderr_logger_mt("rampart");
    g_logger->set_pattern("%v");
    g_logger->set_level(spdlog::level::trace);
    g_logger->flush_on(spdlog::level::trace);
  });
  return *g_logger;
}

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "info";
}

std::string NowRfc3339Millis() {
  const auto now = std::chrono::system_clock::now();
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%.*s.%03dZ", static_cast<int>(n), buf,
                static_cast<int>(ms % 1000));
  return out;
}

}  // namespace

Fields& Fields::Add(std::string_view key, std::string_view value) {
  items_.emplace_back(std::string(key), core::JsonQuote(value));
  return *this;
}
Fields& Fields::Add(std::string_view key, std::int64_t value) {
  items_.emplace_back(std::string(key), std::to_string(value));
  return *this;
}
Fields& Fields::Add(std::string_view key, std::uint64_t value) {
  items_.emplace_back(std::string(key), std::to_string(value));
  return *this;
}
Fields& Fields::Add(std::string_view key, double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", value);
  items_.emplace_back(std::string(key), buf);
  return *this;
}
Fields& Fields::Add(std::string_view key, bool value) {
  items_.emplace_back(std::string(key), value ? "true" : "false");
  return *this;
}

void Init(Level min_level, std::string_view profile) {
  g_min_level = static_cast<int>(min_level);
  g_profile = std::string(profile);
  Logger();
}

bool ParseLevel(std::string_view text, Level& out) {
  if (text == "debug")
    out = Level::kDebug;
  else if (text == "info")
    out = Level::kInfo;
  else if (text == "warn")
    out = Level::kWarn;
  else if (text == "error")
    out = Level::kError;
  else
    return false;
  return true;
}

bool Enabled(Level level) {
  return static_cast<int>(level) >= g_min_level.load(std::memory_order_relaxed);
}

void Write(Level level, std::string_view event, const Fields& fields) {
  if (!Enabled(level)) return;
  std::string line;
  line.reserve(160);
  line.append("{\"ts\":\"").append(NowRfc3339Millis()).append("\",\"level\":\"");
  line.append(LevelName(level)).append("\",\"event\":").append(core::JsonQuote(event));
  line.append(",\"profile\":").append(core::JsonQuote(g_profile));
  for (const auto& [key, value] : fields.Items()) {
    line.append(",").append(core::JsonQuote(key)).append(":").append(value);
  }
  line.push_back('}');
  Logger().info(line);
}

}  // namespace rampart::log
