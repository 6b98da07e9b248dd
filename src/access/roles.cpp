#include "access/roles.h"

#include "access/rules.h"
#include "auth/actor.h"
#include "auth/sessions.h"
#include "core/errors.h"
#include "core/strings.h"
#include "tickets/ticket_store.h"

namespace rampart::access {
namespace {

void RequireMayView(const auth::Actor& actor) {
  if (auth::Authorize(actor, auth::Permission::kRoleManage)) return;
  RequirePermission(actor, auth::Permission::kUserManage);
}

void CheckInput(const RoleInput& input) {
  const std::string name(core::Trim(input.name));
  if (name.empty() || name.size() > 60 || core::HasControlCharacters(name) ||
      !core::IsValidUtf8(name)) {
    throw core::Invalid("name", "must be 1 to 60 characters of text");
  }
  if (input.description.size() > 300 || core::HasControlCharacters(input.description) ||
      !core::IsValidUtf8(input.description)) {
    throw core::Invalid("description", "must be at most 300 characters of text");
  }
}

RoleInfo FromRow(storage::Connection& c, const storage::Row& row) {
  RoleInfo r;
  r.id = row.Int(0);
  r.name = row.Text(1);
  if (const auto builtin = row.OptionalText(2)) r.builtin = auth::ParseRole(*builtin);
  r.description = row.Text(3);
  r.all_departments = row.Int(4) != 0;
  r.holders = row.Int(5);
  r.permissions =
      r.builtin ? auth::BuiltInPermissions(*r.builtin) : auth::LoadRolePermissions(c, r.id);
  return r;
}

Grant GrantOf(const RoleInfo& role) {
  return Grant{role.Kind(), role.permissions, role.all_departments, {}};
}

void WritePermissions(storage::Connection& c, std::int64_t id, const auth::PermissionSet& set) {
  c.Execute("DELETE FROM role_permissions WHERE role_id = ?", {id});
  for (const auth::Permission p : set.List()) {
    c.Execute("INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)",
              {id, std::string(auth::PermissionName(p))});
  }
}

std::string Describe(const RoleInput& input) {
  return "name=" + std::string(core::Trim(input.name)) +
         " all_departments=" + (input.all_departments ? "1" : "0") +
         " permissions=" + input.permissions.Names(",");
}

std::optional<std::int64_t> ActorId(const auth::Actor& actor) {
  if (actor.user_id > 0) return actor.user_id;
  return std::nullopt;
}

RoleInfo CustomRoleFor(storage::Connection& c, std::int64_t id) {
  auto role = FindRole(c, id);
  if (!role) throw core::NotFound("role " + std::to_string(id));
  if (role->builtin) {
    throw core::RequestError(403, "builtin_role", "Built-in roles cannot be changed.",
                             "change of built-in role " + std::to_string(id));
  }
  return std::move(*role);
}

void Conflicting(storage::Connection& c, const std::string& name, std::int64_t except) {
  if (c.QueryOne("SELECT 1 FROM roles WHERE name = ? AND id <> ?", {name, except})) {
    throw core::Conflict("A role with this name already exists.");
  }
}

}  // namespace

std::optional<RoleInfo> FindRole(storage::Connection& c, std::int64_t id) {
  const auto row = c.QueryOne(
      "SELECT r.id, r.name, r.builtin, r.description, r.all_departments, "
      "(SELECT count(*) FROM users AS u WHERE (r.builtin IS NULL AND u.role_id = r.id) OR "
      "(r.builtin IS NOT NULL AND u.role_id IS NULL AND u.role = r.builtin)) "
      "FROM roles AS r WHERE r.id = ?",
      {id});
  if (!row) return std::nullopt;
  return FromRow(c, *row);
}

std::vector<RoleInfo> ListRoles(const auth::Actor& actor, storage::Database& db) {
  RequireMayView(actor);
  storage::Lease c = db.Read();
  std::vector<RoleInfo> out;
  for (const auto& row : c->Query(
           "SELECT r.id, r.name, r.builtin, r.description, r.all_departments, "
           "(SELECT count(*) FROM users AS u WHERE (r.builtin IS NULL AND u.role_id = r.id) OR "
           "(r.builtin IS NOT NULL AND u.role_id IS NULL AND u.role = r.builtin)) "
           "FROM roles AS r ORDER BY r.builtin IS NULL, r.id")) {
    out.push_back(FromRow(*c, row));
  }
  return out;
}

std::vector<RoleInfo> ManageRoles(const auth::Actor& actor, storage::Database& db) {
  RequirePermission(actor, auth::Permission::kRoleManage);
  return ListRoles(actor, db);
}

RoleInfo GetRole(const auth::Actor& actor, storage::Database& db, std::int64_t id) {
  RequireMayView(actor);
  storage::Lease c = db.Read();
  auto role = FindRole(*c, id);
  if (!role) throw core::NotFound("role " + std::to_string(id));
  return std::move(*role);
}

std::int64_t CreateRole(const auth::Actor& actor, storage::Database& db, const RoleInput& input,
                        std::int64_t now) {
  RequirePermission(actor, auth::Permission::kRoleManage);
  CheckInput(input);
  RequireMayGrant(actor, Grant{auth::Role::kAgent, input.permissions, input.all_departments, {}});
  const std::string name(core::Trim(input.name));
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  Conflicting(*c, name, 0);
  c->Execute(
      "INSERT INTO roles (name, description, all_departments, created_at) VALUES (?, ?, ?, ?)",
      {name, input.description, std::int64_t{input.all_departments ? 1 : 0}, now});
  const std::int64_t id = c->LastInsertId();
  WritePermissions(*c, id, input.permissions);
  tickets::AppendAudit(*c, now, ActorId(actor), "role.create", "role:" + std::to_string(id),
                       Describe(input));
  tx.Commit();
  return id;
}

void UpdateRole(const auth::Actor& actor, storage::Database& db, std::int64_t id,
                const RoleInput& input, std::int64_t now) {
  RequirePermission(actor, auth::Permission::kRoleManage);
  CheckInput(input);
  const std::string name(core::Trim(input.name));
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  const RoleInfo old = CustomRoleFor(*c, id);
  // Editing a role that grants more than the editor holds would let them take away (or keep
  // handing out) what they could never give.
  if (!old.permissions.SubsetOf(actor.permissions) &&
      actor.channel != auth::Actor::Channel::kSystem) {
    throw core::RequestError(403, "target_exceeds_own",
                             "This role grants permissions you do not hold; you cannot change it.",
                             "update of role " + std::to_string(id) + " that grants more");
  }
  RequireMayGrant(actor, Grant{auth::Role::kAgent, input.permissions, input.all_departments, {}});
  Conflicting(*c, name, id);
  c->Execute("UPDATE roles SET name = ?, description = ?, all_departments = ? WHERE id = ?",
             {name, input.description, std::int64_t{input.all_departments ? 1 : 0}, id});
  WritePermissions(*c, id, input.permissions);
  // Every holder's next request loads the new permissions; their sessions end so that no
  // session id from before the change carries the new access.
  int revoked = 0;
  if (!(old.permissions == input.permissions) || old.all_departments != input.all_departments) {
    for (const auto& holder : c->Query("SELECT id FROM users WHERE role_id = ?", {id})) {
      revoked += auth::RevokeOtherSessions(*c, holder.Int(0), "");
    }
  }
  tickets::AppendAudit(*c, now, ActorId(actor), "role.update", "role:" + std::to_string(id),
                       "from permissions=" + old.permissions.Names(",") +
                           " all_departments=" + (old.all_departments ? "1" : "0") + " to " +
                           Describe(input) + " sessions_revoked=" + std::to_string(revoked));
  tx.Commit();
}

void DeleteRole(const auth::Actor& actor, storage::Database& db, std::int64_t id,
                std::int64_t now) {
  RequirePermission(actor, auth::Permission::kRoleManage);
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  const RoleInfo old = CustomRoleFor(*c, id);
  RequireMayChange(actor, 0, GrantOf(old));
  if (old.holders > 0) {
    throw core::Conflict("This role is still assigned to " + std::to_string(old.holders) +
                         " people; give them another role first.");
  }
  c->Execute("DELETE FROM roles WHERE id = ?", {id});
  tickets::AppendAudit(*c, now, ActorId(actor), "role.delete", "role:" + std::to_string(id),
                       "name=" + old.name + " permissions=" + old.permissions.Names(","));
  tx.Commit();
}

}  // namespace rampart::access
