#include "auth/actor.h"

namespace rampart::auth {

std::optional<Person> LoadPerson(storage::Connection& c, std::int64_t user_id) {
  auto row = c.QueryOne(
      "SELECT u.email, u.name, u.role, u.organization_id, coalesce(o.shared_tickets, 0), "
      "u.all_departments, u.must_change_password, u.disabled "
      "FROM users u LEFT JOIN organizations o ON o.id = u.organization_id WHERE u.id = ?",
      {user_id});
  if (!row) return std::nullopt;
  Person p;
  p.email = row->Text(0);
  p.name = row->Text(1);
  p.actor.user_id = user_id;
  p.actor.role = ParseRole(row->Text(2)).value_or(Role::kEndUser);
  p.actor.organization_id = row->OptionalInt(3);
  p.actor.organization_shares_tickets = row->Int(4) != 0;
  p.actor.all_departments = row->Int(5) != 0;
  p.must_change_password = row->Int(6) != 0;
  p.disabled = row->Int(7) != 0;
  for (const auto& d :
       c.Query("SELECT department_id FROM user_departments WHERE user_id = ?", {user_id})) {
    p.actor.department_ids.push_back(d.Int(0));
  }
  return p;
}

}  // namespace rampart::auth
