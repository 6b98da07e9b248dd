#include "storage/sqlite/sqlite_database.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "storage/sqlite/migrations.h"

namespace rampart::storage::sqlite {
namespace {

class SqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/rampart-unit-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    Options options;
    options.path = dir_ / "test.db";
    options.read_connections = 2;
    db_ = Open(options);
    Migrate(*db_);
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(SqliteTest, TwoArgumentFts3TokenizerIsDisabled) {
  Lease c = db_->Write();
  // Under SQL injection this returns a pointer an attacker can swap (Debian enables it).
  EXPECT_THROW(c->Query("SELECT fts3_tokenizer('simple', x'0000000000000000')"), DatabaseError);
}

TEST_F(SqliteTest, DoubleQuotedStringsAreIdentifiersOnly) {
  Lease c = db_->Write();
  EXPECT_THROW(c->Query("SELECT \"not_a_column\" FROM settings"), DatabaseError);
}

TEST_F(SqliteTest, DefensiveModeBlocksSchemaWrites) {
  Lease c = db_->Write();
  EXPECT_THROW(c->ExecuteScript("PRAGMA writable_schema = ON; "
                                "UPDATE sqlite_schema SET sql = 'x' WHERE name = 'settings';"),
               DatabaseError);
}

TEST_F(SqliteTest, ExtensionsCannotBeLoaded) {
  Lease c = db_->Write();
  EXPECT_THROW(c->Query("SELECT load_extension('/lib/x86_64-linux-gnu/libc.so.6')"), DatabaseError);
}

TEST_F(SqliteTest, ScanReadsColumnsInPlaceAndChecksTheirTypes) {
  Lease c = db_->Read();
  int rows = 0;
  const std::vector<Value> params{std::string("a\0b", 3), std::int64_t{7}};
  c->Scan("SELECT ?, ?, NULL, '' UNION ALL SELECT 'x', -1, 5, 'y'", params,
          [&](const RowView& row) {
            if (rows++ == 0) {
              EXPECT_EQ(row.Text(0), std::string_view("a\0b", 3));  // embedded NUL kept
              EXPECT_EQ(row.Int(1), 7);
              EXPECT_TRUE(row.IsNull(2));
              EXPECT_EQ(row.OptionalInt(2), std::nullopt);
              EXPECT_EQ(row.Text(3), "");
            } else {
              EXPECT_EQ(row.Text(0), "x");
              EXPECT_EQ(row.OptionalInt(2), 5);
            }
            EXPECT_THROW((void)row.Int(0), std::logic_error);   // text read as an integer
            EXPECT_THROW((void)row.Text(1), std::logic_error);  // an integer read as text
            EXPECT_THROW((void)row.Int(4), std::logic_error);   // past the last column
          });
  EXPECT_EQ(rows, 2);
  // The statement was reset: it runs again with other values.
  c->Scan("SELECT ?, ?, NULL, '' UNION ALL SELECT 'x', -1, 5, 'y'",
          std::vector<Value>{std::string("z"), std::int64_t{1}},
          [&](const RowView& row) { rows += row.IsNull(2) ? 1 : 0; });
  EXPECT_EQ(rows, 3);
}

TEST_F(SqliteTest, ConnectionsUseWalAndForeignKeys) {
  Lease c = db_->Read();
  EXPECT_EQ(c->QueryOne("PRAGMA journal_mode")->Text(0), "wal");
  EXPECT_EQ(c->QueryOne("PRAGMA foreign_keys")->Int(0), 1);
  Lease w = db_->Write();
  EXPECT_EQ(w->QueryOne("PRAGMA synchronous")->Int(0), 2);  // FULL
  EXPECT_EQ(w->QueryOne("PRAGMA journal_size_limit")->Int(0), 64 * 1024 * 1024);
  // Savepoint sub-journals of a group commit stay in memory; readers' sorts may spill to disk.
  EXPECT_EQ(w->QueryOne("PRAGMA temp_store")->Int(0), 2);  // MEMORY
  EXPECT_EQ(c->QueryOne("PRAGMA temp_store")->Int(0), 0);  // DEFAULT (file)
  EXPECT_THROW(w->Execute("INSERT INTO user_departments (user_id, department_id) VALUES (99, 99)"),
               DatabaseError);
}

// The WAL goes back into the database file on the checkpoint thread (the writer's automatic
// checkpoint is replaced by it): after some 8 MB of commits the file holds the pages, and a
// commit never waits for that copy. Were the thread broken, the WAL would only grow.
TEST_F(SqliteTest, TheWalIsCopiedBackInTheBackground) {
  const auto file_size = [&] { return std::filesystem::file_size(dir_ / "test.db"); };
  const auto before = file_size();
  {
    Lease w = db_->Write();
    w->Execute("CREATE TABLE filler (bytes BLOB NOT NULL) STRICT");
    for (int commit = 0; commit < 20; ++commit) {
      Transaction tx(*w);
      for (int row = 0; row < 100; ++row) {
        w->Execute("INSERT INTO filler (bytes) VALUES (randomblob(4000))");
      }
      tx.Commit();
    }
  }
  for (int i = 0; i < 100 && file_size() < before + 4 * 1024 * 1024; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_GE(file_size(), before + 4 * 1024 * 1024);
  Lease r = db_->Read();
  EXPECT_EQ(r->QueryOne("SELECT count(*) FROM filler")->Int(0), 2000);
}

TEST_F(SqliteTest, ReadConnectionsCannotWrite) {
  Lease c = db_->Read();
  EXPECT_THROW(c->Execute("INSERT INTO settings (key, value) VALUES ('a', 'b')"), DatabaseError);
}

TEST_F(SqliteTest, ParametersAreNeverInterpretedAsSql) {
  const std::string hostile = "x'); DROP TABLE settings; --";
  {
    Lease c = db_->Write();
    c->Execute("INSERT INTO settings (key, value) VALUES (?, ?)", {hostile, std::string("v")});
  }
  Lease r = db_->Read();
  EXPECT_EQ(r->QueryOne("SELECT key FROM settings")->Text(0), hostile);
}

TEST_F(SqliteTest, TransactionRollsBackUnlessCommitted) {
  {
    Lease c = db_->Write();
    Transaction tx(*c);
    c->Execute("INSERT INTO settings (key, value) VALUES ('k', 'v')");
    // no Commit: leaving the scope undoes the insert
  }
  Lease r = db_->Read();
  EXPECT_EQ(r->QueryOne("SELECT count(*) FROM settings")->Int(0), 0);
}

TEST_F(SqliteTest, ConstraintViolationsAreReported) {
  Lease c = db_->Write();
  c->Execute("INSERT INTO settings (key, value) VALUES ('k', 'v')");
  try {
    c->Execute("INSERT INTO settings (key, value) VALUES ('k', 'w')");
    FAIL() << "duplicate key accepted";
  } catch (const DatabaseError& e) {
    EXPECT_TRUE(e.IsConstraintViolation());
  }
}

TEST_F(SqliteTest, MigrationsAreIdempotent) {
  EXPECT_EQ(Migrate(*db_), 0);
  EXPECT_EQ(SchemaVersion(*db_), Migrations().back().version);
}

TEST_F(SqliteTest, BackupIsAConsistentCopy) {
  {
    Lease c = db_->Write();
    c->Execute("INSERT INTO settings (key, value) VALUES ('k', 'v')");
  }
  const auto copy = dir_ / "copy.db";
  db_->Backup(copy);
  Options options;
  options.path = copy;
  auto restored = Open(options);
  Lease r = restored->Read();
  EXPECT_EQ(r->QueryOne("SELECT value FROM settings WHERE key = 'k'")->Text(0), "v");
}

}  // namespace
}  // namespace rampart::storage::sqlite
