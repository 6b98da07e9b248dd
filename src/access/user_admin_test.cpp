#include "access/user_admin.h"

#include <gtest/gtest.h>

#include "access/access_review.h"
#include "access/roles.h"
#include "auth/actor.h"
#include "auth/sessions.h"
#include "core/errors.h"
#include "storage/sqlite/temp_database.h"

namespace rampart::access {
namespace {

using auth::Permission;

constexpr std::int64_t kOwnerRole = 1, kAdminRole = 2, kAgentRole = 3, kEndUserRole = 4;

class UserAdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = &temp_.Db();
    storage::Lease c = db_->Write();
    c->ExecuteScript(
        "INSERT INTO departments (id, name, created_at) VALUES (1, 'Support', 0), "
        "  (2, 'Billing', 0);"
        "INSERT INTO organizations (id, name, created_at) VALUES (1, 'Acme', 0);"
        "INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES "
        "  (1, 'olga@example.com', 'Olga Owner', 'owner', '!', 0),"
        "  (2, 'adam@example.com', 'Adam Admin', 'admin', '!', 0),"
        "  (3, 'sam@example.com', 'Sam Support', 'agent', '!', 0),"
        "  (4, 'ana@example.com', 'Ana Customer', 'end_user', '!', 0),"
        "  (5, 'hugo@example.com', 'Hugo Helper', 'agent', '!', 0);"
        "INSERT INTO user_departments (user_id, department_id) VALUES (3, 1), (5, 1);");
  }

  auth::Actor Load(std::int64_t id) {
    storage::Lease c = db_->Read();
    return auth::LoadPerson(*c, id)->actor;
  }
  UserRecord Record(std::int64_t id) {
    storage::Lease c = db_->Read();
    return *FindUserRecord(*c, id);
  }
  std::string SignIn(std::int64_t id) {
    storage::Lease c = db_->Write();
    return auth::CreateSession(*c, {id, auth::SecondFactor::kNone, "127.0.0.1", "test"}, 100, {});
  }
  bool SessionAlive(const std::string& token) {
    return auth::LoadSession(*db_, token, 101, {}).has_value();
  }
  std::int64_t AuditCount(const std::string& event) {
    storage::Lease c = db_->Read();
    return c->QueryOne("SELECT count(*) FROM audit_events WHERE event = ?", {event})->Int(0);
  }
  // A custom role holding exactly `permissions`, made by the owner.
  std::int64_t MakeRole(const std::string& name, auth::PermissionSet permissions,
                        bool all_departments = false) {
    return CreateRole(Load(1), *db_, {name, "", all_departments, permissions}, 10);
  }
  static int StatusOf(const std::function<void()>& f) {
    try {
      f();
    } catch (const core::RequestError& e) {
      return e.Status();
    }
    return 200;
  }

  storage::sqlite::TempDatabase temp_;
  storage::Database* db_ = nullptr;
};

TEST_F(UserAdminTest, BuiltInRolesKeepTheirPermissions) {
  EXPECT_EQ(Load(1).permissions, auth::PermissionSet::All());
  EXPECT_EQ(Load(2).permissions, auth::PermissionSet::All());
  EXPECT_EQ(Load(3).permissions, auth::BuiltInPermissions(auth::Role::kAgent));
  EXPECT_EQ(Load(4).permissions, auth::BuiltInPermissions(auth::Role::kEndUser));
  EXPECT_FALSE(Load(3).permissions.Has(Permission::kUserManage));
  EXPECT_TRUE(Load(2).permissions.Has(Permission::kSettingsHelpdesk));
}

