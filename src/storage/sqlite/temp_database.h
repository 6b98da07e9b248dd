#pragma once
// For tests: a real, migrated SQLite database in a temporary directory, removed at the end.
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_database.h"

namespace rampart::storage::sqlite {

class TempDatabase {
 public:
  explicit TempDatabase(int read_connections = 2) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "rampart-db-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    Options options;
    options.path = dir_ / "test.db";
    options.read_connections = read_connections;
    db_ = Open(options);
    Migrate(*db_);
  }
  ~TempDatabase() {
    db_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;

  Database& Db() { return *db_; }
  const std::filesystem::path& Dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
};

}  // namespace rampart::storage::sqlite
