#include "security/admin_security.h"

#include "audit/audit_log.h"
#include "core/errors.h"

namespace rampart::security {
namespace {

void RequirePermission(const auth::Actor& actor) {
  if (!auth::Authorize(actor, auth::Permission::kSettingsSecurity)) {
    throw core::Forbidden("security settings without settings.security");
  }
}

// One network per line in the form; the stored list is comma-separated.
std::optional<core::CidrList> ParseList(const std::string& text, const std::string& field,
                                        std::vector<FieldProblem>& problems) {
  if (text.size() > 64 * 1024) {
    problems.push_back({field, "The list is too long (at most 64 KB)."});
    return std::nullopt;
  }
  std::string bad;
  auto list = core::CidrList::Parse(text, bad);
  if (!list) {
    std::string message = "This is not an IPv4 or IPv6 network: ";
    message.append(bad.substr(0, 100));
    message.append(" (write e.g. 192.0.2.0/24 or 2001:db8::/32).");
    problems.push_back({field, message});
  }
  return list;
}

std::string ListText(const core::CidrList& list) {
  std::string text = list.ToString();
  for (char& ch : text) {
    if (ch == ',') ch = '\n';
  }
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == ' ' && (i == 0 || text[i - 1] == '\n')) continue;
    out.push_back(text[i]);
  }
  return out;
}

void AddName(std::string& list, std::string_view prefix, std::string_view name) {
  if (!list.empty()) list.push_back(',');
  list.append(prefix);
  list.append(name);
}

void Compare(const auth::PasswordPolicy& a, const auth::PasswordPolicy& b,
             const std::string& prefix, std::string& changed) {
  const auto note = [&](bool differs, const char* name) {
    if (differs) AddName(changed, prefix, name);
  };
  note(a.min_length != b.min_length, "min_length");
  note(a.min_length_with_second_factor != b.min_length_with_second_factor,
       "min_length_with_second_factor");
  note(a.history != b.history, "history");
  note(a.expiry_days != b.expiry_days, "expiry_days");
  note(a.require_mixed_case != b.require_mixed_case, "require_mixed_case");
  note(a.require_digit != b.require_digit, "require_digit");
  note(a.require_symbol != b.require_symbol, "require_symbol");
}

}  // namespace

SecurityPageValues ViewSecurityPage(storage::Database& db, const auth::Actor& actor,
                                    SecurityCaches caches) {
  RequirePermission(actor);
  SecurityPageValues v;
  storage::Lease c = db.Read();
  v.settings = auth::LoadSecuritySettings(*c, caches.settings.Defaults());
  const IpAllowlists lists = LoadAllowlists(*c);
  v.ip_everyone = ListText(lists.everyone);
  v.ip_staff = ListText(lists.staff);
  v.ip_api = ListText(lists.api);
  return v;
}

std::vector<FieldProblem> SaveSecurityPage(storage::Database& db, const auth::Actor& actor,
                                           const SecurityPageValues& values,
                                           std::vector<FieldProblem> input_problems,
                                           const std::string& client_address, SecurityCaches caches,
                                           std::int64_t now) {
  RequirePermission(actor);
  std::vector<FieldProblem> problems = std::move(input_problems);
  for (const std::string& p : auth::SecuritySettingsProblems(values.settings)) {
    const auto colon = p.find(": ");
    std::string text = p.substr(colon + 2);
    if (!text.empty())
      text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
    problems.push_back({p.substr(0, colon), text + "."});
  }
  const auto everyone = ParseList(values.ip_everyone, "ip.everyone", problems);
  const auto staff = ParseList(values.ip_staff, "ip.staff", problems);
  const auto api = ParseList(values.ip_api, "ip.api", problems);

  storage::Lease w = db.Write();
  storage::Transaction tx(*w);
  const IpAllowlists current = LoadAllowlists(*w);
  if (everyone && staff && api) {
    // Checked against the lists as they will be after the save, one scope at a time.
    IpAllowlists next = current;
    const bool saver_is_staff = auth::IsStaff(actor.role);
    if (auto p =
            LockoutProblem(next, IpScope::kEveryone, *everyone, client_address, saver_is_staff);
        !p.empty()) {
      problems.push_back({"ip.everyone", "Refused: " + p + "."});
    }
    next.everyone = *everyone;
    if (auto p = LockoutProblem(next, IpScope::kStaff, *staff, client_address, saver_is_staff);
        !p.empty()) {
      problems.push_back({"ip.staff", "Refused: " + p + "."});
    }
  }
  if (!problems.empty()) return problems;

  const auth::SecuritySettings before = auth::LoadSecuritySettings(*w, caches.settings.Defaults());
  std::string changed;
  Compare(before.staff_passwords, values.settings.staff_passwords, "staff.", changed);
  Compare(before.end_user_passwords, values.settings.end_user_passwords, "end_users.", changed);
  const auto note = [&](bool differs, const char* name) {
    if (differs) AddName(changed, "", name);
  };
  note(before.second_factor_owner != values.settings.second_factor_owner, "second_factor.owner");
  note(before.second_factor_admin != values.settings.second_factor_admin, "second_factor.admin");
  note(before.second_factor_agent != values.settings.second_factor_agent, "second_factor.agent");
  note(before.second_factor_end_user != values.settings.second_factor_end_user,
       "second_factor.end_user");
  note(current.everyone.ToString() != everyone->ToString(), "ip.everyone");
  note(current.staff.ToString() != staff->ToString(), "ip.staff");
  note(current.api.ToString() != api->ToString(), "ip.api");

  auth::SaveSecuritySettings(*w, values.settings);
  SaveAllowlist(*w, IpScope::kEveryone, *everyone);
  SaveAllowlist(*w, IpScope::kStaff, *staff);
  SaveAllowlist(*w, IpScope::kApi, *api);
  audit::Append(*w, now, actor.user_id, "settings.security", "security", client_address,
                changed.empty() ? "no change" : "changed: " + changed);
  tx.Commit();
  caches.settings.Invalidate();
  caches.allowlists.Invalidate();
  return {};
}

}  // namespace rampart::security
