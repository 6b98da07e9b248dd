#pragma once
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace rampart::web {

// Which agents have had a ticket open lately, for the collision warning. Kept in memory on this
// node: a warning, not a lock, so losing it on restart costs nothing.
class Presence {
 public:
  // Records that `agent` viewed ticket `number` now and returns the other agents who viewed it
  // within `window_seconds`.
  std::vector<std::string> Visit(std::int64_t number, std::int64_t agent_id,
                                 const std::string& agent_name, std::int64_t now,
                                 std::int64_t window_seconds = 120);

 private:
  struct Seen {
    std::string name;
    std::int64_t at = 0;
  };
  std::mutex mutex_;
  std::map<std::int64_t, std::map<std::int64_t, Seen>> by_ticket_;
  std::int64_t last_sweep_ = 0;
};

}  // namespace rampart::web
