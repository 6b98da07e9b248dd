#include "tickets/create_ticket.h"

#include <algorithm>
#include <stdexcept>
#include <string_view>

#include "core/errors.h"
#include "tickets/custom_fields.h"
#include "tickets/policy.h"
#include "tickets/reply.h"
#include "tickets/text_rules.h"
#include "tickets/ticket_store.h"

namespace rampart::tickets {
namespace {

std::string_view ChannelName(auth::Actor::Channel channel) {
  switch (channel) {
    case auth::Actor::Channel::kWeb: return "web";
    case auth::Actor::Channel::kApi: return "api";
    case auth::Actor::Channel::kMail: return "mail";
    case auth::Actor::Channel::kSystem: return "system";
  }
  return "web";
}

// Fields an end user may not send at all: refusing them (rather than ignoring them) tells an
// API client at once that its request will not do what it asked.
void RefuseStaffOnlyFields(const auth::Actor& actor, const NewTicket& request) {
  if (ActsAsStaff(actor)) return;
  const auto refuse = [](const char* field) {
    throw core::Invalid(field, "may only be set by staff");
  };
  if (request.requester_id && *request.requester_id != actor.user_id) refuse("requester");
  if (request.priority) refuse("priority");
  if (request.assignee_id) refuse("assignee");
  if (request.due_at) refuse("due_at");
  if (!request.tags.empty()) refuse("tags");
  if (!request.ccs.empty()) refuse("ccs");
}

// Everything CreateTicketIn does, with the request's files left to the caller.
CreatedTicket CreateTicketWithout(storage::Connection& c, const auth::Actor& actor,
                                  const NewTicket& request, std::int64_t now,
                                  SearchIndexing indexing,
                                  const std::vector<FieldDefinition>* preloaded_fields);

}  // namespace

void CheckNewTicket(const auth::Actor& actor, const NewTicket& request) {
  RequirePermission(actor, auth::Permission::kTicketCreate);
  RefuseStaffOnlyFields(actor, request);
  CheckSubject(request.subject);
  CheckBody(request.body);
  CheckTags(request.tags);
  CheckCcs(request.ccs);
  if (request.due_at) CheckDueAt(*request.due_at);
}

CreatedTicket CreateTicket(const auth::Actor& actor, storage::Database& db,
                           const NewTicket& request, std::int64_t now,
                           const AttachmentStore* files) {
  // Input is checked before the writer is taken: a refusal costs no one else a wait.
  CheckNewTicket(actor, request);
  StagedAttachments staged = RequireStore(files, request.attachments.size()) != nullptr
                                 ? files->Stage(request.attachments)
                                 : StagedAttachments{};

  storage::Lease c = db.Write();
  storage::Transaction tx(*c);
  CreatedTicket created =
      CreateTicketWithout(*c, actor, request, now, SearchIndexing::kNow, nullptr);
  // The view has no files: whoever needs them reads the ticket back.
  if (!request.attachments.empty()) created.view.reset();
  created.attachments = staged.Record(*c, created.message_id, ActorUserId(actor), now);
  tx.Commit();
  staged.Keep();
  return created;
}

CreatedTicket CreateTicketIn(storage::Connection& c, const auth::Actor& actor,
                             const NewTicket& request, std::int64_t now, SearchIndexing indexing,
                             const std::vector<FieldDefinition>* fields) {
  if (!request.attachments.empty()) throw std::logic_error("CreateTicketIn takes no attachments");
  return CreateTicketWithout(c, actor, request, now, indexing, fields);
}

namespace {

// The new ticket as GetTicket would show it to `actor`, from the values just written. Tags and
// CCs, when the request has any, are read back (the store normalizes and orders them).
TicketView ViewOfNewTicket(storage::Connection& c, const auth::Actor& actor, const TicketRow& t,
                           const UserFacts& requester, std::string department_name,
                           std::string assignee_name, const std::vector<FieldDefinition>& fields,
                           std::vector<StoredFieldValue> values, ThreadMessage first, bool has_tags,
                           bool has_ccs) {
  const bool staff = ActsAsStaff(actor);
  TicketView view = ViewOfRow(t);
  view.requester_name = requester.name;
  view.requester_email = requester.email;
  view.department_name = std::move(department_name);
  view.assignee_name = std::move(assignee_name);
  // Only the request adds tags and CCs to a new ticket: none asked for, none to read back.
  if (staff && has_tags) view.tags = LoadTags(c, t.id);
  if (staff && has_ccs) view.ccs = LoadCcs(c, t.id);
  // In field id order, as they are read back.
  std::sort(values.begin(), values.end(), [](const StoredFieldValue& a, const StoredFieldValue& b) {
    return a.field_id < b.field_id;
  });
  for (StoredFieldValue& v : values) {
    const auto field = std::find_if(fields.begin(), fields.end(),
                                    [&](const FieldDefinition& f) { return f.id == v.field_id; });
    if (field == fields.end() || (!staff && !field->end_user_visible)) continue;
    view.custom_fields.push_back(
        {field->key, field->label, std::string(FieldKindName(field->kind)), std::move(v.value)});
  }
  view.thread.push_back(std::move(first));
  return view;
}

CreatedTicket CreateTicketWithout(storage::Connection& c, const auth::Actor& actor,
                                  const NewTicket& request, std::int64_t now,
                                  SearchIndexing indexing,
                                  const std::vector<FieldDefinition>* preloaded_fields) {
  RequirePermission(actor, auth::Permission::kTicketCreate);
  RefuseStaffOnlyFields(actor, request);
  const std::string subject = CheckSubject(request.subject);
  const std::string body = CheckBody(request.body);
  const std::vector<std::string> tags = CheckTags(request.tags);
  const std::vector<std::string> ccs = CheckCcs(request.ccs);
  if (request.due_at) CheckDueAt(*request.due_at);

  const std::int64_t requester_id = request.requester_id.value_or(actor.user_id);
  const auto requester = FindUser(c, requester_id);
  if (!requester || requester->disabled) {
    throw core::Invalid("requester", "must be an active user");
  }
  std::string department_name;
  if (request.department_id) {
    const auto department = FindDepartmentName(c, *request.department_id);
    if (!department) throw core::Invalid("department", "no such department");
    department_name = *department;
  }

  TicketRow ticket;
  ticket.subject = subject;
  ticket.requester_id = requester->id;
  ticket.organization_id = requester->organization_id;
  ticket.status = Status::kOpen;
  ticket.priority = request.priority.value_or(Priority::kNormal);
  ticket.department_id = request.department_id;
  ticket.channel = std::string(ChannelName(actor.channel));
  ticket.created_at = now;
  ticket.updated_at = now;
  ticket.due_at = request.due_at;
  ticket.last_message_at = now;

  // Staff open tickets only where they can work them: an agent of Billing cannot drop a ticket
  // into Security's queue that they could then never see again.
  const auth::TicketFacts facts = FactsOf(ticket);
  if (!auth::Authorize(actor, auth::Permission::kTicketCreate, &facts)) {
    throw core::Invalid("department", "is outside your departments");
  }
  std::string assignee_name;
  if (request.assignee_id) {
    const auto assignee = FindUser(c, *request.assignee_id);
    if (!assignee || assignee->disabled || !auth::IsStaff(assignee->role) ||
        !auth::Authorize(ActorFor(*assignee), auth::Permission::kTicketView, &facts)) {
      throw core::Invalid("assignee", "must be an active agent who can see this department");
    }
    ticket.assignee_id = assignee->id;
    assignee_name = assignee->name;
  }

  std::vector<FieldDefinition> loaded_fields;
  if (preloaded_fields == nullptr) loaded_fields = LoadFieldDefinitions(c);
  const std::vector<FieldDefinition>& fields =
      preloaded_fields != nullptr ? *preloaded_fields : loaded_fields;
  std::vector<StoredFieldValue> values;
  for (const auto& [key, raw] : request.custom_fields) {
    const FieldDefinition* field = FindField(fields, key);
    if (field == nullptr || field->archived) {
      throw core::Invalid("custom_fields." + key, "no such field");
    }
    if (!ActsAsStaff(actor) && !field->end_user_editable) {
      throw core::Invalid("custom_fields." + key, "may only be set by staff");
    }
    values.push_back({field->id, CanonicalFieldValue(*field, raw)});
  }
  for (const FieldDefinition& field : fields) {
    const bool may_edit = ActsAsStaff(actor) || field.end_user_editable;
    if (field.required && !field.archived && may_edit &&
        !request.custom_fields.contains(field.key)) {
      throw core::Invalid("custom_fields." + field.key, "is required");
    }
  }

  const bool by_staff = ActsAsStaff(actor) && actor.user_id > 0;
  if (by_staff) ticket.last_agent_reply_at = now;
  ticket.number = NextTicketNumber(c);
  ticket.id = InsertTicket(c, ticket);

  NewMessage message;
  message.ticket_id = ticket.id;
  message.author_id = actor.user_id > 0 ? actor.user_id : requester->id;
  message.author_kind = AuthorKindOf(actor);
  message.body = body;
  message.created_at = now;
  const std::int64_t message_id = indexing == SearchIndexing::kNow
                                      ? InsertMessage(c, message)
                                      : InsertMessageUnindexed(c, message);

  for (const std::string& tag : tags) AddTag(c, ticket.id, tag);
  for (const StoredFieldValue& v : values) SetFieldValue(c, ticket.id, v.field_id, v.value);
  for (const std::string& email : ccs) AddCc(c, ticket.id, email, ActorUserId(actor), now);

  AppendEvent(c, ticket.id, ActorUserId(actor), now, "created", std::nullopt,
              FormatTicketNumber(ticket.number));
  // The requester's receipt and the assignee's notice, queued with the ticket itself.
  EnqueueAcknowledgement(c, ticket, by_staff ? std::optional(actor.user_id) : std::nullopt, body,
                         now);
  EnqueueAssignmentNotice(c, ticket, ActorUserId(actor), now);
  if (requester->id != actor.user_id) {
    // Opening a ticket in someone else's name puts words in their thread: audited.
    AppendAudit(c, now, ActorUserId(actor), "ticket.create_for_requester",
                FormatTicketNumber(ticket.number), "requester=" + std::to_string(requester->id));
  }
  CreatedTicket created{ticket.number, message_id, {}, std::nullopt};
  const auth::TicketFacts shown = FactsOf(ticket);
  if (auth::Authorize(actor, auth::Permission::kTicketView, &shown)) {
    ThreadMessage first;
    first.id = message_id;
    first.author_id = message.author_id;
    first.author_name =
        message.author_id == requester->id ? requester->name : UserName(c, message.author_id);
    first.author_kind = message.author_kind;
    first.body = body;
    first.created_at = now;
    created.view = ViewOfNewTicket(c, actor, ticket, *requester, std::move(department_name),
                                   std::move(assignee_name), fields, std::move(values),
                                   std::move(first), !tags.empty(), !ccs.empty());
  }
  return created;
}

}  // namespace

}  // namespace rampart::tickets
