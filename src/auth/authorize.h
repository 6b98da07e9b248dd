#pragma once
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/users.h"

namespace rampart::auth {

// Every named permission. Custom roles are sets of these.
enum class Permission {
  kTicketView,
  kTicketCreate,
  kTicketReply,
  kTicketNote,
  kTicketAssign,
  kTicketChangeStatus,
  kTicketMerge,
  kTicketDelete,
  kUserManage,
  kRoleManage,
  kSettingsSecurity,
  kAuditView,
  kReportView,
  kExportData,
  kSettingsHelpdesk,  // organizations, departments, custom fields, shared canned responses, portal
  kCount,             // not a permission: the number of them
};
constexpr int kPermissionCount = static_cast<int>(Permission::kCount);
std::string_view PermissionName(Permission permission);  // "ticket.view"
std::optional<Permission> ParsePermission(std::string_view name);
// What each permission lets its holder do, in words for the role editor.
std::string_view PermissionDescription(Permission permission);
// Permissions that change something: a read-scoped API token never gets them.
bool IsWrite(Permission permission);

// A set of permissions: what a role grants, and what an actor holds. A plain bit mask, cheap to
// copy into every request's actor.
class PermissionSet {
 public:
  constexpr PermissionSet() = default;
  constexpr PermissionSet(std::initializer_list<Permission> permissions) {
    for (Permission p : permissions) Add(p);
  }
  static constexpr PermissionSet All() {
    PermissionSet s;
    s.bits_ = (std::uint64_t{1} << kPermissionCount) - 1;
    return s;
  }
  constexpr void Add(Permission p) { bits_ |= Bit(p); }
  constexpr void Remove(Permission p) { bits_ &= ~Bit(p); }
  constexpr bool Has(Permission p) const { return (bits_ & Bit(p)) != 0; }
  constexpr bool Empty() const { return bits_ == 0; }
  // Every permission of `this` is also in `other`.
  constexpr bool SubsetOf(const PermissionSet& other) const { return (bits_ & ~other.bits_) == 0; }
  constexpr bool operator==(const PermissionSet&) const = default;
  // The permissions of `this` missing from `other`.
  constexpr PermissionSet Minus(const PermissionSet& other) const {
    PermissionSet s;
    s.bits_ = bits_ & ~other.bits_;
    return s;
  }
  std::vector<Permission> List() const;
  std::string Names(std::string_view separator = " ") const;  // "ticket.view ticket.reply"

 private:
  static constexpr std::uint64_t Bit(Permission p) {
    return std::uint64_t{1} << static_cast<int>(p);
  }
  std::uint64_t bits_ = 0;
};
static_assert(kPermissionCount < 64, "PermissionSet holds at most 63 permissions");

// The fixed permissions of the built-in roles (custom roles keep theirs in the database).
PermissionSet BuiltInPermissions(Role role);

// Who is acting, as the session or token established it. Built once per request.
struct Actor {
  enum class Channel { kWeb, kApi, kMail, kSystem };
  std::int64_t user_id = 0;
  // The kind of account: owner, admin, staff (kAgent, also for custom roles) or end user.
  Role role = Role::kEndUser;
  // What the actor's role grants: the built-in role's set, or the custom role's. Loaded on
  // every request, so that a changed role applies at the next one.
  PermissionSet permissions;
  std::optional<std::int64_t> organization_id;
  bool organization_shares_tickets = false;
  bool all_departments = false;  // staff scoped to every department
  std::vector<std::int64_t> department_ids;
  Channel channel = Channel::kWeb;
  bool read_only = false;  // a read-scoped API token
};

// What the decision needs to know about one ticket.
struct TicketFacts {
  std::int64_t requester_id = 0;
  std::optional<std::int64_t> requester_organization_id;
  std::optional<std::int64_t> department_id;
  std::optional<std::int64_t> assignee_id;
};

struct Decision {
  bool allowed = false;
  std::string_view reason;  // stable snake_case, for logs, metrics and audit
  explicit operator bool() const { return allowed; }
};

// The one function that decides every access. The web UI, the API, inbound mail and background
// jobs all call it; nothing else grants access. With `ticket`, it also decides whether the actor
// may act on that ticket; callers answer 404 (not 403) when a ticket is out of reach, so that
// ticket numbers do not reveal which tickets exist.
Decision Authorize(const Actor& actor, Permission permission, const TicketFacts* ticket = nullptr);

// Whether the actor holds any permission of the admin section (the /admin/ landing page).
bool HasAnyAdminPermission(const Actor& actor);

}  // namespace rampart::auth
