#pragma once
#include <filesystem>
#include <memory>
#include <string>

#include "auth/api_tokens.h"
#include "auth/password_hash.h"
#include "auth/secret_box.h"
#include "auth/security_settings.h"
#include "auth/sign_in.h"
#include "config/config.h"
#include "core/clock.h"
#include "http/pipeline.h"
#include "security/ip_allowlist.h"
#include "storage/database.h"
#include "tickets/attachments.h"
#include "tickets/ticket_committer.h"

namespace rampart::app {

inline constexpr const char* kVersion = "0.1.0";

// Everything a running Rampart shares: built once by the composition root.
struct Context {
  config::Config config;
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<core::Clock> clock;
  auth::HashCost hash_cost;
  auth::SignInPolicy sign_in;
  std::shared_ptr<security::AllowlistCache> allowlists;
  // Password policy and 2FA requirements as set at /admin/security (defaults from config).
  std::shared_ptr<auth::SecuritySettingsCache> security_settings;
  // Seals stored secrets (TOTP); the key file lives beside the database and is backed up apart.
  std::shared_ptr<const auth::SecretBox> secret_box;
  // Attachments, sealed by the same box, under <data_dir>/attachments/.
  std::shared_ptr<const tickets::AttachmentStore> attachments;
  core::CidrList trusted_proxies;
  // Set by BuildPublicDispatcher (or a command that issues tokens) from the server key file.
  std::shared_ptr<const auth::ApiTokenKey> api_token_key;
  // The group commit for ticket creation; made with the public router. After `db`, so that it
  // stops (committing what is queued) before the database closes.
  std::shared_ptr<tickets::TicketCommitter> committer;
};

std::filesystem::path DatabasePath(const config::Config& config);
bool DatabaseExists(const config::Config& config);
// Creates the data directory (mode 0700) and opens the database; `migrate` applies pending
// migrations first.
Context Open(const config::Config& config, bool migrate);

// The key API tokens are hashed with, from `server.key` in the data directory (created on first
// use). Throws auth::KeyFileError when the file is unsafe (see auth::ServerKey::Load).
std::shared_ptr<const auth::ApiTokenKey> LoadApiTokenKey(const config::Config& config);

// What the public listener serves: the portal, the agent and admin UI, the API. Loads the API
// token key into `context` when it is not there yet.
std::shared_ptr<const http::Dispatcher> BuildPublicDispatcher(Context& context);
// The public listener's routes alone, for listing them (`rampart routes`) without a key file.
http::Router BuildPublicRouter(Context& context);
// What the staff/ops listener serves: /metrics and health.
std::shared_ptr<const http::Dispatcher> BuildOpsDispatcher(Context& context);

}  // namespace rampart::app
