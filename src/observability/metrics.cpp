#include "observability/metrics.h"

#include <cstdio>

namespace rampart::metrics {
namespace {

// Label values are route patterns and reason strings that we choose, but escape anyway so a
// future caller cannot break the exposition format.
std::string LabelValue(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out.append("\\n");
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

}  // namespace

Registry& Registry::Global() {
  static Registry registry;
  return registry;
}

void Registry::ObserveRequest(std::string_view route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  auto it = routes_.find(route);
  if (it == routes_.end()) it = routes_.emplace(std::string(route), RouteStats{}).first;
  RouteStats& r = it->second;
  ++r.by_status[status];
  for (std::size_t i = 0; i < std::size(kBuckets); ++i) {
    if (seconds <= kBuckets[i]) ++r.buckets[i];
  }
  ++r.count;
  r.sum += seconds;
}

void Registry::ConnectionRejected(std::string_view reason) {
  CountEvent("connection_rejected", reason);
}

void Registry::AddDatabaseTime(double seconds) {
  db_nanos_.fetch_add(static_cast<std::uint64_t>(seconds * 1e9), std::memory_order_relaxed);
}

void Registry::CountEvent(std::string_view name, std::string_view reason) {
  std::lock_guard lock(mutex_);
  ++events_[{std::string(name), std::string(reason)}];
}

std::uint64_t Registry::EventCount(std::string_view name, std::string_view reason) const {
  std::lock_guard lock(mutex_);
  const auto it = events_.find({std::string(name), std::string(reason)});
  return it == events_.end() ? 0 : it->second;
}

std::string Registry::Render() const {
  std::string out;
  std::lock_guard lock(mutex_);
  out.append("# HELP rampart_http_requests_total HTTP requests answered, by route and status.\n");
  out.append("# TYPE rampart_http_requests_total counter\n");
  for (const auto& [route, stats] : routes_) {
    for (const auto& [status, count] : stats.by_status) {
      out.append("rampart_http_requests_total{route=\"" + LabelValue(route) + "\",status=\"" +
                 std::to_string(status) + "\"} " + std::to_string(count) + "\n");
    }
  }
  out.append("# HELP rampart_http_request_duration_seconds Time from request read to response.\n");
  out.append("# TYPE rampart_http_request_duration_seconds histogram\n");
  for (const auto& [route, h] : routes_) {
    const std::string label = "route=\"" + LabelValue(route) + "\"";
    for (std::size_t i = 0; i < std::size(kBuckets); ++i) {
      out.append("rampart_http_request_duration_seconds_bucket{" + label + ",le=\"" +
                 Number(kBuckets[i]) + "\"} " + std::to_string(h.buckets[i]) + "\n");
    }
    out.append("rampart_http_request_duration_seconds_bucket{" + label + ",le=\"+Inf\"} " +
               std::to_string(h.count) + "\n");
    out.append("rampart_http_request_duration_seconds_sum{" + label + "} " + Number(h.sum) + "\n");
    out.append("rampart_http_request_duration_seconds_count{" + label + "} " +
               std::to_string(h.count) + "\n");
  }
  out.append("# HELP rampart_http_open_connections Connections open now.\n");
  out.append("# TYPE rampart_http_open_connections gauge\n");
  out.append("rampart_http_open_connections " + std::to_string(open_connections_.load()) + "\n");
  out.append("# HELP rampart_db_seconds_total Time spent in database calls.\n");
  out.append("# TYPE rampart_db_seconds_total counter\n");
  out.append("rampart_db_seconds_total " + Number(static_cast<double>(db_nanos_.load()) / 1e9) +
             "\n");
  out.append("# HELP rampart_events_total Security and platform decisions, by stable reason.\n");
  out.append("# TYPE rampart_events_total counter\n");
  for (const auto& [key, count] : events_) {
    out.append("rampart_events_total{name=\"" + LabelValue(key.first) + "\",reason=\"" +
               LabelValue(key.second) + "\"} " + std::to_string(count) + "\n");
  }
  return out;
}

}  // namespace rampart::metrics
