#pragma once
#include <vector>

#include "storage/database.h"

namespace rampart::storage::sqlite {

struct Migration {
  int version;
  const char* name;
  Sql script;
};

// Every schema change, oldest first. Append only: an applied migration never changes.
const std::vector<Migration>& Migrations();

// The highest applied version (0 for an empty database).
int SchemaVersion(Database& db);
// Applies every pending migration, each in its own transaction; returns how many ran.
int Migrate(Database& db);

}  // namespace rampart::storage::sqlite
