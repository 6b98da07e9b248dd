#include "auth/authorize.h"

#include <algorithm>

namespace rampart::auth {
namespace {

bool StaffReaches(const Actor& actor, const TicketFacts& ticket) {
  if (actor.role == Role::kOwner || actor.role == Role::kAdmin || actor.all_departments)
    return true;
  // A ticket in no department is in the shared inbox: every agent sees it.
  if (!ticket.department_id) return true;
  if (ticket.assignee_id && *ticket.assignee_id == actor.user_id) return true;
  return std::find(actor.department_ids.begin(), actor.department_ids.end(),
                   *ticket.department_id) != actor.department_ids.end();
}

bool EndUserReaches(const Actor& actor, const TicketFacts& ticket) {
  if (ticket.requester_id == actor.user_id) return true;
  return actor.organization_shares_tickets && actor.organization_id &&
         ticket.requester_organization_id &&
         *actor.organization_id == *ticket.requester_organization_id;
}

}  // namespace

std::string_view PermissionName(Permission permission) {
  switch (permission) {
    case Permission::kTicketView: return "ticket.view";
    case Permission::kTicketCreate: return "ticket.create";
    case Permission::kTicketReply: return "ticket.reply";
    case Permission::kTicketNote: return "ticket.note";
    case Permission::kTicketAssign: return "ticket.assign";
    case Permission::kTicketChangeStatus: return "ticket.status";
    case Permission::kTicketMerge: return "ticket.merge";
    case Permission::kTicketDelete: return "ticket.delete";
    case Permission::kUserManage: return "user.manage";
    case Permission::kRoleManage: return "role.manage";
    case Permission::kSettingsSecurity: return "settings.security";
    case Permission::kAuditView: return "audit.view";
    case Permission::kReportView: return "report.view";
    case Permission::kExportData: return "export.data";
    case Permission::kSettingsHelpdesk: return "settings.helpdesk";
    case Permission::kCount: break;
  }
  return "unknown";
}

std::optional<Permission> ParsePermission(std::string_view name) {
  for (int i = 0; i < kPermissionCount; ++i) {
    const auto p = static_cast<Permission>(i);
    if (PermissionName(p) == name) return p;
  }
  return std::nullopt;
}

std::string_view PermissionDescription(Permission permission) {
  switch (permission) {
    case Permission::kTicketView: return "See tickets in reach and their threads";
    case Permission::kTicketCreate: return "Open tickets";
    case Permission::kTicketReply: return "Reply to tickets";
    case Permission::kTicketNote: return "Write internal notes";
    case Permission::kTicketAssign: return "Assign tickets";
    case Permission::kTicketChangeStatus: return "Change status, priority and fields";
    case Permission::kTicketMerge: return "Merge tickets";
    case Permission::kTicketDelete: return "Delete tickets";
    case Permission::kUserManage: return "Create, edit and disable users";
    case Permission::kRoleManage: return "Create and edit custom roles";
    case Permission::kSettingsSecurity: return "Change security settings";
    case Permission::kAuditView: return "Read the audit log and the access review";
    case Permission::kReportView: return "See reports";
    case Permission::kExportData: return "Export data";
    case Permission::kSettingsHelpdesk:
      return "Manage organizations, departments, custom fields, canned responses and the portal";
    case Permission::kCount: break;
  }
  return "";
}

std::vector<Permission> PermissionSet::List() const {
  std::vector<Permission> out;
  for (int i = 0; i < kPermissionCount; ++i) {
    if (Has(static_cast<Permission>(i))) out.push_back(static_cast<Permission>(i));
  }
  return out;
}

std::string PermissionSet::Names(std::string_view separator) const {
  std::string out;
  for (Permission p : List()) {
    if (!out.empty()) out += separator;
    out += PermissionName(p);
  }
  return out;
}

PermissionSet BuiltInPermissions(Role role) {
  using P = Permission;
  switch (role) {
    // Owners and admins differ in who they may change (only owners make or change owners), not
    // in what they may do.
    case Role::kOwner:
    case Role::kAdmin: return PermissionSet::All();
    case Role::kAgent:
      return {P::kTicketView,   P::kTicketCreate,       P::kTicketReply, P::kTicketNote,
              P::kTicketAssign, P::kTicketChangeStatus, P::kTicketMerge};
    case Role::kEndUser:
      return {P::kTicketView, P::kTicketCreate, P::kTicketReply, P::kTicketChangeStatus};
  }
  return {};
}

bool IsWrite(Permission permission) {
  switch (permission) {
    case Permission::kTicketView:
    case Permission::kAuditView:
    case Permission::kReportView: return false;
    default: return true;
  }
}

bool HasAnyAdminPermission(const Actor& actor) {
  for (Permission p :
       {Permission::kUserManage, Permission::kRoleManage, Permission::kSettingsSecurity,
        Permission::kSettingsHelpdesk, Permission::kAuditView}) {
    if (Authorize(actor, p)) return true;
  }
  return false;
}

Decision Authorize(const Actor& actor, Permission permission, const TicketFacts* ticket) {
  if (actor.user_id <= 0 && actor.channel != Actor::Channel::kSystem) return {false, "anonymous"};
  if (actor.read_only && IsWrite(permission)) return {false, "read_only_token"};
  if (actor.channel == Actor::Channel::kSystem) return {true, "system"};
  if (!actor.permissions.Has(permission)) return {false, "role_lacks_permission"};
  if (ticket == nullptr) return {true, "role_permits"};
  if (IsStaff(actor.role)) {
    if (!StaffReaches(actor, *ticket)) return {false, "outside_department"};
    return {true, "staff_in_scope"};
  }
  if (!EndUserReaches(actor, *ticket)) return {false, "not_requester"};
  return {true, "requester"};
}

}  // namespace rampart::auth
