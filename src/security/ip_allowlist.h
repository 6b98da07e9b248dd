#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/cidr.h"
#include "http/pipeline.h"
#include "storage/database.h"

namespace rampart::security {

// Who a list applies to. An empty list allows everyone.
enum class IpScope { kEveryone, kStaff, kApi };
std::string_view IpScopeName(IpScope scope);
std::optional<IpScope> ParseIpScope(std::string_view name);

struct IpAllowlists {
  core::CidrList everyone;
  core::CidrList staff;  // agents, admins, owners, and staff API tokens
  core::CidrList api;    // every /api/ request
};

IpAllowlists LoadAllowlists(storage::Connection& c);
void SaveAllowlist(storage::Connection& c, IpScope scope, const core::CidrList& list);
void ResetAllowlists(storage::Connection& c);

// Why saving `list` for `scope` would lock out the person saving it from `address`, or "".
std::string LockoutProblem(const IpAllowlists& current, IpScope scope, const core::CidrList& list,
                           const std::string& address, bool saver_is_staff);

// The lists as the server enforces them, reloaded from the database at most every few seconds
// so that every node of a cluster picks up a change.
class AllowlistCache {
 public:
  explicit AllowlistCache(storage::Database& db) : db_(db) {}
  std::shared_ptr<const IpAllowlists> Get();
  void Invalidate();

 private:
  storage::Database& db_;
  std::mutex reload_mutex_;  // one reload at a time; readers never wait on it
  std::atomic<std::shared_ptr<const IpAllowlists>> lists_;
  std::atomic<std::int64_t> loaded_at_ns_{0};
};

// The everyone and API lists, checked before any session or token work is done.
http::Stage IpFilter(AllowlistCache& cache);
// The staff list, checked on every request of a staff session (after the session stage): a
// session that moves to a disallowed address stops working.
http::Stage StaffIpFilter(AllowlistCache& cache);

}  // namespace rampart::security