TEST_F(UserAdminTest, CustomRoleGrantsExactlyItsPermissionsAtTheNextLoad) {
  const std::int64_t triage =
      MakeRole("Triage", {Permission::kTicketView, Permission::kTicketAssign});
  const std::string session = SignIn(5);
  ChangeAccess(Load(2), *db_, 5, {triage, false, {1}, std::nullopt}, 20);
  const auth::Actor hugo = Load(5);
  EXPECT_EQ(hugo.role, auth::Role::kAgent);
  EXPECT_TRUE(hugo.permissions.Has(Permission::kTicketAssign));
  EXPECT_FALSE(hugo.permissions.Has(Permission::kTicketReply));
  EXPECT_FALSE(auth::Authorize(hugo, Permission::kTicketReply));
  EXPECT_FALSE(SessionAlive(session)) << "a privilege change ends the person's sessions";
  EXPECT_EQ(AuditCount("user.access_change"), 1);
}

TEST_F(UserAdminTest, SavingTheSameAccessChangesNothingAndKeepsTheSession) {
  const std::string session = SignIn(3);
  ChangeAccess(Load(2), *db_, 3, {kAgentRole, false, {1}, std::nullopt}, 20);
  EXPECT_TRUE(SessionAlive(session));
  EXPECT_EQ(AuditCount("user.access_change"), 0);
  ChangeAccess(Load(2), *db_, 3, {kAgentRole, false, {1, 2}, std::nullopt}, 30);
  EXPECT_FALSE(SessionAlive(session));
  EXPECT_EQ(AuditCount("user.access_change"), 1);
}

TEST_F(UserAdminTest, EditingARoleAppliesToItsHoldersAndEndsTheirSessions) {
  const std::int64_t triage = MakeRole("Triage", {Permission::kTicketView});
  ChangeAccess(Load(1), *db_, 5, {triage, false, {1}, std::nullopt}, 20);
  const std::string session = SignIn(5);
  UpdateRole(Load(1), *db_, triage,
             {"Triage", "", false, {Permission::kTicketView, Permission::kTicketNote}}, 30);
  EXPECT_TRUE(Load(5).permissions.Has(Permission::kTicketNote));
  EXPECT_FALSE(SessionAlive(session));
  EXPECT_EQ(AuditCount("role.update"), 1);
}

TEST_F(UserAdminTest, RoleScopeToAllDepartmentsReachesEveryDepartment) {
  const std::int64_t roaming = MakeRole("Roaming", {Permission::kTicketView}, true);
  ChangeAccess(Load(1), *db_, 5, {roaming, false, {}, std::nullopt}, 20);
  EXPECT_TRUE(Load(5).all_departments);
  EXPECT_FALSE(Load(3).all_departments);
}

TEST_F(UserAdminTest, OnlyOwnersMakeOwners) {
  EXPECT_EQ(StatusOf([&] {
              ChangeAccess(Load(2), *db_, 3, {kOwnerRole, false, {}, {}}, 20);
            }),
            403);
  EXPECT_EQ(Record(3).kind, auth::Role::kAgent);
  EXPECT_EQ(
      StatusOf([&] {
        CreateAccount(Load(2), *db_, {"new@example.com", "", {kOwnerRole, false, {}, {}}}, {}, 20);
      }),
      403);
  ChangeAccess(Load(1), *db_, 3, {kOwnerRole, false, {}, {}}, 20);
  EXPECT_EQ(Record(3).kind, auth::Role::kOwner);
}

TEST_F(UserAdminTest, AdminCannotDemoteDisableOrRaiseAnOwnerOrThemselves) {
  EXPECT_EQ(StatusOf([&] {
              ChangeAccess(Load(2), *db_, 1, {kAgentRole, false, {}, {}}, 20);
            }),
            403);
  EXPECT_EQ(StatusOf([&] { SetDisabled(Load(2), *db_, 1, true, 20); }), 403);
  EXPECT_EQ(StatusOf([&] {
              ChangeAccess(Load(2), *db_, 2, {kOwnerRole, false, {}, {}}, 20);
            }),
            403);
  EXPECT_EQ(Record(1).kind, auth::Role::kOwner);
  EXPECT_FALSE(Record(1).disabled);
  EXPECT_EQ(Record(2).kind, auth::Role::kAdmin);
  EXPECT_EQ(AuditCount("user.access_change"), 0);
}

