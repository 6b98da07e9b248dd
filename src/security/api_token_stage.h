#pragma once
#include <memory>

#include "auth/api_tokens.h"
#include "core/clock.h"
#include "http/pipeline.h"
#include "storage/database.h"

namespace rampart::security {

// Authenticates `Authorization: Bearer rmp_...` on /api/ paths: a valid token puts an
// AuthContext (Via::kApiToken) on request.context in place of any cookie session, with the
// owner's actor on channel kApi, read_only for a read-scoped token. A malformed, unknown or
// revoked token, another scheme, several Authorization headers or a disabled owner end the
// request with 401 (the reason in the log and the api_token_rejected metric, never the token).
// A read-scoped token on a state-changing method ends it with 403 before any body is parsed;
// the actions refuse such writes too, through auth::Authorize.
// Requests without the header pass untouched: cookie sessions work on /api/ as anywhere else.
// Elsewhere the header is ignored, so it can never stand in for a cookie's CSRF token.
http::Stage ApiTokenAuth(storage::Database& db, std::shared_ptr<const auth::ApiTokenKey> key,
                         const core::Clock& clock);

}  // namespace rampart::security
