#include "tickets/user_names.h"

#include <mutex>

namespace rampart::tickets {

std::string UserNameCache::Get(storage::Connection& c, std::int64_t id) {
  {
    const std::shared_lock lock(mutex_);
    const auto found = names_.find(id);
    if (found != names_.end()) return found->second;
  }
  // Read outside the lock: two threads missing the same id both read it, and write the same name.
  const auto row = c.QueryOne("SELECT name FROM users WHERE id = ?", {id});
  if (!row) return {};  // never cached: a user made later under this id gets their own name
  std::string name = row->Text(0);
  const std::unique_lock lock(mutex_);
  if (names_.size() >= kMaxEntries) names_.clear();
  names_.emplace(id, name);
  return name;
}

std::size_t UserNameCache::Size() const {
  const std::shared_lock lock(mutex_);
  return names_.size();
}

}  // namespace rampart::tickets
