#pragma once
#include <memory>

#include "auth/secret_box.h"
#include "auth/sign_in.h"
#include "core/clock.h"
#include "http/message.h"
#include "storage/database.h"

namespace rampart::web {

// Enrolment in TOTP (with recovery codes) and the second sign-in step. Both end by replacing
// the session with a new id: a session id seen before the second factor is worthless after it.
class TwoFactorHandlers {
 public:
  TwoFactorHandlers(storage::Database& db, auth::SignInPolicy policy,
                    std::shared_ptr<const auth::SecretBox> box, const core::Clock& clock)
      : db_(db), policy_(std::move(policy)), box_(std::move(box)), clock_(clock) {}

  http::Response ShowSetup(http::Request& request) const;
  http::Response ConfirmSetup(http::Request& request) const;
  http::Response ShowPrompt(http::Request& request) const;
  http::Response SubmitPrompt(http::Request& request) const;
  // How many recovery codes are left, with a button for a fresh set (which voids the old one).
  http::Response ShowRecoveryCodes(http::Request& request) const;
  http::Response RegenerateRecoveryCodes(http::Request& request) const;

 private:
  http::Response RenderSetup(http::Request& request, int status,
                             const std::optional<std::string>& error) const;
  storage::Database& db_;
  auth::SignInPolicy policy_;
  std::shared_ptr<const auth::SecretBox> box_;
  const core::Clock& clock_;
};

}  // namespace rampart::web
