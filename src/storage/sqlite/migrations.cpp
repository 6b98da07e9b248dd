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
      {2, "identity: sessions, second factor, throttling, resets, tokens, audit, outbox",
       R"SQL(
ALTER TABLE users ADD COLUMN password_changed_at INTEGER;
ALTER TABLE users ADD COLUMN all_departments INTEGER NOT NULL DEFAULT 0
  CHECK (all_departments IN (0, 1));

-- Server-side sessions. Only a hash of the cookie value is stored: a copy of the database does
-- not let anyone take over a session.
CREATE TABLE sessions (
  id_hash        BLOB PRIMARY KEY,
  user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token     TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  last_seen_at   INTEGER NOT NULL,
  expires_at     INTEGER NOT NULL,
  reauth_at      INTEGER NOT NULL,
  second_factor  TEXT NOT NULL CHECK (second_factor IN ('none', 'pending', 'done', 'enroll')),
  client_address TEXT NOT NULL,
  user_agent     TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions (user_id);

-- TOTP: the secret is encrypted with the server key; last_step stops replays.
CREATE TABLE totp_credentials (
  user_id          INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  secret_encrypted BLOB NOT NULL,
  confirmed_at     INTEGER,
  last_step        INTEGER NOT NULL DEFAULT 0,
  created_at       INTEGER NOT NULL
) STRICT;

CREATE TABLE recovery_codes (
  id        INTEGER PRIMARY KEY,
  user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  used_at   INTEGER
) STRICT;
CREATE INDEX recovery_codes_by_user ON recovery_codes (user_id);

CREATE TABLE password_history (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  password_hash TEXT NOT NULL,
  created_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX password_history_by_user ON password_history (user_id, id DESC);

-- Failed sign-ins per account and per client address ("account:7", "ip:192.0.2.1").
CREATE TABLE sign_in_throttle (
  key             TEXT PRIMARY KEY,
  failures        INTEGER NOT NULL,
  last_failure_at INTEGER NOT NULL,
  locked_until    INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;

CREATE TABLE password_resets (
  token_hash BLOB PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
) STRICT, WITHOUT ROWID;

-- API tokens: 256-bit random, stored as HMAC-SHA-256 under the server key.
CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  token_hash   BLOB NOT NULL UNIQUE,
  scope        TEXT NOT NULL CHECK (scope IN ('read', 'write')),
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at   INTEGER
) STRICT;

-- Append-only, hash-chained record of security-relevant actions.
CREATE TABLE audit_events (
  id        INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,
  actor_id  INTEGER,
  event     TEXT NOT NULL,
  target    TEXT NOT NULL DEFAULT '',
  client    TEXT NOT NULL DEFAULT '',
  detail    TEXT NOT NULL DEFAULT '',
  prev_hash BLOB NOT NULL,
  hash      BLOB NOT NULL
) STRICT;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

-- Mail to send, written in the same transaction as the change that causes it.
CREATE TABLE outbox (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL,
  recipient  TEXT NOT NULL,
  subject    TEXT NOT NULL,
  body       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  sent_at    INTEGER
) STRICT;
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
