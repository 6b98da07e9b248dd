#include "tickets/user_names.h"

#include <gtest/gtest.h>

#include "tickets/tickets_test_support.h"

namespace rampart::tickets {
namespace {

using UserNamesTest = testing::TicketsTest;

TEST_F(UserNamesTest, ReadsANameOnceThenKeepsIt) {
  UserNameCache names;
  storage::Lease c = db_->Read();
  EXPECT_EQ(names.Get(*c, 10), "Ana Acme");
  EXPECT_EQ(names.Get(*c, 20), "Sam Support");
  EXPECT_EQ(names.Get(*c, 10), "Ana Acme");
  EXPECT_EQ(names.Size(), 2U);
}

TEST_F(UserNamesTest, AnUnknownIdIsEmptyAndNotKept) {
  UserNameCache names;
  {
    storage::Lease c = db_->Read();
    EXPECT_EQ(names.Get(*c, 99), "");
    EXPECT_EQ(names.Size(), 0U);
  }
  // Someone made later under that id is shown by their own name.
  {
    storage::Lease w = db_->Write();
    w->Execute(
        "INSERT INTO users (id, email, name, role, password_hash, created_at) "
        "VALUES (99, 'new@example.com', 'New Person', 'end_user', '!', 0)");
  }
  storage::Lease c = db_->Read();
  EXPECT_EQ(names.Get(*c, 99), "New Person");
}

TEST_F(UserNamesTest, HostileNamesComeBackAsStored) {
  // Names are data: escaping is the writers' (JSON, templates), never the cache's.
  const std::string hostile = "\"><img src=x onerror=alert(1)><script>alert(1)</script>";
  {
    storage::Lease w = db_->Write();
    w->Execute(
        "INSERT INTO users (id, email, name, role, password_hash, created_at) "
        "VALUES (98, 'x@example.com', ?, 'end_user', '!', 0)",
        {hostile});
  }
  UserNameCache names;
  storage::Lease c = db_->Read();
  EXPECT_EQ(names.Get(*c, 98), hostile);
}

}  // namespace
}  // namespace rampart::tickets
