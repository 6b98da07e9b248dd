#include "app/app.h"

#include <sys/stat.h>

#include "core/errors.h"
#include "core/strings.h"
#include "observability/metrics.h"
#include "security/stages.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_database.h"
#include "web/pages.h"

namespace rampart::app {
namespace {

http::Response RenderError(int status, const std::string& code, const std::string& message,
                           const std::string& request_id, bool json) {
  if (json) {
    return http::Response::Json(status, "{\"error\":{\"code\":" + core::JsonQuote(code) +
                                            ",\"message\":" + core::JsonQuote(message) +
                                            ",\"request_id\":" + core::JsonQuote(request_id) +
                                            "}}");
  }
  return web::ErrorPage(status, message, request_id);
}

// The stage order, outermost first. Each line says why it sits where it does.
http::Pipeline BuildPipeline() {
  http::Pipeline p;
  // Outermost: stamps the request id and logs the final status of everything below,
  // including error pages and rejections.
  p.Add("access_log", security::AccessLog());
  // Outside error mapping, so that error pages carry the same headers as any page.
  p.Add("security_headers", security::SecurityHeaders());
  // Turns every exception from the stages below and the handler into a safe page or JSON.
  p.Add("error_mapping", security::ErrorMapping(RenderError));
  // Later stages (in this order): ip_filter (cheapest rejection first), rate_limit, waf
  // (costly, so after the cheap filters), session, csrf (needs the session).
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
  if (migrate) storage::sqlite::Migrate(*context.db);
  return context;
}

std::shared_ptr<const http::Dispatcher> BuildPublicDispatcher(Context& context) {
  http::Router router(static_cast<std::size_t>(context.config.limits.max_body_bytes));
  storage::Database* db = context.db.get();

  router.Add({"GET", "/healthz", Health, 0, http::Execution::kInline});
  router.Add({"GET", "/readyz",
              [db](http::Request&) {
                storage::Lease c = db->Read();
                c->QueryOne("SELECT 1");
                return http::Response::Json(200, "{\"status\":\"ready\"}");
              },
              0, http::Execution::kBlocking});
  router.Add({"GET", "/static/{name}",
              [](http::Request& r) {
                auto asset = web::StaticAsset(r.PathParam("name"));
                if (!asset) throw core::NotFound("no asset " + r.PathParam("name"));
                return *asset;
              },
              0, http::Execution::kInline});
  router.Add({"GET", "/", [](http::Request&) { return http::Response::Redirect("/login"); }, 0,
              http::Execution::kInline});
  router.Add({"GET", "/login", [](http::Request&) { return web::LoginPage(200, web::LoginView{}); },
              0, http::Execution::kBlocking});
  return std::make_shared<http::Dispatcher>(std::move(router), BuildPipeline());
}

std::shared_ptr<const http::Dispatcher> BuildOpsDispatcher(Context& context) {
  http::Router router(static_cast<std::size_t>(context.config.limits.max_body_bytes));
  router.Add({"GET", "/healthz", Health, 0, http::Execution::kInline});
  router.Add({"GET", "/metrics",
              [](http::Request&) {
                http::Response r = http::Response::Text(200, metrics::Registry::Global().Render());
                r.headers.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                return r;
              },
              0, http::Execution::kInline});
  return std::make_shared<http::Dispatcher>(std::move(router), BuildPipeline());
}

}  // namespace rampart::app
