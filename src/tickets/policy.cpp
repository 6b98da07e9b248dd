#include "tickets/policy.h"

#include <stdexcept>
#include <string>

#include "core/errors.h"

namespace rampart::tickets {

bool ActsAsStaff(const auth::Actor& actor) {
  return auth::IsStaff(actor.role) || actor.channel == auth::Actor::Channel::kSystem;
}

void RequirePermission(const auth::Actor& actor, auth::Permission permission) {
  const auth::Decision decision = auth::Authorize(actor, permission);
  if (!decision) {
    throw core::Forbidden(std::string(auth::PermissionName(permission)) +
                          " denied: " + std::string(decision.reason));
  }
}

TicketRow LoadTicketFor(storage::Connection& c, const auth::Actor& actor,
                        auth::Permission permission, std::string_view number,
                        std::string_view field) {
  const auto parsed = ParseTicketNumber(number);
  if (!parsed) throw core::Invalid(std::string(field), "must be a ticket number like RMP-1042");
  auto ticket = FindTicketByNumber(c, *parsed);
  if (!ticket) throw core::NotFound("ticket " + FormatTicketNumber(*parsed) + " does not exist");
  const auth::TicketFacts facts = FactsOf(*ticket);
  const auth::Decision view = auth::Authorize(actor, auth::Permission::kTicketView, &facts);
  if (!view) {
    throw core::NotFound("ticket " + FormatTicketNumber(*parsed) +
                         " out of reach: " + std::string(view.reason));
  }
  const auth::Decision decision = auth::Authorize(actor, permission, &facts);
  if (!decision) {
    throw core::Forbidden(std::string(auth::PermissionName(permission)) + " on " +
                          FormatTicketNumber(*parsed) + " denied: " + std::string(decision.reason));
  }
  return std::move(*ticket);
}

void RequireStaffEdit(const auth::Actor& actor) {
  RequirePermission(actor, auth::Permission::kTicketChangeStatus);
  if (!ActsAsStaff(actor)) throw core::Forbidden("ticket properties are edited by staff only");
}

void RequireNotClosed(const TicketRow& ticket) {
  if (ticket.status == Status::kClosed) {
    throw core::Conflict("This ticket is closed and can no longer be changed.");
  }
}

bool MaySee(const auth::Actor& actor, const TicketRow& ticket) {
  const auth::TicketFacts facts = FactsOf(ticket);
  return static_cast<bool>(auth::Authorize(actor, auth::Permission::kTicketView, &facts));
}

std::optional<std::int64_t> ActorUserId(const auth::Actor& actor) {
  if (actor.user_id > 0) return actor.user_id;
  return std::nullopt;
}

std::int64_t AuthorIdOf(const auth::Actor& actor) {
  if (actor.user_id <= 0) throw std::logic_error("a message needs an author: actor has no user");
  return actor.user_id;
}

AuthorKind AuthorKindOf(const auth::Actor& actor) {
  if (actor.channel == auth::Actor::Channel::kSystem) return AuthorKind::kSystem;
  return auth::IsStaff(actor.role) ? AuthorKind::kAgent : AuthorKind::kEndUser;
}

auth::Actor ActorFor(const UserFacts& user) {
  auth::Actor a;
  a.user_id = user.id;
  a.role = user.role;
  a.permissions = user.permissions;
  a.organization_id = user.organization_id;
  a.organization_shares_tickets = user.organization_shares_tickets;
  a.all_departments = user.all_departments;
  a.department_ids = user.department_ids;
  return a;
}

}  // namespace rampart::tickets
