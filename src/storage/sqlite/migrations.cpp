#include "storage/sqlite/migrations.h"

#include <ctime>

namespace rampart::storage::sqlite {

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> migrations = {
      {1, "platform: settings, people, departments, tickets, messages",
       R"SQL(
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE departments (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 100),
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE organizations (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 200),
  shared_tickets INTEGER NOT NULL DEFAULT 0 CHECK (shared_tickets IN (0, 1)),
  created_at     INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
  id                   INTEGER PRIMARY KEY,
  email                TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(email) BETWEEN 3 AND 254),
  name                 TEXT NOT NULL CHECK (length(name) <= 200),
  role                 TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'agent', 'end_user')),
  password_hash        TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
  organization_id      INTEGER REFERENCES organizations(id),
  disabled             INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at           INTEGER NOT NULL,
  last_sign_in_at      INTEGER
) STRICT;

CREATE TABLE user_departments (
  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  department_id INTEGER NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, department_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE tickets (
  id            INTEGER PRIMARY KEY,
  number        INTEGER NOT NULL UNIQUE,
  subject       TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
  requester_id  INTEGER NOT NULL REFERENCES users(id),
  status        TEXT NOT NULL CHECK (status IN ('open', 'pending', 'on_hold', 'solved', 'closed')),
  priority      TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  department_id INTEGER REFERENCES departments(id),
  assignee_id   INTEGER REFERENCES users(id),
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX tickets_by_status ON tickets (status, updated_at DESC, id DESC);
CREATE INDEX tickets_by_requester ON tickets (requester_id, updated_at DESC, id DESC);
CREATE INDEX tickets_by_assignee ON tickets (assignee_id, status, updated_at DESC, id DESC);

CREATE TABLE messages (
  id         INTEGER PRIMARY KEY,
  ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
  author_id  INTEGER NOT NULL REFERENCES users(id),
  body       TEXT NOT NULL,
  internal   INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX messages_by_ticket ON messages (ticket_id, id);
)SQL"},
  };
  return migrations;
}

int SchemaVersion(Database& db) {
  Lease c = db.Read();
  const auto exists = c->QueryOne(
      "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'");
  if (!exists) return 0;
  const auto row = c->QueryOne("SELECT coalesce(max(version), 0) FROM schema_migrations");
  return row ? static_cast<int>(row->Int(0)) : 0;
}

int Migrate(Database& db) {
  Lease c = db.Write();
  c->ExecuteScript(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      "  version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT;");
  const auto row = c->QueryOne("SELECT coalesce(max(version), 0) FROM schema_migrations");
  const int current = row ? static_cast<int>(row->Int(0)) : 0;
  int applied = 0;
  for (const Migration& m : Migrations()) {
    if (m.version <= current) continue;
    Transaction tx(*c);
    c->ExecuteScript(m.script);
    c->Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
               {std::int64_t{m.version}, std::string(m.name), std::int64_t{std::time(nullptr)}});
    tx.Commit();
    ++applied;
  }
  return applied;
}

}  // namespace rampart::storage::sqlite
