#pragma once
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace rampart::metrics {

// Process-wide metrics, rendered in the Prometheus text format at /metrics. Label values come
// from bounded sets (route patterns, status codes, reason strings), never from raw input.
class Registry {
 public:
  static Registry& Global();

  void ObserveRequest(std::string_view route, int status, double seconds);
  void ConnectionOpened() { open_connections_.fetch_add(1, std::memory_order_relaxed); }
  void ConnectionClosed() { open_connections_.fetch_sub(1, std::memory_order_relaxed); }
  void ConnectionRejected(std::string_view reason);
  void AddDatabaseTime(double seconds);
  // A security decision or other event, by stable reason ("header_too_large").
  void CountEvent(std::string_view name, std::string_view reason);
  std::int64_t OpenConnections() const { return open_connections_.load(); }
  std::uint64_t EventCount(std::string_view name, std::string_view reason) const;

  std::string Render() const;

  static constexpr double kBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                        0.1,    0.25,  0.5,    1.0,   2.5,  5.0};

 private:
  struct RouteStats {
    std::map<int, std::uint64_t> by_status;
    std::vector<std::uint64_t> buckets = std::vector<std::uint64_t>(std::size(kBuckets), 0);
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  // Transparent comparison: a lookup by string_view allocates nothing on the hot path.
  std::map<std::string, RouteStats, std::less<>> routes_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> events_;
  std::atomic<std::int64_t> open_connections_{0};
  std::atomic<std::uint64_t> db_nanos_{0};
};

}  // namespace rampart::metrics
