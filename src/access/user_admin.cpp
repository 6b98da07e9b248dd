#include "access/user_admin.h"

#include <algorithm>

#include "access/roles.h"
#include "access/rules.h"
#include "auth/actor.h"
#include "auth/sessions.h"
#include "auth/users.h"
#include "core/errors.h"
#include "core/random.h"
#include "core/strings.h"
#include "tickets/ticket_store.h"

namespace rampart::access {
namespace {

std::optional<std::int64_t> ActorId(const auth::Actor& actor) {
  if (actor.user_id > 0) return actor.user_id;
  return std::nullopt;
}

// A LIKE pattern that matches `text` literally anywhere.
std::string Contains(std::string_view text) {
  std::string out = "%";
  for (const char ch : text) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "%";
}

// What an assignment would give, checked against the schema's facts (role and departments
// exist, departments only for staff, organizations only for end users).
struct Resolved {
  RoleInfo role;
  Grant grant;
};

Resolved Resolve(storage::Connection& c, const Assignment& a) {
  auto role = FindRole(c, a.role_id);
  if (!role) throw core::Invalid("role", "no such role");
  Resolved r{std::move(*role), {}};
  r.grant.kind = r.role.Kind();
  r.grant.permissions = r.role.permissions;
  r.grant.all_departments = a.all_departments || r.role.all_departments;
  r.grant.department_ids = a.department_ids;
  std::sort(r.grant.department_ids.begin(), r.grant.department_ids.end());
  r.grant.department_ids.erase(
      std::unique(r.grant.department_ids.begin(), r.grant.department_ids.end()),
      r.grant.department_ids.end());
  if (!auth::IsStaff(r.grant.kind)) {
    if (a.all_departments || !a.department_ids.empty()) {
      throw core::Invalid("departments", "only staff belong to departments");
    }
    if (a.organization_id &&
        !c.QueryOne("SELECT 1 FROM organizations WHERE id = ?", {*a.organization_id})) {
      throw core::Invalid("organization", "no such organization");
    }
  } else if (a.organization_id) {
    throw core::Invalid("organization", "only end users belong to organizations");
  }
  if (r.grant.department_ids.size() > 500) throw core::Invalid("departments", "too many");
  for (const std::int64_t d : r.grant.department_ids) {
    if (!tickets::DepartmentExists(c, d)) throw core::Invalid("departments", "no such department");
  }
  return r;
}

Grant GrantOf(const UserRecord& u) {
  Grant g{u.kind, u.permissions, u.all_departments, {}};
  for (const Named& d : u.departments) g.department_ids.push_back(d.id);
  return g;
}

UserRecord Target(storage::Connection& c, std::int64_t id) {
  auto u = FindUserRecord(c, id);
  if (!u) throw core::NotFound("user " + std::to_string(id));
  return std::move(*u);
}

bool IsOnlyActiveOwner(storage::Connection& c, const UserRecord& u) {
  if (u.kind != auth::Role::kOwner || u.disabled) return false;
  return !c.QueryOne("SELECT 1 FROM users WHERE role = 'owner' AND disabled = 0 AND id <> ?",
                     {u.id});
}

constexpr const char* kLastOwner =
    "There must always be at least one active owner: make someone else an owner first.";

std::string DescribeAccess(const std::string& role_name, const Grant& g,
                           std::optional<std::int64_t> organization_id) {
  std::string departments;
  for (const std::int64_t d : g.department_ids) {
    if (!departments.empty()) departments += ",";
    departments += std::to_string(d);
  }
  return "role=" + role_name + " all_departments=" + (g.all_departments ? "1" : "0") +
         " departments=" + departments +
         " organization=" + (organization_id ? std::to_string(*organization_id) : "");
}

}  // namespace

std::optional<UserRecord> FindUserRecord(storage::Connection& c, std::int64_t id) {
  const auto row = c.QueryOne(
      "SELECT u.id, u.email, u.name, u.role, u.role_id, coalesce(r.name, b.name, u.role), "
      "coalesce(r.id, b.id, 0), u.all_departments, coalesce(r.all_departments, 0), "
      "u.organization_id, o.name, u.disabled, u.created_at, u.last_sign_in_at, "
      "EXISTS (SELECT 1 FROM totp_credentials AS t WHERE t.user_id = u.id "
      "AND t.confirmed_at IS NOT NULL) "
      "FROM users AS u LEFT JOIN roles AS r ON r.id = u.role_id "
      "LEFT JOIN roles AS b ON b.builtin = u.role "
      "LEFT JOIN organizations AS o ON o.id = u.organization_id WHERE u.id = ?",
      {id});
  if (!row) return std::nullopt;
  UserRecord u;
  u.id = row->Int(0);
  u.email = row->Text(1);
  u.name = row->Text(2);
  u.kind = auth::ParseRole(row->Text(3)).value_or(auth::Role::kEndUser);
  const auto custom = row->OptionalInt(4);
  u.custom_role = custom.has_value();
  u.role_name = row->Text(5);
  u.role_id = row->Int(6);
  u.all_departments = row->Int(7) != 0 || (custom && row->Int(8) != 0);
  if (const auto org = row->OptionalInt(9)) u.organization = Named{*org, row->Text(10)};
  u.disabled = row->Int(11) != 0;
  u.created_at = row->Int(12);
  u.last_sign_in_at = row->OptionalInt(13);
  u.two_factor = row->Int(14) != 0;
  u.permissions = auth::EffectivePermissions(c, u.kind, custom);
  for (const auto& d :
       c.Query("SELECT d.id, d.name FROM user_departments AS ud JOIN departments AS d "
               "ON d.id = ud.department_id WHERE ud.user_id = ? ORDER BY d.name",
               {id})) {
    u.departments.push_back(Named{d.Int(0), d.Text(1)});
  }
  return u;
}

std::vector<UserRecord> ListUsers(const auth::Actor& actor, storage::Database& db,
                                  const UserFilter& filter) {
  RequirePermission(actor, auth::Permission::kUserManage);
  if (filter.text.size() > 200) throw core::Invalid("q", "must be at most 200 characters");
  const std::int64_t audience = filter.audience == Audience::kStaff      ? 1
                                : filter.audience == Audience::kEndUsers ? 2
                                                                         : 0;
  const std::int64_t disabled = filter.disabled ? (*filter.disabled ? 1 : 0) : -1;
  storage::Lease c = db.Read();
  std::vector<UserRecord> out;
  for (const auto& row : c->Query(
           "SELECT u.id FROM users AS u WHERE "
           "(?1 = '' OR u.email LIKE ?2 ESCAPE '\\' OR u.name LIKE ?2 ESCAPE '\\') "
           "AND (?3 = 0 OR (?3 = 1 AND u.role <> 'end_user') OR (?3 = 2 AND u.role = 'end_user')) "
           "AND (?4 < 0 OR u.disabled = ?4) "
           "AND (?5 = 0 OR coalesce(u.role_id, (SELECT b.id FROM roles AS b "
           "WHERE b.builtin = u.role)) = ?5) "
           "ORDER BY u.role = 'end_user', u.email LIMIT ?6",
           {filter.text, Contains(filter.text), audience, disabled, filter.role_id.value_or(0),
            std::int64_t{std::clamp(filter.limit, 1, 1000)}})) {
    if (auto u = FindUserRecord(*c, row.Int(0))) out.push_back(std::move(*u));
  }
  return out;
}

UserRecord GetUser(const auth::Actor& actor, storage::Database& db, std::int64_t id) {
  RequirePermission(actor, auth::Permission::kUserManage);
  storage::Lease c = db.Read();
  return Target(*c, id);
}

std::vector<Named> ListDepartments(storage::Database& db) {
  storage::Lease c = db.Read();
  std::vector<Named> out;
  for (const auto& row : c->Query("SELECT id, name FROM departments ORDER BY name")) {
    out.push_back(Named{row.Int(0), row.Text(1)});
  }
  return out;
}

std::vector<Named> ListOrganizations(storage::Database& db) {
  storage::Lease c = db.Read();
  std::vector<Named> out;
  for (const auto& row : c->Query("SELECT id, name FROM organizations ORDER BY name")) {
    out.push_back(Named{row.Int(0), row.Text(1)});
  }
  return out;
}

CreatedAccount CreateAccount(const auth::Actor& actor, storage::Database& db,
                             const NewAccount& account, const auth::HashCost& cost,
                             std::int64_t now) {
  RequirePermission(actor, auth::Permission::kUserManage);
  Resolved resolved;
  {
    storage::Lease c = db.Read();
    resolved = Resolve(*c, account.access);
  }
  RequireMayGrant(actor, resolved.grant);
  auth::NewUser user;
  user.email = std::string(core::Trim(account.email));
  user.name = std::string(core::Trim(account.name));
  user.role = resolved.grant.kind;
  if (!resolved.role.builtin) user.custom_role_id = resolved.role.id;
  user.all_departments = account.access.all_departments;
  user.department_ids = resolved.grant.department_ids;
  user.organization_id = account.access.organization_id;
  user.must_change_password = true;
  CreatedAccount created;
  created.one_time_password = core::RandomPassword();
  user.password = created.one_time_password;
  // Hashing takes ~100 ms: before the writer is taken.
  const auth::PreparedUser prepared = auth::PrepareUser(user, cost);
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  // Checked again under the writer: the role or a department may have changed meanwhile.
  const Resolved now_resolved = Resolve(*c, account.access);
  RequireMayGrant(actor, now_resolved.grant);
  created.id = auth::InsertUser(*c, prepared, now);
  tickets::AppendAudit(
      *c, now, ActorId(actor), "user.create", "user:" + std::to_string(created.id),
      "email=" + user.email + " " +
          DescribeAccess(now_resolved.role.name, now_resolved.grant, user.organization_id));
  tx.Commit();
  return created;
}

void ChangeAccess(const auth::Actor& actor, storage::Database& db, std::int64_t user_id,
                  const Assignment& access, std::int64_t now) {
  RequirePermission(actor, auth::Permission::kUserManage);
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  const UserRecord target = Target(*c, user_id);
  const Grant before = GrantOf(target);
  RequireMayChange(actor, user_id, before);
  const Resolved next = Resolve(*c, access);
  RequireMayGrant(actor, next.grant);
  std::vector<std::int64_t> old_departments = before.department_ids;
  std::sort(old_departments.begin(), old_departments.end());
  // Organization ids are positive: 0 stands for none.
  const std::int64_t old_organization = target.organization ? target.organization->id : 0;
  if (target.role_id == next.role.id && before.all_departments == next.grant.all_departments &&
      old_departments == next.grant.department_ids &&
      old_organization == access.organization_id.value_or(0)) {
    return;  // nothing changes: no audit event, and the person stays signed in
  }
  if (next.grant.kind != auth::Role::kOwner && IsOnlyActiveOwner(*c, target)) {
    throw core::Conflict(kLastOwner);
  }
  c->Execute(
      "UPDATE users SET role = ?, role_id = ?, all_departments = ?, organization_id = ? "
      "WHERE id = ?",
      {std::string(auth::RoleName(next.grant.kind)),
       next.role.builtin ? storage::Value(nullptr) : storage::Value(next.role.id),
       std::int64_t{access.all_departments ? 1 : 0},
       access.organization_id ? storage::Value(*access.organization_id) : storage::Value(nullptr),
       user_id});
  c->Execute("DELETE FROM user_departments WHERE user_id = ?", {user_id});
  for (const std::int64_t d : next.grant.department_ids) {
    c->Execute("INSERT INTO user_departments (user_id, department_id) VALUES (?, ?)", {user_id, d});
  }
  // The person's next request loads the new access; no session id from before the change
  // survives it (no fixation across a privilege change).
  const int revoked = auth::RevokeOtherSessions(*c, user_id, "");
  tickets::AppendAudit(
      *c, now, ActorId(actor), "user.access_change", "user:" + std::to_string(user_id),
      "from " +
          DescribeAccess(
              target.role_name, before,
              old_organization > 0 ? std::optional<std::int64_t>(old_organization) : std::nullopt) +
          " to " + DescribeAccess(next.role.name, next.grant, access.organization_id) +
          " sessions_revoked=" + std::to_string(revoked));
  tx.Commit();
}

void SetDisabled(const auth::Actor& actor, storage::Database& db, std::int64_t user_id,
                 bool disabled, std::int64_t now) {
  RequirePermission(actor, auth::Permission::kUserManage);
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  const UserRecord target = Target(*c, user_id);
  if (disabled && user_id == actor.user_id) {
    throw core::RequestError(403, "self_change", "You cannot disable your own account.",
                             "self disable");
  }
  RequireMayChange(actor, user_id, GrantOf(target));
  if (target.disabled == disabled) {
    tx.Commit();
    return;
  }
  if (disabled && IsOnlyActiveOwner(*c, target)) throw core::Conflict(kLastOwner);
  c->Execute("UPDATE users SET disabled = ? WHERE id = ?",
             {std::int64_t{disabled ? 1 : 0}, user_id});
  const int revoked = disabled ? auth::RevokeOtherSessions(*c, user_id, "") : 0;
  tickets::AppendAudit(*c, now, ActorId(actor), disabled ? "user.disable" : "user.enable",
                       "user:" + std::to_string(user_id),
                       "sessions_revoked=" + std::to_string(revoked));
  tx.Commit();
}

}  // namespace rampart::access
