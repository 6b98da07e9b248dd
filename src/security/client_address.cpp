#include "security/client_address.h"

#include <vector>

#include "core/strings.h"

namespace rampart::security {
namespace {

// Hop addresses from nearest-first-to-farthest order reversed: the header lists the client
// first and each proxy appends the address it received from.
std::vector<std::string> ForwardedChain(const http::Request& request) {
  std::vector<std::string> chain;
  for (const auto& [name, value] : request.headers.All()) {
    if (!core::EqualsIgnoreCase(name, "X-Forwarded-For")) continue;
    for (std::string_view part : core::Split(value, ',')) chain.emplace_back(core::Trim(part));
  }
  if (!chain.empty()) return chain;
  for (const auto& [name, value] : request.headers.All()) {
    if (!core::EqualsIgnoreCase(name, "Forwarded")) continue;
    for (std::string_view element : core::Split(value, ',')) {
      for (std::string_view pair : core::Split(element, ';')) {
        pair = core::Trim(pair);
        if (pair.size() < 4 || !core::EqualsIgnoreCase(pair.substr(0, 4), "for=")) continue;
        std::string_view v = pair.substr(4);
        if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
        // "[2001:db8::1]:443" or "192.0.2.1:443": drop the port.
        if (!v.empty() && v.front() == '[') {
          const auto close = v.find(']');
          if (close != std::string_view::npos) v = v.substr(0, close + 1);
        } else if (v.find(':') != std::string_view::npos && v.find(':') == v.rfind(':')) {
          v = v.substr(0, v.find(':'));
        }
        chain.emplace_back(v);
      }
    }
  }
  return chain;
}

}  // namespace

std::string ClientAddress(const http::Request& request, const core::CidrList& trusted_proxies) {
  const std::string& peer = request.peer_address;
  if (trusted_proxies.Empty() || !trusted_proxies.Contains(peer)) return peer;
  std::string nearest = peer;
  const auto chain = ForwardedChain(request);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const auto address = core::IpAddress::Parse(*it);
    // Garbage in the chain: trust stops at the last proxy we could verify.
    if (!address) return nearest;
    if (!trusted_proxies.Contains(*address)) return address->ToString();
    nearest = address->ToString();
  }
  return nearest;
}

http::Stage ClientAddressStage(core::CidrList trusted_proxies) {
  return [trusted = std::move(trusted_proxies)](http::Request& request, const http::Next& next) {
    request.client_address = ClientAddress(request, trusted);
    return next(request);
  };
}

}  // namespace rampart::security
