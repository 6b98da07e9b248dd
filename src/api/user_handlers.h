#pragma once
#include "auth/password_hash.h"
#include "core/clock.h"
#include "http/message.h"
#include "storage/database.h"

namespace rampart::api {

// /api/v1/users: the same user administration as the admin pages, through the same actions
// (access/), so the same rules hold: user.manage, nobody grants what they do not hold, only
// owners make owners. An administrator never sets a password: a new account gets a one-time one.
class UserHandlers {
 public:
  UserHandlers(storage::Database& db, const core::Clock& clock, auth::HashCost cost)
      : db_(db), clock_(clock), cost_(cost) {}

  http::Response List(http::Request& request) const;
  http::Response Create(http::Request& request) const;
  // Changes role, departments or organization; fields left out stay as they are.
  http::Response Update(http::Request& request) const;

 private:
  storage::Database& db_;
  const core::Clock& clock_;
  auth::HashCost cost_;
};

}  // namespace rampart::api
