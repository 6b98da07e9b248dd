#pragma once
#include "auth/password_hash.h"
#include "core/clock.h"
#include "http/router.h"
#include "storage/database.h"
#include "tickets/attachments.h"
#include "tickets/ticket_committer.h"

namespace rampart::api {

// Adds the JSON API v1 (/api/v1/...) to the public router: every route signed-in (a session or
// an API token) except the OpenAPI document, each with the permission it needs. The routes are
// listed in one place, here, and the OpenAPI document must list the same ones (a test holds
// them together).
void RegisterRoutes(http::Router& router, storage::Database& db,
                    tickets::TicketCommitter& committer, const core::Clock& clock,
                    const tickets::AttachmentStore& files, auth::HashCost hash_cost);

}  // namespace rampart::api
