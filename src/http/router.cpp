#include "http/router.h"

#include <stdexcept>

#include "core/strings.h"

namespace rampart::http {

namespace {

std::vector<std::string_view> SplitPath(std::string_view path) {
  return core::Split(path.substr(1), '/');
}

bool IsParameter(std::string_view part) {
  return part.size() >= 2 && part.front() == '{' && part.back() == '}';
}

}  // namespace

Router::Segments Router::Compile(std::string_view pattern) {
  Segments s;
  for (std::string_view part : SplitPath(pattern)) {
    if (IsParameter(part)) s.literal = false;
    s.parts.emplace_back(part);
  }
  return s;
}

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
  compiled_.push_back(Compile(route.pattern));
  routes_.push_back(std::move(route));
}

bool Router::Matches(const Segments& pattern, const std::vector<std::string_view>& path,
                     Request* bind_to) {
  if (pattern.parts.size() != path.size()) return false;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const std::string& p = pattern.parts[i];
    if (IsParameter(p)) {
      if (path[i].empty()) return false;
      if (bind_to != nullptr) {
        bind_to->path_params[p.substr(1, p.size() - 2)] = std::string(path[i]);
      }
      continue;
    }
    if (p != path[i]) return false;
  }
  return true;
}

RouteInfo Router::Resolve(std::string_view method, std::string_view path) const {
  RouteInfo info;
  info.max_body_bytes = default_max_body_;
  // HEAD is GET without the body.
  const std::string_view effective = method == "HEAD" ? std::string_view("GET") : method;
  const auto parts = SplitPath(path);
  // Literal routes win over parameterised ones ("/portal/tickets/new" over ".../{number}").
  const Route* best = nullptr;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    if (!Matches(compiled_[i], parts, nullptr)) continue;
    info.path_known = true;
    if (routes_[i].method != effective) continue;
    if (best == nullptr || compiled_[i].literal) best = &routes_[i];
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
  request.requires_reauth = route.requires_reauth;
  if (route.pattern.find('{') != std::string::npos) {
    Matches(Compile(route.pattern), SplitPath(request.path), &request);
  }
}

std::vector<std::string> Router::AllowedMethods(std::string_view path) const {
  std::vector<std::string> methods;
  const auto parts = SplitPath(path);
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    if (Matches(compiled_[i], parts, nullptr)) methods.push_back(routes_[i].method);
  }
  return methods;
}

}  // namespace rampart::http
