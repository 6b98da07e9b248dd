#include "tickets/helpdesk_admin.h"

#include <gtest/gtest.h>

#include "core/errors.h"
#include "tickets/get_ticket.h"
#include "tickets/history.h"
#include "tickets/tickets_test_support.h"

namespace rampart::tickets {
namespace {

using testing::TicketsTest;

constexpr const char* kScript = "<script>alert(1)</script>";
constexpr const char* kImg = "\"><img src=x onerror=alert(1)>";

class HelpdeskAdminTest : public TicketsTest {
 protected:
  std::string Everything() {
    storage::Lease c = db_->Read();
    std::string out = Fingerprint();
    for (const storage::Row& row :
         c->Query("SELECT 'o' || id || name || shared_tickets FROM organizations UNION ALL "
                  "SELECT 'd' || id || name FROM departments UNION ALL "
                  "SELECT 'm' || user_id || ':' || department_id FROM user_departments UNION ALL "
                  "SELECT 'f' || id || label || required || coalesce(archived_at, '-') "
                  "FROM custom_fields UNION ALL "
                  "SELECT 'p' || field_id || value || label FROM custom_field_options")) {
      out += row.Text(0) + ";";
    }
    return out;
  }
  template <typename E, typename F>
  void ExpectRefused(F&& action) {
    const std::string before = Everything();
    EXPECT_THROW(action(), E);
    EXPECT_EQ(Everything(), before);
  }
  std::int64_t AuditCount(const storage::Sql& sql) { return Count(sql); }
};

TEST_F(HelpdeskAdminTest, AdminCreatesRenamesAndSharesAnOrganizationWithAudit) {
  const std::int64_t id = CreateOrganization(ada_, *db_, "  Initech  ", false, Tick());
  EditOrganization(ada_, *db_, id, "Initech Ltd", false, Tick());
  EditOrganization(ada_, *db_, id, "Initech Ltd", true, Tick());
  EditOrganization(ada_, *db_, id, "Initech Ltd", true, Tick());  // no change, no event
  const auto detail = GetOrganization(ada_, *db_, id);
  EXPECT_EQ(detail.organization.name, "Initech Ltd");
  EXPECT_TRUE(detail.organization.shared_tickets);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE event LIKE 'organization.%'"), 3);
  const auto acme = GetOrganization(ada_, *db_, 1);
  ASSERT_EQ(acme.members.size(), 2U);
  EXPECT_EQ(acme.members[0].name, "Ana Acme");
}

TEST_F(HelpdeskAdminTest, OrganizationNamesAreCheckedAndKeptVerbatim) {
  ExpectRefused<core::Invalid>([&] { CreateOrganization(ada_, *db_, "acme", false, Tick()); });
  ExpectRefused<core::Invalid>([&] { CreateOrganization(ada_, *db_, "   ", false, Tick()); });
  ExpectRefused<core::Invalid>(
      [&] { CreateOrganization(ada_, *db_, std::string(201, 'x'), false, Tick()); });
  ExpectRefused<core::Invalid>([&] { CreateOrganization(ada_, *db_, "a\nb", false, Tick()); });
  ExpectRefused<core::Invalid>([&] { EditOrganization(ada_, *db_, 2, "ACME", true, Tick()); });
  ExpectRefused<core::NotFound>([&] { EditOrganization(ada_, *db_, 99, "New", true, Tick()); });
  try {
    CreateOrganization(ada_, *db_, "acme", false, Tick());
  } catch (const core::Invalid& e) {
    EXPECT_EQ(e.Field(), "name");
  }
  const std::int64_t id = CreateOrganization(ada_, *db_, kScript, false, Tick());
  EXPECT_EQ(GetOrganization(ada_, *db_, id).organization.name, kScript);
}

TEST_F(HelpdeskAdminTest, AgentsAndEndUsersCannotManageTheHelpdesk) {
  for (const auth::Actor& who : {sam_, rita_, ana_}) {
    ExpectRefused<core::Forbidden>([&] { CreateOrganization(who, *db_, "X", true, Tick()); });
    ExpectRefused<core::Forbidden>([&] { EditOrganization(who, *db_, 2, "Globex", true, Tick()); });
    ExpectRefused<core::Forbidden>([&] { CreateDepartment(who, *db_, "X", Tick()); });
    ExpectRefused<core::Forbidden>([&] { DeleteDepartment(who, *db_, 3, std::nullopt, Tick()); });
    ExpectRefused<core::Forbidden>([&] {
      CreateField(who, *db_, {"plan", "Plan", "text", false, false, false, ""}, Tick());
    });
    EXPECT_THROW(ListOrganizations(who, *db_), core::Forbidden);
  }
}

TEST_F(HelpdeskAdminTest, DepartmentWithTicketsIsDeletedOnlyWithReassignment) {
  const std::string number = Open(ana_, "Invoice", 2);
  ExpectRefused<core::Conflict>([&] { DeleteDepartment(ada_, *db_, 2, std::nullopt, Tick()); });
  ExpectRefused<core::Invalid>([&] { DeleteDepartment(ada_, *db_, 2, 2, Tick()); });
  ExpectRefused<core::Invalid>([&] { DeleteDepartment(ada_, *db_, 2, 99, Tick()); });
  DeleteDepartment(ada_, *db_, 2, 1, Tick());
  EXPECT_EQ(GetTicket(ada_, *db_, number).department_name, "Support");
  // Bill, who was in Billing, now works in Support and still reaches the ticket.
  EXPECT_EQ(Count("SELECT count(*) FROM user_departments WHERE user_id = 21 AND "
                  "department_id = 1"),
            1);
  const auto history = TicketHistory(ada_, *db_, number);
  EXPECT_EQ(history.back().field, "department");
  EXPECT_EQ(Count("SELECT count(*) FROM departments WHERE id = 2"), 0);
  // An empty department goes without a target.
  DeleteDepartment(ada_, *db_, 3, std::nullopt, Tick());
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE event = 'department.deleted'"), 2);
}

TEST_F(HelpdeskAdminTest, DepartmentNamesAreUniqueAndBounded) {
  ExpectRefused<core::Invalid>([&] { CreateDepartment(ada_, *db_, "BILLING", Tick()); });
  ExpectRefused<core::Invalid>([&] { RenameDepartment(ada_, *db_, 1, "billing", Tick()); });
  ExpectRefused<core::Invalid>(
      [&] { CreateDepartment(ada_, *db_, std::string(101, 'x'), Tick()); });
  ExpectRefused<core::NotFound>([&] { RenameDepartment(ada_, *db_, 99, "New", Tick()); });
  const std::int64_t id = CreateDepartment(ada_, *db_, kImg, Tick());
  RenameDepartment(ada_, *db_, id, "Field service", Tick());
  EXPECT_EQ(ListDepartments(ada_, *db_).size(), 4U);
}

TEST_F(HelpdeskAdminTest, CustomFieldsAreCreatedEditedAndDeactivated) {
  const std::int64_t id = CreateField(
      ada_, *db_, {"plan", "Plan", "dropdown", true, true, false, "free\npro | Pro plan\n"},
      Tick());
  auto fields = ListFields(ada_, *db_);
  ASSERT_EQ(fields.size(), 1U);
  EXPECT_TRUE(fields[0].required);
  ASSERT_EQ(fields[0].options.size(), 2U);
  EXPECT_EQ(fields[0].options[1].label, "Pro plan");
  UpdateField(ada_, *db_, id, {"", "Plan (billing)", "", false, false, false, "free\npro\nteam"},
              Tick());
  SetFieldActive(ada_, *db_, id, false, Tick());
  fields = ListFields(ada_, *db_);
  EXPECT_EQ(fields[0].label, "Plan (billing)");
  EXPECT_EQ(fields[0].options.size(), 3U);
  EXPECT_TRUE(fields[0].archived);
  SetFieldActive(ada_, *db_, id, true, Tick());
  EXPECT_FALSE(ListFields(ada_, *db_)[0].archived);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE event LIKE 'custom_field.%'"), 4);
}

TEST_F(HelpdeskAdminTest, CustomFieldInputErrorsNameTheField) {
  const auto field_of = [&](const FieldInput& in) {
    const std::string before = Everything();
    try {
      CreateField(ada_, *db_, in, Tick());
    } catch (const core::Invalid& e) {
      EXPECT_EQ(Everything(), before);
      return e.Field();
    }
    return std::string("accepted");
  };
  EXPECT_EQ(field_of({"Plan", "Plan", "text", false, false, false, ""}), "key");
  EXPECT_EQ(field_of({"plan", "", "text", false, false, false, ""}), "label");
  EXPECT_EQ(field_of({"plan", "Plan", "colour", false, false, false, ""}), "kind");
  EXPECT_EQ(field_of({"plan", "Plan", "dropdown", false, false, false, ""}), "options");
  EXPECT_EQ(field_of({"plan", "Plan", "text", false, false, false, "a"}), "options");
  EXPECT_EQ(field_of({"plan", "Plan", "dropdown", false, false, false, "a\na"}), "options");
  EXPECT_EQ(field_of({"plan", std::string(101, 'x'), "text", false, false, false, ""}), "label");
  EXPECT_EQ(field_of({"plan", kScript, "text", false, false, false, ""}), "accepted");
  EXPECT_EQ(field_of({"plan", "Again", "text", false, false, false, ""}), "key");
}

TEST_F(HelpdeskAdminTest, AnOptionInUseCannotBeRemoved) {
  const std::int64_t id = CreateField(
      ada_, *db_, {"plan", "Plan", "dropdown", false, false, false, "free\npro"}, Tick());
  const std::string number = Open(ana_);
  {
    storage::Lease c = db_->Write();
    c->Execute(
        "INSERT INTO ticket_field_values (ticket_id, field_id, value) "
        "SELECT id, ?, 'pro' FROM tickets WHERE number = 1001",
        {id});
  }
  ExpectRefused<core::Invalid>([&] {
    UpdateField(ada_, *db_, id, {"", "Plan", "", false, false, false, "free"}, Tick());
  });
  UpdateField(ada_, *db_, id, {"", "Plan", "", false, false, false, "pro"}, Tick());
  EXPECT_EQ(ListFields(ada_, *db_)[0].options.size(), 1U);
}

}  // namespace
}  // namespace rampart::tickets
