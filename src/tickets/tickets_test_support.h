#pragma once
// A real SQLite helpdesk in a temporary directory, with the people every ticket test needs.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "auth/authorize.h"
#include "auth/secret_box.h"
#include "storage/database.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_database.h"
#include "storage/sqlite/temp_database.h"
#include "tickets/attachments.h"
#include "tickets/create_ticket.h"
#include "tickets/ticket.h"

namespace rampart::tickets::testing {

// Files stored under `dir` with a fixed test key and the default limits.
inline AttachmentStore TestAttachmentStore(const std::filesystem::path& dir) {
  return AttachmentStore(
      dir, std::make_shared<auth::SecretBox>(auth::ServerKey::FromBytes(std::string(32, 'f'), 1)),
      {});
}

class TicketsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = &temp_.Db();
    storage::Lease c = db_->Write();
    c->ExecuteScript(
        "INSERT INTO departments (id, name, created_at) VALUES (1, 'Support', 0), "
        "  (2, 'Billing', 0), (3, 'Security', 0);"
        "INSERT INTO organizations (id, name, shared_tickets, created_at) VALUES "
        "  (1, 'Acme', 1, 0), (2, 'Globex', 0, 0);"
        "INSERT INTO users (id, email, name, role, password_hash, organization_id, created_at) "
        "VALUES (10, 'ana@acme.example', 'Ana Acme', 'end_user', '!', 1, 0),"
        "  (11, 'ben@acme.example', 'Ben Acme', 'end_user', '!', 1, 0),"
        "  (12, 'carl@example.com', 'Carl Solo', 'end_user', '!', NULL, 0),"
        "  (13, 'gina@globex.example', 'Gina Globex', 'end_user', '!', 2, 0),"
        "  (14, 'gus@globex.example', 'Gus Globex', 'end_user', '!', 2, 0),"
        "  (20, 'sam@rampart.example', 'Sam Support', 'agent', '!', NULL, 0),"
        "  (21, 'bill@rampart.example', 'Bill Billing', 'agent', '!', NULL, 0),"
        "  (22, 'rita@rampart.example', 'Rita Roaming', 'agent', '!', NULL, 0),"
        "  (30, 'ada@rampart.example', 'Ada Admin', 'admin', '!', NULL, 0);"
        "UPDATE users SET all_departments = 1 WHERE id = 22;"
        "INSERT INTO user_departments (user_id, department_id) VALUES (20, 1), (21, 2);");
  }

  static auth::Actor EndUser(std::int64_t id, std::optional<std::int64_t> org = std::nullopt,
                             bool shares = false) {
    auth::Actor a;
    a.user_id = id;
    a.role = auth::Role::kEndUser;
    a.permissions = auth::BuiltInPermissions(a.role);
    a.organization_id = org;
    a.organization_shares_tickets = shares;
    return a;
  }
  static auth::Actor Agent(std::int64_t id, std::vector<std::int64_t> departments,
                           bool all_departments = false) {
    auth::Actor a;
    a.user_id = id;
    a.role = auth::Role::kAgent;
    a.permissions = auth::BuiltInPermissions(a.role);
    a.department_ids = std::move(departments);
    a.all_departments = all_departments;
    return a;
  }
  static auth::Actor Admin(std::int64_t id = 30) {
    auth::Actor a;
    a.user_id = id;
    a.role = auth::Role::kAdmin;
    a.permissions = auth::BuiltInPermissions(a.role);
    return a;
  }

  // The people of SetUp, as their sessions would build them.
  const auth::Actor ana_ = EndUser(10, 1, true);
  const auth::Actor ben_ = EndUser(11, 1, true);
  const auth::Actor carl_ = EndUser(12);
  const auth::Actor gina_ = EndUser(13, 2, false);
  const auth::Actor sam_ = Agent(20, {1});        // Support
  const auth::Actor bill_ = Agent(21, {2});       // Billing
  const auth::Actor rita_ = Agent(22, {}, true);  // every department
  const auth::Actor ada_ = Admin();

  // Opens a ticket as `actor` and returns its public number ("RMP-1001").
  std::string Open(const auth::Actor& actor, const std::string& subject = "Printer offline",
                   std::optional<std::int64_t> department = 1,
                   const std::string& body = "It stopped printing this morning.") {
    NewTicket t;
    t.subject = subject;
    t.body = body;
    t.department_id = department;
    return FormatTicketNumber(CreateTicket(actor, *db_, t, Tick()).number);
  }

  // Each call is one second later: tests see a strict order without sleeping.
  std::int64_t Tick() { return now_ += 1; }

  std::int64_t Count(const storage::Sql& sql) {
    storage::Lease c = db_->Read();
    return c->QueryOne(sql)->Int(0);
  }

  // Everything an action could change, as one string: equal before and after a refused action
  // means the refusal changed nothing.
  std::string Fingerprint() {
    storage::Lease c = db_->Read();
    std::string out;
    const auto add = [&](const storage::Sql& sql) {
      const auto row = c->QueryOne(sql);
      out += row && !row->IsNull(0) ? row->Text(0) : std::string("-");
      out += "|";
    };
    add("SELECT group_concat(id || ':' || status || ':' || priority || ':' || "
        "coalesce(department_id, '') || ':' || coalesce(assignee_id, '') || ':' || updated_at "
        "|| ':' || coalesce(due_at, '') || ':' || coalesce(merged_into_id, '') || ':' || "
        "coalesce(first_response_at, '') || ':' || coalesce(solved_at, ''), ';') FROM tickets");
    add("SELECT group_concat(id || ':' || ticket_id || ':' || internal || ':' || length(body), "
        "';') FROM messages");
    add("SELECT group_concat(ticket_id || ':' || tag, ';') FROM ticket_tags");
    add("SELECT group_concat(ticket_id || ':' || field_id || ':' || value, ';') "
        "FROM ticket_field_values");
    add("SELECT group_concat(ticket_id || ':' || email, ';') FROM ticket_ccs");
    add("SELECT CAST(count(*) AS TEXT) FROM ticket_events");
    add("SELECT CAST(count(*) AS TEXT) FROM audit_events");
    add("SELECT CAST(count(*) AS TEXT) FROM ticket_search_docsize");
    return out;
  }

  // FTS5's own check that the index holds exactly what the messages say.
  void ExpectSearchIndexConsistent() {
    storage::Lease c = db_->Write();
    EXPECT_NO_THROW(c->Execute(
        "INSERT INTO ticket_search (ticket_search, rank) VALUES ('integrity-check', 1)"));
  }

  storage::sqlite::TempDatabase temp_;
  storage::Database* db_ = nullptr;
  std::int64_t now_ = 1'750'000'000;
};

}  // namespace rampart::tickets::testing
