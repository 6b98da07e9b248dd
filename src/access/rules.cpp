#include "access/rules.h"

#include <algorithm>

#include "core/errors.h"

namespace rampart::access {
namespace {

[[noreturn]] void Refuse(const std::string& code, const std::string& user_text,
                         const std::string& log_text) {
  throw core::RequestError(403, code, user_text, log_text);
}

}  // namespace

void RequirePermission(const auth::Actor& actor, auth::Permission permission) {
  const auth::Decision decision = auth::Authorize(actor, permission);
  if (!decision) {
    throw core::Forbidden(std::string(auth::PermissionName(permission)) +
                          " denied: " + std::string(decision.reason));
  }
}

bool ReachesAllDepartments(const auth::Actor& actor) {
  return actor.channel == auth::Actor::Channel::kSystem || actor.role == auth::Role::kOwner ||
         actor.role == auth::Role::kAdmin || actor.all_departments;
}

void RequireMayGrant(const auth::Actor& actor, const Grant& grant) {
  if (actor.channel == auth::Actor::Channel::kSystem) return;  // the server's own shell
  if (grant.kind == auth::Role::kOwner && actor.role != auth::Role::kOwner) {
    Refuse("owner_only", "Only an owner can make someone an owner.", "grant owner by non-owner");
  }
  const auth::PermissionSet missing = grant.permissions.Minus(actor.permissions);
  if (!missing.Empty()) {
    Refuse("grant_exceeds_own",
           "You cannot grant permissions you do not hold yourself: " + missing.Names(", ") + ".",
           "grant of permissions not held: " + missing.Names());
  }
  if (!auth::IsStaff(grant.kind) || ReachesAllDepartments(actor)) return;
  if (grant.all_departments) {
    Refuse("grant_exceeds_own", "You cannot grant access to every department.",
           "grant of all departments by a department-scoped actor");
  }
  for (const std::int64_t d : grant.department_ids) {
    if (std::find(actor.department_ids.begin(), actor.department_ids.end(), d) ==
        actor.department_ids.end()) {
      Refuse("grant_exceeds_own", "You cannot grant access to a department you do not reach.",
             "grant of department " + std::to_string(d) + " outside the actor's");
    }
  }
}

void RequireMayChange(const auth::Actor& actor, std::int64_t target_id, const Grant& current) {
  if (actor.channel == auth::Actor::Channel::kSystem) return;
  if (current.kind == auth::Role::kOwner && actor.role != auth::Role::kOwner) {
    Refuse("owner_only", "Only an owner can change an owner's account.",
           "change of owner " + std::to_string(target_id) + " by non-owner");
  }
  // An owner may step down (the last-owner rule still holds); anyone else would be raising or
  // reshaping their own access.
  if (target_id == actor.user_id && actor.role != auth::Role::kOwner) {
    Refuse("self_change", "You cannot change your own access; ask another administrator.",
           "self change of access");
  }
  if (!current.permissions.SubsetOf(actor.permissions)) {
    Refuse("target_exceeds_own",
           "This person holds permissions you do not; you cannot change them.",
           "change of user " + std::to_string(target_id) + " who holds more");
  }
}

}  // namespace rampart::access
