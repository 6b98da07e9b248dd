#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace rampart::http {

using Handler = std::function<Response(Request&)>;

// Where a handler runs. Inline handlers run on the I/O thread and must not block (health,
// static files, metrics); blocking ones (database, password hashing) run on the worker pool so
// that slow work never stalls the accept loop. Waiting ones block too, but mostly asleep until
// another thread finishes their work (the ticket group commit): they run on a pool of their own,
// sized for many sleepers, so that waiters neither take the workers reads need nor limit how
// many requests can share one commit. Hashing ones verify or make password hashes (argon2id,
// tens of MiB and ~100 ms each): a pool of their own, as small as the memory allows, so that a
// flood of sign-ins waits in that pool's queue instead of taking every worker from reads.
enum class Execution { kInline, kBlocking, kWaiting, kHashing };

// Who may reach a route at all, checked by the access stage before the handler runs. Finer
// decisions (which ticket) are the action's, through auth::Authorize.
enum class Access {
  kPublic,      // anyone (sign-in page, health, static files)
  kSignInStep,  // a session between password and second factor (2FA prompt, enrolment)
  kSignedIn,    // a fully signed-in session or API token
};

struct Route {
  std::string method;   // "GET", "POST", ...
  std::string pattern;  // "/agent/tickets/{number}"
  Handler handler;
  std::size_t max_body_bytes = 0;  // 0: the server-wide limit
  Execution execution = Execution::kBlocking;
  Access access = Access::kSignedIn;  // closed unless a route says otherwise
  std::string permission;             // the permission it needs ("ticket.view"), for the matrix
  // A sensitive action (password, 2FA, roles, security settings, tokens, exports): the session
  // must have re-entered its password within the re-authentication window.
  bool requires_reauth = false;
};

// What the connection must know before it reads a body.
struct RouteInfo {
  const Route* route = nullptr;
  bool path_known = false;  // some route has this path, perhaps with another method
  std::size_t max_body_bytes = 0;
  Execution execution = Execution::kInline;
};

class Router {
 public:
  explicit Router(std::size_t default_max_body) : default_max_body_(default_max_body) {}
  // Adds a route; throws std::invalid_argument for a malformed pattern or a duplicate.
  void Add(Route route);
  RouteInfo Resolve(std::string_view method, std::string_view path) const;
  // Fills request.path_params and request.route for a resolved route.
  static void Bind(const Route& route, Request& request);
  std::vector<std::string> AllowedMethods(std::string_view path) const;
  const std::vector<Route>& Routes() const { return routes_; }

 private:
  // A pattern split once at start-up: per request only the path is split.
  struct Segments {
    std::vector<std::string> parts;  // "{name}" marks a parameter
    bool literal = true;             // no parameters
  };
  static Segments Compile(std::string_view pattern);
  static bool Matches(const Segments& pattern, const std::vector<std::string_view>& path,
                      Request* bind_to);
  std::size_t default_max_body_;
  std::vector<Route> routes_;
  std::vector<Segments> compiled_;  // parallel to routes_
};

}  // namespace rampart::http
