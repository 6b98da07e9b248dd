#include "auth/actor.h"

namespace rampart::auth {

PermissionSet LoadRolePermissions(storage::Connection& c, std::int64_t role_id) {
  PermissionSet set;
  for (const auto& row :
       c.Query("SELECT permission FROM role_permissions WHERE role_id = ?", {role_id})) {
    if (const auto p = ParsePermission(row.Text(0))) set.Add(*p);
  }
  return set;
}

PermissionSet EffectivePermissions(storage::Connection& c, Role role,
                                   std::optional<std::int64_t> custom_role_id) {
  // The schema allows a custom role only on staff accounts; an owner or admin is never narrowed
  // or widened by one.
  if (custom_role_id && role == Role::kAgent) return LoadRolePermissions(c, *custom_role_id);
  return BuiltInPermissions(role);
}

std::optional<Person> LoadPerson(storage::Connection& c, std::int64_t user_id) {
  auto row = c.QueryOne(
      "SELECT u.email, u.name, u.role, u.organization_id, coalesce(o.shared_tickets, 0), "
      "u.all_departments, u.must_change_password, u.disabled, u.role_id, "
      "coalesce(r.all_departments, 0), coalesce(r.name, b.name, u.role) "
      "FROM users u LEFT JOIN organizations o ON o.id = u.organization_id "
      "LEFT JOIN roles r ON r.id = u.role_id LEFT JOIN roles b ON b.builtin = u.role "
      "WHERE u.id = ?",
      {user_id});
  if (!row) return std::nullopt;
  Person p;
  p.email = row->Text(0);
  p.name = row->Text(1);
  p.actor.user_id = user_id;
  p.actor.role = ParseRole(row->Text(2)).value_or(Role::kEndUser);
  p.actor.organization_id = row->OptionalInt(3);
  p.actor.organization_shares_tickets = row->Int(4) != 0;
  p.must_change_password = row->Int(6) != 0;
  p.disabled = row->Int(7) != 0;
  p.custom_role_id = row->OptionalInt(8);
  // A custom role can reach every department for all its holders.
  p.actor.all_departments = row->Int(5) != 0 || (p.custom_role_id && row->Int(9) != 0);
  p.role_name = row->Text(10);
  p.actor.permissions = EffectivePermissions(c, p.actor.role, p.custom_role_id);
  for (const auto& d :
       c.Query("SELECT department_id FROM user_departments WHERE user_id = ?", {user_id})) {
    p.actor.department_ids.push_back(d.Int(0));
  }
  return p;
}

}  // namespace rampart::auth
