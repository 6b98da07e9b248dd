#include "access/access_review.h"

#include "access/rules.h"
#include "core/clock.h"
#include "core/strings.h"

namespace rampart::access {
namespace {

std::string Departments(const UserRecord& u) {
  if (u.kind == auth::Role::kOwner || u.kind == auth::Role::kAdmin || u.all_departments) {
    return "all";
  }
  std::string out;
  for (const Named& d : u.departments) {
    if (!out.empty()) out += ", ";
    out += d.name;
  }
  return out.empty() ? "none (shared inbox only)" : out;
}

std::string Time(const std::optional<std::int64_t>& t) {
  return t ? core::FormatUtc(*t) : "never";
}

}  // namespace

std::vector<ReviewEntry> AccessReview(const auth::Actor& actor, storage::Database& db) {
  if (!auth::Authorize(actor, auth::Permission::kAuditView)) {
    RequirePermission(actor, auth::Permission::kUserManage);
  }
  storage::Lease c = db.Read();
  std::vector<ReviewEntry> out;
  for (const auto& row :
       c->Query("SELECT id FROM users WHERE role <> 'end_user' ORDER BY role = 'agent', email")) {
    auto user = FindUserRecord(*c, row.Int(0));
    if (!user) continue;
    ReviewEntry e{std::move(*user), auth::ListApiTokens(*c, row.Int(0))};
    out.push_back(std::move(e));
  }
  return out;
}

std::string ReviewJson(const std::vector<ReviewEntry>& entries, std::int64_t now) {
  std::string out = "{\"generated_at\":" + core::JsonQuote(core::FormatUtc(now)) + ",\"staff\":[";
  bool first = true;
  for (const ReviewEntry& e : entries) {
    const UserRecord& u = e.user;
    if (!first) out += ",";
    first = false;
    out += "{\"id\":" + std::to_string(u.id) + ",\"email\":" + core::JsonQuote(u.email) +
           ",\"name\":" + core::JsonQuote(u.name) + ",\"role\":" + core::JsonQuote(u.role_name) +
           ",\"custom_role\":" + (u.custom_role ? "true" : "false") + ",\"permissions\":[";
    bool first_p = true;
    for (const auth::Permission p : u.permissions.List()) {
      if (!first_p) out += ",";
      first_p = false;
      out += core::JsonQuote(std::string(auth::PermissionName(p)));
    }
    out += "],\"all_departments\":";
    out += (u.kind == auth::Role::kOwner || u.kind == auth::Role::kAdmin || u.all_departments)
               ? "true"
               : "false";
    out += ",\"departments\":[";
    bool first_d = true;
    for (const Named& d : u.departments) {
      if (!first_d) out += ",";
      first_d = false;
      out += core::JsonQuote(d.name);
    }
    out += "],\"two_factor\":" + std::string(u.two_factor ? "true" : "false") +
           ",\"last_sign_in_at\":" +
           (u.last_sign_in_at ? core::JsonQuote(core::FormatUtc(*u.last_sign_in_at)) : "null") +
           ",\"disabled\":" + (u.disabled ? "true" : "false") + ",\"api_tokens\":[";
    bool first_t = true;
    for (const auth::ApiTokenInfo& t : e.tokens) {
      if (!first_t) out += ",";
      first_t = false;
      out += "{\"id\":" + std::to_string(t.id) + ",\"name\":" + core::JsonQuote(t.name) +
             ",\"scope\":" + core::JsonQuote(std::string(auth::TokenScopeName(t.scope))) +
             ",\"created_at\":" + core::JsonQuote(core::FormatUtc(t.created_at)) +
             ",\"last_used_at\":" +
             (t.last_used_at ? core::JsonQuote(core::FormatUtc(*t.last_used_at)) : "null") +
             ",\"revoked\":" + (t.revoked_at ? "true" : "false") + "}";
    }
    out += "]}";
  }
  return out + "]}\n";
}

std::string ReviewText(const std::vector<ReviewEntry>& entries, std::int64_t now) {
  std::string out = "Access review, " + core::FormatUtc(now) + ": " +
                    std::to_string(entries.size()) + " staff account(s)\n";
  for (const ReviewEntry& e : entries) {
    const UserRecord& u = e.user;
    out += "\n" + u.email + " (" + u.name + ")" + (u.disabled ? " DISABLED" : "") + "\n";
    out += "  role:        " + u.role_name + (u.custom_role ? " (custom)" : "") + "\n";
    out += "  permissions: " + u.permissions.Names(" ") + "\n";
    out += "  departments: " + Departments(u) + "\n";
    out += "  2fa:         " + std::string(u.two_factor ? "on" : "off") + "\n";
    out += "  last sign-in: " + Time(u.last_sign_in_at) + "\n";
    if (e.tokens.empty()) out += "  api tokens:  none\n";
    for (const auth::ApiTokenInfo& t : e.tokens) {
      out += "  api token " + std::to_string(t.id) + ": " +
             std::string(auth::TokenScopeName(t.scope)) + ", " +
             (t.revoked_at ? "revoked" : "live") + ", created " + core::FormatUtc(t.created_at) +
             ", last used " + Time(t.last_used_at) + ", \"" + t.name + "\"\n";
    }
  }
  return out;
}

}  // namespace rampart::access
