#pragma once
#include <optional>
#include <string>

#include "http/message.h"

namespace rampart::web {

// Facts every page shows (footer), set once at start-up.
struct Site {
  std::string profile = "development";
  std::string version;
};

// Loads the embedded templates into the template cache. Call once before serving.
void Init(const Site& site);

struct LoginView {
  std::string csrf_token;
  std::string email;  // echoed back after a failed attempt
  std::optional<std::string> error;
  std::optional<std::string> notice;
};
http::Response LoginPage(int status, const LoginView& view);

// An HTML error page that says what went wrong in user words and a reference for support.
http::Response ErrorPage(int status, const std::string& message, const std::string& request_id);

// A file from web/static/, or nullopt. Cacheable for an hour: assets carry no user data.
std::optional<http::Response> StaticAsset(const std::string& name);

}  // namespace rampart::web
