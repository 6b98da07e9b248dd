#include "api/routes.h"

#include <memory>
#include <tuple>

#include "api/handlers.h"
#include "api/user_handlers.h"

namespace rampart::api {

void RegisterRoutes(http::Router& router, storage::Database& db,
                    tickets::TicketCommitter& committer, const core::Clock& clock,
                    const tickets::AttachmentStore& files, auth::HashCost hash_cost) {
  using http::Access;
  using http::Execution;
  auto handlers = std::make_shared<Handlers>(db, committer, clock, files);
  const auto bind = [handlers](http::Response (Handlers::*method)(http::Request&) const) {
    return [handlers, method](http::Request& r) { return ((*handlers).*method)(r); };
  };
  // A message is up to 100,000 characters; JSON escaping can make each one six bytes.
  constexpr std::size_t kMessageBytes = 1024 * 1024;
  constexpr std::size_t kSmallBytes = 16 * 1024;
  const auto add = [&router](const char* method, const char* pattern, http::Handler handler,
                             std::size_t body, const char* permission,
                             Execution execution = Execution::kBlocking) {
    router.Add(
        {method, pattern, std::move(handler), body, execution, Access::kSignedIn, permission});
  };
  // Public, so that clients and tools can be generated without an account. Blocking like the
  // rest: a Bearer header sent along is still checked, and that reads the database.
  router.Add({"GET", "/api/v1/openapi.json", &Handlers::OpenApi, 0, Execution::kBlocking,
              Access::kPublic});
  add("GET", "/api/v1/me", bind(&Handlers::Me), 0, "");
  add("GET", "/api/v1/tickets", bind(&Handlers::ListTickets), 0, "ticket.view");
  // Waits for the group commit, on the pool sized for waiters.
  add("POST", "/api/v1/tickets", bind(&Handlers::CreateTicket), kMessageBytes, "ticket.create",
      Execution::kWaiting);
  add("GET", "/api/v1/tickets/{number}", bind(&Handlers::GetTicket), 0, "ticket.view");
  // Status and priority need ticket.status, an assignee ticket.assign: the action checks which.
  add("PATCH", "/api/v1/tickets/{number}", bind(&Handlers::PatchTicket), kSmallBytes,
      "ticket.status");
  add("GET", "/api/v1/tickets/{number}/messages", bind(&Handlers::ListMessages), 0, "ticket.view");
  // Internal notes need ticket.note as well: the action checks it.
  add("POST", "/api/v1/tickets/{number}/messages", bind(&Handlers::PostMessage), kMessageBytes,
      "ticket.reply");
  // One message's files and its text, with room for the multipart framing; each file is then
  // held to the attachment limits.
  const std::size_t upload_bytes =
      static_cast<std::size_t>(files.Limits().max_total_bytes) + kMessageBytes;
  add("POST", "/api/v1/tickets/{number}/attachments", bind(&Handlers::PostAttachment), upload_bytes,
      "ticket.reply");
  add("GET", "/api/v1/attachments/{id}", bind(&Handlers::GetAttachment), 0, "ticket.view");
  add("GET", "/api/v1/search", bind(&Handlers::Search), 0, "ticket.view");
  auto users = std::make_shared<UserHandlers>(db, clock, hash_cost);
  const auto user_route = [users](http::Response (UserHandlers::*method)(http::Request&) const) {
    return [users, method](http::Request& r) { return ((*users).*method)(r); };
  };
  add("GET", "/api/v1/users", user_route(&UserHandlers::List), 0, "user.manage");
  // Giving someone a role is a change of permissions: a session needs a recent re-entry of
  // its password, like the admin pages.
  for (auto [method, pattern, handler] :
       {std::tuple{"POST", "/api/v1/users", &UserHandlers::Create},
        std::tuple{"PATCH", "/api/v1/users/{id}", &UserHandlers::Update}}) {
    http::Route route{method,
                      pattern,
                      user_route(handler),
                      kSmallBytes,
                      Execution::kBlocking,
                      Access::kSignedIn,
                      "user.manage"};
    route.requires_reauth = true;
    router.Add(std::move(route));
  }
}

}  // namespace rampart::api
