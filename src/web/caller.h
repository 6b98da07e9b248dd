#pragma once
#include <string_view>

#include "auth/authorize.h"
#include "http/message.h"
#include "security/session_stage.h"
#include "web/pages.h"

namespace rampart::web {

// Who a page handler is serving: the signed-in person (their actor decides what the actions
// allow) and what the layout shows them. The access stage has already refused anyone without a
// session, so these only sort people by kind, with the answer each kind of page gives.
struct Caller {
  const security::AuthContext& auth;
  Viewer viewer;
  const auth::Actor& actor() const { return auth.person.actor; }
};

// Anyone signed in.
Caller SignedInCaller(const http::Request& r);
// Staff only: for end users the page does not exist (404, like any unknown page); `page` names
// it in the log.
Caller StaffCaller(const http::Request& r, std::string_view page);
// Staff only, as every /admin/ page: 403 for end users; staff without the permission are
// refused by the action, which checks it.
Caller AdminCaller(const http::Request& r);

}  // namespace rampart::web