TEST_F(UserAdminTest, TheLastActiveOwnerStays) {
  EXPECT_EQ(StatusOf([&] {
              ChangeAccess(Load(1), *db_, 1, {kAdminRole, false, {}, {}}, 20);
            }),
            409);
  EXPECT_EQ(StatusOf([&] { SetDisabled(Load(1), *db_, 1, true, 20); }), 403);
  EXPECT_EQ(Record(1).kind, auth::Role::kOwner);
  // Not even a direct write to the database removes the last owner.
  {
    storage::Lease c = db_->Write();
    EXPECT_THROW(c->Execute("UPDATE users SET role = 'admin' WHERE id = 1"), std::exception);
    EXPECT_THROW(c->Execute("UPDATE users SET disabled = 1 WHERE id = 1"), std::exception);
    EXPECT_THROW(c->Execute("DELETE FROM users WHERE id = 1"), std::exception);
  }
  // With a second owner, the first may step down.
  ChangeAccess(Load(1), *db_, 3, {kOwnerRole, false, {}, {}}, 20);
  ChangeAccess(Load(1), *db_, 1, {kAdminRole, false, {}, {}}, 30);
  EXPECT_EQ(Record(1).kind, auth::Role::kAdmin);
  EXPECT_EQ(StatusOf([&] { SetDisabled(Load(3), *db_, 3, true, 40); }), 403);
}

TEST_F(UserAdminTest, NobodyGrantsAPermissionTheyDoNotHold) {
  // A user manager who only triages: may hand out what they hold, nothing more.
  const std::int64_t manager =
      MakeRole("People", {Permission::kUserManage, Permission::kRoleManage, Permission::kTicketView,
                          Permission::kTicketAssign});
  const std::int64_t triage = MakeRole("Triage", {Permission::kTicketView});
  ChangeAccess(Load(1), *db_, 5, {manager, false, {1}, {}}, 20);
  ChangeAccess(Load(1), *db_, 4, {triage, false, {}, {}}, 20);
  const auth::Actor hugo = Load(5);
  // The built-in agent role can reply: Hugo cannot.
  EXPECT_EQ(StatusOf([&] { ChangeAccess(hugo, *db_, 4, {kAgentRole, false, {1}, {}}, 30); }), 403);
  EXPECT_EQ(StatusOf([&] {
              CreateRole(hugo, *db_, {"Wide", "", false, {Permission::kTicketReply}}, 30);
            }),
            403);
  EXPECT_EQ(StatusOf([&] {
              UpdateRole(hugo, *db_, triage,
                         {"Triage", "", false, {Permission::kTicketView, Permission::kAuditView}},
                         30);
            }),
            403);
  // Nor every department, nor a department outside his own.
  EXPECT_EQ(StatusOf([&] { ChangeAccess(hugo, *db_, 4, {triage, true, {}, {}}, 30); }), 403);
  EXPECT_EQ(StatusOf([&] { ChangeAccess(hugo, *db_, 4, {triage, false, {2}, {}}, 30); }), 403);
  // An agent holds more than Hugo: he may not touch Sam.
  EXPECT_EQ(StatusOf([&] { SetDisabled(hugo, *db_, 3, true, 30); }), 403);
  EXPECT_EQ(Record(4).role_name, "Triage");
  EXPECT_TRUE(Record(4).departments.empty());
  EXPECT_FALSE(Record(3).disabled);
  // Within his own: allowed.
  ChangeAccess(hugo, *db_, 4, {triage, false, {1}, {}}, 40);
  ASSERT_EQ(Record(4).departments.size(), 1U);
}

