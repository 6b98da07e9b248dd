#pragma once
#include <memory>

#include "auth/security_settings.h"
#include "auth/sign_in.h"
#include "core/clock.h"
#include "http/message.h"
#include "storage/database.h"

namespace rampart::web {

// Adapters between HTTP and the auth actions: parse the form, call one action, render.
class SignInHandlers {
 public:
  // `settings`: the password policy per audience (defaults when null).
  SignInHandlers(storage::Database& db, auth::SignInPolicy policy, const core::Clock& clock,
                 std::shared_ptr<auth::SecuritySettingsCache> settings = nullptr)
      : db_(db), policy_(std::move(policy)), clock_(clock), settings_(std::move(settings)) {}

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
  auth::PasswordPolicy PasswordsFor(auth::Role role) const;
  storage::Database& db_;
  auth::SignInPolicy policy_;
  const core::Clock& clock_;
  std::shared_ptr<auth::SecuritySettingsCache> settings_;
};

}  // namespace rampart::web
