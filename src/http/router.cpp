#include "http/router.h"

#include <stdexcept>

#include "core/strings.h"

namespace rampart::http {

void Router::Add(Route route) {
  if (route.pattern.empty() || route.pattern[0] != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + route.pattern);
  }
  for (const Route& r : routes_) {
    if (r.method == route.method && r.pattern == route.pattern) {
      throw std::invalid_argument("duplicate route: " + route.method + " " + route.pattern);
    }
  }
  if (route.max_body_bytes == 0) route.max_body_bytes = default_max_body_;
  routes_.push_back(std::move(route));
}

bool Router::Matches(std::string_view pattern, std::string_view path, Request* bind_to) {
  const auto pattern_parts = core::Split(pattern.substr(1), '/');
  const auto path_parts = core::Split(path.substr(1), '/');
  if (pattern_parts.size() != path_parts.size()) return false;
  for (std::size_t i = 0; i < pattern_parts.size(); ++i) {
    const std::string_view p = pattern_parts[i];
    if (p.size() >= 2 && p.front() == '{' && p.back() == '}') {
      if (path_parts[i].empty()) return false;
      if (bind_to != nullptr) {
        bind_to->path_params[std::string(p.substr(1, p.size() - 2))] = std::string(path_parts[i]);
      }
      continue;
    }
    if (p != path_parts[i]) return false;
  }
  return true;
}

RouteInfo Router::Resolve(std::string_view method, std::string_view path) const {
  RouteInfo info;
  info.max_body_bytes = default_max_body_;
  // HEAD is GET without the body.
  const std::string_view effective = method == "HEAD" ? std::string_view("GET") : method;
  // Literal routes win over parameterised ones ("/portal/tickets/new" over ".../{number}").
  const Route* best = nullptr;
  for (const Route& r : routes_) {
    if (!Matches(r.pattern, path, nullptr)) continue;
    info.path_known = true;
    if (r.method != effective) continue;
    if (best == nullptr || r.pattern.find('{') == std::string::npos) best = &r;
  }
  if (best != nullptr) {
    info.route = best;
    info.max_body_bytes = best->max_body_bytes;
    info.execution = best->execution;
  }
  return info;
}

void Router::Bind(const Route& route, Request& request) {
  request.route = route.pattern;
  request.routed = true;
  request.required_access = static_cast<int>(route.access);
  request.required_permission = route.permission;
  Matches(route.pattern, request.path, &request);
}

std::vector<std::string> Router::AllowedMethods(std::string_view path) const {
  std::vector<std::string> methods;
  for (const Route& r : routes_) {
    if (Matches(r.pattern, path, nullptr)) methods.push_back(r.method);
  }
  return methods;
}

}  // namespace rampart::http