TEST_F(UserAdminTest, WithoutUserManageNothingIsListedOrChanged) {
  EXPECT_EQ(StatusOf([&] { ListUsers(Load(3), *db_, {}); }), 403);
  EXPECT_EQ(StatusOf([&] {
              ChangeAccess(Load(3), *db_, 4, {kAgentRole, false, {}, {}}, 20);
            }),
            403);
  EXPECT_EQ(StatusOf([&] { SetDisabled(Load(4), *db_, 3, true, 20); }), 403);
  EXPECT_EQ(StatusOf([&] { CreateRole(Load(3), *db_, {"X", "", false, {}}, 20); }), 403);
  EXPECT_EQ(StatusOf([&] { AccessReview(Load(3), *db_); }), 403);
  EXPECT_EQ(Record(4).kind, auth::Role::kEndUser);
}

TEST_F(UserAdminTest, DisablingEndsSessionsAndIsAudited) {
  const std::string session = SignIn(3);
  SetDisabled(Load(2), *db_, 3, true, 20);
  EXPECT_TRUE(Record(3).disabled);
  EXPECT_FALSE(SessionAlive(session));
  SetDisabled(Load(2), *db_, 3, false, 30);
  EXPECT_FALSE(Record(3).disabled);
  EXPECT_EQ(AuditCount("user.disable"), 1);
  EXPECT_EQ(AuditCount("user.enable"), 1);
}

TEST_F(UserAdminTest, CreatedAccountsGetAOneTimePasswordAndTheirScope) {
  const CreatedAccount a = CreateAccount(
      Load(2), *db_, {"bea@example.com", "Bea", {kAgentRole, false, {2}, {}}}, {}, 20);
  EXPECT_GE(a.one_time_password.size(), 15U);
  const UserRecord bea = Record(a.id);
  EXPECT_EQ(bea.kind, auth::Role::kAgent);
  ASSERT_EQ(bea.departments.size(), 1U);
  EXPECT_EQ(bea.departments[0].name, "Billing");
  const CreatedAccount c =
      CreateAccount(Load(2), *db_, {"cid@example.com", "", {kEndUserRole, false, {}, 1}}, {}, 20);
  EXPECT_EQ(Record(c.id).organization->name, "Acme");
  EXPECT_EQ(StatusOf([&] {
              CreateAccount(Load(2), *db_, {"dee@example.com", "", {kEndUserRole, false, {1}, {}}},
                            {}, 20);
            }),
            422);
  EXPECT_EQ(AuditCount("user.create"), 2);
}

TEST_F(UserAdminTest, BuiltInRolesCannotBeChangedAndUsedRolesCannotBeDeleted) {
  EXPECT_EQ(StatusOf([&] {
              UpdateRole(Load(1), *db_, kAgentRole, {"Agent", "", true, {}}, 20);
            }),
            403);
  EXPECT_EQ(StatusOf([&] { DeleteRole(Load(1), *db_, kAgentRole, 20); }), 403);
  const std::int64_t triage = MakeRole("Triage", {Permission::kTicketView});
  ChangeAccess(Load(1), *db_, 5, {triage, false, {}, {}}, 20);
  EXPECT_EQ(StatusOf([&] { DeleteRole(Load(1), *db_, triage, 30); }), 409);
  EXPECT_EQ(StatusOf([&] { MakeRole("agent", {}); }), 409) << "names are unique, case aside";
  ChangeAccess(Load(1), *db_, 5, {kAgentRole, false, {}, {}}, 40);
  DeleteRole(Load(1), *db_, triage, 50);
  EXPECT_EQ(ListRoles(Load(1), *db_).size(), 4U);
}

TEST_F(UserAdminTest, AccessReviewListsStaffWithPermissionsAndTokens) {
  const auto review = AccessReview(Load(2), *db_);
  ASSERT_EQ(review.size(), 4U);  // owner, admin, two agents; never the end user
  for (const auto& e : review) EXPECT_NE(e.user.kind, auth::Role::kEndUser);
  const std::string json = ReviewJson(review, 0);
  EXPECT_NE(json.find("\"email\":\"sam@example.com\""), std::string::npos);
  EXPECT_NE(json.find("\"ticket.reply\""), std::string::npos);
  EXPECT_EQ(json.find("ana@example.com"), std::string::npos);
}

}  // namespace
}  // namespace rampart::access
