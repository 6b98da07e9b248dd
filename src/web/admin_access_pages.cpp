#include "web/admin_access_pages.h"

#include <ctemplate/template.h>

#include <algorithm>
#include <charconv>

#include "access/access_review.h"
#include "access/roles.h"
#include "access/user_admin.h"
#include "core/clock.h"
#include "core/errors.h"
#include "security/session_stage.h"
#include "web/pages.h"

namespace rampart::web {
namespace {

using Dict = ctemplate::TemplateDictionary;

struct Caller {
  const auth::Actor& actor;
  Viewer viewer;
};

Caller CallerOf(const http::Request& r) {
  const security::AuthContext* a = security::SignedIn(r);
  // The access stage runs first; reaching here without a session is a route-table bug.
  if (a == nullptr) throw core::Unauthorized();
  return Caller{a->person.actor,
                Viewer{a->person.name, a->session.csrf_token, auth::IsStaff(a->person.actor.role)}};
}

// A url-encoded form; checkbox groups repeat a name.
class Form {
 public:
  explicit Form(const http::Request& r) {
    auto parsed = http::ParseForm(r.body);
    if (!parsed) throw core::BadRequest("The form could not be read.");
    fields_ = std::move(*parsed);
  }
  std::string Get(std::string_view name) const {
    for (const auto& [k, v] : fields_) {
      if (k == name) return v;
    }
    return "";
  }
  std::vector<std::string> All(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : fields_) {
      if (k == name) out.push_back(v);
    }
    return out;
  }
  bool Checked(std::string_view name) const { return !Get(name).empty(); }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

std::optional<std::int64_t> ParseId(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

std::int64_t PathId(const http::Request& r) {
  const auto id = ParseId(r.PathParam("id"));
  if (!id) throw core::NotFound("no such id: " + r.PathParam("id"));
  return *id;
}

std::int64_t FieldId(const Form& form, std::string_view field) {
  const auto id = ParseId(form.Get(field));
  if (!id) throw core::Invalid(std::string(field), "choose one");
  return *id;
}

std::vector<std::int64_t> FieldIds(const Form& form, std::string_view field) {
  std::vector<std::int64_t> out;
  for (const std::string& v : form.All(field)) {
    const auto id = ParseId(v);
    if (!id) throw core::Invalid(std::string(field), "not a valid choice");
    out.push_back(*id);
  }
  return out;
}

std::string When(const std::optional<std::int64_t>& t) {
  if (!t) return "never";
  const std::string s = core::FormatUtc(*t);
  return s.substr(0, 10) + " " + s.substr(11, 5) + " UTC";
}

std::string DepartmentsText(const access::UserRecord& u) {
  if (u.kind == auth::Role::kOwner || u.kind == auth::Role::kAdmin || u.all_departments) {
    return "All departments";
  }
  if (!auth::IsStaff(u.kind)) return "";
  std::string out;
  for (const access::Named& d : u.departments) {
    if (!out.empty()) out += ", ";
    out += d.name;
  }
  return out.empty() ? "Shared inbox only" : out;
}

// Refusals a person can act on (not allowed, conflicts with a rule, bad input) are shown on the
// form again with the same status; anything else goes to the error page.
bool ShownOnForm(const core::RequestError& e) {
  return e.Status() == 403 || e.Status() == 409 || e.Status() == 422;
}

void FillRoleOptions(Dict& d, const std::vector<access::RoleInfo>& roles, std::int64_t selected) {
  for (const access::RoleInfo& r : roles) {
    Dict* o = d.AddSectionDictionary("ROLE_OPTION");
    o->SetIntValue("ID", r.id);
    o->SetValue("NAME", r.name);
    if (r.id == selected) o->ShowSection("SELECTED");
  }
}

void FillDepartments(Dict& d, storage::Database& db, const std::vector<std::int64_t>& checked) {
  for (const access::Named& dep : access::ListDepartments(db)) {
    Dict* o = d.AddSectionDictionary("DEPARTMENT");
    o->SetIntValue("ID", dep.id);
    o->SetValue("NAME", dep.name);
    if (std::find(checked.begin(), checked.end(), dep.id) != checked.end()) {
      o->ShowSection("CHECKED");
    }
  }
}

void FillOrganizations(Dict& d, storage::Database& db, std::optional<std::int64_t> selected) {
  for (const access::Named& org : access::ListOrganizations(db)) {
    Dict* o = d.AddSectionDictionary("ORGANIZATION");
    o->SetIntValue("ID", org.id);
    o->SetValue("NAME", org.name);
    if (selected && *selected == org.id) o->ShowSection("SELECTED");
  }
}

access::Assignment AssignmentFrom(const Form& form) {
  access::Assignment a;
  a.role_id = FieldId(form, "role_id");
  a.all_departments = form.Checked("all_departments");
  a.department_ids = FieldIds(form, "department_id");
  if (const std::string org = form.Get("organization_id"); !org.empty()) {
    const auto id = ParseId(org);
    if (!id) throw core::Invalid("organization_id", "not a valid choice");
    a.organization_id = *id;
  }
  return a;
}

std::optional<std::string> NoticeFor(const http::Request& r) {
  const auto done = r.QueryParam("done");
  if (!done) return std::nullopt;
  if (*done == "access") return "The access was changed. The person's sessions were ended.";
  if (*done == "disabled") return "The account is disabled and signed out everywhere.";
  if (*done == "enabled") return "The account is enabled.";
  if (*done == "saved") return "The role was saved. Its holders were signed out.";
  if (*done == "created") return "The role was created.";
  if (*done == "deleted") return "The role was deleted.";
  return std::nullopt;
}

access::RoleInput RoleInputFrom(const Form& form) {
  access::RoleInput input;
  input.name = form.Get("name");
  input.description = form.Get("description");
  input.all_departments = form.Get("scope") == "all";
  for (const std::string& name : form.All("permission")) {
    const auto p = auth::ParsePermission(name);
    if (!p) throw core::Invalid("permission", "unknown permission");
    input.permissions.Add(*p);
  }
  return input;
}

void FillRoleForm(Dict& d, const access::RoleInput& input) {
  d.SetValue("NAME", input.name);
  d.SetValue("DESCRIPTION", input.description);
  d.ShowSection(input.all_departments ? "SCOPE_ALL" : "SCOPE_LISTED");
  for (int i = 0; i < auth::kPermissionCount; ++i) {
    const auto p = static_cast<auth::Permission>(i);
    Dict* o = d.AddSectionDictionary("PERMISSION");
    o->SetValue("NAME", std::string(auth::PermissionName(p)));
    o->SetValue("DESCRIPTION", std::string(auth::PermissionDescription(p)));
    o->SetIntValue("INDEX", i);
    if (input.permissions.Has(p)) o->ShowSection("CHECKED");
  }
}

}  // namespace

// ---- Users ----

http::Response AdminAccessPages::Users(http::Request& request) const {
  const Caller c = CallerOf(request);
  access::UserFilter filter;
  filter.text = request.QueryParam("q").value_or("");
  const std::string audience = request.QueryParam("audience").value_or("");
  if (audience == "staff") filter.audience = access::Audience::kStaff;
  if (audience == "end_users") filter.audience = access::Audience::kEndUsers;
  const std::string state = request.QueryParam("state").value_or("");
  if (state == "active") filter.disabled = false;
  if (state == "disabled") filter.disabled = true;
  if (const auto role = request.QueryParam("role"); role && !role->empty()) {
    filter.role_id = ParseId(*role).value_or(-1);
  }
  const auto users = access::ListUsers(c.actor, db_, filter);
  const auto roles = access::ListRoles(c.actor, db_);
  return Page(200, "admin_users.tpl", "Users", &c.viewer, [&](Dict& d) {
    d.SetValue("CSRF_TOKEN", c.viewer.csrf_token);
    d.SetValue("Q", filter.text);
    d.ShowSection(audience == "staff"       ? "AUDIENCE_STAFF"
                  : audience == "end_users" ? "AUDIENCE_END_USERS"
                                            : "AUDIENCE_ALL");
    d.ShowSection(state == "active"     ? "STATE_ACTIVE"
                  : state == "disabled" ? "STATE_DISABLED"
                                        : "STATE_ALL");
    for (const access::RoleInfo& r : roles) {
      Dict* o = d.AddSectionDictionary("FILTER_ROLE");
      o->SetIntValue("ID", r.id);
      o->SetValue("NAME", r.name);
      if (filter.role_id && *filter.role_id == r.id) o->ShowSection("SELECTED");
    }
    if (users.empty()) d.ShowSection("EMPTY");
    for (const access::UserRecord& u : users) {
      Dict* row = d.AddSectionDictionary("USER_ROW");
      row->SetIntValue("ID", u.id);
      row->SetValue("EMAIL", u.email);
      row->SetValue("NAME", u.name);
      row->SetValue("ROLE", u.role_name);
      row->SetValue("DEPARTMENTS", DepartmentsText(u));
      row->SetValue("ORGANIZATION", u.organization ? u.organization->name : "");
      row->SetValue("TWO_FACTOR", u.two_factor ? "On" : "Off");
      row->SetValue("LAST_SIGN_IN", When(u.last_sign_in_at));
      row->SetValue("STATE", u.disabled ? "Disabled" : "Active");
    }
  });
}

http::Response AdminAccessPages::NewUserForm(http::Request& request) const {
  const Caller c = CallerOf(request);
  // Listing the roles to choose from needs user.manage or role.manage.
  const auto roles = access::ListRoles(c.actor, db_);
  return Page(200, "admin_user_new.tpl", "New user", &c.viewer, [&](Dict& d) {
    d.SetValue("CSRF_TOKEN", c.viewer.csrf_token);
    FillRoleOptions(d, roles, 3);
    FillDepartments(d, db_, {});
    FillOrganizations(d, db_, std::nullopt);
  });
}

http::Response AdminAccessPages::CreateUser(http::Request& request) const {
  const Caller c = CallerOf(request);
  const Form form(request);
  access::NewAccount account;
  account.email = form.Get("email");
  account.name = form.Get("name");
  try {
    account.access = AssignmentFrom(form);
    const access::CreatedAccount created =
        access::CreateAccount(c.actor, db_, account, cost_, clock_.NowUnixSeconds());
    // The one-time password is shown on this answer only; it is never stored in the clear.
    return Page(201, "admin_user_created.tpl", "User created", &c.viewer, [&](Dict& d) {
      d.SetValue("EMAIL", account.email);
      d.SetIntValue("ID", created.id);
      d.SetValue("PASSWORD", created.one_time_password);
    });
  } catch (const core::RequestError& e) {
    if (!ShownOnForm(e)) throw;
    const auto roles = access::ListRoles(c.actor, db_);
    return Page(e.Status(), "admin_user_new.tpl", "New user", &c.viewer, [&](Dict& d) {
      d.SetValue("CSRF_TOKEN", c.viewer.csrf_token);
      d.SetValue("EMAIL", account.email);
      d.SetValue("NAME", account.name);
      d.AddSectionDictionary("ERROR")->SetValue("MESSAGE", e.UserText());
      FillRoleOptions(d, roles, account.access.role_id);
      FillDepartments(d, db_, account.access.department_ids);
      FillOrganizations(d, db_, account.access.organization_id);
    });
  }
}

namespace {

http::Response UserPage(int status, const Caller& c, storage::Database& db,
                        const access::UserRecord& u, const std::optional<std::string>& notice,
                        const std::optional<std::string>& error) {
  const auto roles = access::ListRoles(c.actor, db);
  std::vector<std::int64_t> departments;
  for (const access::Named& d : u.departments) departments.push_back(d.id);
  return Page(status, "admin_user.tpl", u.email, &c.viewer, [&](Dict& d) {
    d.SetValue("CSRF_TOKEN", c.viewer.csrf_token);
    d.SetIntValue("ID", u.id);
    d.SetValue("EMAIL", u.email);
    d.SetValue("NAME", u.name);
    d.SetValue("ROLE", u.role_name);
    d.SetValue("PERMISSIONS", u.permissions.Names(", "));
    d.SetValue("DEPARTMENTS", DepartmentsText(u));
    d.SetValue("TWO_FACTOR", u.two_factor ? "On" : "Off");
    d.SetValue("LAST_SIGN_IN", When(u.last_sign_in_at));
    d.SetValue("CREATED", When(u.created_at));
    d.ShowSection(u.disabled ? "DISABLED" : "ACTIVE");
    if (notice) d.AddSectionDictionary("NOTICE")->SetValue("MESSAGE", *notice);
    if (error) d.AddSectionDictionary("ERROR")->SetValue("MESSAGE", *error);
    if (u.all_departments) d.ShowSection("ALL_DEPARTMENTS");
    FillRoleOptions(d, roles, u.role_id);
    FillDepartments(d, db, departments);
    FillOrganizations(d, db, u.organization ? std::optional(u.organization->id) : std::nullopt);
  });
}

}  // namespace

http::Response AdminAccessPages::User(http::Request& request) const {
  const Caller c = CallerOf(request);
  const access::UserRecord u = access::GetUser(c.actor, db_, PathId(request));
  return UserPage(200, c, db_, u, NoticeFor(request), std::nullopt);
}

http::Response AdminAccessPages::ChangeAccess(http::Request& request) const {
  const Caller c = CallerOf(request);
  const std::int64_t id = PathId(request);
  const Form form(request);
  try {
    access::ChangeAccess(c.actor, db_, id, AssignmentFrom(form), clock_.NowUnixSeconds());
  } catch (const core::RequestError& e) {
    if (!ShownOnForm(e)) throw;
    // The refusal is shown with the account as it still is.
    return UserPage(e.Status(), c, db_, access::GetUser(c.actor, db_, id), std::nullopt,
                    e.UserText());
  }
  // Changing one's own access ends one's own sessions too: that answer goes to sign-in.
  if (id == c.actor.user_id) return http::Response::Redirect("/login");
  return http::Response::Redirect("/admin/users/" + std::to_string(id) + "?done=access");
}

namespace {

http::Response ToggleDisabled(const AdminAccessPages&, storage::Database& db,
                              const core::Clock& clock, http::Request& request, bool disabled) {
  const Caller c = CallerOf(request);
  const std::int64_t id = PathId(request);
  try {
    access::SetDisabled(c.actor, db, id, disabled, clock.NowUnixSeconds());
  } catch (const core::RequestError& e) {
    if (!ShownOnForm(e)) throw;
    return UserPage(e.Status(), c, db, access::GetUser(c.actor, db, id), std::nullopt,
                    e.UserText());
  }
  return http::Response::Redirect("/admin/users/" + std::to_string(id) +
                                  (disabled ? "?done=disabled" : "?done=enabled"));
}

}  // namespace

http::Response AdminAccessPages::Disable(http::Request& request) const {
  return ToggleDisabled(*this, db_, clock_, request, true);
}

http::Response AdminAccessPages::Enable(http::Request& request) const {
  return ToggleDisabled(*this, db_, clock_, request, false);
}

// ---- Roles ----

namespace {

http::Response RolesPage(int status, const Caller& c, storage::Database& db,
                         const access::RoleInput& draft, const std::optional<std::string>& notice,
                         const std::optional<std::string>& error) {
  const auto roles = access::ManageRoles(c.actor, db);
  return Page(status, "admin_roles.tpl", "Roles", &c.viewer, [&](Dict& d) {
    d.SetValue("CSRF_TOKEN", c.viewer.csrf_token);
    if (notice) d.AddSectionDictionary("NOTICE")->SetValue("MESSAGE", *notice);
    if (error) d.AddSectionDictionary("ERROR")->SetValue("MESSAGE", *error);
    for (const access::RoleInfo& r : roles) {
      Dict* row = d.AddSectionDictionary("ROLE_ROW");
      row->SetIntValue("ID", r.id);
      row->SetValue("NAME", r.name);
      row->SetValue("DESCRIPTION", r.description);
      row->SetValue("PERMISSIONS", r.permissions.Names(", "));
      row->SetValue("SCOPE", r.all_departments ? "All departments" : "Listed per person");
      row->SetIntValue("HOLDERS", r.holders);
      row->ShowSection(r.builtin ? "BUILTIN" : "CUSTOM");
    }
    FillRoleForm(d, draft);
  });
}

}  // namespace

http::Response AdminAccessPages::Roles(http::Request& request) const {
  const Caller c = CallerOf(request);
  return RolesPage(200, c, db_, {}, NoticeFor(request), std::nullopt);
}

http::Response AdminAccessPages::CreateRole(http::Request& request) const {
  const Caller c = CallerOf(request);
  const Form form(request);
  access::RoleInput input;
  try {
    input = RoleInputFrom(form);
    const std::int64_t id = access::CreateRole(c.actor, db_, input, clock_.NowUnixSeconds());
    return http::Response::Redirect("/admin/roles/" + std::to_string(id) + "?done=created");
  } catch (const core::RequestError& e) {
    if (!ShownOnForm(e)) throw;
    return RolesPage(e.Status(), c, db_, input, std::nullopt, e.UserText());
  }
}

namespace {

http::Response RolePage(int status, const Caller& c, const access::RoleInfo& role,
                        const access::RoleInput& shown, const std::optional<std::string>& notice,
                        const std::optional<std::string>& error) {
  return Page(status, "admin_role.tpl", role.name, &c.viewer, [&](Dict& d) {
    d.SetValue("CSRF_TOKEN", c.viewer.csrf_token);
    d.SetIntValue("ID", role.id);
    d.SetValue("TITLE", role.name);
    d.SetIntValue("HOLDERS", role.holders);
    if (notice) d.AddSectionDictionary("NOTICE")->SetValue("MESSAGE", *notice);
    if (error) d.AddSectionDictionary("ERROR")->SetValue("MESSAGE", *error);
    if (role.builtin) {
      d.ShowSection("BUILTIN");
      d.SetValue("PERMISSIONS", role.permissions.Names(", "));
    } else {
      FillRoleForm(*d.AddSectionDictionary("CUSTOM"), shown);
    }
  });
}

access::RoleInput InputOf(const access::RoleInfo& r) {
  return {r.name, r.description, r.all_departments, r.permissions};
}

}  // namespace

http::Response AdminAccessPages::Role(http::Request& request) const {
  const Caller c = CallerOf(request);
  access::ManageRoles(c.actor, db_);  // the editor is for role managers only
  const access::RoleInfo role = access::GetRole(c.actor, db_, PathId(request));
  return RolePage(200, c, role, InputOf(role), NoticeFor(request), std::nullopt);
}

http::Response AdminAccessPages::UpdateRole(http::Request& request) const {
  const Caller c = CallerOf(request);
  const std::int64_t id = PathId(request);
  const Form form(request);
  access::RoleInput input;
  try {
    input = RoleInputFrom(form);
    access::UpdateRole(c.actor, db_, id, input, clock_.NowUnixSeconds());
  } catch (const core::RequestError& e) {
    if (!ShownOnForm(e)) throw;
    const access::RoleInfo role = access::GetRole(c.actor, db_, id);
    return RolePage(e.Status(), c, role, role.builtin ? InputOf(role) : input, std::nullopt,
                    e.UserText());
  }
  return http::Response::Redirect("/admin/roles/" + std::to_string(id) + "?done=saved");
}

http::Response AdminAccessPages::DeleteRole(http::Request& request) const {
  const Caller c = CallerOf(request);
  const std::int64_t id = PathId(request);
  try {
    access::DeleteRole(c.actor, db_, id, clock_.NowUnixSeconds());
  } catch (const core::RequestError& e) {
    if (!ShownOnForm(e)) throw;
    const access::RoleInfo role = access::GetRole(c.actor, db_, id);
    return RolePage(e.Status(), c, role, InputOf(role), std::nullopt, e.UserText());
  }
  return http::Response::Redirect("/admin/roles?done=deleted");
}

// ---- Access review ----

http::Response AdminAccessPages::AccessReview(http::Request& request) const {
  const Caller c = CallerOf(request);
  const auto entries = access::AccessReview(c.actor, db_);
  return Page(200, "admin_access_review.tpl", "Access review", &c.viewer, [&](Dict& d) {
    d.SetValue("GENERATED", When(clock_.NowUnixSeconds()));
    d.SetIntValue("COUNT", static_cast<long>(entries.size()));
    for (const access::ReviewEntry& e : entries) {
      Dict* row = d.AddSectionDictionary("STAFF");
      row->SetIntValue("ID", e.user.id);
      row->SetValue("EMAIL", e.user.email);
      row->SetValue("NAME", e.user.name);
      row->SetValue("ROLE", e.user.role_name);
      row->SetValue("PERMISSIONS", e.user.permissions.Names(", "));
      row->SetValue("DEPARTMENTS", DepartmentsText(e.user));
      row->SetValue("TWO_FACTOR", e.user.two_factor ? "On" : "Off");
      row->SetValue("LAST_SIGN_IN", When(e.user.last_sign_in_at));
      row->SetValue("STATE", e.user.disabled ? "Disabled" : "Active");
      if (e.tokens.empty()) row->ShowSection("NO_TOKENS");
      for (const auth::ApiTokenInfo& t : e.tokens) {
        Dict* tok = row->AddSectionDictionary("TOKEN");
        tok->SetValue("NAME", t.name);
        tok->SetValue("SCOPE", std::string(auth::TokenScopeName(t.scope)));
        tok->SetValue("CREATED", When(t.created_at));
        tok->SetValue("LAST_USED", When(t.last_used_at));
        tok->SetValue("STATE", t.revoked_at ? "revoked" : "live");
      }
    }
  });
}

}  // namespace rampart::web
