#include "auth/users.h"

#include "auth/password_policy.h"
#include "core/errors.h"
#include "core/strings.h"

namespace rampart::auth {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kOwner: return "owner";
    case Role::kAdmin: return "admin";
    case Role::kAgent: return "agent";
    case Role::kEndUser: return "end_user";
  }
  return "end_user";
}

std::optional<Role> ParseRole(std::string_view name) {
  if (name == "owner") return Role::kOwner;
  if (name == "admin") return Role::kAdmin;
  if (name == "agent") return Role::kAgent;
  if (name == "end_user") return Role::kEndUser;
  return std::nullopt;
}

std::string EmailProblem(std::string_view email) {
  if (email.size() < 3 || email.size() > 254) return "must be 3 to 254 characters";
  if (core::HasControlCharacters(email) || email.find(' ') != std::string_view::npos) {
    return "must not contain spaces or control characters";
  }
  if (!core::IsValidUtf8(email)) return "must be valid UTF-8";
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 ||
      email.find('@', at + 1) != std::string_view::npos) {
    return "must contain exactly one @ with a name before it";
  }
  const std::string_view domain = email.substr(at + 1);
  if (domain.find('.') == std::string_view::npos || domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return "must end in a domain such as example.com";
  }
  for (char c : email) {
    if (c == '<' || c == '>' || c == '"' || c == ',' || c == ';' || c == '\\') {
      return "must not contain < > \" , ; or \\";
    }
  }
  return "";
}

std::string BasicPasswordProblem(std::string_view password) {
  if (!core::IsValidUtf8(password)) return "must be valid UTF-8";
  if (password.size() < 15) return "must be at least 15 characters";
  if (password.size() > 1024) return "must be at most 1024 characters";
  return "";
}

std::int64_t EnsureDepartment(storage::Connection& c, const std::string& name, std::int64_t now) {
  if (auto row = c.QueryOne("SELECT id FROM departments WHERE name = ?", {name}))
    return row->Int(0);
  c.Execute("INSERT INTO departments (name, created_at) VALUES (?, ?)", {name, now});
  return c.LastInsertId();
}

PreparedUser PrepareUser(const NewUser& user, const HashCost& cost) {
  if (std::string p = EmailProblem(user.email); !p.empty()) throw core::Invalid("email", p);
  if (user.name.size() > 200 || core::HasControlCharacters(user.name) ||
      !core::IsValidUtf8(user.name)) {
    throw core::Invalid("name", "must be at most 200 characters of text");
  }
  // The admin-configurable policy comes with the settings pages; until then, the defaults
  // (NIST SP 800-63B rev 4 for a password-only account).
  const PasswordVerdict verdict = CheckPassword(PasswordPolicy{}, user.password,
                                                PasswordContext{false, user.email, user.name, {}});
  if (!verdict) throw core::Invalid("password", verdict.user_text);
  if ((user.department || !user.department_ids.empty() || user.all_departments) &&
      !IsStaff(user.role)) {
    throw core::Invalid("department", "only staff belong to departments");
  }
  if (user.custom_role_id && user.role != Role::kAgent) {
    throw core::Invalid("role", "a custom role is a staff role");
  }
  if (user.organization_id && IsStaff(user.role)) {
    throw core::Invalid("organization", "only end users belong to organizations");
  }
  PreparedUser prepared;
  prepared.user = user;
  prepared.name = user.name.empty() ? user.email.substr(0, user.email.find('@')) : user.name;
  // The NFKC form is what is hashed and verified everywhere (auth/password_policy.h), so the
  // same password typed on another system still matches.
  prepared.password_hash = HashPassword(*NormalizePassword(user.password), cost);
  prepared.user.password.clear();
  return prepared;
}

std::int64_t InsertUser(storage::Connection& c, const PreparedUser& prepared, std::int64_t now) {
  const NewUser& user = prepared.user;
  if (c.QueryOne("SELECT 1 FROM users WHERE email = ?", {user.email})) {
    throw core::Conflict("A user with this email already exists.");
  }
  c.Execute(
      "INSERT INTO users (email, name, role, password_hash, must_change_password, created_at, "
      "role_id, all_departments, organization_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {user.email, prepared.name, std::string(RoleName(user.role)), prepared.password_hash,
       std::int64_t{user.must_change_password ? 1 : 0}, now,
       user.custom_role_id ? storage::Value(*user.custom_role_id) : storage::Value(nullptr),
       std::int64_t{user.all_departments ? 1 : 0},
       user.organization_id ? storage::Value(*user.organization_id) : storage::Value(nullptr)});
  const std::int64_t id = c.LastInsertId();
  std::vector<std::int64_t> departments = user.department_ids;
  if (user.department) departments.push_back(EnsureDepartment(c, *user.department, now));
  for (const std::int64_t department_id : departments) {
    c.Execute("INSERT OR IGNORE INTO user_departments (user_id, department_id) VALUES (?, ?)",
              {id, department_id});
  }
  return id;
}

std::int64_t CreateUser(storage::Database& db, const NewUser& user, const HashCost& cost,
                        std::int64_t now) {
  // Hash before taking the writer: argon2id takes ~100 ms and must not hold the write lock.
  const PreparedUser prepared = PrepareUser(user, cost);
  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  const std::int64_t id = InsertUser(*c, prepared, now);
  tx.Commit();
  return id;
}

std::optional<std::int64_t> FindUserId(storage::Connection& c, const std::string& email) {
  auto row = c.QueryOne("SELECT id FROM users WHERE email = ?", {email});
  if (!row) return std::nullopt;
  return row->Int(0);
}

std::int64_t CountUsers(storage::Database& db) {
  storage::Lease c = db.Read();
  return c->QueryOne("SELECT count(*) FROM users")->Int(0);
}

}  // namespace rampart::auth
