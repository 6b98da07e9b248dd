#include "api/user_handlers.h"

#include <charconv>

#include "access/user_admin.h"
#include "api/json_io.h"
#include "core/clock.h"
#include "core/errors.h"
#include "security/session_stage.h"

namespace rampart::api {
namespace {

namespace json = boost::json;

const auth::Actor& ActorOf(const http::Request& r) {
  const security::AuthContext* a = security::SignedIn(r);
  // The access stage runs first; reaching here without a caller is a route-table bug.
  if (a == nullptr) throw core::Unauthorized();
  return a->person.actor;
}

json::value OptionalTime(const std::optional<std::int64_t>& t) {
  if (!t) return nullptr;
  return json::value(core::FormatUtc(*t));
}

json::object RenderUser(const access::UserRecord& u) {
  json::array permissions;
  for (const auth::Permission p : u.permissions.List()) {
    permissions.emplace_back(auth::PermissionName(p));
  }
  json::array departments;
  for (const access::Named& d : u.departments) departments.emplace_back(d.id);
  return json::object{
      {"id", u.id},
      {"email", u.email},
      {"name", u.name},
      {"role", u.role_name},
      {"role_id", u.role_id},
      {"kind", std::string(auth::RoleName(u.kind))},
      {"permissions", std::move(permissions)},
      {"all_departments", u.all_departments},
      {"department_ids", std::move(departments)},
      {"organization_id", u.organization ? json::value(u.organization->id) : json::value(nullptr)},
      {"disabled", u.disabled},
      {"two_factor", u.two_factor},
      {"created_at", core::FormatUtc(u.created_at)},
      {"last_sign_in_at", OptionalTime(u.last_sign_in_at)},
  };
}

}  // namespace

http::Response UserHandlers::List(http::Request& request) const {
  const auth::Actor& actor = ActorOf(request);
  QueryReader query(request);
  access::UserFilter filter;
  filter.text = query.String("q").value_or("");
  if (auto audience = query.String("audience")) {
    if (*audience == "staff") {
      filter.audience = access::Audience::kStaff;
    } else if (*audience == "end_users") {
      filter.audience = access::Audience::kEndUsers;
    } else if (*audience != "everyone") {
      throw core::Invalid("audience", "must be everyone, staff or end_users");
    }
  }
  if (auto role = query.Int("role_id")) filter.role_id = *role;
  if (auto state = query.String("state")) {
    if (*state == "active") {
      filter.disabled = false;
    } else if (*state == "disabled") {
      filter.disabled = true;
    } else if (*state != "any") {
      throw core::Invalid("state", "must be any, active or disabled");
    }
  }
  if (auto limit = query.Int("limit")) {
    if (*limit < 1 || *limit > 1000) throw core::Invalid("limit", "must be 1 to 1000");
    filter.limit = static_cast<int>(*limit);
  }
  query.RejectUnknown();
  json::array data;
  for (const access::UserRecord& u : access::ListUsers(actor, db_, filter)) {
    data.emplace_back(RenderUser(u));
  }
  return JsonResponse(200, json::object{{"data", std::move(data)}});
}

http::Response UserHandlers::Create(http::Request& request) const {
  const auth::Actor& actor = ActorOf(request);
  const json::object body = ParseObjectBody(request);
  ObjectReader f(body);
  access::NewAccount account;
  account.email = f.RequiredString("email");
  account.name = f.String("name").value_or("");
  const auto role_id = f.Int("role_id");
  if (!role_id) throw core::Malformed("role_id", "is required", "missing_field");
  account.access.role_id = *role_id;
  account.access.all_departments = f.Bool("all_departments").value_or(false);
  if (auto ids = f.IntArray("department_ids")) {
    if (ids->size() > 500) throw core::Invalid("department_ids", "too many");
    account.access.department_ids = std::move(*ids);
  }
  if (auto org = f.NullableInt("organization_id")) account.access.organization_id = *org;
  // Anything else (a password, a "permissions" list) is refused, not ignored.
  f.RejectUnknown();
  const access::CreatedAccount created =
      access::CreateAccount(actor, db_, account, cost_, clock_.NowUnixSeconds());
  access::UserRecord user;
  {
    storage::Lease c = db_.Read();
    user = *access::FindUserRecord(*c, created.id);
  }
  json::object out = RenderUser(user);
  out["one_time_password"] = created.one_time_password;
  http::Response r = JsonResponse(201, out);
  r.headers.Set("Location", "/api/v1/users/" + std::to_string(created.id));
  return r;
}

http::Response UserHandlers::Update(http::Request& request) const {
  const auth::Actor& actor = ActorOf(request);
  const std::string& text = request.PathParam("id");
  std::int64_t id = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || ptr != text.data() + text.size() || id <= 0) {
    throw core::NotFound("no such user id: " + text);
  }
  const json::object body = ParseObjectBody(request);
  ObjectReader f(body);
  // Starts from the account as it is: a field left out keeps its value.
  const access::UserRecord current = access::GetUser(actor, db_, id);
  access::Assignment next;
  next.role_id = f.Int("role_id").value_or(current.role_id);
  next.all_departments = f.Bool("all_departments").value_or(current.all_departments);
  if (auto ids = f.IntArray("department_ids")) {
    if (ids->size() > 500) throw core::Invalid("department_ids", "too many");
    next.department_ids = std::move(*ids);
  } else {
    for (const access::Named& d : current.departments) next.department_ids.push_back(d.id);
  }
  if (auto org = f.NullableInt("organization_id")) {
    next.organization_id = *org;
  } else if (current.organization) {
    next.organization_id = current.organization->id;
  }
  // A password, an email or a permission list is refused, not ignored (no mass assignment).
  f.RejectUnknown();
  access::ChangeAccess(actor, db_, id, next, clock_.NowUnixSeconds());
  access::UserRecord user;
  {
    storage::Lease c = db_.Read();
    user = *access::FindUserRecord(*c, id);
  }
  return JsonResponse(200, RenderUser(user));
}

}  // namespace rampart::api
