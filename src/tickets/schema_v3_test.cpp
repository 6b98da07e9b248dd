// Schema version 3 (the ticket domain's tables), applied to a helpdesk that already has
// version 2 data: nothing may be lost, and what v3 adds must be filled in.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_database.h"
#include "tickets/get_ticket.h"
#include "tickets/search.h"

namespace rampart::tickets {
namespace {

class SchemaV3Test : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/rampart-schema-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    storage::sqlite::Options options;
    options.path = dir_ / "test.db";
    db_ = storage::sqlite::Open(options);
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::int64_t Count(const storage::Sql& sql) {
    storage::Lease c = db_->Read();
    return c->QueryOne(sql)->Int(0);
  }
  std::filesystem::path dir_;
  std::unique_ptr<storage::Database> db_;
};

TEST_F(SchemaV3Test, UpgradesAVersion2HelpdeskKeepingEveryTicketAndMessage) {
  {
    storage::Lease c = db_->Write();
    c->ExecuteScript(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at INTEGER NOT NULL) STRICT;");
    for (const auto& m : storage::sqlite::Migrations()) {
      if (m.version > 2) continue;
      c->ExecuteScript(m.script);
      c->Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 0)",
                 {std::int64_t{m.version}, std::string(m.name)});
    }
    c->ExecuteScript(
        "INSERT INTO organizations (id, name, shared_tickets, created_at) VALUES (1, 'Acme', 1, 0);"
        "INSERT INTO departments (id, name, created_at) VALUES (1, 'Support', 0);"
        "INSERT INTO users (id, email, name, role, password_hash, organization_id, created_at) "
        "VALUES (10, 'ana@acme.example', 'Ana Acme', 'end_user', '!', 1, 0),"
        "  (20, 'sam@rampart.example', 'Sam Support', 'agent', '!', NULL, 0);"
        "INSERT INTO tickets (id, number, subject, requester_id, status, priority, "
        "  department_id, assignee_id, created_at, updated_at) VALUES "
        "  (1, 1001, 'Printer offline', 10, 'solved', 'high', 1, 20, 100, 900),"
        "  (2, 1002, 'Invoice wrong', 10, 'open', 'normal', NULL, NULL, 200, 200);"
        "INSERT INTO messages (id, ticket_id, author_id, body, internal, created_at) VALUES "
        "  (1, 1, 10, 'It stopped printing.', 0, 100),"
        "  (2, 1, 20, 'Known driver bug.', 1, 300),"
        "  (3, 1, 20, 'Fixed, please retry.', 0, 600),"
        "  (4, 2, 10, 'Charged twice.', 0, 200);");
  }
  EXPECT_EQ(storage::sqlite::Migrate(*db_),
            static_cast<int>(storage::sqlite::Migrations().size()) - 2);

  EXPECT_EQ(Count("SELECT count(*) FROM tickets"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM messages"), 4);
  EXPECT_EQ(Count("SELECT organization_id FROM tickets WHERE id = 1"), 1);
  EXPECT_EQ(Count("SELECT solved_at FROM tickets WHERE id = 1"), 900);
  EXPECT_EQ(Count("SELECT count(*) FROM tickets WHERE id = 2 AND solved_at IS NULL"), 1);
  EXPECT_EQ(Count("SELECT first_response_at FROM tickets WHERE id = 1"), 600);
  EXPECT_EQ(Count("SELECT last_agent_reply_at FROM tickets WHERE id = 1"), 600);
  EXPECT_EQ(Count("SELECT last_message_at FROM tickets WHERE id = 1"), 600);
  EXPECT_EQ(Count("SELECT count(*) FROM tickets WHERE id = 2 AND first_response_at IS NULL"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM messages WHERE author_kind = 'agent'"), 2);
  // Every reference still points at a row, and the rebuilt tables kept their constraints.
  EXPECT_EQ(Count("SELECT count(*) FROM pragma_foreign_key_check"), 0);
  {
    storage::Lease c = db_->Write();
    EXPECT_THROW(c->Execute("UPDATE tickets SET status = 'lost' WHERE id = 1"),
                 storage::DatabaseError);
    EXPECT_THROW(c->Execute("INSERT INTO messages (ticket_id, author_id, body, created_at, "
                            "author_kind) VALUES (99, 10, 'x', 0, 'end_user')"),
                 storage::DatabaseError);
    EXPECT_NO_THROW(c->Execute(
        "INSERT INTO ticket_search (ticket_search, rank) VALUES ('integrity-check', 1)"));
  }
  // The old messages are searchable, and the thread reads as before.
  auth::Actor sam;
  sam.user_id = 20;
  sam.role = auth::Role::kAgent;
  sam.permissions = auth::BuiltInPermissions(sam.role);
  sam.department_ids = {1};
  EXPECT_EQ(SearchTickets(sam, *db_, {"printing", 20}).size(), 1U);
  EXPECT_EQ(GetTicket(sam, *db_, "RMP-1001").thread.size(), 3U);
}

TEST_F(SchemaV3Test, HotTablesHaveNoInListChecks) {
  // An IN list of more than two constants in a CHECK builds a temporary b-tree per row written.
  storage::sqlite::Migrate(*db_);
  storage::Lease c = db_->Read();
  for (const char* table : {"tickets", "messages", "ticket_tags", "ticket_events",
                            "ticket_field_values", "ticket_ccs"}) {
    const auto row = c->QueryOne("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?",
                                 {std::string(table)});
    ASSERT_TRUE(row) << table;
    EXPECT_EQ(row->Text(0).find(" IN ("), std::string::npos) << table;
  }
}

}  // namespace
}  // namespace rampart::tickets
