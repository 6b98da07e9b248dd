#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "http/message.h"

namespace ctemplate {
class TemplateDictionary;
}

namespace rampart::web {

// Facts every page shows (footer), set once at start-up.
struct Site {
  std::string profile = "development";
  std::string version;
};

// Loads the embedded templates into the template cache. Call once before serving.
void Init(const Site& site);

// The signed-in person a page is shown to: the header shows their name and sign-out form.
struct Viewer {
  std::string name;
  std::string csrf_token;
  bool staff = false;
  bool admin = false;  // holds an admin permission: the header links to /admin/
};

// Renders a page: `body_template` inside the layout, filled by `fill`. For the page modules
// of web/ only; every value set through the dictionary is escaped by context.
using Fill = std::function<void(ctemplate::TemplateDictionary&)>;
http::Response Page(int status, const std::string& body_template, const std::string& title,
                    const Viewer* viewer, const Fill& fill);

struct LoginView {
  std::string csrf_token;
  std::string email;  // echoed back after a failed attempt
  std::optional<std::string> error;
  std::optional<std::string> notice;
  bool sign_up = false;  // the portal's sign-up is open: link to it
};
http::Response LoginPage(int status, const LoginView& view);

// An HTML error page that says what went wrong in user words and a reference for support.
http::Response ErrorPage(int status, const std::string& message, const std::string& request_id);

struct SessionRow {
  std::string handle;
  std::string client_address;
  std::string user_agent;
  std::string created;
  std::string last_seen;
  bool current = false;
};
http::Response SessionsPage(const Viewer& viewer, const std::vector<SessionRow>& rows,
                            const std::optional<std::string>& notice);

// The landing page after sign-in until the workspace pages exist for this audience.
http::Response HomePage(const Viewer& viewer, const std::string& heading, const std::string& text);

// A file from web/static/, or nullopt. Cacheable for an hour: assets carry no user data.
std::optional<http::Response> StaticAsset(const std::string& name);

}  // namespace rampart::web
