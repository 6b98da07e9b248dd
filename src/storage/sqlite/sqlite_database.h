#pragma once
#include <filesystem>
#include <memory>

#include "storage/database.h"

namespace rampart::storage::sqlite {

struct Options {
  std::filesystem::path path;
  int busy_timeout_ms = 5000;
  std::int64_t journal_size_limit_bytes = 64 * 1024 * 1024;
  int read_connections = 4;
};

// Opens (creating when absent) a hardened SQLite database in WAL mode. Every connection gets
// the hardening of ApplyHardening; the writer uses synchronous=FULL so that a committed
// transaction survives power loss.
std::unique_ptr<Database> Open(const Options& options);

}  // namespace rampart::storage::sqlite
