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
      {3, "tickets: history, tags, custom fields, ccs, queue indexes, full-text search",
       R"SQL(
-- tickets and messages are rebuilt rather than altered: their v1 CHECKs test status and
-- priority with IN lists, and SQLite evaluates an IN list of more than two constants through a
-- temporary b-tree, with a page cache of its own, built afresh for every row written (measured:
-- 14 us instead of 1.7 us per insert, the largest single cost of writing tickets). Every CHECK
-- on these two tables now compares with OR. The copies keep their ids.
CREATE TABLE tickets_v3 (
  id                  INTEGER PRIMARY KEY,
  number              INTEGER NOT NULL UNIQUE,
  subject             TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
  requester_id        INTEGER NOT NULL REFERENCES users(id),
  -- The organization the ticket was filed under: the requester's at creation. Kept on the
  -- ticket so that organization-shared queues read one index range, and so that a customer who
  -- moves to another organization neither takes the old one's tickets along nor exposes them.
  organization_id     INTEGER REFERENCES organizations(id),
  status              TEXT NOT NULL CHECK (status = 'open' OR status = 'pending'
                        OR status = 'on_hold' OR status = 'solved' OR status = 'closed'),
  priority            TEXT NOT NULL CHECK (priority = 'low' OR priority = 'normal'
                        OR priority = 'high' OR priority = 'urgent'),
  department_id       INTEGER REFERENCES departments(id),
  assignee_id         INTEGER REFERENCES users(id),
  channel             TEXT NOT NULL DEFAULT 'web' CHECK (channel = 'web' OR channel = 'api'
                        OR channel = 'mail' OR channel = 'system'),
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  due_at              INTEGER,
  first_response_at   INTEGER,
  solved_at           INTEGER,
  merged_into_id      INTEGER REFERENCES tickets_v3(id),
  last_message_at     INTEGER,
  last_agent_reply_at INTEGER
) STRICT;
INSERT INTO tickets_v3 (id, number, subject, requester_id, organization_id, status, priority,
                        department_id, assignee_id, created_at, updated_at, solved_at)
  SELECT t.id, t.number, t.subject, t.requester_id,
         (SELECT u.organization_id FROM users AS u WHERE u.id = t.requester_id),
         t.status, t.priority, t.department_id, t.assignee_id, t.created_at, t.updated_at,
         CASE WHEN t.status = 'solved' OR t.status = 'closed' THEN t.updated_at END
  FROM tickets AS t;

-- Who wrote a message, as the thread shows it. Bodies stay plain text: rich text arrives with
-- the sanitizer, in a column of its own.
CREATE TABLE messages_v3 (
  id          INTEGER PRIMARY KEY,
  ticket_id   INTEGER NOT NULL REFERENCES tickets_v3(id),
  author_id   INTEGER NOT NULL REFERENCES users(id),
  body        TEXT NOT NULL,
  internal    INTEGER NOT NULL DEFAULT 0 CHECK (internal = 0 OR internal = 1),
  created_at  INTEGER NOT NULL,
  author_kind TEXT NOT NULL CHECK (author_kind = 'end_user' OR author_kind = 'agent'
                OR author_kind = 'system')
) STRICT;
INSERT INTO messages_v3 (id, ticket_id, author_id, body, internal, created_at, author_kind)
  SELECT m.id, m.ticket_id, m.author_id, m.body, m.internal, m.created_at,
         CASE WHEN u.role = 'end_user' THEN 'end_user' ELSE 'agent' END
  FROM messages AS m JOIN users AS u ON u.id = m.author_id;

-- Children first, so that dropping tickets orphans nothing; the renames then point every
-- reference (messages' and the merge link) at the new tables.
DROP TABLE messages;
DROP TABLE tickets;
ALTER TABLE tickets_v3 RENAME TO tickets;
ALTER TABLE messages_v3 RENAME TO messages;
CREATE INDEX messages_by_ticket ON messages (ticket_id, id);

UPDATE tickets SET
  last_message_at = (SELECT max(m.created_at) FROM messages AS m
                     WHERE m.ticket_id = tickets.id AND m.internal = 0),
  last_agent_reply_at = (SELECT max(m.created_at) FROM messages AS m
                         WHERE m.ticket_id = tickets.id AND m.author_kind = 'agent'
                           AND m.internal = 0),
  first_response_at = (SELECT min(m.created_at) FROM messages AS m
                       WHERE m.ticket_id = tickets.id AND m.author_kind = 'agent'
                         AND m.internal = 0
                         AND m.id > (SELECT min(f.id) FROM messages AS f
                                     WHERE f.ticket_id = tickets.id));

-- Queue indexes. A queue page is the union of a few index ranges, each an equality prefix
-- followed by (updated_at, id), read newest first and merged in memory. Every column a range
-- query touches is in its index, so a range never visits the table; the page's rows are then
-- fetched by rowid. The displayed columns are deliberately left out: a copy of each subject in
-- seven indexes would make every insert and status change several times dearer.
CREATE INDEX tickets_by_status ON tickets (status, updated_at DESC, id DESC);
CREATE INDEX tickets_by_requester ON tickets (requester_id, updated_at DESC, id DESC, status);
CREATE INDEX tickets_by_assignee ON tickets (assignee_id, status, updated_at DESC, id DESC, due_at);
CREATE INDEX tickets_by_department ON tickets (status, department_id, updated_at DESC, id DESC);
CREATE INDEX tickets_unassigned
  ON tickets (status, department_id, updated_at DESC, id DESC, assignee_id)
  WHERE assignee_id IS NULL;
CREATE INDEX tickets_by_organization
  ON tickets (organization_id, updated_at DESC, id DESC, status)
  WHERE organization_id IS NOT NULL;
CREATE INDEX tickets_with_due_date
  ON tickets (status, department_id, updated_at DESC, id DESC, due_at)
  WHERE due_at IS NOT NULL;

-- Tags: short lower-case labels for staff.
CREATE TABLE ticket_tags (
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  tag       TEXT NOT NULL CHECK (length(tag) BETWEEN 1 AND 50),
  PRIMARY KEY (ticket_id, tag)
) STRICT, WITHOUT ROWID;
CREATE INDEX ticket_tags_by_tag ON ticket_tags (tag, ticket_id);

-- Custom fields, defined by admins. Values are stored as canonical text: a number in shortest
-- round-trip form, a date as YYYY-MM-DD, a dropdown choice as its option value.
CREATE TABLE custom_fields (
  id                INTEGER PRIMARY KEY,
  key               TEXT NOT NULL UNIQUE CHECK (length(key) BETWEEN 1 AND 50),
  label             TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
  kind              TEXT NOT NULL CHECK (kind IN ('text', 'number', 'date', 'dropdown')),
  required          INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
  end_user_visible  INTEGER NOT NULL DEFAULT 0 CHECK (end_user_visible IN (0, 1)),
  end_user_editable INTEGER NOT NULL DEFAULT 0 CHECK (end_user_editable IN (0, 1)),
  position          INTEGER NOT NULL DEFAULT 0,
  archived_at       INTEGER,
  created_at        INTEGER NOT NULL,
  -- A customer cannot be asked to fill in a field they may not see.
  CHECK (end_user_editable <= end_user_visible)
) STRICT;
CREATE TABLE custom_field_options (
  field_id INTEGER NOT NULL REFERENCES custom_fields(id) ON DELETE CASCADE,
  value    TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 100),
  label    TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
  position INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (field_id, value)
) STRICT, WITHOUT ROWID;
CREATE TABLE ticket_field_values (
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  field_id  INTEGER NOT NULL REFERENCES custom_fields(id),
  value     TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 1000),
  PRIMARY KEY (ticket_id, field_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX ticket_field_values_by_field ON ticket_field_values (field_id, value);

-- People copied on a ticket, by address; user_id when the address belongs to a user.
CREATE TABLE ticket_ccs (
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  email     TEXT NOT NULL COLLATE NOCASE CHECK (length(email) BETWEEN 3 AND 254),
  user_id   INTEGER REFERENCES users(id),
  added_by  INTEGER REFERENCES users(id),
  added_at  INTEGER NOT NULL,
  PRIMARY KEY (ticket_id, email)
) STRICT, WITHOUT ROWID;

-- Every change to a ticket, written by the action that made it, in the same transaction.
-- actor_id is NULL for the system.
CREATE TABLE ticket_events (
  id        INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  actor_id  INTEGER REFERENCES users(id),
  at        INTEGER NOT NULL,
  field     TEXT NOT NULL CHECK (length(field) BETWEEN 1 AND 60),
  old_value TEXT,
  new_value TEXT
) STRICT;
CREATE INDEX ticket_events_by_ticket ON ticket_events (ticket_id, id);
CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
  BEGIN SELECT RAISE(ABORT, 'ticket history is append-only'); END;

-- Full-text search: one document per message, carrying its ticket's subject and requester, so
-- that "printer ana" finds Ana's printer ticket. External content (the view) keeps the text
-- stored once. The ticket actions keep the index in step, not triggers: with trusted_schema
-- off (storage hardening), a trigger may not write to a virtual table.
CREATE VIEW ticket_search_source AS
  SELECT m.id AS id, m.ticket_id AS ticket_id, t.subject AS subject, m.body AS body,
         u.name || ' ' || u.email AS requester
  FROM messages AS m
  JOIN tickets AS t ON t.id = m.ticket_id
  JOIN users AS u ON u.id = t.requester_id;
CREATE VIRTUAL TABLE ticket_search USING fts5(
  subject, body, requester,
  content = 'ticket_search_source', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO ticket_search (ticket_search) VALUES ('rebuild');
)SQL"},
      {4, "attachments",
       R"SQL(
-- Files attached to messages. The bytes live sealed under data_dir/attachments/<stored_name>
-- (random, never derived from the client's name); public_id is the only id that leaves the
-- server, and the associated data the file is sealed under, so a file moved into another's
-- place does not open. ticket_id follows the message on merge; access is decided by it.
CREATE TABLE attachments (
  id          INTEGER PRIMARY KEY,
  public_id   TEXT NOT NULL UNIQUE CHECK (length(public_id) = 32),
  ticket_id   INTEGER NOT NULL REFERENCES tickets(id),
  message_id  INTEGER NOT NULL REFERENCES messages(id),
  stored_name TEXT NOT NULL UNIQUE CHECK (length(stored_name) = 64),
  filename    TEXT NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
  type        TEXT NOT NULL CHECK (length(type) BETWEEN 1 AND 255),
  size        INTEGER NOT NULL CHECK (size >= 0),
  sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
  created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX attachments_by_ticket ON attachments (ticket_id, message_id, id);
CREATE INDEX attachments_by_message ON attachments (message_id);
)SQL"},
      {5, "access: roles of named permissions, custom staff roles, the last owner kept",
       R"SQL(
-- The built-in roles are rows too, so that every role has one name and one list; their
-- permissions are fixed in code (auth::BuiltInPermissions) and cannot be edited or deleted.
-- Custom roles are staff roles: their holders are users with role 'agent' and a role_id.
CREATE TABLE roles (
  id              INTEGER PRIMARY KEY,
  name            TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 60),
  builtin         TEXT UNIQUE CHECK (builtin IS NULL OR builtin = 'owner' OR builtin = 'admin'
                                     OR builtin = 'agent' OR builtin = 'end_user'),
  description     TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 300),
  -- 1: holders reach every department; 0: the departments listed for each holder.
  all_departments INTEGER NOT NULL DEFAULT 0 CHECK (all_departments IN (0, 1)),
  created_at      INTEGER NOT NULL
) STRICT;
INSERT INTO roles (id, name, builtin, description, all_departments, created_at) VALUES
  (1, 'Owner', 'owner', 'Everything, including making and changing owners', 1, unixepoch()),
  (2, 'Admin', 'admin', 'Everything except making or changing owners', 1, unixepoch()),
  (3, 'Agent', 'agent', 'Works tickets in their departments', 0, unixepoch()),
  (4, 'End user', 'end_user', 'Opens and follows their own tickets', 0, unixepoch());
CREATE TRIGGER roles_builtin_not_deleted BEFORE DELETE ON roles WHEN OLD.builtin IS NOT NULL
  BEGIN SELECT RAISE(ABORT, 'built-in roles cannot be deleted'); END;
CREATE TRIGGER roles_builtin_not_changed BEFORE UPDATE ON roles WHEN OLD.builtin IS NOT NULL
  BEGIN SELECT RAISE(ABORT, 'built-in roles cannot be changed'); END;

-- Names, not numbers: a permission added or retired by a later version cannot shift meaning.
CREATE TABLE role_permissions (
  role_id    INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  permission TEXT NOT NULL CHECK (length(permission) BETWEEN 1 AND 60),
  PRIMARY KEY (role_id, permission)
) STRICT, WITHOUT ROWID;

-- users.role stays the kind of account (owner, admin, staff, end user) that sign-in policy,
-- timeouts and the workspace depend on; role_id names a custom role and is only for staff.
-- NULL: the built-in role named by users.role.
ALTER TABLE users ADD COLUMN role_id INTEGER REFERENCES roles(id)
  CHECK (role_id IS NULL OR role = 'agent');
CREATE INDEX users_by_role ON users (role_id) WHERE role_id IS NOT NULL;

-- The domain refuses to remove the last active owner; these make it impossible by any path.
CREATE TRIGGER users_keep_an_owner_on_update BEFORE UPDATE OF role, disabled ON users
  WHEN OLD.role = 'owner' AND OLD.disabled = 0 AND (NEW.role <> 'owner' OR NEW.disabled <> 0)
    AND NOT EXISTS (SELECT 1 FROM users WHERE role = 'owner' AND disabled = 0 AND id <> OLD.id)
  BEGIN SELECT RAISE(ABORT, 'the last active owner cannot be removed'); END;
CREATE TRIGGER users_keep_an_owner_on_delete BEFORE DELETE ON users
  WHEN OLD.role = 'owner' AND OLD.disabled = 0
    AND NOT EXISTS (SELECT 1 FROM users WHERE role = 'owner' AND disabled = 0 AND id <> OLD.id)
  BEGIN SELECT RAISE(ABORT, 'the last active owner cannot be removed'); END;
)SQL"},
      {6, "helpdesk admin: canned responses, portal invitations and sign-up links",
       R"SQL(
-- Canned responses: owner_id NULL is a shared response (admins manage them), otherwise one
-- agent's personal response (only that agent sees and manages it).
CREATE TABLE canned_responses (
  id         INTEGER PRIMARY KEY,
  owner_id   INTEGER REFERENCES users(id) ON DELETE CASCADE,
  title      TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
  body       TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX canned_responses_by_owner ON canned_responses (owner_id, title);

-- Single-use links that let someone create an end-user account for one address: an admin's
-- invitation, or the confirmation mail of an open sign-up. Only a keyed hash of the link's
-- token is stored, so a copy of the database opens no account.
CREATE TABLE portal_invites (
  token_hash BLOB PRIMARY KEY,
  email      TEXT NOT NULL COLLATE NOCASE CHECK (length(email) BETWEEN 3 AND 254),
  kind       TEXT NOT NULL CHECK (kind = 'invite' OR kind = 'sign_up'),
  created_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
) STRICT, WITHOUT ROWID;
CREATE INDEX portal_invites_by_email ON portal_invites (email, created_at);
)SQL"},
      {7, "mail: mailboxes, every message received or sent, sanitized HTML bodies",
       R"SQL(
-- Where customers write to. Each routes new tickets to a department; the IMAP account (if any)
-- is polled, or an MTA pipes mail in with `rampart mail ingest --mailbox NAME`.
CREATE TABLE mailboxes (
  id                   INTEGER PRIMARY KEY,
  name                 TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 100),
  address              TEXT NOT NULL COLLATE NOCASE CHECK (length(address) BETWEEN 3 AND 254),
  department_id        INTEGER REFERENCES departments(id),
  imap_host            TEXT NOT NULL DEFAULT '',
  imap_port            INTEGER NOT NULL DEFAULT 993,
  imap_security        TEXT NOT NULL DEFAULT 'tls' CHECK (imap_security = 'tls'
                         OR imap_security = 'starttls'),
  imap_username        TEXT NOT NULL DEFAULT '',
  imap_password_sealed BLOB,
  imap_folder          TEXT NOT NULL DEFAULT 'INBOX',
  imap_ca_file         TEXT NOT NULL DEFAULT '',
  insecure_skip_verify INTEGER NOT NULL DEFAULT 0 CHECK (insecure_skip_verify = 0
                         OR insecure_skip_verify = 1),
  poll_seconds         INTEGER NOT NULL DEFAULT 60 CHECK (poll_seconds BETWEEN 10 AND 86400),
  enabled              INTEGER NOT NULL DEFAULT 1 CHECK (enabled = 0 OR enabled = 1),
  created_at           INTEGER NOT NULL
) STRICT;

-- Every message that came in, with what was decided about it and why. The pair (message id,
-- content hash) is unique: a message fetched twice (a crash between commit and the IMAP flag)
-- is stored once. The raw message is kept while an agent or admin may still need it (held,
-- quarantined).
CREATE TABLE mail_messages (
  id                INTEGER PRIMARY KEY,
  mailbox_id        INTEGER REFERENCES mailboxes(id),
  message_id        TEXT NOT NULL,
  content_hash      BLOB NOT NULL,
  from_address      TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
  subject           TEXT NOT NULL DEFAULT '',
  disposition       TEXT NOT NULL CHECK (disposition = 'new_ticket' OR disposition = 'reply'
                      OR disposition = 'held' OR disposition = 'quarantined'
                      OR disposition = 'ignored' OR disposition = 'bounce'),
  reason            TEXT NOT NULL DEFAULT '',
  ticket_id         INTEGER REFERENCES tickets(id),
  thread_message_id INTEGER REFERENCES messages(id),
  dkim              TEXT NOT NULL DEFAULT '',
  spf               TEXT NOT NULL DEFAULT '',
  dmarc             TEXT NOT NULL DEFAULT '',
  aligned_by        TEXT NOT NULL DEFAULT '',
  reply_token       TEXT NOT NULL DEFAULT '' CHECK (reply_token = '' OR reply_token = 'valid'
                      OR reply_token = 'invalid'),
  raw               BLOB,
  received_at       INTEGER NOT NULL,
  UNIQUE (message_id, content_hash)
) STRICT;
CREATE INDEX mail_messages_by_message_id ON mail_messages (message_id);
CREATE INDEX mail_messages_by_sender ON mail_messages (from_address, received_at);
CREATE INDEX mail_messages_waiting ON mail_messages (disposition, id)
  WHERE disposition = 'held' OR disposition = 'quarantined';

-- Message-IDs of what we sent, for threading replies that quote them.
CREATE TABLE mail_sent_ids (
  message_id TEXT PRIMARY KEY,
  ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
  recipient  TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- The sanitized HTML of a message that came as HTML mail; the text body stays the reference.
ALTER TABLE messages ADD COLUMN body_html TEXT;
)SQL"},
      {8, "outbound mail: a durable sender's state on the outbox",
       R"SQL(
-- What the sender needs to retry, give up and never send a row twice. Rows written before
-- (password resets, invitations) stay sendable: due at once, no ticket, no Message-ID yet (the
-- sender fixes one, in its own commit, before the first attempt).
ALTER TABLE outbox ADD COLUMN message_id TEXT;
ALTER TABLE outbox ADD COLUMN ticket_id INTEGER REFERENCES tickets(id);
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN failed_at INTEGER;
ALTER TABLE outbox ADD COLUMN html_body TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN in_reply_to TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN references_ids TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX outbox_by_message_id ON outbox (message_id) WHERE message_id IS NOT NULL;
-- The sender's one query: the due rows, oldest due first.
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE sent_at IS NULL AND failed_at IS NULL;
)SQL"},
      {9, "api tokens: an admin scope for the changes that need a re-authenticated session",
       R"SQL(
-- The scope CHECK cannot be altered in place; the table is rebuilt with its ids. Nothing
-- references api_tokens.
CREATE TABLE api_tokens_v9 (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  token_hash   BLOB NOT NULL UNIQUE,
  scope        TEXT NOT NULL CHECK (scope = 'read' OR scope = 'write' OR scope = 'admin'),
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at   INTEGER
) STRICT;
INSERT INTO api_tokens_v9 (id, user_id, name, token_hash, scope, created_at, last_used_at,
                           revoked_at)
  SELECT id, user_id, name, token_hash, scope, created_at, last_used_at, revoked_at
  FROM api_tokens;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_v9 RENAME TO api_tokens;
)SQL"},
      {10, "mailbox administration: what the poller last saw of each mailbox",
       R"SQL(
-- Shown on /admin/mailboxes so that an admin sees a mailbox that stopped working. The result is
-- a count or the IMAP error, which never holds credentials.
ALTER TABLE mailboxes ADD COLUMN last_poll_at INTEGER;
ALTER TABLE mailboxes ADD COLUMN last_poll_result TEXT NOT NULL DEFAULT ''
  CHECK (length(last_poll_result) <= 500);
)SQL"},
      {11, "held mail: agents release or discard what was held, once",
       R"SQL(
-- Held and quarantined mail is decided by a person: released as a new ticket or into a ticket
-- (the disposition becomes new_ticket or reply) or discarded. The disposition list needs
-- 'discarded', and a CHECK cannot be altered in SQLite: the table is rebuilt. Who decided and
-- when are kept beside the row; the raw message is dropped once nobody needs to look at it.
CREATE TABLE mail_messages_v11 (
  id                INTEGER PRIMARY KEY,
  mailbox_id        INTEGER REFERENCES mailboxes(id),
  message_id        TEXT NOT NULL,
  content_hash      BLOB NOT NULL,
  from_address      TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
  subject           TEXT NOT NULL DEFAULT '',
  disposition       TEXT NOT NULL CHECK (disposition = 'new_ticket' OR disposition = 'reply'
                      OR disposition = 'held' OR disposition = 'quarantined'
                      OR disposition = 'ignored' OR disposition = 'bounce'
                      OR disposition = 'discarded'),
  reason            TEXT NOT NULL DEFAULT '',
  ticket_id         INTEGER REFERENCES tickets(id),
  thread_message_id INTEGER REFERENCES messages(id),
  dkim              TEXT NOT NULL DEFAULT '',
  spf               TEXT NOT NULL DEFAULT '',
  dmarc             TEXT NOT NULL DEFAULT '',
  aligned_by        TEXT NOT NULL DEFAULT '',
  reply_token       TEXT NOT NULL DEFAULT '' CHECK (reply_token = '' OR reply_token = 'valid'
                      OR reply_token = 'invalid'),
  raw               BLOB,
  received_at       INTEGER NOT NULL,
  decided_by        INTEGER REFERENCES users(id),
  decided_at        INTEGER,
  UNIQUE (message_id, content_hash)
) STRICT;
INSERT INTO mail_messages_v11 (id, mailbox_id, message_id, content_hash, from_address, subject,
    disposition, reason, ticket_id, thread_message_id, dkim, spf, dmarc, aligned_by, reply_token,
    raw, received_at)
  SELECT id, mailbox_id, message_id, content_hash, from_address, subject, disposition, reason,
         ticket_id, thread_message_id, dkim, spf, dmarc, aligned_by, reply_token, raw, received_at
  FROM mail_messages;
DROP TABLE mail_messages;
ALTER TABLE mail_messages_v11 RENAME TO mail_messages;
CREATE INDEX mail_messages_by_message_id ON mail_messages (message_id);
CREATE INDEX mail_messages_by_sender ON mail_messages (from_address, received_at);
CREATE INDEX mail_messages_waiting ON mail_messages (disposition, id)
  WHERE disposition = 'held' OR disposition = 'quarantined';
-- The ticket page's one lookup: the mail record of each message in a thread.
CREATE INDEX mail_messages_by_thread_message ON mail_messages (thread_message_id)
  WHERE thread_message_id IS NOT NULL;
)SQL"},
      {12, "notification mail: templates an admin edits, one per kind",
       R"SQL(
-- A row only where an admin changed the shipped default (which lives in the code). The text is
-- plain: the HTML alternative is escaped from it when a notice is queued.
CREATE TABLE mail_templates (
  kind       TEXT PRIMARY KEY CHECK (kind = 'acknowledgement' OR kind = 'reply'
               OR kind = 'assignment' OR kind = 'customer_reply'),
  subject    TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
  body       TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id)
) STRICT, WITHOUT ROWID;
)SQL"},
      {13, "queue indexes: one range per department or assignee for views of several statuses",
       R"SQL(
-- An agent's "all" queue read one range per status for each department and for their own
-- tickets (fifteen ranges of up to a page each); with the status after the sort keys it reads
-- three, checking the status inside the index. Single-status views keep tickets_by_department.
CREATE INDEX tickets_by_department_recent
  ON tickets (department_id, updated_at DESC, id DESC, status);
DROP INDEX tickets_by_assignee;
CREATE INDEX tickets_by_assignee ON tickets (assignee_id, updated_at DESC, id DESC, status, due_at);
)SQL"},
      {14, "inline images: the Content-ID of a file that came by mail",
       R"SQL(
-- HTML mail shows its own images through cid: references to its parts; the part's Content-ID
-- (without angle brackets) is kept so that the message frame can show them. NULL for uploads.
ALTER TABLE attachments ADD COLUMN content_id TEXT
  CHECK (content_id IS NULL OR length(content_id) BETWEEN 1 AND 255);
CREATE INDEX attachments_by_content_id ON attachments (message_id, content_id)
  WHERE content_id IS NOT NULL;
)SQL"},
      {15, "search scope: who may see each indexed message, without joining message and ticket",
       R"SQL(
-- Search filtered each candidate message by joining it to its message row (bodies included)
-- and its ticket: two b-tree lookups per candidate over the whole file, ~2 ms per search at a
-- million tickets. This narrow table keyed like the full-text index carries what the
-- permission filter reads, ~25 bytes a row, so the newest candidates sit on a few pages.
-- (UNINDEXED columns in the FTS5 table would not do: with external content they are read back
-- through the content view, the same joins; with FTS5's own content every body is stored twice.)
-- Rows are written with the index (tickets::IndexMessages); the ticket's side follows by the
-- triggers below, so no code path that moves a ticket can leave a stale department behind, and
-- search still checks every hit against the ticket itself with auth::Authorize.
CREATE TABLE ticket_search_scope (
  message_id      INTEGER PRIMARY KEY,
  ticket_id       INTEGER NOT NULL,
  department_id   INTEGER,
  assignee_id     INTEGER,
  requester_id    INTEGER NOT NULL,
  organization_id INTEGER,
  internal        INTEGER NOT NULL
) STRICT;
INSERT INTO ticket_search_scope
  SELECT m.id, m.ticket_id, t.department_id, t.assignee_id, t.requester_id, t.organization_id,
         m.internal
  FROM messages AS m JOIN tickets AS t ON t.id = m.ticket_id;
-- A ticket moved to another department, (un)assigned, or with another requester or
-- organization: its messages' scope follows in the same statement's transaction.
CREATE TRIGGER ticket_search_scope_follows_ticket
  AFTER UPDATE OF department_id, assignee_id, requester_id, organization_id ON tickets
  WHEN OLD.department_id IS NOT NEW.department_id OR OLD.assignee_id IS NOT NEW.assignee_id
    OR OLD.requester_id IS NOT NEW.requester_id OR OLD.organization_id IS NOT NEW.organization_id
BEGIN
  UPDATE ticket_search_scope
    SET department_id = NEW.department_id, assignee_id = NEW.assignee_id,
        requester_id = NEW.requester_id, organization_id = NEW.organization_id
    WHERE message_id IN (SELECT id FROM messages WHERE ticket_id = NEW.id);
END;
-- A message moved to another ticket (merge) takes that ticket's scope.
CREATE TRIGGER ticket_search_scope_follows_message
  AFTER UPDATE OF ticket_id, internal ON messages
BEGIN
  UPDATE ticket_search_scope
    SET (ticket_id, department_id, assignee_id, requester_id, organization_id, internal) =
        (SELECT t.id, t.department_id, t.assignee_id, t.requester_id, t.organization_id,
                NEW.internal FROM tickets AS t WHERE t.id = NEW.ticket_id)
    WHERE message_id = NEW.id;
END;
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
