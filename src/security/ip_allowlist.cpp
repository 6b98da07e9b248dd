#include "security/ip_allowlist.h"

#include "core/errors.h"
#include "observability/log.h"
#include "observability/metrics.h"
#include "security/session_stage.h"

namespace rampart::security {
namespace {

constexpr auto kReloadEvery = std::chrono::seconds(5);

core::CidrList ParseStored(const std::optional<storage::Row>& row) {
  if (!row) return {};
  std::string error;
  auto list = core::CidrList::Parse(row->Text(0), error);
  // Stored lists were validated on save; a corrupt one must fail closed, not open.
  if (!list) throw std::runtime_error("stored IP allowlist is invalid: " + error);
  return *list;
}

[[noreturn]] void Deny(const http::Request& r, const char* reason) {
  metrics::Registry::Global().CountEvent("ip_denied", reason);
  log::Warn("ip_denied", log::Fields()
                             .Add("request_id", r.request_id)
                             .Add("reason", reason)
                             .Add("client", r.client_address)
                             .Add("route", r.route));
  throw core::Forbidden(std::string("ip allowlist: ") + reason);
}

}  // namespace

std::string_view IpScopeName(IpScope scope) {
  switch (scope) {
    case IpScope::kEveryone: return "everyone";
    case IpScope::kStaff: return "staff";
    case IpScope::kApi: return "api";
  }
  return "everyone";
}

std::optional<IpScope> ParseIpScope(std::string_view name) {
  if (name == "everyone") return IpScope::kEveryone;
  if (name == "staff") return IpScope::kStaff;
  if (name == "api") return IpScope::kApi;
  return std::nullopt;
}

IpAllowlists LoadAllowlists(storage::Connection& c) {
  IpAllowlists lists;
  lists.everyone =
      ParseStored(c.QueryOne("SELECT value FROM settings WHERE key = 'ip_allow.everyone'"));
  lists.staff = ParseStored(c.QueryOne("SELECT value FROM settings WHERE key = 'ip_allow.staff'"));
  lists.api = ParseStored(c.QueryOne("SELECT value FROM settings WHERE key = 'ip_allow.api'"));
  return lists;
}

void SaveAllowlist(storage::Connection& c, IpScope scope, const core::CidrList& list) {
  const std::string key = "ip_allow." + std::string(IpScopeName(scope));
  c.Execute(
      "INSERT INTO settings (key, value) VALUES (?, ?) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      {key, list.ToString()});
}

void ResetAllowlists(storage::Connection& c) {
  c.Execute(
      "DELETE FROM settings WHERE key IN ('ip_allow.everyone', 'ip_allow.staff', "
      "'ip_allow.api')");
}

std::string LockoutProblem(const IpAllowlists& current, IpScope scope, const core::CidrList& list,
                           const std::string& address, bool saver_is_staff) {
  IpAllowlists next = current;
  if (scope == IpScope::kEveryone) next.everyone = list;
  if (scope == IpScope::kStaff) next.staff = list;
  if (scope == IpScope::kApi) next.api = list;
  const bool everyone_ok = next.everyone.Empty() || next.everyone.Contains(address);
  const bool staff_ok = !saver_is_staff || next.staff.Empty() || next.staff.Contains(address);
  if (everyone_ok && staff_ok) return "";
  return "this list would lock you out: your address " + address + " is not in it";
}

std::shared_ptr<const IpAllowlists> AllowlistCache::Get() {
  const std::int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                               std::chrono::steady_clock::now().time_since_epoch())
                               .count();
  const std::int64_t max_age = std::chrono::nanoseconds(kReloadEvery).count();
  auto current = lists_.load();
  if (current && now - loaded_at_ns_.load() < max_age) return current;
  std::lock_guard lock(reload_mutex_);
  current = lists_.load();
  if (current && now - loaded_at_ns_.load() < max_age) return current;  // another thread did it
  storage::Lease c = db_.Read();
  current = std::make_shared<const IpAllowlists>(LoadAllowlists(*c));
  lists_.store(current);
  loaded_at_ns_.store(now);
  return current;
}

void AllowlistCache::Invalidate() {
  lists_.store(nullptr);
}

http::Stage IpFilter(AllowlistCache& cache) {
  return [&cache](http::Request& request, const http::Next& next) {
    const auto lists = cache.Get();
    if (!lists->everyone.Empty() && !lists->everyone.Contains(request.client_address)) {
      Deny(request, "not_in_everyone_list");
    }
    if (request.path.rfind("/api/", 0) == 0 && !lists->api.Empty() &&
        !lists->api.Contains(request.client_address)) {
      Deny(request, "not_in_api_list");
    }
    return next(request);
  };
}

http::Stage StaffIpFilter(AllowlistCache& cache) {
  return [&cache](http::Request& request, const http::Next& next) {
    const AuthContext* a = AnySession(request);
    if (a != nullptr && auth::IsStaff(a->person.actor.role)) {
      const auto lists = cache.Get();
      if (!lists->staff.Empty() && !lists->staff.Contains(request.client_address)) {
        Deny(request, "not_in_staff_list");
      }
    }
    return next(request);
  };
}

}  // namespace rampart::security
