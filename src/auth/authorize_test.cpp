#include "auth/authorize.h"

#include <gtest/gtest.h>

namespace rampart::auth {
namespace {

Actor Person(std::int64_t id, Role role) {
  Actor a;
  a.user_id = id;
  a.role = role;
  a.permissions = BuiltInPermissions(role);
  return a;
}

TEST(Authorize, EndUserSeesOwnTicketsOnly) {
  const Actor ana = Person(10, Role::kEndUser);
  TicketFacts own{10, std::nullopt, 1, std::nullopt};
  TicketFacts other{11, std::nullopt, 1, std::nullopt};
  EXPECT_TRUE(Authorize(ana, Permission::kTicketView, &own));
  EXPECT_TRUE(Authorize(ana, Permission::kTicketReply, &own));
  EXPECT_FALSE(Authorize(ana, Permission::kTicketView, &other));
  EXPECT_EQ(Authorize(ana, Permission::kTicketView, &other).reason, "not_requester");
}

TEST(Authorize, EndUserNeverWritesInternalNotesOrAssigns) {
  const Actor ana = Person(10, Role::kEndUser);
  TicketFacts own{10, std::nullopt, 1, std::nullopt};
  EXPECT_FALSE(Authorize(ana, Permission::kTicketNote, &own));
  EXPECT_FALSE(Authorize(ana, Permission::kTicketAssign, &own));
  EXPECT_FALSE(Authorize(ana, Permission::kTicketMerge, &own));
  EXPECT_FALSE(Authorize(ana, Permission::kUserManage));
}

TEST(Authorize, OrganizationSharingIsOptIn) {
  Actor ana = Person(10, Role::kEndUser);
  ana.organization_id = 5;
  TicketFacts colleague{11, 5, 1, std::nullopt};
  EXPECT_FALSE(Authorize(ana, Permission::kTicketView, &colleague));
  ana.organization_shares_tickets = true;
  EXPECT_TRUE(Authorize(ana, Permission::kTicketView, &colleague));
  TicketFacts stranger{12, 6, 1, std::nullopt};
  EXPECT_FALSE(Authorize(ana, Permission::kTicketView, &stranger));
}

TEST(Authorize, AgentsAreScopedToTheirDepartments) {
  Actor agent = Person(20, Role::kAgent);
  agent.department_ids = {1};
  TicketFacts mine{10, std::nullopt, 1, std::nullopt};
  TicketFacts billing{10, std::nullopt, 2, std::nullopt};
  TicketFacts shared_inbox{10, std::nullopt, std::nullopt, std::nullopt};
  TicketFacts assigned_to_me{10, std::nullopt, 2, 20};
  EXPECT_TRUE(Authorize(agent, Permission::kTicketNote, &mine));
  EXPECT_FALSE(Authorize(agent, Permission::kTicketView, &billing));
  EXPECT_EQ(Authorize(agent, Permission::kTicketView, &billing).reason, "outside_department");
  EXPECT_TRUE(Authorize(agent, Permission::kTicketView, &shared_inbox));
  EXPECT_TRUE(Authorize(agent, Permission::kTicketView, &assigned_to_me));
  agent.all_departments = true;
  EXPECT_TRUE(Authorize(agent, Permission::kTicketView, &billing));
  EXPECT_FALSE(Authorize(agent, Permission::kUserManage));
}

TEST(Authorize, AdminsAndOwnersReachEverything) {
  TicketFacts any{10, std::nullopt, 9, std::nullopt};
  for (Role role : {Role::kAdmin, Role::kOwner}) {
    EXPECT_TRUE(Authorize(Person(1, role), Permission::kTicketDelete, &any));
    EXPECT_TRUE(Authorize(Person(1, role), Permission::kSettingsSecurity));
  }
}

TEST(Authorize, ReadOnlyTokensCannotWrite) {
  Actor admin = Person(1, Role::kAdmin);
  admin.channel = Actor::Channel::kApi;
  admin.read_only = true;
  TicketFacts any{10, std::nullopt, 1, std::nullopt};
  EXPECT_TRUE(Authorize(admin, Permission::kTicketView, &any));
  EXPECT_EQ(Authorize(admin, Permission::kTicketReply, &any).reason, "read_only_token");
}

TEST(Authorize, AnonymousGetsNothing) {
  EXPECT_FALSE(Authorize(Actor{}, Permission::kTicketView));
  EXPECT_FALSE(Authorize(Actor{}, Permission::kTicketCreate));
}

}  // namespace
}  // namespace rampart::auth

namespace rampart::auth {
namespace {

TEST(Authorize, DecidesFromTheActorsPermissionsNotItsRoleName) {
  // A custom staff role: triage without replying.
  Actor triage;
  triage.user_id = 40;
  triage.role = Role::kAgent;
  triage.permissions = {Permission::kTicketView, Permission::kTicketAssign};
  triage.department_ids = {1};
  TicketFacts support{10, std::nullopt, 1, std::nullopt};
  TicketFacts billing{10, std::nullopt, 2, std::nullopt};
  EXPECT_TRUE(Authorize(triage, Permission::kTicketAssign, &support));
  EXPECT_EQ(Authorize(triage, Permission::kTicketReply, &support).reason, "role_lacks_permission");
  EXPECT_EQ(Authorize(triage, Permission::kTicketView, &billing).reason, "outside_department");
  // The same role kind with no permissions at all can do nothing.
  triage.permissions = {};
  EXPECT_FALSE(Authorize(triage, Permission::kTicketView, &support));
}

TEST(PermissionSet, NamesParseBackAndSubsetsAreExact) {
  for (int i = 0; i < kPermissionCount; ++i) {
    const auto p = static_cast<Permission>(i);
    EXPECT_EQ(ParsePermission(PermissionName(p)), p);
    EXPECT_FALSE(PermissionDescription(p).empty());
  }
  EXPECT_EQ(ParsePermission("ticket.everything"), std::nullopt);
  EXPECT_EQ(PermissionName(Permission::kSettingsHelpdesk), "settings.helpdesk");
  const PermissionSet agent = BuiltInPermissions(Role::kAgent);
  EXPECT_TRUE(BuiltInPermissions(Role::kEndUser).SubsetOf(agent));
  EXPECT_FALSE(agent.SubsetOf(BuiltInPermissions(Role::kEndUser)));
  EXPECT_TRUE(agent.SubsetOf(PermissionSet::All()));
  EXPECT_EQ(agent.Minus(PermissionSet{Permission::kTicketView}).List().size(),
            agent.List().size() - 1);
  EXPECT_EQ((PermissionSet{Permission::kTicketView, Permission::kAuditView}).Names(),
            "ticket.view audit.view");
}

TEST(Authorize, HelpdeskSettingsAreForOwnersAndAdmins) {
  EXPECT_EQ(PermissionName(Permission::kSettingsHelpdesk), "settings.helpdesk");
  for (Role role : {Role::kAdmin, Role::kOwner}) {
    EXPECT_TRUE(Authorize(Person(1, role), Permission::kSettingsHelpdesk));
    EXPECT_TRUE(HasAnyAdminPermission(Person(1, role)));
  }
  for (Role role : {Role::kAgent, Role::kEndUser}) {
    EXPECT_FALSE(Authorize(Person(1, role), Permission::kSettingsHelpdesk));
    EXPECT_FALSE(HasAnyAdminPermission(Person(1, role)));
  }
  EXPECT_FALSE(HasAnyAdminPermission(Actor{}));
}

}  // namespace
}  // namespace rampart::auth
