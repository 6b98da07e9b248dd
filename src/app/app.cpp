#include "app/app.h"

#include <sys/stat.h>

#include "api/routes.h"
#include "app/mail_dns.h"
#include "core/errors.h"
#include "core/strings.h"
#include "mail/notify/notifications.h"
#include "observability/metrics.h"
#include "security/api_token_stage.h"
#include "security/client_address.h"
#include "security/session_stage.h"
#include "security/stages.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_database.h"
#include "web/admin_access_pages.h"
#include "web/admin_helpdesk_pages.h"
#include "web/admin_mail_pages.h"
#include "web/admin_mail_templates.h"
#include "web/admin_security_pages.h"
#include "web/mail_pages.h"
#include "web/pages.h"
#include "web/password_reset_handlers.h"
#include "web/reauth_handlers.h"
#include "web/sign_in_handlers.h"
#include "web/ticket_pages.h"
#include "web/two_factor_handlers.h"

namespace rampart::app {
namespace {

http::Response RenderError(int status, const std::string& code, const std::string& message,
                           const std::string& field, const std::string& request_id, bool json) {
  if (json) {
    std::string body = "{\"error\":{\"code\":" + core::JsonQuote(code) +
                       ",\"message\":" + core::JsonQuote(message);
    if (!field.empty()) body += ",\"field\":" + core::JsonQuote(field);
    body += ",\"request_id\":" + core::JsonQuote(request_id) + "}}";
    return http::Response::Json(status, std::move(body));
  }
  return web::ErrorPage(status, message, request_id);
}

// The stage order, outermost first. Each line says why it sits where it does.
http::Pipeline BuildPipeline(Context& context, bool with_sessions) {
  http::Pipeline p;
  // First: every later stage and log line must see the real client, not a proxy.
  p.Add("client_address", security::ClientAddressStage(context.trusted_proxies));
  // Outermost: stamps the request id and logs the final status of everything below,
  // including error pages and rejections.
  p.Add("access_log", security::AccessLog());
  // Outside error mapping, so that error pages carry the same headers as any page.
  p.Add("security_headers", security::SecurityHeaders());
  // Turns every exception from the stages below and the handler into a safe page or JSON.
  p.Add("error_mapping", security::ErrorMapping(RenderError));
  // The cheapest rejection first: before any session, token or form is looked at.
  p.Add("ip_filter", security::IpFilter(*context.allowlists));
  // Later here: rate_limit, then the WAF (costly, so after the cheap filters).
  if (with_sessions) {
    // Loads who is calling; it rejects nothing itself.
    p.Add("session", security::Sessions(*context.db, context.sign_in, *context.clock));
    // On /api/ paths a Bearer token replaces whatever the cookie said; right after the session
    // stage so that every stage below (staff IP list, access, CSRF) sees the token's caller.
    p.Add("api_token", security::ApiTokenAuth(*context.db, context.api_token_key, *context.clock));
    // Needs to know whether the caller is staff: re-checked on every request of a session.
    p.Add("staff_ip_filter", security::StaffIpFilter(*context.allowlists));
    // Needs the session; before CSRF so that an anonymous POST to a closed route is sent to
    // sign-in rather than told its form expired.
    p.Add("access", security::AccessControl(*context.clock, context.config.auth.reauth_window_s));
    // Needs the session's token; last, so that nothing reaches a handler without it.
    p.Add("csrf", security::Csrf());
  }
  return p;
}

http::Response Health(http::Request&) {
  return http::Response::Json(200, "{\"status\":\"ok\"}");
}

}  // namespace

std::filesystem::path DatabasePath(const config::Config& config) {
  return std::filesystem::path(config.storage.data_dir) / "rampart.db";
}

bool DatabaseExists(const config::Config& config) {
  return std::filesystem::exists(DatabasePath(config));
}

Context Open(const config::Config& config, bool migrate) {
  Context context;
  context.config = config;
  context.clock = std::make_unique<core::SystemClock>();
  const std::filesystem::path dir(config.storage.data_dir);
  std::filesystem::create_directories(dir);
  // The database holds password hashes and customer data: owner-only.
  ::chmod(dir.c_str(), 0700);
  const mode_t old_mask = ::umask(077);
  storage::sqlite::Options options;
  options.path = DatabasePath(config);
  options.busy_timeout_ms = static_cast<int>(config.storage.busy_timeout_ms);
  options.journal_size_limit_bytes = config.storage.journal_size_limit_bytes;
  options.read_connections = static_cast<int>(config.storage.read_connections);
  context.db = storage::sqlite::Open(options);
  ::umask(old_mask);
  if (migrate) {
    storage::sqlite::Migrate(*context.db);
    // Links in notification mail are written by the actions, which do not carry the config.
    storage::Lease c = context.db->Write();
    mail::RecordPublicUrl(*c, config.server.public_url);
  }
  context.hash_cost.passes = static_cast<std::uint64_t>(config.auth.hash_passes);
  context.hash_cost.memory_bytes = static_cast<std::size_t>(config.auth.hash_memory_kib) * 1024;
  context.sign_in.hash_cost = context.hash_cost;
  context.sign_in.staff = {config.auth.staff_idle_timeout_s, config.auth.staff_lifetime_s};
  context.sign_in.end_users = {config.auth.end_user_idle_timeout_s,
                               config.auth.end_user_lifetime_s};
  context.allowlists = std::make_shared<security::AllowlistCache>(*context.db);
  context.security_settings =
      std::make_shared<auth::SecuritySettingsCache>(*context.db, auth::SecuritySettings{});
  // Read per sign-in from the cache, so that a change at /admin/security applies to the next one.
  context.sign_in.requires_second_factor = [settings = context.security_settings](auth::Role r) {
    return settings->Get()->RequiresSecondFactor(r);
  };
  context.sign_in.password_expiry_days = [settings = context.security_settings](auth::Role r) {
    return static_cast<std::int64_t>(settings->Get()->PasswordsFor(r).expiry_days);
  };
  context.sign_in.server_key =
      std::make_shared<const auth::ServerKey>(auth::ServerKey::LoadOrCreate(dir));
  context.secret_box = std::make_shared<const auth::SecretBox>(
      auth::ServerKey::Load(dir / auth::kServerKeyFileName));
  tickets::AttachmentLimits attachment_limits;
  attachment_limits.max_file_bytes = config.attachments.max_file_bytes;
  attachment_limits.max_files = config.attachments.max_files;
  attachment_limits.max_total_bytes = config.attachments.max_total_bytes;
  context.attachments = std::make_shared<const tickets::AttachmentStore>(
      dir / "attachments", context.secret_box, attachment_limits);
  context.sign_in.address_allowed = [lists = context.allowlists](auth::Role role,
                                                                 const std::string& address) {
    if (!auth::IsStaff(role)) return true;
    const auto current = lists->Get();
    return current->staff.Empty() || current->staff.Contains(address);
  };
  std::string bad;
  // Validated when the configuration was loaded; an invalid value cannot reach here.
  context.trusted_proxies =
      core::CidrList::Parse(config.server.trusted_proxies, bad).value_or(core::CidrList{});
  return context;
}

std::shared_ptr<const auth::ApiTokenKey> LoadApiTokenKey(const config::Config& config) {
  return std::make_shared<const auth::ApiTokenKey>(
      auth::ServerKey::LoadOrCreate(config.storage.data_dir));
}

std::shared_ptr<const http::Dispatcher> BuildPublicDispatcher(Context& context) {
  // Loaded here, at start-up: a key file others can read stops the server before it serves.
  if (!context.api_token_key) context.api_token_key = LoadApiTokenKey(context.config);
  return std::make_shared<http::Dispatcher>(BuildPublicRouter(context),
                                            BuildPipeline(context, true));
}

http::Router BuildPublicRouter(Context& context) {
  using http::Access;
  using http::Execution;
  http::Router router(static_cast<std::size_t>(context.config.limits.max_body_bytes));
  storage::Database* db = context.db.get();
  auto sign_in = std::make_shared<web::SignInHandlers>(*context.db, context.sign_in, *context.clock,
                                                       context.security_settings);
  const auto bind = [sign_in](http::Response (web::SignInHandlers::*method)(http::Request&) const) {
    return [sign_in, method](http::Request& r) { return ((*sign_in).*method)(r); };
  };
  constexpr std::size_t kFormBytes = 16 * 1024;

  router.Add({"GET", "/healthz", Health, 0, Execution::kInline, Access::kPublic});
  router.Add({"GET", "/readyz",
              [db](http::Request&) {
                storage::Lease c = db->Read();
                c->QueryOne("SELECT 1");
                return http::Response::Json(200, "{\"status\":\"ready\"}");
              },
              0, Execution::kBlocking, Access::kPublic});
  router.Add({"GET", "/static/{name}",
              [](http::Request& r) {
                auto asset = web::StaticAsset(r.PathParam("name"));
                if (!asset) throw core::NotFound("no asset " + r.PathParam("name"));
                return *asset;
              },
              0, Execution::kInline, Access::kPublic});
  router.Add(
      {"GET", "/", bind(&web::SignInHandlers::Home), 0, Execution::kBlocking, Access::kPublic});
  router.Add({"GET", "/login", bind(&web::SignInHandlers::ShowLogin), 0, Execution::kBlocking,
              Access::kPublic});
  // The routes that verify or make password hashes run on the small hashing pool.
  router.Add({"POST", "/login", bind(&web::SignInHandlers::SubmitLogin), kFormBytes,
              Execution::kHashing, Access::kPublic});
  router.Add({"POST", "/logout", bind(&web::SignInHandlers::SignOut), kFormBytes,
              Execution::kBlocking, Access::kSignInStep});
  auto two_factor = std::make_shared<web::TwoFactorHandlers>(*context.db, context.sign_in,
                                                             context.secret_box, *context.clock);
  const auto tf = [two_factor](http::Response (web::TwoFactorHandlers::*method)(http::Request&)
                                   const) {
    return [two_factor, method](http::Request& r) { return ((*two_factor).*method)(r); };
  };
  router.Add({"GET", "/login/2fa", tf(&web::TwoFactorHandlers::ShowPrompt), 0, Execution::kBlocking,
              Access::kSignInStep});
  router.Add({"POST", "/login/2fa", tf(&web::TwoFactorHandlers::SubmitPrompt), kFormBytes,
              Execution::kHashing, Access::kSignInStep});
  // Sensitive actions: the access stage asks for the password again when the last entry is
  // older than the re-authentication window.
  const auto sensitive = [&router](http::Route route) {
    route.requires_reauth = true;
    router.Add(std::move(route));
  };
  sensitive({"GET", "/account/2fa/setup", tf(&web::TwoFactorHandlers::ShowSetup), 0,
             Execution::kBlocking, Access::kSignInStep});
  sensitive({"POST", "/account/2fa/setup", tf(&web::TwoFactorHandlers::ConfirmSetup), kFormBytes,
             Execution::kHashing, Access::kSignInStep});
  sensitive({"GET", "/account/2fa/recovery-codes", tf(&web::TwoFactorHandlers::ShowRecoveryCodes),
             0, Execution::kBlocking, Access::kSignedIn});
  sensitive({"POST", "/account/2fa/recovery-codes",
             tf(&web::TwoFactorHandlers::RegenerateRecoveryCodes), kFormBytes, Execution::kHashing,
             Access::kSignedIn});
  sensitive({"GET", "/account/password", bind(&web::SignInHandlers::ShowChangePassword), 0,
             Execution::kBlocking, Access::kSignedIn});
  sensitive({"POST", "/account/password", bind(&web::SignInHandlers::SubmitChangePassword),
             kFormBytes, Execution::kHashing, Access::kSignedIn});
  auto reauth = std::make_shared<web::ReauthHandlers>(*context.db, context.sign_in,
                                                      context.secret_box, *context.clock);
  router.Add({"GET", security::kReauthPath, [reauth](http::Request& r) { return reauth->Show(r); },
              0, Execution::kBlocking, Access::kSignedIn});
  router.Add({"POST", security::kReauthPath,
              [reauth](http::Request& r) { return reauth->Submit(r); }, kFormBytes,
              Execution::kHashing, Access::kSignedIn});
  router.Add({"GET", "/account/sessions", bind(&web::SignInHandlers::ListSessions), 0,
              Execution::kBlocking, Access::kSignedIn});
  router.Add({"POST", "/account/sessions/{handle}/revoke",
              bind(&web::SignInHandlers::RevokeSession), kFormBytes, Execution::kBlocking,
              Access::kSignedIn});
  sensitive({"POST", "/account/sessions/revoke-others",
             bind(&web::SignInHandlers::RevokeOtherSessions), kFormBytes, Execution::kBlocking,
             Access::kSignedIn});
  auto reset = std::make_shared<web::PasswordResetHandlers>(
      *context.db, context.sign_in, context.security_settings, context.config.server.public_url,
      *context.clock);
  const auto rs = [reset](http::Response (web::PasswordResetHandlers::*method)(http::Request&)
                              const) {
    return [reset, method](http::Request& r) { return ((*reset).*method)(r); };
  };
  router.Add({"GET", "/login/forgot", rs(&web::PasswordResetHandlers::ShowForgot), 0,
              Execution::kBlocking, Access::kPublic});
  router.Add({"POST", "/login/forgot", rs(&web::PasswordResetHandlers::SubmitForgot), kFormBytes,
              Execution::kBlocking, Access::kPublic});
  router.Add({"GET", "/login/reset/{token}", rs(&web::PasswordResetHandlers::ShowReset), 0,
              Execution::kBlocking, Access::kPublic});
  router.Add({"POST", "/login/reset/{token}", rs(&web::PasswordResetHandlers::SubmitReset),
              kFormBytes, Execution::kHashing, Access::kPublic});
  auto pages =
      std::make_shared<web::TicketPages>(*context.db, *context.clock, *context.attachments);
  const auto page = [pages](http::Response (web::TicketPages::*method)(http::Request&) const) {
    return [pages, method](http::Request& r) { return ((*pages).*method)(r); };
  };
  // A message may be up to 100,000 characters of UTF-8, form-encoded: allow for the expansion.
  constexpr std::size_t kMessageFormBytes = 1024 * 1024;
  // Forms that may carry files: every file of one message plus the text, with room for the
  // multipart framing. Each file is then held to the attachment limits.
  const std::size_t upload_form_bytes =
      static_cast<std::size_t>(context.config.attachments.max_total_bytes) + kMessageFormBytes;
  const auto add = [&router](const char* method, const char* pattern, http::Handler handler,
                             std::size_t body, const char* permission) {
    router.Add({method, pattern, std::move(handler), body, Execution::kBlocking, Access::kSignedIn,
                permission});
  };
  // Customer portal.
  add("GET", "/portal/", page(&web::TicketPages::PortalList), 0, "ticket.view");
  add("GET", "/portal/tickets/new", page(&web::TicketPages::PortalNewForm), 0, "ticket.create");
  add("POST", "/portal/tickets", page(&web::TicketPages::PortalCreate), upload_form_bytes,
      "ticket.create");
  add("GET", "/portal/tickets/{number}", page(&web::TicketPages::PortalTicket), 0, "ticket.view");
  add("POST", "/portal/tickets/{number}/reply", page(&web::TicketPages::PortalReply),
      upload_form_bytes, "ticket.reply");
  add("POST", "/portal/tickets/{number}/status", page(&web::TicketPages::PortalStatus), kFormBytes,
      "ticket.status");
  add("GET", "/portal/search", page(&web::TicketPages::PortalSearch), 0, "ticket.view");
  // Agent workspace.
  add("GET", "/agent/", page(&web::TicketPages::AgentQueue), 0, "ticket.view");
  add("GET", "/agent/search", page(&web::TicketPages::AgentSearch), 0, "ticket.view");
  add("GET", "/agent/tickets/{number}", page(&web::TicketPages::AgentTicket), 0, "ticket.view");
  add("POST", "/agent/tickets/{number}/reply", page(&web::TicketPages::AgentReply),
      upload_form_bytes, "ticket.reply");
  add("POST", "/agent/tickets/{number}/status", page(&web::TicketPages::AgentStatus), kFormBytes,
      "ticket.status");
  add("POST", "/agent/tickets/{number}/priority", page(&web::TicketPages::AgentPriority),
      kFormBytes, "ticket.status");
  add("POST", "/agent/tickets/{number}/assign", page(&web::TicketPages::AgentAssign), kFormBytes,
      "ticket.assign");
  add("POST", "/agent/tickets/{number}/merge", page(&web::TicketPages::AgentMerge), kFormBytes,
      "ticket.merge");
  // Administration of access. The actions check user.manage, role.manage or audit.view and the
  // grant rules; every change of role or permissions needs a recent re-authentication.
  auto admin =
      std::make_shared<web::AdminAccessPages>(*context.db, *context.clock, context.hash_cost);
  const auto adm = [admin](http::Response (web::AdminAccessPages::*method)(http::Request&) const) {
    return [admin, method](http::Request& r) { return ((*admin).*method)(r); };
  };
  add("GET", "/admin/users", adm(&web::AdminAccessPages::Users), 0, "user.manage");
  add("GET", "/admin/users/new", adm(&web::AdminAccessPages::NewUserForm), 0, "user.manage");
  sensitive({"POST", "/admin/users", adm(&web::AdminAccessPages::CreateUser), kFormBytes,
             Execution::kBlocking, Access::kSignedIn, "user.manage"});
  add("GET", "/admin/users/{id}", adm(&web::AdminAccessPages::User), 0, "user.manage");
  sensitive({"POST", "/admin/users/{id}/access", adm(&web::AdminAccessPages::ChangeAccess),
             kFormBytes, Execution::kBlocking, Access::kSignedIn, "user.manage"});
  sensitive({"POST", "/admin/users/{id}/disable", adm(&web::AdminAccessPages::Disable), kFormBytes,
             Execution::kBlocking, Access::kSignedIn, "user.manage"});
  sensitive({"POST", "/admin/users/{id}/enable", adm(&web::AdminAccessPages::Enable), kFormBytes,
             Execution::kBlocking, Access::kSignedIn, "user.manage"});
  add("GET", "/admin/roles", adm(&web::AdminAccessPages::Roles), 0, "role.manage");
  sensitive({"POST", "/admin/roles", adm(&web::AdminAccessPages::CreateRole), kFormBytes,
             Execution::kBlocking, Access::kSignedIn, "role.manage"});
  add("GET", "/admin/roles/{id}", adm(&web::AdminAccessPages::Role), 0, "role.manage");
  sensitive({"POST", "/admin/roles/{id}", adm(&web::AdminAccessPages::UpdateRole), kFormBytes,
             Execution::kBlocking, Access::kSignedIn, "role.manage"});
  sensitive({"POST", "/admin/roles/{id}/delete", adm(&web::AdminAccessPages::DeleteRole),
             kFormBytes, Execution::kBlocking, Access::kSignedIn, "role.manage"});
  add("GET", "/admin/access-review", adm(&web::AdminAccessPages::AccessReview), 0, "audit.view");
  // Admin section, helpdesk settings, canned responses, bulk actions and portal sign-up.
  auto helpdesk =
      std::make_shared<web::AdminHelpdeskPages>(*context.db, context.sign_in, *context.clock);
  const auto hd = [helpdesk](http::Response (web::AdminHelpdeskPages::*method)(http::Request&)
                                 const) {
    return [helpdesk, method](http::Request& r) { return ((*helpdesk).*method)(r); };
  };
  using A = web::AdminHelpdeskPages;
  add("GET", "/admin/", hd(&A::Index), 0, "admin.any");
  add("GET", "/admin/organizations", hd(&A::Organizations), 0, "settings.helpdesk");
  add("POST", "/admin/organizations", hd(&A::CreateOrganization), kFormBytes, "settings.helpdesk");
  add("GET", "/admin/organizations/{id}", hd(&A::Organization), 0, "settings.helpdesk");
  add("POST", "/admin/organizations/{id}", hd(&A::UpdateOrganization), kFormBytes,
      "settings.helpdesk");
  add("GET", "/admin/departments", hd(&A::Departments), 0, "settings.helpdesk");
  add("POST", "/admin/departments", hd(&A::CreateDepartment), kFormBytes, "settings.helpdesk");
  add("POST", "/admin/departments/{id}/rename", hd(&A::RenameDepartment), kFormBytes,
      "settings.helpdesk");
  add("POST", "/admin/departments/{id}/delete", hd(&A::DeleteDepartment), kFormBytes,
      "settings.helpdesk");
  add("GET", "/admin/custom-fields", hd(&A::CustomFields), 0, "settings.helpdesk");
  add("POST", "/admin/custom-fields", hd(&A::CreateCustomField), 64 * 1024, "settings.helpdesk");
  add("GET", "/admin/custom-fields/{id}", hd(&A::CustomField), 0, "settings.helpdesk");
  add("POST", "/admin/custom-fields/{id}", hd(&A::UpdateCustomField), 64 * 1024,
      "settings.helpdesk");
  add("POST", "/admin/custom-fields/{id}/active", hd(&A::SetCustomFieldActive), kFormBytes,
      "settings.helpdesk");
  // A canned response may be 10,000 characters of UTF-8, form-encoded.
  constexpr std::size_t kCannedFormBytes = 128 * 1024;
  add("GET", "/admin/canned-responses", hd(&A::SharedCanned), 0, "settings.helpdesk");
  add("POST", "/admin/canned-responses", hd(&A::CreateSharedCanned), kCannedFormBytes,
      "settings.helpdesk");
  add("POST", "/admin/canned-responses/{id}", hd(&A::EditSharedCanned), kCannedFormBytes,
      "settings.helpdesk");
  add("POST", "/admin/canned-responses/{id}/delete", hd(&A::DeleteSharedCanned), kFormBytes,
      "settings.helpdesk");
  add("GET", "/admin/portal", hd(&A::Portal), 0, "settings.helpdesk");
  add("POST", "/admin/portal", hd(&A::SavePortal), kFormBytes, "settings.helpdesk");
  add("POST", "/admin/portal/invites", hd(&A::Invite), kFormBytes, "settings.helpdesk");
  add("GET", "/agent/canned-responses", hd(&A::PersonalCanned), 0, "ticket.reply");
  add("POST", "/agent/canned-responses", hd(&A::CreatePersonalCanned), kCannedFormBytes,
      "ticket.reply");
  add("POST", "/agent/canned-responses/{id}", hd(&A::EditPersonalCanned), kCannedFormBytes,
      "ticket.reply");
  add("POST", "/agent/canned-responses/{id}/delete", hd(&A::DeletePersonalCanned), kFormBytes,
      "ticket.reply");
  add("POST", "/agent/bulk", hd(&A::BulkUpdate), kFormBytes, "ticket.assign");
  router.Add({"GET", "/signup", hd(&A::ShowSignUp), 0, Execution::kBlocking, Access::kPublic});
  router.Add(
      {"POST", "/signup", hd(&A::SubmitSignUp), kFormBytes, Execution::kBlocking, Access::kPublic});
  router.Add({"GET", "/signup/complete", hd(&A::ShowCompleteSignUp), 0, Execution::kBlocking,
              Access::kPublic});
  router.Add({"POST", "/signup/complete", hd(&A::SubmitCompleteSignUp), kFormBytes,
              Execution::kBlocking, Access::kPublic});
  // Notification mail: what customers and agents receive is a setting of weight (re-authenticated).
  auto mail_templates = std::make_shared<web::AdminMailTemplatePages>(*context.db, *context.clock);
  add(
      "GET", "/admin/mail-templates",
      [mail_templates](http::Request& r) { return mail_templates->Show(r); }, 0,
      "settings.helpdesk");
  sensitive({"POST", "/admin/mail-templates",
             [mail_templates](http::Request& r) { return mail_templates->Save(r); }, 128 * 1024,
             Execution::kBlocking, Access::kSignedIn, "settings.helpdesk"});
  // Security administration: every route needs a recent re-authentication.
  auto admin_security = std::make_shared<web::AdminSecurityPages>(
      *context.db, context.security_settings, context.allowlists, *context.clock);
  const auto sec = [admin_security](
                       http::Response (web::AdminSecurityPages::*method)(http::Request&) const) {
    return [admin_security, method](http::Request& r) { return ((*admin_security).*method)(r); };
  };
  sensitive({"GET", "/admin/security", sec(&web::AdminSecurityPages::ShowSettings), 0,
             Execution::kBlocking, Access::kSignedIn, "settings.security"});
  sensitive({"POST", "/admin/security", sec(&web::AdminSecurityPages::SaveSettings), 256 * 1024,
             Execution::kBlocking, Access::kSignedIn, "settings.security"});
  sensitive({"GET", "/admin/users/{id}/reset-2fa",
             sec(&web::AdminSecurityPages::ShowResetSecondFactor), 0, Execution::kBlocking,
             Access::kSignedIn, "user.manage"});
  sensitive({"POST", "/admin/users/{id}/reset-2fa",
             sec(&web::AdminSecurityPages::ResetSecondFactor), kFormBytes, Execution::kBlocking,
             Access::kSignedIn, "user.manage"});
  // Mail administration. Mailboxes hold IMAP passwords: every route needs a recent
  // re-authentication. The DNS records page shows only what is public.
  auto admin_mail = std::make_shared<web::AdminMailPages>(
      *context.db, context.secret_box, *context.clock, MailDnsSettingsFrom(context.config.mail),
      MakeDnsResolver(context.config));
  const auto ml = [admin_mail](http::Response (web::AdminMailPages::*method)(http::Request&)
                                   const) {
    return [admin_mail, method](http::Request& r) { return ((*admin_mail).*method)(r); };
  };
  using M = web::AdminMailPages;
  for (auto [method, pattern, handler, body] :
       {std::tuple{"GET", "/admin/mailboxes", &M::Mailboxes, std::size_t{0}},
        std::tuple{"GET", "/admin/mailboxes/new", &M::NewMailbox, std::size_t{0}},
        std::tuple{"POST", "/admin/mailboxes", &M::CreateMailbox, kFormBytes},
        std::tuple{"GET", "/admin/mailboxes/{id}", &M::Mailbox, std::size_t{0}},
        std::tuple{"POST", "/admin/mailboxes/{id}", &M::UpdateMailbox, kFormBytes},
        std::tuple{"POST", "/admin/mailboxes/{id}/disable", &M::DisableMailbox, kFormBytes}}) {
    sensitive({method, pattern, ml(handler), body, Execution::kBlocking, Access::kSignedIn,
               "settings.helpdesk"});
  }
  add("GET", "/admin/mail-dns", ml(&M::MailDns), 0, "settings.helpdesk");
  // DNS lookups block: a worker thread, never an I/O thread (kBlocking, as every page here).
  add("POST", "/admin/mail-dns/check", ml(&M::CheckMailDns), kFormBytes, "settings.helpdesk");
  // Files, for everyone who may see their ticket's message (the action decides; 404 otherwise).
  add("GET", "/attachments/{id}", page(&web::TicketPages::Attachment), 0, "ticket.view");
  // Inbound mail. The HTML body of a message, for the sandboxed frame on both ticket pages (the
  // ticket's visibility decides; 404 otherwise). Held and quarantined mail for agents and
  // admins; the actions check who may see which message.
  auto mail_pages =
      std::make_shared<web::MailPages>(*context.db, *context.clock, context.attachments);
  const auto mp = [mail_pages](http::Response (web::MailPages::*method)(http::Request&) const) {
    return [mail_pages, method](http::Request& r) { return ((*mail_pages).*method)(r); };
  };
  add("GET", "/tickets/{number}/messages/{id}/html", mp(&web::MailPages::MessageFrame), 0,
      "ticket.view");
  add("GET", "/mail/held", mp(&web::MailPages::WaitingList), 0, "ticket.reply");
  add("GET", "/mail/held/{id}", mp(&web::MailPages::WaitingDetail), 0, "ticket.reply");
  add("POST", "/mail/held/{id}/new-ticket", mp(&web::MailPages::ReleaseNewTicket), kFormBytes,
      "ticket.reply");
  add("POST", "/mail/held/{id}/add", mp(&web::MailPages::ReleaseToTicket), kFormBytes,
      "ticket.reply");
  add("POST", "/mail/held/{id}/discard", mp(&web::MailPages::Discard), kFormBytes, "ticket.reply");
  if (!context.committer)
    context.committer = std::make_shared<tickets::TicketCommitter>(*context.db);
  api::RegisterRoutes(router, *context.db, *context.committer, *context.clock, *context.attachments,
                      context.hash_cost);
  return router;
}

std::shared_ptr<const http::Dispatcher> BuildOpsDispatcher(Context& context) {
  http::Router router(static_cast<std::size_t>(context.config.limits.max_body_bytes));
  router.Add({"GET", "/healthz", Health, 0, http::Execution::kInline, http::Access::kPublic});
  router.Add({"GET", "/metrics",
              [](http::Request&) {
                http::Response r = http::Response::Text(200, metrics::Registry::Global().Render());
                r.headers.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                return r;
              },
              0, http::Execution::kInline, http::Access::kPublic});
  return std::make_shared<http::Dispatcher>(std::move(router), BuildPipeline(context, false));
}

}  // namespace rampart::app
