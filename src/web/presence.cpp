#include "web/presence.h"

namespace rampart::web {

std::vector<std::string> Presence::Visit(std::int64_t number, std::int64_t agent_id,
                                         const std::string& agent_name, std::int64_t now,
                                         std::int64_t window_seconds) {
  std::lock_guard lock(mutex_);
  // Forget old visits now and then, so the map stays as small as the set of open tickets.
  if (now - last_sweep_ > window_seconds) {
    for (auto it = by_ticket_.begin(); it != by_ticket_.end();) {
      std::erase_if(it->second,
                    [&](const auto& kv) { return now - kv.second.at > window_seconds; });
      it = it->second.empty() ? by_ticket_.erase(it) : std::next(it);
    }
    last_sweep_ = now;
  }
  auto& visitors = by_ticket_[number];
  std::vector<std::string> others;
  for (const auto& [id, seen] : visitors) {
    if (id != agent_id && now - seen.at <= window_seconds) others.push_back(seen.name);
  }
  visitors[agent_id] = Seen{agent_name, now};
  return others;
}

}  // namespace rampart::web
