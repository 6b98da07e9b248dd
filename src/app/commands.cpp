#include "app/commands.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "access/access_review.h"
#include "app/app.h"
#include "app/inbound.h"
#include "app/outbound_mail.h"
#include "auth/actor.h"
#include "auth/api_tokens.h"
#include "auth/users.h"
#include "core/errors.h"
#include "core/random.h"
#include "http/server.h"
#include "mail/inbound/mailboxes.h"
#include "mail/inbound/mbox_reader.h"
#include "mail/inbound/poller.h"
#include "observability/log.h"
#include "security/ip_allowlist.h"
#include "storage/sqlite/migrations.h"
#include "tickets/admin_store.h"
#include "tickets/create_ticket.h"
#include "tickets/demo_data.h"
#include "tickets/portal_access.h"
#include "tickets/ticket_store.h"
#include "web/pages.h"

namespace rampart::app {
namespace {

// Commands other than `init` need the database; says so (and how to make one) when it is not
// there.
bool Initialized(const config::Config& config) {
  if (DatabaseExists(config)) return true;
  std::cerr << "not initialised: no database in " << config.storage.data_dir
            << "; run `rampart init` first\n";
  return false;
}

// Loads config with the flags applied last; prints every problem and returns nullopt when
// there is any.
std::optional<config::Config> LoadConfig(const CommonOptions& options) {
  auto env = config::ProcessEnvironment();
  config::LoadResult result = config::Load(options.config_file, env);
  if (options.data_dir) result.config.storage.data_dir = *options.data_dir;
  if (options.listen && !config::ParseEndpoint(*options.listen, result.config.server.listen)) {
    result.problems.push_back({"--listen", "server.listen", "must be HOST:PORT"});
  }
  if (options.metrics_listen) {
    if (options.metrics_listen->empty()) {
      result.config.server.metrics_listen = {};
    } else if (!config::ParseEndpoint(*options.metrics_listen,
                                      result.config.server.metrics_listen)) {
      result.problems.push_back({"--metrics-listen", "server.metrics_listen", "must be HOST:PORT"});
    }
  }
  if (!result.Ok()) {
    for (const auto& p : result.problems) std::cerr << "config: " << p.ToString() << "\n";
    return std::nullopt;
  }
  log::Level level = log::Level::kInfo;
  log::ParseLevel(result.config.log_level, level);
  log::Init(level, result.config.profile);
  return result.config;
}

std::optional<std::string> ReadPasswordLine(std::istream& in) {
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// Runs a command body, mapping the failures every command shares to exit codes.
template <typename F>
int Guarded(F&& body) {
  try {
    return body();
  } catch (const core::Invalid& e) {
    std::cerr << "rejected: " << e.UserText() << "\n";
    return kExitInvalidInput;
  } catch (const core::Conflict& e) {
    std::cerr << "conflict: " << e.UserText() << "\n";
    return kExitConflict;
  } catch (const std::exception& e) {
    log::Error("command_failed", log::Fields().Add("error", e.what()));
    std::cerr << "error: " << e.what() << "\n";
    return kExitFailure;
  }
}

std::string DemoPasswordUser(Context& ctx, const std::string& email, auth::Role role,
                             const std::optional<std::string>& department, bool must_change) {
  auth::NewUser u;
  u.email = email;
  u.role = role;
  u.department = department;
  u.password = core::RandomPassword();
  u.must_change_password = must_change;
  auth::CreateUser(*ctx.db, u, ctx.hash_cost, ctx.clock->NowUnixSeconds());
  return u.password;
}

// The active user with this email, or nullopt after saying why on standard error.
std::optional<std::int64_t> ActiveUserId(storage::Connection& c, const std::string& email) {
  const auto id = tickets::FindUserIdByEmail(c, email);
  const auto person = id ? auth::LoadPerson(c, *id) : std::nullopt;
  if (!person) {
    std::cerr << "rejected: user: no user with this email\n";
    return std::nullopt;
  }
  if (person->disabled) {
    std::cerr << "rejected: user: this account is disabled\n";
    return std::nullopt;
  }
  return id;
}

std::string AccessName(http::Access access) {
  switch (access) {
    case http::Access::kPublic: return "public";
    case http::Access::kSignInStep: return "sign_in_step";
    case http::Access::kSignedIn: return "signed_in";
  }
  return "signed_in";
}

}  // namespace

int Serve(const CommonOptions& options) {
  auto config = LoadConfig(options);
  if (!config) return kExitBadConfig;
  return Guarded([&] {
    Context ctx = Open(*config, /*migrate=*/true);
    web::Init({config->profile, kVersion});
    // Nothing is uploading yet: anything a crash left between file and commit can go.
    ctx.attachments->RemoveOrphans(*ctx.db, 0);
    auth::SetMaxConcurrentHashes(static_cast<int>(config->server.hashing_threads));
    // The hashes' memory is reserved now, so that a flood of sign-ins cannot grow the server.
    auth::ReserveHashMemory(static_cast<int>(config->server.hashing_threads), ctx.hash_cost);

    http::ServerOptions server_options;
    const auto& l = config->limits;
    server_options.limits.max_header_bytes = static_cast<std::size_t>(l.max_header_bytes);
    server_options.limits.header_timeout = std::chrono::milliseconds(l.header_timeout_ms);
    server_options.limits.body_timeout = std::chrono::milliseconds(l.body_timeout_ms);
    server_options.limits.idle_timeout = std::chrono::milliseconds(l.idle_timeout_ms);
    server_options.limits.max_connections = static_cast<std::size_t>(l.max_connections);
    server_options.limits.max_connections_per_ip =
        static_cast<std::size_t>(l.max_connections_per_ip);
    server_options.limits.max_requests_per_connection =
        static_cast<std::size_t>(l.max_requests_per_connection);
    server_options.limits.shutdown_grace = std::chrono::milliseconds(l.shutdown_grace_ms);
    server_options.io_threads = static_cast<int>(config->server.io_threads);
    server_options.worker_threads = static_cast<int>(config->server.worker_threads);
    server_options.waiting_threads = static_cast<int>(config->server.waiting_threads);
    server_options.hashing_threads = static_cast<int>(config->server.hashing_threads);
    server_options.listeners.push_back({"public", config->server.listen.host,
                                        config->server.listen.port, BuildPublicDispatcher(ctx)});
    if (!config->server.metrics_listen.host.empty()) {
      server_options.listeners.push_back({"ops", config->server.metrics_listen.host,
                                          config->server.metrics_listen.port,
                                          BuildOpsDispatcher(ctx)});
    }
    http::Server server(server_options);
    server.Bind();
    const auto ports = server.Ports();
    for (std::size_t i = 0; i < ports.size(); ++i) {
      log::Info("listening", log::Fields()
                                 .Add("listener", server_options.listeners[i].name)
                                 .Add("host", server_options.listeners[i].host)
                                 .Add("port", static_cast<std::int64_t>(ports[i])));
    }
    log::Info("serving", log::Fields()
                             .Add("version", kVersion)
                             .Add("data_dir", config->storage.data_dir)
                             .Add("schema_version", storage::sqlite::SchemaVersion(*ctx.db)));
    // IMAP mailboxes are polled in the background; it stops (finishing the message in hand)
    // before the database closes.
    auto inbound = MakeInboundRuntime(ctx);
    mail::MailPoller poller(*inbound->services, *ctx.secret_box, *ctx.clock);
    // The outbox sender, when outgoing mail is configured: its settings are read (and a bad
    // key file stops the server) before anything is served.
    std::optional<auth::ServerKey> mail_key;
    std::unique_ptr<mail::OutboxSender> sender;
    if (config->mail.Enabled()) {
      mail_key.emplace(auth::ServerKey::LoadOrCreate(config->storage.data_dir));
      mail::OutboundSettings settings = OutboundSettingsFrom(config->mail);
      const auto keys = static_cast<std::int64_t>(settings.dkim_keys.size());
      sender =
          std::make_unique<mail::OutboxSender>(*ctx.db, *mail_key, std::move(settings), *ctx.clock);
      sender->Start(std::chrono::seconds(3));
      log::Info("mail_sender_started",
                log::Fields().Add("smtp_host", config->mail.smtp_host).Add("dkim_keys", keys));
    }
    server.Run();
    if (sender) sender->Stop();
    return int{kExitOk};
  });
}

int Init(const CommonOptions& options, const std::string& owner_email, std::istream& password_in) {
  auto config = LoadConfig(options);
  if (!config) return kExitBadConfig;
  return Guarded([&] {
    Context ctx = Open(*config, true);
    if (auth::CountUsers(*ctx.db) > 0) {
      std::cerr << "conflict: " << DatabasePath(*config).string()
                << " is already initialised; nothing was changed\n";
      return int{kExitConflict};
    }
    const auto password = ReadPasswordLine(password_in);
    if (!password) {
      std::cerr << "rejected: password: expected one line on standard input\n";
      return int{kExitInvalidInput};
    }
    auth::NewUser owner;
    owner.email = owner_email;
    owner.role = auth::Role::kOwner;
    owner.password = *password;
    auth::CreateUser(*ctx.db, owner, ctx.hash_cost, ctx.clock->NowUnixSeconds());
    std::cout << "initialised " << DatabasePath(*config).string() << " with owner " << owner_email
              << "\n";
    return int{kExitOk};
  });
}

int Migrate(const CommonOptions& options) {
  auto config = LoadConfig(options);
  if (!config) return kExitBadConfig;
  return Guarded([&] {
    Context ctx = Open(*config, false);
    const int applied = storage::sqlite::Migrate(*ctx.db);
    std::cout << "applied " << applied << " migration(s); schema version "
              << storage::sqlite::SchemaVersion(*ctx.db) << "\n";
    return int{kExitOk};
  });
}

int Backup(const CommonOptions& options, const std::filesystem::path& destination) {
  auto config = LoadConfig(options);
  if (!config) return kExitBadConfig;
  return Guarded([&] {
    if (!Initialized(*config)) return int{kExitNotInitialized};
    if (std::filesystem::exists(destination)) {
      std::cerr << "conflict: " << destination.string() << " exists; refusing to overwrite\n";
      return int{kExitConflict};
    }
    Context ctx = Open(*config, false);
    const mode_t old_mask = ::umask(077);  // a backup holds the same secrets as the database
    ctx.db->Backup(destination);
    ::umask(old_mask);
    std::cout << "backed up to " << destination.string() << "\n";
    return int{kExitOk};
  });
}

int ConfigCheck(const CommonOptions& options) {
  auto env = config::ProcessEnvironment();
  config::LoadResult result = config::Load(options.config_file, env);
  if (options.data_dir) result.config.storage.data_dir = *options.data_dir;
  if (!result.Ok()) {
    for (const auto& p : result.problems) std::cout << p.ToString() << "\n";
    std::cout << result.problems.size() << " problem(s)\n";
    return kExitBadConfig;
  }
  for (const auto& [key, value] : config::Describe(result.config)) {
    std::cout << key << " = " << value << "\n";
  }
  std::cout << "configuration is valid\n";
  return kExitOk;
}

int UserAdd(const CommonOptions& options, const std::string& email, const std::string& role_name,
            const std::optional<std::string>& department, const std::optional<std::string>& name,
            std::istream& password_in, bool all_departments) {
  auto config = LoadConfig(options);
  if (!config) return kExitBadConfig;
  const auto role = auth::ParseRole(role_name);
  if (!role) {
    std::cerr << "rejected: role: must be one of owner, admin, agent, end_user\n";
    return kExitUsage;
  }
  return Guarded([&] {
    if (!Initialized(*config)) return int{kExitNotInitialized};
    const auto password = ReadPasswordLine(password_in);
    if (!password) {
      std::cerr << "rejected: password: expected one line on standard input\n";
      return int{kExitInvalidInput};
    }
    Context ctx = Open(*config, true);
    auth::NewUser user;
    user.email = email;
    user.role = *role;
    user.department = department;
    user.all_departments = all_departments;
    user.name = name.value_or("");
    user.password = *password;
    const auto id = auth::CreateUser(*ctx.db, user, ctx.hash_cost, ctx.clock->NowUnixSeconds());
    std::cout << "created " << role_name << " " << email << " (id " << id << ")\n";
    return int{kExitOk};
  });
}

int DemoData(const CommonOptions& options, long long tickets) {
  auto config = LoadConfig(options);
  if (!config) return kExitBadConfig;
  return Guarded([&] {
    Context ctx = Open(*config, true);
    if (auth::CountUsers(*ctx.db) == 0) {
      // An empty helpdesk becomes a demo one: the people a first look needs, with passwords
      // shown once here and never stored in the clear.
      const std::string owner =
          DemoPasswordUser(ctx, "owner@example.com", auth::Role::kOwner, std::nullopt, true);
      const std::string agent = DemoPasswordUser(ctx, "agent@example.com", auth::Role::kAgent,
                                                 std::string("Support"), false);
      const std::string customer =
          DemoPasswordUser(ctx, "customer@example.com", auth::Role::kEndUser, std::nullopt, false);
      // The demo customer's own tickets go through the same action the portal uses.
      {
        std::optional<auth::Person> person;
        {
          storage::Lease c = ctx.db->Read();
          person = auth::LoadPerson(*c, *auth::FindUserId(*c, "customer@example.com"));
        }
        const std::int64_t now = ctx.clock->NowUnixSeconds();
        tickets::NewTicket first;
        first.subject = "Cannot download my invoice";
        first.body =
            "Hello, the download button on the billing page does nothing. Could you "
            "send me the invoice for November?";
        tickets::CreateTicket(person->actor, *ctx.db, first, now - 3600);
        tickets::NewTicket second;
        second.subject = "Change the email on my account";
        second.body = "Please change my account email to my new work address.";
        tickets::CreateTicket(person->actor, *ctx.db, second, now - 600);
      }
      std::cout << "Demo helpdesk created. These passwords are shown only now:\n"
                << "  owner     owner@example.com     " << owner
                << "  (one-time: change at first sign-in)\n"
                << "  agent     agent@example.com     " << agent << "\n"
                << "  customer  customer@example.com  " << customer << "\n";
    }
    const auto started = std::chrono::steady_clock::now();
    tickets::DemoOptions demo;
    demo.tickets = tickets;
    demo.now = ctx.clock->NowUnixSeconds();
    demo.seed = core::RandomUint64();
    const auto result = tickets::GenerateDemoTickets(*ctx.db, demo);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << "added " << result.tickets << " tickets and " << result.messages << " messages in "
              << seconds << " s\n";
    return int{kExitOk};
  });
}

int IpAllow(const CommonOptions& options, const std::optional<std::string>& scope_name,
            const std::optional<std::string>& list_text, bool reset) {
  auto config = LoadConfig(options);
  if (!config) return kExitBadConfig;
  return Guarded([&] {
    if (!Initialized(*config)) return int{kExitNotInitialized};
    Context ctx = Open(*config, true);
    storage::Lease w = ctx.db->Write();
    if (reset) {
      security::ResetAllowlists(*w);
      std::cout << "IP allowlists cleared: every address may connect\n";
      log::Warn("ip_allowlists_reset", log::Fields().Add("via", "cli"));
      return int{kExitOk};
    }
    if (scope_name || list_text) {
      const auto scope = scope_name ? security::ParseIpScope(*scope_name) : std::nullopt;
      if (!scope || !list_text) {
        std::cerr << "rejected: give --scope everyone|staff|api and --set LIST together\n";
        return int{kExitUsage};
      }
      std::string bad;
      const auto list = core::CidrList::Parse(*list_text, bad);
      if (!list) {
        std::cerr << "rejected: not a network: " << bad << "\n";
        return int{kExitInvalidInput};
      }
      security::SaveAllowlist(*w, *scope, *list);
      log::Warn("ip_allowlist_changed", log::Fields()
                                            .Add("via", "cli")
                                            .Add("scope", security::IpScopeName(*scope))
                                            .Add("list", list->ToString()));
    }
    const security::IpAllowlists lists = security::LoadAllowlists(*w);
    const auto show = [](const core::CidrList& l) {
      return l.Empty() ? std::string("(any address)") : l.ToString();
    };
    std::cout << "everyone: " << show(lists.everyone) << "\nstaff: " << show(lists.staff)
              << "\napi: " << show(lists.api) << "\n";
    return int{kExitOk};
  });
}

int TokenCreate(const CommonOptions& options, const std::string& email,
                const std::string& scope_name, const std::optional<std::string>& name) {
  auto config = LoadConfig(options);
  if (!config) return kExitBadConfig;
  const auto scope = auth::ParseTokenScope(scope_name);
  if (!scope) {
    std::cerr << "rejected: scope: must be read, write or admin\n";
    return kExitUsage;
  }
  return Guarded([&] {
    if (!Initialized(*config)) return int{kExitNotInitialized};
    Context ctx = Open(*config, true);
    const auto key = LoadApiTokenKey(*config);
    const std::int64_t now = ctx.clock->NowUnixSeconds();
    storage::Lease w = ctx.db->Write();
    storage::Transaction tx(*w);
    const auto user_id = ActiveUserId(*w, email);
    if (!user_id) return int{kExitInvalidInput};
    const std::string token =
        auth::CreateApiToken(*w, *key, *user_id, name.value_or("api token"), *scope, now);
    const std::int64_t token_id = w->LastInsertId();
    // Issued from the server's own shell: no acting user, the operator is the system.
    tickets::AppendAudit(*w, now, std::nullopt, "api_token.create",
                         "user:" + std::to_string(*user_id),
                         "token_id=" + std::to_string(token_id) +
                             " scope=" + std::string(auth::TokenScopeName(*scope)) + " via=cli");
    tx.Commit();
    log::Info("api_token_created", log::Fields()
                                       .Add("user_id", *user_id)
                                       .Add("token_id", token_id)
                                       .Add("scope", auth::TokenScopeName(*scope)));
    std::cerr << "created " << auth::TokenScopeName(*scope) << " token " << token_id << " for "
              << email << "; it is shown only now:\n";
    std::cout << token << "\n";
    return int{kExitOk};
  });
}

int TokenList(const CommonOptions& options, const std::string& email) {
  auto config = LoadConfig(options);
  if (!config) return kExitBadConfig;
  return Guarded([&] {
    if (!Initialized(*config)) return int{kExitNotInitialized};
    Context ctx = Open(*config, true);
    storage::Lease r = ctx.db->Read();
    const auto user_id = tickets::FindUserIdByEmail(*r, email);
    if (!user_id) {
      std::cerr << "rejected: user: no user with this email\n";
      return int{kExitInvalidInput};
    }
    for (const auth::ApiTokenInfo& t : auth::ListApiTokens(*r, *user_id)) {
      std::cout << t.id << "\t" << auth::TokenScopeName(t.scope) << "\t"
                << (t.revoked_at ? "revoked" : "live") << "\t" << core::FormatUtc(t.created_at)
                << "\t" << (t.last_used_at ? core::FormatUtc(*t.last_used_at) : "never") << "\t"
                << t.name << "\n";
    }
    return int{kExitOk};
  });
}

int TokenRevoke(const CommonOptions& options, const std::string& email, std::int64_t token_id) {
  auto config = LoadConfig(options);
  if (!config) return kExitBadConfig;
  return Guarded([&] {
    if (!Initialized(*config)) return int{kExitNotInitialized};
    Context ctx = Open(*config, true);
    const std::int64_t now = ctx.clock->NowUnixSeconds();
    storage::Lease w = ctx.db->Write();
    storage::Transaction tx(*w);
    // Disabled users' tokens can be revoked too: that is when it matters.
    const auto user_id = tickets::FindUserIdByEmail(*w, email);
    if (!user_id) {
      std::cerr << "rejected: user: no user with this email\n";
      return int{kExitInvalidInput};
    }
    if (!auth::RevokeApiToken(*w, *user_id, token_id, now)) {
      std::cerr << "rejected: id: this user has no live token " << token_id << "\n";
      return int{kExitInvalidInput};
    }
    tickets::AppendAudit(*w, now, std::nullopt, "api_token.revoke",
                         "user:" + std::to_string(*user_id),
                         "token_id=" + std::to_string(token_id) + " via=cli");
    tx.Commit();
    log::Info("api_token_revoked",
              log::Fields().Add("user_id", *user_id).Add("token_id", token_id));
    std::cout << "revoked token " << token_id << "\n";
    return int{kExitOk};
  });
}

int Routes(const CommonOptions& options, const std::string& format) {
  auto config = LoadConfig(options);
  if (!config) return kExitBadConfig;
  return Guarded([&] {
    // The route table needs a database to bind its handlers to, never to read: a scratch one
    // keeps the command from touching (or needing) a real data directory.
    std::string scratch =
        (std::filesystem::temp_directory_path() / "rampart-routes-XXXXXX").string();
    if (::mkdtemp(scratch.data()) == nullptr) throw std::runtime_error("cannot create " + scratch);
    struct Cleanup {
      std::filesystem::path dir;
      ~Cleanup() {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
      }
    } cleanup{scratch};
    config::Config scratch_config = *config;
    scratch_config.storage.data_dir = scratch;
    Context ctx = Open(scratch_config, false);
    const http::Router router = BuildPublicRouter(ctx);
    const bool tsv = format == "tsv";
    const char* separator = tsv ? "\t" : " ";
    for (const http::Route& route : router.Routes()) {
      std::cout << route.method << separator << route.pattern << separator
                << AccessName(route.access) << separator
                << (route.permission.empty() ? "-" : route.permission);
      if (tsv) std::cout << separator << (route.requires_reauth ? "reauth" : "-");
      std::cout << "\n";
    }
    return int{kExitOk};
  });
}

int AccessReview(const CommonOptions& options, const std::string& format) {
  auto config = LoadConfig(options);
  if (!config) return kExitBadConfig;
  if (format != "text" && format != "json") {
    std::cerr << "rejected: format: must be text or json\n";
    return kExitUsage;
  }
  return Guarded([&] {
    if (!Initialized(*config)) return int{kExitNotInitialized};
    Context ctx = Open(*config, true);
    // Run on the server by its operator: the system reviews, as `token list` does.
    auth::Actor system;
    system.channel = auth::Actor::Channel::kSystem;
    const auto entries = access::AccessReview(system, *ctx.db);
    const std::int64_t now = ctx.clock->NowUnixSeconds();
    std::cout << (format == "json" ? access::ReviewJson(entries, now)
                                   : access::ReviewText(entries, now));
    return int{kExitOk};
  });
}

int PortalSignUp(const CommonOptions& options, const std::string& mode_name,
                 const std::string& domains) {
  auto config = LoadConfig(options);
  if (!config) return kExitBadConfig;
  return Guarded([&] {
    if (!Initialized(*config)) return int{kExitNotInitialized};
    const auto mode = tickets::ParseSignUpMode(mode_name);
    if (!mode) {
      std::cerr << "rejected: mode: must be open, domains or invite_only\n";
      return int{kExitUsage};
    }
    Context ctx = Open(*config, true);
    auth::Actor system;
    system.channel = auth::Actor::Channel::kSystem;
    try {
      tickets::SavePortalSettings(system, *ctx.db, *mode, domains, std::time(nullptr));
    } catch (const core::Invalid& e) {
      std::cerr << "rejected: " << e.UserText() << "\n";
      return int{kExitInvalidInput};
    }
    std::cerr << "portal sign-up: " << tickets::SignUpModeName(*mode) << "\n";
    return int{kExitOk};
  });
}

int OutboxList(const CommonOptions& options) {
  auto config = LoadConfig(options);
  if (!config) return kExitBadConfig;
  return Guarded([&] {
    if (!Initialized(*config)) return int{kExitNotInitialized};
    Context ctx = Open(*config, true);
    storage::Lease r = ctx.db->Read();
    for (const tickets::OutboxMail& m : tickets::SelectUnsentOutbox(*r, 1000)) {
      std::cout << "To: " << m.recipient << "\nSubject: " << m.subject << "\nKind: " << m.kind
                << "\n\n"
                << m.body << "\n--\n";
    }
    return int{kExitOk};
  });
}

}  // namespace rampart::app

namespace rampart::app {
namespace {

// The department's id by name; nullopt (and a message) when there is none.
std::optional<std::int64_t> DepartmentNamed(storage::Database& db, const std::string& name) {
  storage::Lease c = db.Read();
  const auto row = c->QueryOne("SELECT id FROM departments WHERE name = ?", {name});
  if (!row) std::cerr << "rejected: department: no department named " << name << "\n";
  return row ? std::optional(row->Int(0)) : std::nullopt;
}

}  // namespace

int MailboxAdd(const CommonOptions& options, const MailboxOptions& m) {
  auto config = LoadConfig(options);
  if (!config) return kExitBadConfig;
  if (m.imap_security != "tls" && m.imap_security != "starttls") {
    std::cerr << "rejected: imap-security: must be tls or starttls\n";
    return kExitUsage;
  }
  return Guarded([&] {
    if (!Initialized(*config)) return int{kExitNotInitialized};
    Context ctx = Open(*config, true);
    mail::MailboxSettings settings;
    settings.name = m.name;
    settings.address = m.address;
    if (m.department) {
      settings.department_id = DepartmentNamed(*ctx.db, *m.department);
      if (!settings.department_id) return int{kExitInvalidInput};
    }
    settings.imap_host = m.imap_host;
    settings.imap_port = m.imap_port;
    settings.imap_security = m.imap_security == "starttls"
                                 ? mail::ImapSettings::Security::kStartTls
                                 : mail::ImapSettings::Security::kImplicitTls;
    settings.imap_username = m.imap_user;
    settings.imap_folder = m.imap_folder;
    settings.imap_ca_file = m.imap_ca_file;
    settings.insecure_skip_verify = m.insecure_skip_verify;
    settings.poll_seconds = m.poll_seconds;
    if (m.imap_password_stdin) {
      const auto password = ReadPasswordLine(std::cin);
      if (!password || password->empty()) {
        std::cerr << "rejected: imap password: expected on standard input\n";
        return int{kExitInvalidInput};
      }
      settings.imap_password = *password;
    }
    mail::AddMailbox(*ctx.db, *ctx.secret_box, settings, ctx.clock->NowUnixSeconds());
    if (settings.insecure_skip_verify) {
      std::cerr << "warning: certificate verification is OFF for this mailbox: anyone on the "
                   "path can read its mail and its password\n";
    }
    std::cerr << "mailbox " << settings.name << " added\n";
    return int{kExitOk};
  });
}

int MailboxList(const CommonOptions& options) {
  auto config = LoadConfig(options);
  if (!config) return kExitBadConfig;
  return Guarded([&] {
    if (!Initialized(*config)) return int{kExitNotInitialized};
    Context ctx = Open(*config, true);
    for (const auto& m : mail::ListMailboxes(*ctx.db)) {
      std::cout << m.name << "\t" << m.address << "\t"
                << (m.imap_host.empty()
                        ? std::string("piped")
                        : m.imap_username + "@" + m.imap_host + ":" + std::to_string(m.imap_port))
                << (m.insecure_skip_verify ? "\tINSECURE" : "") << "\n";
    }
    return int{kExitOk};
  });
}

namespace {

// Messages per commit when importing an mbox, and the most bytes such a batch holds in memory.
// With synchronous=FULL every commit waits for the disk: one per message capped the import at
// the disk's sync rate (measured: 175 messages/s, most of the wall time in fdatasync).
constexpr std::size_t kMboxBatchMessages = 64;
constexpr std::size_t kMboxBatchBytes = 8 << 20;

// Every message of an mbox through the same import as a piped message (IngestMessages: each
// decided alone, committed in batches), so a second run over the same file finds every message
// a duplicate and changes nothing.
int IngestMbox(Context& ctx, InboundRuntime& runtime, const mail::Mailbox& mailbox,
               std::istream& in, std::size_t max_message_bytes) {
  constexpr mail::Disposition kAll[] = {
      mail::Disposition::kNewTicket,   mail::Disposition::kReply,   mail::Disposition::kHeld,
      mail::Disposition::kQuarantined, mail::Disposition::kIgnored, mail::Disposition::kBounce,
      mail::Disposition::kDuplicate,
  };
  std::map<mail::Disposition, long> counts;
  long messages = 0;
  long failed = 0;
  const auto started = std::chrono::steady_clock::now();
  mail::MboxReader reader(in, max_message_bytes);
  using Batch = std::shared_ptr<const std::vector<std::string>>;
  const auto read_batch = [&] {
    std::vector<std::string> batch;
    std::size_t batch_bytes = 0;
    while (batch.size() < kMboxBatchMessages && batch_bytes < kMboxBatchBytes) {
      auto message = reader.Next();
      if (!message) break;
      ++messages;
      batch_bytes += message->raw.size();
      batch.push_back(std::move(message->raw));
    }
    return std::make_shared<const std::vector<std::string>>(std::move(batch));
  };
  mail::InboundServices& services = *runtime.services;
  // Two threads: while this one writes a batch, a second prepares the next (parse, DKIM, DMARC,
  // files), which takes no write lock. Batches are written one after the other in file order,
  // each message in order within its batch, so tickets are created in the order of the file.
  // The preparing thread shares ownership of its batch's text.
  const auto prepare = [&services](const Batch& batch, std::int64_t now) {
    return std::async(std::launch::async, [&services, batch, now] {
      return mail::PrepareMessages(services, *batch, now);
    });
  };
  Batch current = read_batch();
  std::int64_t current_now = ctx.clock->NowUnixSeconds();
  std::future<mail::PreparedBatch> current_prepared = prepare(current, current_now);
  while (!current->empty()) {
    const Batch next = read_batch();
    const std::int64_t next_now = ctx.clock->NowUnixSeconds();
    std::future<mail::PreparedBatch> next_prepared;
    try {
      mail::PreparedBatch prepared = current_prepared.get();
      // Only now, so that the second thread is never more than one batch ahead.
      if (!next->empty()) next_prepared = prepare(next, next_now);
      for (const auto& result : mail::ImportPrepared(services, mailbox, prepared, current_now)) {
        ++counts[result.disposition];
      }
    } catch (const std::exception& batch_error) {
      // Nothing of the batch was written. Each message again on its own, so that one message
      // the database refuses does not take its batch-mates with it.
      log::Warn("mbox_batch_failed", log::Fields().Add("error", batch_error.what()));
      if (!next->empty() && !next_prepared.valid()) next_prepared = prepare(next, next_now);
      for (const std::string& raw : *current) {
        try {
          ++counts[mail::IngestMessage(services, mailbox, raw, ctx.clock->NowUnixSeconds())
                       .disposition];
        } catch (const std::exception& e) {
          ++failed;  // not stored at all; the import goes on with the rest of the file
          log::Error("mbox_message_failed", log::Fields().Add("error", e.what()));
        }
      }
    }
    current = next;
    current_now = next_now;
    current_prepared = std::move(next_prepared);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "messages " << messages << "\n";
  for (const auto disposition : kAll) {
    std::cout << mail::DispositionName(disposition) << " " << counts[disposition] << "\n";
  }
  std::cout << "failed " << failed << "\n";
  std::cerr << "imported " << messages << " messages in " << seconds << " s\n";
  if (failed > 0) {
    std::cerr << failed << " messages could not be stored; the log says why\n";
    return int{kExitFailure};
  }
  return int{kExitOk};
}

}  // namespace

int MailIngest(const CommonOptions& options, const std::string& mailbox_name,
               const std::optional<std::string>& mbox) {
  auto config = LoadConfig(options);
  if (!config) return kExitBadConfig;
  return Guarded([&] {
    if (!Initialized(*config)) return int{kExitNotInitialized};
    Context ctx = Open(*config, true);
    const auto mailbox = mail::FindMailbox(*ctx.db, mailbox_name);
    if (!mailbox) {
      std::cerr << "rejected: mailbox: no enabled mailbox named " << mailbox_name << "\n";
      return int{kExitInvalidInput};
    }
    const auto max_bytes = static_cast<std::size_t>(config->inbound.max_message_bytes);
    auto runtime = MakeInboundRuntime(ctx);
    if (mbox) {
      if (*mbox == "-") return IngestMbox(ctx, *runtime, *mailbox, std::cin, max_bytes);
      std::ifstream file(*mbox, std::ios::binary);
      if (!file) {
        std::cerr << "rejected: mbox: cannot read " << *mbox << "\n";
        return int{kExitInvalidInput};
      }
      return IngestMbox(ctx, *runtime, *mailbox, file, max_bytes);
    }
    // One byte over the limit is enough to know the message is too large; the rest is not read
    // into memory.
    const auto limit = max_bytes + 1;
    std::string raw;
    raw.resize(limit);
    std::cin.read(raw.data(), static_cast<std::streamsize>(limit));
    raw.resize(static_cast<std::size_t>(std::cin.gcount()));
    const mail::IngestResult result =
        mail::IngestMessage(*runtime->services, *mailbox, raw, ctx.clock->NowUnixSeconds());
    std::cout << mail::DispositionName(result.disposition);
    if (result.ticket) std::cout << " " << tickets::FormatTicketNumber(*result.ticket);
    std::cout << "\n";
    std::cerr << result.reason << "\n";
    return int{kExitOk};
  });
}

}  // namespace rampart::app
