#pragma once
#include "auth/sign_in.h"
#include "core/clock.h"
#include "http/message.h"
#include "storage/database.h"

namespace rampart::web {

// Adapters between HTTP and the auth actions: parse the form, call one action, render.
class SignInHandlers {
 public:
  SignInHandlers(storage::Database& db, auth::SignInPolicy policy, const core::Clock& clock)
      : db_(db), policy_(std::move(policy)), clock_(clock) {}

  http::Response Home(http::Request& request) const;
  http::Response ShowLogin(http::Request& request) const;
  http::Response SubmitLogin(http::Request& request) const;
  http::Response SignOut(http::Request& request) const;
  http::Response ListSessions(http::Request& request) const;
  http::Response RevokeSession(http::Request& request) const;
  http::Response RevokeOtherSessions(http::Request& request) const;
  http::Response ShowChangePassword(http::Request& request) const;
  http::Response SubmitChangePassword(http::Request& request) const;

 private:
  storage::Database& db_;
  auth::SignInPolicy policy_;
  const core::Clock& clock_;
};

}  // namespace rampart::web
