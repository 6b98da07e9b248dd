#pragma once
#include <memory>

#include "auth/secret_box.h"
#include "auth/sign_in.h"
#include "core/clock.h"
#include "http/message.h"
#include "storage/database.h"

namespace rampart::web {

// /account/reauth: the password (and the 2FA code when enrolled) again, before a sensitive
// action. The access stage sends people here; `next` brings them back, but only to a path on
// this site.
class ReauthHandlers {
 public:
  ReauthHandlers(storage::Database& db, auth::SignInPolicy policy,
                 std::shared_ptr<const auth::SecretBox> box, const core::Clock& clock)
      : db_(db), policy_(std::move(policy)), box_(std::move(box)), clock_(clock) {}

  http::Response Show(http::Request& request) const;
  http::Response Submit(http::Request& request) const;

 private:
  storage::Database& db_;
  auth::SignInPolicy policy_;
  std::shared_ptr<const auth::SecretBox> box_;
  const core::Clock& clock_;
};

}  // namespace rampart::web
