#include "web/admin_helpdesk_pages.h"

#include <ctemplate/template.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "core/clock.h"
#include "core/errors.h"
#include "core/random.h"
#include "core/strings.h"
#include "observability/log.h"
#include "security/session_stage.h"
#include "tickets/bulk_update.h"
#include "tickets/canned_responses.h"
#include "tickets/helpdesk_admin.h"
#include "tickets/portal_access.h"
#include "tickets/queue.h"
#include "tickets/ticket.h"
#include "web/caller.h"
#include "web/pages.h"

namespace rampart::web {
namespace {

using Dict = ctemplate::TemplateDictionary;

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
  bool Checked(std::string_view name) const { return Get(name) == "1"; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// A positive row id from a path or form value; `field` names it in the error.
std::int64_t IdFrom(std::string_view text, const std::string& field) {
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || text.size() > 18 || ec != std::errc() || end != text.data() + text.size() ||
      id <= 0) {
    throw core::NotFound(field + " is not an id");
  }
  return id;
}

std::string When(std::int64_t unix_seconds) {
  const std::string s = core::FormatUtc(unix_seconds);
  return s.substr(0, 10) + " " + s.substr(11, 5) + " UTC";
}

void Notice(Dict& d, const http::Request& r) {
  if (const auto done = r.QueryParam("done")) {
    std::string text;
    if (*done == "created") text = "Created.";
    if (*done == "saved") text = "Saved.";
    if (*done == "deleted") text = "Deleted.";
    if (!text.empty()) d.AddSectionDictionary("NOTICE")->SetValue("MESSAGE", text);
  }
}

void Error(Dict& d, const std::string& error) {
  if (!error.empty()) d.AddSectionDictionary("ERROR")->SetValue("MESSAGE", error);
}

struct AdminLink {
  const char* href;
  const char* label;
  const char* text;
};
constexpr std::array<AdminLink, 12> kAdminLinks = {{
    {"/admin/users", "Users", "people, their roles and departments"},
    {"/admin/roles", "Roles", "what each role may do"},
    {"/admin/access-review", "Access review", "who can do what, for periodic review"},
    {"/admin/security", "Security", "sign-in, password and network policies"},
    {"/admin/organizations", "Organizations", "customer companies and ticket sharing"},
    {"/admin/departments", "Departments", "teams that tickets are routed to"},
    {"/admin/custom-fields", "Custom fields", "extra ticket fields"},
    {"/admin/canned-responses", "Canned responses", "shared reply texts"},
    {"/admin/portal", "Portal", "who can sign up, and invitations"},
    {"/admin/mailboxes", "Mailboxes", "where customers write to, and how they are polled"},
    {"/admin/mail-dns", "Mail DNS records", "DKIM, SPF and DMARC to publish, with a check"},
    {"/admin/mail-templates", "Mail templates", "the notification mail and its wording"},
}};

}  // namespace

http::Response AdminHelpdeskPages::Index(http::Request& request) const {
  const Caller c = AdminCaller(request);
  if (!c.viewer.admin) throw core::Forbidden("no admin permission");
  return Page(200, "admin_index.tpl", "Admin", &c.viewer, [&](Dict& d) {
    for (const AdminLink& link : kAdminLinks) {
      Dict* s = d.AddSectionDictionary("SECTION");
      s->SetValue("HREF", link.href);
      s->SetValue("LABEL", link.label);
      s->SetValue("TEXT", link.text);
    }
  });
}

// ---- Organizations ----

namespace {
http::Response OrganizationsPage(const Caller& c, storage::Database& db, const http::Request& r,
                                 int status, const std::string& error, const std::string& name) {
  const auto rows = tickets::ListOrganizations(c.actor(), db);
  return Page(status, "admin_organizations.tpl", "Organizations", &c.viewer, [&](Dict& d) {
    d.SetValue("CSRF_TOKEN", c.viewer.csrf_token);
    d.SetValue("NAME", name);
    Notice(d, r);
    Error(d, error);
    d.ShowSection(rows.empty() ? "EMPTY" : "HAS_ROWS");
    for (const auto& o : rows) {
      Dict* row = d.AddSectionDictionary("ROW");
      row->SetIntValue("ID", static_cast<long>(o.id));
      row->SetValue("NAME", o.name);
      row->SetValue("SHARED", o.shared_tickets ? "Yes" : "No");
      row->SetIntValue("MEMBERS", static_cast<long>(o.members));
    }
  });
}
}  // namespace

http::Response AdminHelpdeskPages::Organizations(http::Request& request) const {
  return OrganizationsPage(AdminCaller(request), db_, request, 200, "", "");
}

http::Response AdminHelpdeskPages::CreateOrganization(http::Request& request) const {
  const Caller c = AdminCaller(request);
  const Form form(request);
  try {
    tickets::CreateOrganization(c.actor(), db_, form.Get("name"), form.Checked("shared_tickets"),
                                clock_.NowUnixSeconds());
  } catch (const core::Invalid& e) {
    return OrganizationsPage(c, db_, request, 422, e.UserText(), form.Get("name"));
  }
  return http::Response::Redirect("/admin/organizations?done=created");
}

namespace {
http::Response OrganizationPage(const Caller& c, storage::Database& db, const http::Request& r,
                                std::int64_t id, int status, const std::string& error) {
  const auto detail = tickets::GetOrganization(c.actor(), db, id);
  return Page(status, "admin_organization.tpl", detail.organization.name, &c.viewer, [&](Dict& d) {
    d.SetValue("CSRF_TOKEN", c.viewer.csrf_token);
    d.SetIntValue("ID", static_cast<long>(id));
    d.SetValue("NAME", detail.organization.name);
    d.SetIntValue("COUNT", static_cast<long>(detail.organization.members));
    if (detail.organization.shared_tickets) d.ShowSection("SHARED");
    Notice(d, r);
    Error(d, error);
    if (detail.members.empty()) d.ShowSection("NO_MEMBERS");
    for (const auto& m : detail.members) {
      Dict* row = d.AddSectionDictionary("MEMBER");
      row->SetValue("NAME", m.name);
      row->SetValue("EMAIL", m.email);
    }
  });
}
}  // namespace

http::Response AdminHelpdeskPages::Organization(http::Request& request) const {
  const Caller c = AdminCaller(request);
  return OrganizationPage(c, db_, request, IdFrom(request.PathParam("id"), "organization"), 200,
                          "");
}

http::Response AdminHelpdeskPages::UpdateOrganization(http::Request& request) const {
  const Caller c = AdminCaller(request);
  const Form form(request);
  const std::int64_t id = IdFrom(request.PathParam("id"), "organization");
  const std::int64_t now = clock_.NowUnixSeconds();
  try {
    tickets::EditOrganization(c.actor(), db_, id, form.Get("name"), form.Checked("shared_tickets"),
                              now);
  } catch (const core::Invalid& e) {
    return OrganizationPage(c, db_, request, id, 422, e.UserText());
  }
  return http::Response::Redirect("/admin/organizations/" + std::to_string(id) + "?done=saved");
}

// ---- Departments ----

namespace {
http::Response DepartmentsPage(const Caller& c, storage::Database& db, const http::Request& r,
                               int status, const std::string& error, const std::string& name) {
  const auto rows = tickets::ListDepartments(c.actor(), db);
  return Page(status, "admin_departments.tpl", "Departments", &c.viewer, [&](Dict& d) {
    d.SetValue("CSRF_TOKEN", c.viewer.csrf_token);
    d.SetValue("NEW_NAME", name);
    Notice(d, r);
    Error(d, error);
    if (rows.empty()) d.ShowSection("EMPTY");
    for (const auto& dep : rows) {
      Dict* row = d.AddSectionDictionary("DEPARTMENT");
      row->SetIntValue("ID", static_cast<long>(dep.id));
      row->SetValue("NAME", dep.name);
      row->SetIntValue("TICKETS", static_cast<long>(dep.tickets));
      row->SetIntValue("MEMBERS", static_cast<long>(dep.members));
      for (const auto& other : rows) {
        if (other.id == dep.id) continue;
        Dict* t = row->AddSectionDictionary("TARGET");
        t->SetIntValue("ID", static_cast<long>(other.id));
        t->SetValue("NAME", other.name);
      }
    }
  });
}
}  // namespace

http::Response AdminHelpdeskPages::Departments(http::Request& request) const {
  return DepartmentsPage(AdminCaller(request), db_, request, 200, "", "");
}

http::Response AdminHelpdeskPages::CreateDepartment(http::Request& request) const {
  const Caller c = AdminCaller(request);
  const Form form(request);
  try {
    tickets::CreateDepartment(c.actor(), db_, form.Get("name"), clock_.NowUnixSeconds());
  } catch (const core::Invalid& e) {
    return DepartmentsPage(c, db_, request, 422, e.UserText(), form.Get("name"));
  }
  return http::Response::Redirect("/admin/departments?done=created");
}

http::Response AdminHelpdeskPages::RenameDepartment(http::Request& request) const {
  const Caller c = AdminCaller(request);
  const Form form(request);
  try {
    tickets::RenameDepartment(c.actor(), db_, IdFrom(request.PathParam("id"), "department"),
                              form.Get("name"), clock_.NowUnixSeconds());
  } catch (const core::Invalid& e) {
    return DepartmentsPage(c, db_, request, 422, e.UserText(), "");
  }
  return http::Response::Redirect("/admin/departments?done=saved");
}

http::Response AdminHelpdeskPages::DeleteDepartment(http::Request& request) const {
  const Caller c = AdminCaller(request);
  const Form form(request);
  std::optional<std::int64_t> move_to;
  if (const std::string m = form.Get("move_to"); !m.empty()) {
    try {
      move_to = IdFrom(m, "move_to");
    } catch (const core::NotFound&) {
      return DepartmentsPage(c, db_, request, 422, "move_to: is not a department", "");
    }
  }
  try {
    tickets::DeleteDepartment(c.actor(), db_, IdFrom(request.PathParam("id"), "department"),
                              move_to, clock_.NowUnixSeconds());
  } catch (const core::Invalid& e) {
    return DepartmentsPage(c, db_, request, 422, e.UserText(), "");
  } catch (const core::Conflict& e) {
    return DepartmentsPage(c, db_, request, 409, e.UserText(), "");
  }
  return http::Response::Redirect("/admin/departments?done=deleted");
}

// ---- Custom fields ----

namespace {
constexpr std::array<tickets::FieldKind, 4> kKinds = {
    tickets::FieldKind::kText, tickets::FieldKind::kNumber, tickets::FieldKind::kDate,
    tickets::FieldKind::kDropdown};

tickets::FieldInput FieldInputOf(const Form& form) {
  tickets::FieldInput in;
  in.key = form.Get("key");
  in.label = form.Get("label");
  in.kind = form.Get("kind");
  in.required = form.Checked("required");
  in.end_user_visible = form.Checked("end_user_visible");
  in.end_user_editable = form.Checked("end_user_editable");
  in.options = form.Get("options");
  return in;
}

std::string OptionsText(const tickets::FieldDefinition& f) {
  std::string out;
  for (const auto& o : f.options) {
    out += o.value == o.label ? o.value : o.value + " | " + o.label;
    out += "\n";
  }
  return out;
}

http::Response FieldsPage(const Caller& c, storage::Database& db, const http::Request& r,
                          int status, const std::string& error, const tickets::FieldInput& typed) {
  const auto fields = tickets::ListFields(c.actor(), db);
  return Page(status, "admin_custom_fields.tpl", "Custom fields", &c.viewer, [&](Dict& d) {
    d.SetValue("CSRF_TOKEN", c.viewer.csrf_token);
    d.SetValue("LABEL", typed.label);
    d.SetValue("KEY", typed.key);
    d.SetValue("OPTIONS", typed.options);
    Notice(d, r);
    Error(d, error);
    for (tickets::FieldKind k : kKinds) {
      Dict* o = d.AddSectionDictionary("KIND_OPTION");
      o->SetValue("VALUE", std::string(tickets::FieldKindName(k)));
      if (typed.kind == tickets::FieldKindName(k)) o->ShowSection("SELECTED");
    }
    d.ShowSection(fields.empty() ? "EMPTY" : "HAS_ROWS");
    for (const auto& f : fields) {
      Dict* row = d.AddSectionDictionary("ROW");
      row->SetIntValue("ID", static_cast<long>(f.id));
      row->SetValue("LABEL", f.label);
      row->SetValue("KEY", f.key);
      row->SetValue("KIND", std::string(tickets::FieldKindName(f.kind)));
      row->SetValue("REQUIRED", f.required ? "Yes" : "No");
      row->SetValue("STATE", f.archived ? "Inactive" : "Active");
    }
  });
}

http::Response FieldPage(const Caller& c, storage::Database& db, const http::Request& r,
                         std::int64_t id, int status, const std::string& error) {
  const auto fields = tickets::ListFields(c.actor(), db);
  const auto it =
      std::find_if(fields.begin(), fields.end(), [&](const auto& f) { return f.id == id; });
  if (it == fields.end()) throw core::NotFound("no custom field");
  const tickets::FieldDefinition& f = *it;
  return Page(status, "admin_custom_field.tpl", f.label, &c.viewer, [&](Dict& d) {
    d.SetValue("CSRF_TOKEN", c.viewer.csrf_token);
    d.SetIntValue("ID", static_cast<long>(f.id));
    d.SetValue("LABEL", f.label);
    d.SetValue("KEY", f.key);
    d.SetValue("KIND", std::string(tickets::FieldKindName(f.kind)));
    d.SetValue("STATE", f.archived ? "inactive" : "active");
    d.SetValue("NEXT_ACTIVE", f.archived ? "1" : "0");
    d.SetValue("TOGGLE_LABEL", f.archived ? "Activate field" : "Deactivate field");
    if (f.kind == tickets::FieldKind::kDropdown) {
      d.AddSectionDictionary("DROPDOWN")->SetValue("OPTIONS", OptionsText(f));
    }
    if (f.required) d.ShowSection("REQUIRED");
    if (f.end_user_visible) d.ShowSection("VISIBLE");
    if (f.end_user_editable) d.ShowSection("EDITABLE");
    Notice(d, r);
    Error(d, error);
  });
}
}  // namespace

http::Response AdminHelpdeskPages::CustomFields(http::Request& request) const {
  tickets::FieldInput empty;
  empty.kind = "text";
  return FieldsPage(AdminCaller(request), db_, request, 200, "", empty);
}

http::Response AdminHelpdeskPages::CreateCustomField(http::Request& request) const {
  const Caller c = AdminCaller(request);
  const Form form(request);
  const tickets::FieldInput in = FieldInputOf(form);
  try {
    tickets::CreateField(c.actor(), db_, in, clock_.NowUnixSeconds());
  } catch (const core::Invalid& e) {
    return FieldsPage(c, db_, request, 422, e.UserText(), in);
  } catch (const core::Conflict& e) {
    return FieldsPage(c, db_, request, 409, e.UserText(), in);
  }
  return http::Response::Redirect("/admin/custom-fields?done=created");
}

http::Response AdminHelpdeskPages::CustomField(http::Request& request) const {
  return FieldPage(AdminCaller(request), db_, request,
                   IdFrom(request.PathParam("id"), "custom field"), 200, "");
}

http::Response AdminHelpdeskPages::UpdateCustomField(http::Request& request) const {
  const Caller c = AdminCaller(request);
  const Form form(request);
  const std::int64_t id = IdFrom(request.PathParam("id"), "custom field");
  try {
    tickets::UpdateField(c.actor(), db_, id, FieldInputOf(form), clock_.NowUnixSeconds());
  } catch (const core::Invalid& e) {
    return FieldPage(c, db_, request, id, 422, e.UserText());
  }
  return http::Response::Redirect("/admin/custom-fields/" + std::to_string(id) + "?done=saved");
}

http::Response AdminHelpdeskPages::SetCustomFieldActive(http::Request& request) const {
  const Caller c = AdminCaller(request);
  const Form form(request);
  const std::int64_t id = IdFrom(request.PathParam("id"), "custom field");
  tickets::SetFieldActive(c.actor(), db_, id, form.Get("active") == "1", clock_.NowUnixSeconds());
  return http::Response::Redirect("/admin/custom-fields/" + std::to_string(id) + "?done=saved");
}

// ---- Canned responses ----

http::Response AdminHelpdeskPages::CannedPage(http::Request& request, bool shared, int status,
                                              const std::string& error,
                                              const std::string& new_title,
                                              const std::string& new_body) const {
  const Caller c = shared ? AdminCaller(request) : StaffCaller(request, "agent workspace");
  const auto rows = shared ? tickets::ListSharedCanned(c.actor(), db_)
                           : tickets::ListCannedForAgent(c.actor(), db_);
  const std::string title = shared ? "Shared canned responses" : "My canned responses";
  return Page(status, "canned_responses.tpl", title, &c.viewer, [&](Dict& d) {
    d.SetValue("CSRF_TOKEN", c.viewer.csrf_token);
    d.SetValue("HEADING", title);
    d.SetValue("BASE", shared ? "/admin/canned-responses" : "/agent/canned-responses");
    d.SetValue("BACK", shared ? "/admin/" : "/agent/");
    d.SetValue("BACK_LABEL", shared ? "Admin" : "Workspace");
    d.SetValue("PLACEHOLDERS", "{{requester.name}} {{ticket.number}} {{agent.name}}");
    d.SetValue("NEW_TITLE", new_title);
    d.SetValue("NEW_BODY", new_body);
    Notice(d, request);
    Error(d, error);
    Dict* shared_list = nullptr;
    bool any_own = false;
    for (const auto& r : rows) {
      const bool editable = shared ? !r.owner_id : r.owner_id.has_value();
      if (!editable) {
        // On an agent's page the shared ones are listed, not editable.
        if (shared_list == nullptr) shared_list = d.AddSectionDictionary("SHARED_LIST");
        shared_list->AddSectionDictionary("ITEM")->SetValue("TITLE", r.title);
        continue;
      }
      any_own = true;
      Dict* item = d.AddSectionDictionary("RESPONSE");
      item->SetIntValue("ID", static_cast<long>(r.id));
      item->SetValue("TITLE", r.title);
      item->SetValue("BODY", r.body);
    }
    if (!any_own) d.ShowSection("EMPTY");
  });
}

http::Response AdminHelpdeskPages::CannedChange(http::Request& request, bool shared,
                                                const char* what) const {
  const Caller c = shared ? AdminCaller(request) : StaffCaller(request, "agent workspace");
  const Form form(request);
  const std::string base = shared ? "/admin/canned-responses" : "/agent/canned-responses";
  const std::int64_t now = clock_.NowUnixSeconds();
  tickets::CannedInput in{shared, form.Get("title"), form.Get("body")};
  try {
    if (std::string_view(what) == "create") {
      tickets::CreateCanned(c.actor(), db_, in, now);
      return http::Response::Redirect(base + "?done=created");
    }
    const std::int64_t id = IdFrom(request.PathParam("id"), "canned response");
    if (std::string_view(what) == "delete") {
      tickets::RemoveCanned(c.actor(), db_, id, shared, now);
      return http::Response::Redirect(base + "?done=deleted");
    }
    tickets::EditCanned(c.actor(), db_, id, in, now);
    return http::Response::Redirect(base + "?done=saved");
  } catch (const core::Invalid& e) {
    const bool creating = std::string_view(what) == "create";
    return CannedPage(request, shared, 422, e.UserText(), creating ? in.title : "",
                      creating ? in.body : "");
  } catch (const core::Conflict& e) {
    return CannedPage(request, shared, 409, e.UserText(), in.title, in.body);
  }
}

http::Response AdminHelpdeskPages::SharedCanned(http::Request& request) const {
  return CannedPage(request, true, 200, "", "", "");
}
http::Response AdminHelpdeskPages::CreateSharedCanned(http::Request& request) const {
  return CannedChange(request, true, "create");
}
http::Response AdminHelpdeskPages::EditSharedCanned(http::Request& request) const {
  return CannedChange(request, true, "edit");
}
http::Response AdminHelpdeskPages::DeleteSharedCanned(http::Request& request) const {
  return CannedChange(request, true, "delete");
}
http::Response AdminHelpdeskPages::PersonalCanned(http::Request& request) const {
  return CannedPage(request, false, 200, "", "", "");
}
http::Response AdminHelpdeskPages::CreatePersonalCanned(http::Request& request) const {
  return CannedChange(request, false, "create");
}
http::Response AdminHelpdeskPages::EditPersonalCanned(http::Request& request) const {
  return CannedChange(request, false, "edit");
}
http::Response AdminHelpdeskPages::DeletePersonalCanned(http::Request& request) const {
  return CannedChange(request, false, "delete");
}

// ---- Portal ----

namespace {
struct ModeChoice {
  tickets::SignUpMode mode;
  const char* label;
};
constexpr std::array<ModeChoice, 3> kModes = {{
    {tickets::SignUpMode::kOpen, "Anyone can sign up"},
    {tickets::SignUpMode::kDomains, "Only addresses at the listed email domains"},
    {tickets::SignUpMode::kInviteOnly, "Invitation only"},
}};

struct PortalView {
  int status = 200;
  std::string error;
  std::optional<tickets::Invitation> invited;
  std::string invite_email;
  std::optional<std::string> typed_domains;
};

http::Response PortalPage(const Caller& c, storage::Database& db, const http::Request& r,
                          std::int64_t now, const PortalView& view) {
  const tickets::PortalSettings settings = tickets::GetPortalSettings(c.actor(), db);
  const auto invites = tickets::ListPendingInvites(c.actor(), db, now);
  return Page(view.status, "admin_portal.tpl", "Portal", &c.viewer, [&](Dict& d) {
    d.SetValue("CSRF_TOKEN", c.viewer.csrf_token);
    Notice(d, r);
    Error(d, view.error);
    for (const ModeChoice& m : kModes) {
      Dict* o = d.AddSectionDictionary("MODE");
      o->SetValue("VALUE", std::string(tickets::SignUpModeName(m.mode)));
      o->SetValue("LABEL", m.label);
      if (m.mode == settings.mode) o->ShowSection("CHECKED");
    }
    std::string domains;
    for (const auto& dom : settings.domains) domains += dom + "\n";
    d.SetValue("DOMAINS", view.typed_domains.value_or(domains));
    d.SetValue("INVITE_EMAIL", view.invite_email);
    if (view.invited) {
      Dict* i = d.AddSectionDictionary("INVITED");
      i->SetValue("EMAIL", view.invited->email);
      i->SetValue("LINK", view.invited->link);
      i->SetValue("EXPIRES", When(view.invited->expires_at));
    }
    if (invites.empty()) d.ShowSection("NO_INVITES");
    for (const auto& inv : invites) {
      Dict* i = d.AddSectionDictionary("INVITE");
      i->SetValue("EMAIL", inv.email);
      i->SetValue("EXPIRES", When(inv.expires_at));
    }
  });
}
}  // namespace

http::Response AdminHelpdeskPages::Portal(http::Request& request) const {
  return PortalPage(AdminCaller(request), db_, request, clock_.NowUnixSeconds(), {});
}

http::Response AdminHelpdeskPages::SavePortal(http::Request& request) const {
  const Caller c = AdminCaller(request);
  const Form form(request);
  const std::int64_t now = clock_.NowUnixSeconds();
  PortalView view;
  view.typed_domains = form.Get("domains");
  try {
    const auto mode = tickets::ParseSignUpMode(form.Get("mode"));
    if (!mode) throw core::Invalid("mode", "must be one of the listed modes");
    tickets::SavePortalSettings(c.actor(), db_, *mode, form.Get("domains"), now);
  } catch (const core::Invalid& e) {
    view.status = 422;
    view.error = e.UserText();
    return PortalPage(c, db_, request, now, view);
  }
  return http::Response::Redirect("/admin/portal?done=saved");
}

http::Response AdminHelpdeskPages::Invite(http::Request& request) const {
  const Caller c = AdminCaller(request);
  const Form form(request);
  const std::int64_t now = clock_.NowUnixSeconds();
  PortalView view;
  try {
    view.invited =
        tickets::InviteEndUser(c.actor(), db_, *policy_.server_key, form.Get("email"), now);
  } catch (const core::Invalid& e) {
    view.status = 422;
    view.error = e.UserText();
    view.invite_email = form.Get("email").substr(0, 254);
  }
  // Shown once, not redirected to: the link is never put in a URL or stored in clear.
  return PortalPage(c, db_, request, now, view);
}

// ---- Queue bulk actions ----

http::Response AdminHelpdeskPages::BulkUpdate(http::Request& request) const {
  const Caller c = StaffCaller(request, "agent workspace");
  const Form form(request);
  tickets::BulkRequest b;
  b.tickets = form.All("ticket");
  if (b.tickets.size() > tickets::kMaxBulkTickets) {
    throw core::Invalid("ticket", "at most 50 tickets can be changed at once");
  }
  const std::string change = form.Get("change");
  if (change == "assign") {
    b.change = tickets::BulkRequest::Change::kAssign;
    const std::string who = form.Get("assignee");
    if (who == "me") {
      b.assignee_id = c.actor().user_id;
    } else if (who != "nobody") {
      std::int64_t id = 0;
      const auto [end, ec] = std::from_chars(who.data(), who.data() + who.size(), id);
      if (who.empty() || ec != std::errc() || end != who.data() + who.size() || id <= 0) {
        throw core::Invalid("assignee", "must be me, nobody or an agent of the list");
      }
      b.assignee_id = id;
    }
  } else if (change == "status") {
    b.change = tickets::BulkRequest::Change::kStatus;
    const auto status = tickets::ParseStatus(form.Get("status"));
    if (!status) throw core::Invalid("status", "must be a ticket status");
    b.status = *status;
  } else {
    throw core::Invalid("change", "must be assign or status");
  }
  const tickets::BulkOutcome out = tickets::BulkUpdate(c.actor(), db_, b, clock_.NowUnixSeconds());
  const std::string view = form.Get("view").substr(0, 20);
  return Page(200, "bulk_result.tpl", "Bulk change", &c.viewer, [&](Dict& d) {
    d.SetValue("SUMMARY", std::to_string(out.changed.size()) + " changed, " +
                              std::to_string(out.unchanged.size()) + " already so, " +
                              std::to_string(out.skipped.size()) + " skipped.");
    d.SetValue("VIEW", tickets::ParseQueueView(view) ? view : "mine");
    if (!out.skipped.empty()) d.ShowSection("HAS_SKIPPED");
    for (const auto& s : out.skipped) {
      Dict* row = d.AddSectionDictionary("SKIPPED");
      row->SetValue("TICKET", s.ticket.substr(0, 40));
      row->SetValue("REASON", s.reason);
    }
  });
}

// ---- Public sign-up ----

namespace {

// The token for forms shown before a session exists, as the sign-in page does it.
std::pair<std::string, bool> PreSessionToken(const http::Request& r) {
  if (const auto* partial = security::AnySession(r)) return {partial->session.csrf_token, false};
  std::string token = r.Cookie(security::kPreSessionCsrfCookie).value_or("");
  if (token.size() == 43) return {token, false};
  return {core::RandomToken(32), true};
}

http::Response WithPreSessionCookie(http::Response r, const std::pair<std::string, bool>& token) {
  if (token.second) {
    r.headers.Add("Set-Cookie", std::string(security::kPreSessionCsrfCookie) + "=" + token.first +
                                    "; Path=/; Secure; HttpOnly; SameSite=Strict");
  }
  return r;
}

}  // namespace

http::Response AdminHelpdeskPages::ShowSignUp(http::Request& request) const {
  const tickets::PortalSettings settings = tickets::ReadPortalSettings(db_);
  if (settings.mode == tickets::SignUpMode::kInviteOnly) {
    throw core::NotFound("sign-up is invite-only");
  }
  if (security::SignedIn(request) != nullptr) return http::Response::Redirect("/");
  const auto token = PreSessionToken(request);
  return WithPreSessionCookie(Page(200, "signup.tpl", "Sign up", nullptr,
                                   [&](Dict& d) {
                                     d.SetValue("CSRF_TOKEN", token.first);
                                     Dict* f = d.AddSectionDictionary("FORM");
                                     if (settings.mode == tickets::SignUpMode::kDomains) {
                                       std::string list;
                                       for (const auto& dom : settings.domains)
                                         list.append(list.empty() ? "" : ", ").append(dom);
                                       f->AddSectionDictionary("DOMAINS")->SetValue("LIST", list);
                                     }
                                   }),
                              token);
}

http::Response AdminHelpdeskPages::SubmitSignUp(http::Request& request) const {
  const Form form(request);
  const std::string email = form.Get("email");
  const auto token = PreSessionToken(request);
  auto answer = tickets::SignUpAnswer::kThrottled;
  try {
    answer = tickets::RequestSignUp(db_, *policy_.server_key, {email, request.client_address},
                                    clock_.NowUnixSeconds());
  } catch (const core::Forbidden&) {
    throw core::NotFound("sign-up is invite-only");
  } catch (const core::Invalid& e) {
    return Page(422, "signup.tpl", "Sign up", nullptr, [&](Dict& d) {
      d.SetValue("CSRF_TOKEN", token.first);
      Error(d, e.UserText());
      d.AddSectionDictionary("FORM")->SetValue("EMAIL", email.substr(0, 254));
    });
  }
  if (answer == tickets::SignUpAnswer::kThrottled) {
    http::Response r = Page(429, "signup.tpl", "Sign up", nullptr, [&](Dict& d) {
      d.SetValue("CSRF_TOKEN", token.first);
      Error(d,
            "Too many sign-up requests for this address or from your network. Please wait "
            "a while, then try again.");
    });
    r.headers.Set("Retry-After", "60");
    return r;
  }
  log::Info("sign_up_requested", log::Fields().Add("request_id", request.request_id));
  return Page(200, "signup.tpl", "Check your email", nullptr, [&](Dict& d) {
    d.AddSectionDictionary("SENT")->SetValue("EMAIL", tickets::NormalizeEmail(email));
  });
}

http::Response AdminHelpdeskPages::ShowCompleteSignUp(http::Request& request) const {
  const std::string link = request.QueryParam("token").value_or("");
  const auto email = tickets::LinkEmail(db_, *policy_.server_key, link, clock_.NowUnixSeconds());
  const auto token = PreSessionToken(request);
  return WithPreSessionCookie(
      Page(email ? 200 : 404, "signup_complete.tpl", "Finish signing up", nullptr,
           [&](Dict& d) {
             d.SetValue("CSRF_TOKEN", token.first);
             if (!email) {
               d.ShowSection("INVALID");
               return;
             }
             Dict* f = d.AddSectionDictionary("FORM");
             f->SetValue("TOKEN", link);
             f->SetValue("EMAIL", *email);
           }),
      token);
}

http::Response AdminHelpdeskPages::SubmitCompleteSignUp(http::Request& request) const {
  const Form form(request);
  tickets::CompleteSignUpRequest in;
  in.token = form.Get("token");
  in.name = form.Get("name");
  in.password = form.Get("password");
  in.client_address = request.client_address;
  in.user_agent = std::string(request.headers.Get("User-Agent").value_or(""));
  const std::int64_t now = clock_.NowUnixSeconds();
  tickets::SignedUp done;
  try {
    done = tickets::CompleteSignUp(db_, *policy_.server_key, policy_.hash_cost, policy_.end_users,
                                   in, now);
  } catch (const core::Invalid& e) {
    const auto email = tickets::LinkEmail(db_, *policy_.server_key, in.token, now);
    const auto token = PreSessionToken(request);
    return Page(422, "signup_complete.tpl", "Finish signing up", nullptr, [&](Dict& d) {
      d.SetValue("CSRF_TOKEN", token.first);
      Error(d, e.UserText());
      if (!email) {
        d.ShowSection("INVALID");
        return;
      }
      Dict* f = d.AddSectionDictionary("FORM");
      f->SetValue("TOKEN", in.token);
      f->SetValue("EMAIL", *email);
      f->SetValue("NAME", in.name.substr(0, 200));
    });
  }
  // A session that came with the request is replaced, never upgraded (no fixation).
  if (const auto* previous = security::AnySession(request)) {
    storage::Lease w = db_.Write();
    auth::RevokeSession(*w, previous->token);
  }
  log::Info("signed_up",
            log::Fields().Add("request_id", request.request_id).Add("user_id", done.user_id));
  http::Response r = http::Response::Redirect("/portal/");
  r.headers.Add("Set-Cookie", security::SessionCookie(done.session_token));
  r.headers.Add("Set-Cookie", security::ExpiredCookie(security::kPreSessionCsrfCookie));
  return r;
}

}  // namespace rampart::web
