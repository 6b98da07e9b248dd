#pragma once
#include "auth/password_hash.h"
#include "core/clock.h"
#include "http/message.h"
#include "storage/database.h"

namespace rampart::web {

// Administration of who may do what: users (create, role, departments, organization,
// disable), custom roles, and the access review. Adapters only: every decision is the access
// actions' (access/), which check user.manage, role.manage or audit.view and the grant rules.
class AdminAccessPages {
 public:
  AdminAccessPages(storage::Database& db, const core::Clock& clock, auth::HashCost cost)
      : db_(db), clock_(clock), cost_(cost) {}

  http::Response Users(http::Request& request) const;
  http::Response NewUserForm(http::Request& request) const;
  http::Response CreateUser(http::Request& request) const;
  http::Response User(http::Request& request) const;
  http::Response ChangeAccess(http::Request& request) const;
  http::Response Disable(http::Request& request) const;
  http::Response Enable(http::Request& request) const;

  http::Response Roles(http::Request& request) const;
  http::Response CreateRole(http::Request& request) const;
  http::Response Role(http::Request& request) const;
  http::Response UpdateRole(http::Request& request) const;
  http::Response DeleteRole(http::Request& request) const;

  http::Response AccessReview(http::Request& request) const;

 private:
  storage::Database& db_;
  const core::Clock& clock_;
  auth::HashCost cost_;
};

}  // namespace rampart::web
