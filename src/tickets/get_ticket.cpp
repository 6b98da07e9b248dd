#include "tickets/get_ticket.h"

#include <algorithm>

#include "tickets/custom_fields.h"
#include "tickets/policy.h"

namespace rampart::tickets {

TicketView ViewOfRow(const TicketRow& t) {
  TicketView view;
  view.number = t.number;
  view.subject = t.subject;
  view.status = t.status;
  view.priority = t.priority;
  view.requester_id = t.requester_id;
  view.department_id = t.department_id;
  view.assignee_id = t.assignee_id;
  view.channel = t.channel;
  view.created_at = t.created_at;
  view.updated_at = t.updated_at;
  view.due_at = t.due_at;
  view.first_response_at = t.first_response_at;
  view.solved_at = t.solved_at;
  view.last_message_at = t.last_message_at;
  return view;
}

TicketView GetTicket(const auth::Actor& actor, storage::Database& db, std::string_view number) {
  RequirePermission(actor, auth::Permission::kTicketView);
  storage::Lease c = db.Read();
  ReadSnapshot snapshot(*c);
  const TicketRow t = LoadTicketFor(*c, actor, auth::Permission::kTicketView, number);
  const bool staff = ActsAsStaff(actor);

  TicketView view = ViewOfRow(t);
  if (const auto requester = FindUser(*c, t.requester_id)) {
    view.requester_name = requester->name;
    view.requester_email = requester->email;
  }
  if (t.department_id) view.department_name = DepartmentName(*c, *t.department_id);
  if (t.assignee_id) view.assignee_name = UserName(*c, *t.assignee_id);
  if (t.merged_into_id) {
    if (const auto target = FindTicketById(*c, *t.merged_into_id)) {
      view.merged_into_number = target->number;
    }
  }
  if (staff) {
    view.tags = LoadTags(*c, t.id);
    view.ccs = LoadCcs(*c, t.id);
  }
  const std::vector<FieldDefinition> fields = LoadFieldDefinitions(*c);
  for (const StoredFieldValue& v : LoadFieldValues(*c, t.id)) {
    const auto field = std::find_if(fields.begin(), fields.end(),
                                    [&](const FieldDefinition& f) { return f.id == v.field_id; });
    if (field == fields.end() || (!staff && !field->end_user_visible)) continue;
    view.custom_fields.push_back(
        {field->key, field->label, std::string(FieldKindName(field->kind)), v.value});
  }
  view.thread = LoadThread(*c, t.id, /*include_internal=*/staff);
  // Files go to the messages this actor sees: a note's files stay as hidden as the note.
  std::size_t m = 0;
  for (AttachmentInfo& a : LoadTicketAttachments(*c, t.id)) {
    while (m < view.thread.size() && view.thread[m].id < a.message_id) ++m;
    if (m < view.thread.size() && view.thread[m].id == a.message_id) {
      view.thread[m].attachments.push_back(std::move(a));
    }
  }
  return view;
}

}  // namespace rampart::tickets
