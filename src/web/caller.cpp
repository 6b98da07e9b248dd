#include "web/caller.h"

#include <string>

#include "core/errors.h"

namespace rampart::web {

Caller SignedInCaller(const http::Request& r) {
  const security::AuthContext* a = security::SignedIn(r);
  // Pages are for browser sessions; a route-table slip must not serve them to an API token.
  if (a == nullptr || a->ViaApiToken()) throw core::Unauthorized();
  return Caller{*a,
                Viewer{a->person.name, a->session.csrf_token, auth::IsStaff(a->person.actor.role),
                       auth::HasAnyAdminPermission(a->person.actor)}};
}

Caller StaffCaller(const http::Request& r, std::string_view page) {
  Caller c = SignedInCaller(r);
  if (!c.viewer.staff) throw core::NotFound(std::string(page) + " for an end user");
  return c;
}

Caller AdminCaller(const http::Request& r) {
  Caller c = SignedInCaller(r);
  if (!c.viewer.staff) throw core::Forbidden("admin page for an end user");
  return c;
}

}  // namespace rampart::web
