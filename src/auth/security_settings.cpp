#include "auth/security_settings.h"

#include <charconv>
#include <chrono>
#include <map>
#include <optional>
#include <type_traits>

namespace rampart::auth {
namespace {

constexpr auto kReloadEvery = std::chrono::seconds(5);

std::optional<std::int64_t> ParseInt(const std::string& text) {
  std::int64_t v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  return v;
}

void LoadPolicy(const std::map<std::string, std::string>& rows, const std::string& prefix,
                PasswordPolicy& p) {
  const auto num = [&](const char* name, auto& out) {
    auto it = rows.find(prefix + name);
    if (it == rows.end()) return;
    if (auto v = ParseInt(it->second); v && *v >= 0)
      out = static_cast<std::decay_t<decltype(out)>>(*v);
  };
  const auto flag = [&](const char* name, bool& out) {
    auto it = rows.find(prefix + name);
    if (it != rows.end()) out = it->second == "1";
  };
  num("min_length", p.min_length);
  num("min_length_with_second_factor", p.min_length_with_second_factor);
  num("history", p.history);
  num("expiry_days", p.expiry_days);
  flag("require_mixed_case", p.require_mixed_case);
  flag("require_digit", p.require_digit);
  flag("require_symbol", p.require_symbol);
}

void SavePolicy(storage::Connection& c, const std::string& prefix, const PasswordPolicy& p) {
  const auto put = [&](const char* name, const std::string& value) {
    c.Execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        {prefix + name, value});
  };
  put("min_length", std::to_string(p.min_length));
  put("min_length_with_second_factor", std::to_string(p.min_length_with_second_factor));
  put("history", std::to_string(p.history));
  put("expiry_days", std::to_string(p.expiry_days));
  put("require_mixed_case", p.require_mixed_case ? "1" : "0");
  put("require_digit", p.require_digit ? "1" : "0");
  put("require_symbol", p.require_symbol ? "1" : "0");
}

void PolicyProblems(const std::string& audience, const PasswordPolicy& p,
                    std::vector<std::string>& out) {
  const auto add = [&](std::string_view problem) {
    std::string named = audience;
    named.push_back('.');
    named.append(problem);
    out.push_back(std::move(named));
  };
  for (const std::string& problem : PasswordPolicyProblems(p)) add(problem);
  if (p.expiry_days > kPasswordExpiryCeilingDays) {
    add("expiry_days: must be at most " + std::to_string(kPasswordExpiryCeilingDays) +
        " (0 turns expiry off)");
  }
}

}  // namespace

bool SecuritySettings::RequiresSecondFactor(Role role) const {
  switch (role) {
    case Role::kOwner: return second_factor_owner;
    case Role::kAdmin: return second_factor_admin;
    case Role::kAgent: return second_factor_agent;
    case Role::kEndUser: return second_factor_end_user;
  }
  return true;
}

std::vector<std::string> SecuritySettingsProblems(const SecuritySettings& s) {
  std::vector<std::string> out;
  PolicyProblems("staff", s.staff_passwords, out);
  PolicyProblems("end_users", s.end_user_passwords, out);
  return out;
}

SecuritySettings LoadSecuritySettings(storage::Connection& c, const SecuritySettings& defaults) {
  std::map<std::string, std::string> rows;
  for (const auto& row : c.Query("SELECT key, value FROM settings WHERE key LIKE 'security.%'")) {
    rows.emplace(row.Text(0), row.Text(1));
  }
  SecuritySettings s = defaults;
  LoadPolicy(rows, "security.staff.", s.staff_passwords);
  LoadPolicy(rows, "security.end_users.", s.end_user_passwords);
  const auto flag = [&](const char* key, bool& out) {
    auto it = rows.find(key);
    if (it != rows.end()) out = it->second == "1";
  };
  flag("security.second_factor.owner", s.second_factor_owner);
  flag("security.second_factor.admin", s.second_factor_admin);
  flag("security.second_factor.agent", s.second_factor_agent);
  flag("security.second_factor.end_user", s.second_factor_end_user);
  // A stored value the bounds refuse (edited by hand) falls back to the defaults.
  if (!SecuritySettingsProblems(s).empty()) {
    s.staff_passwords = defaults.staff_passwords;
    s.end_user_passwords = defaults.end_user_passwords;
  }
  return s;
}

void SaveSecuritySettings(storage::Connection& c, const SecuritySettings& s) {
  SavePolicy(c, "security.staff.", s.staff_passwords);
  SavePolicy(c, "security.end_users.", s.end_user_passwords);
  const auto put = [&](const char* key, bool value) {
    c.Execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        {std::string(key), std::string(value ? "1" : "0")});
  };
  put("security.second_factor.owner", s.second_factor_owner);
  put("security.second_factor.admin", s.second_factor_admin);
  put("security.second_factor.agent", s.second_factor_agent);
  put("security.second_factor.end_user", s.second_factor_end_user);
}

std::shared_ptr<const SecuritySettings> SecuritySettingsCache::Get() {
  const std::int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                               std::chrono::steady_clock::now().time_since_epoch())
                               .count();
  const std::int64_t max_age = std::chrono::nanoseconds(kReloadEvery).count();
  auto current = current_.load();
  if (current && now - loaded_at_ns_.load() < max_age) return current;
  std::lock_guard lock(reload_mutex_);
  current = current_.load();
  if (current && now - loaded_at_ns_.load() < max_age) return current;
  storage::Lease c = db_.Read();
  current = std::make_shared<const SecuritySettings>(LoadSecuritySettings(*c, defaults_));
  current_.store(current);
  loaded_at_ns_.store(now);
  return current;
}

void SecuritySettingsCache::Invalidate() {
  current_.store(nullptr);
}

}  // namespace rampart::auth
