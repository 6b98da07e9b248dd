#pragma once
#include <memory>
#include <string>

#include "auth/secret_box.h"
#include "auth/security_settings.h"
#include "auth/sign_in.h"
#include "core/clock.h"
#include "http/message.h"
#include "storage/database.h"

namespace rampart::web {

// "Forgot your password?": /login/forgot asks for the email and always answers the same;
// /login/reset/{token} is the emailed link's form for the new password.
class PasswordResetHandlers {
 public:
  PasswordResetHandlers(storage::Database& db, auth::SignInPolicy policy,
                        std::shared_ptr<auth::SecuritySettingsCache> settings,
                        std::string public_url, const core::Clock& clock)
      : db_(db),
        policy_(std::move(policy)),
        settings_(std::move(settings)),
        public_url_(std::move(public_url)),
        clock_(clock) {}

  http::Response ShowForgot(http::Request& request) const;
  http::Response SubmitForgot(http::Request& request) const;
  http::Response ShowReset(http::Request& request) const;
  http::Response SubmitReset(http::Request& request) const;

 private:
  http::Response RenderReset(http::Request& request, int status,
                             const std::optional<std::string>& error) const;
  storage::Database& db_;
  auth::SignInPolicy policy_;
  std::shared_ptr<auth::SecuritySettingsCache> settings_;
  std::string public_url_;
  const core::Clock& clock_;
};

}  // namespace rampart::web
