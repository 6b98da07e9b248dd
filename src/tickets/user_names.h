#pragma once
#include <cstdint>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "storage/database.h"

namespace rampart::tickets {

// People's display names kept in memory for the queues, which show a requester's and an
// assignee's name on every row (two primary-key lookups per row otherwise). Safe without
// invalidation because a user's name never changes once the user exists: no action renames a
// person, and disabling or re-roling one leaves the name. (Department names do change and are read
// with every page instead.) Whoever holds one scopes it to one database. Bounded: emptied when
// full, so that a long-running server does not keep every requester.
class UserNameCache {
 public:
  static constexpr std::size_t kMaxEntries = 20000;

  // The name of user `id`, read through `c` on a miss; empty when there is no such user.
  std::string Get(storage::Connection& c, std::int64_t id);
  std::size_t Size() const;

 private:
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::int64_t, std::string> names_;
};

}  // namespace rampart::tickets
