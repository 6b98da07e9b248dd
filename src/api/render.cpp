#include "api/render.h"

#include <string>

#include "api/json_text.h"
#include "core/clock.h"

namespace rampart::api {
namespace {

namespace json = boost::json;

json::value Time(std::int64_t unix_seconds) {
  return json::value(core::FormatUtc(unix_seconds));
}

json::value OptionalTime(const std::optional<std::int64_t>& unix_seconds) {
  if (!unix_seconds) return nullptr;
  return Time(*unix_seconds);
}

// {"id": 3, "name": "Support"}, or null when there is no id.
json::value Named(const std::optional<std::int64_t>& id, const std::string& name) {
  if (!id) return nullptr;
  return json::object{{"id", *id}, {"name", name}};
}

json::array Strings(const std::vector<std::string>& values) {
  json::array out;
  out.reserve(values.size());
  for (const std::string& v : values) out.emplace_back(v);
  return out;
}

}  // namespace

json::object RenderAttachment(const tickets::AttachmentInfo& a) {
  return json::object{
      {"id", a.id},
      {"message_id", a.message_id},
      {"filename", a.filename},
      {"content_type", a.type},
      {"size", a.size},
      {"sha256", a.sha256},
      {"created_at", Time(a.created_at)},
      {"url", "/api/v1/attachments/" + a.id},
  };
}

json::object RenderMessage(const tickets::ThreadMessage& m) {
  json::array attachments;
  attachments.reserve(m.attachments.size());
  for (const tickets::AttachmentInfo& a : m.attachments)
    attachments.emplace_back(RenderAttachment(a));
  return json::object{
      {"id", m.id},
      {"author", json::object{{"id", m.author_id},
                              {"name", m.author_name},
                              {"kind", std::string(tickets::AuthorKindName(m.author_kind))}}},
      {"internal", m.internal},
      {"body", m.body},
      {"created_at", Time(m.created_at)},
      {"attachments", std::move(attachments)},
  };
}

json::object RenderTicket(const tickets::TicketView& t, bool with_messages) {
  json::object fields;
  for (const tickets::ShownFieldValue& f : t.custom_fields) fields[f.key] = f.value;
  json::object out{
      {"number", tickets::FormatTicketNumber(t.number)},
      {"subject", t.subject},
      {"status", std::string(tickets::StatusName(t.status))},
      {"priority", std::string(tickets::PriorityName(t.priority))},
      {"requester",
       json::object{
           {"id", t.requester_id}, {"name", t.requester_name}, {"email", t.requester_email}}},
      {"department", Named(t.department_id, t.department_name)},
      {"assignee", Named(t.assignee_id, t.assignee_name)},
      {"channel", t.channel},
      {"created_at", Time(t.created_at)},
      {"updated_at", Time(t.updated_at)},
      {"due_at", OptionalTime(t.due_at)},
      {"first_response_at", OptionalTime(t.first_response_at)},
      {"solved_at", OptionalTime(t.solved_at)},
      {"last_message_at", OptionalTime(t.last_message_at)},
      {"merged_into", t.merged_into_number
                          ? json::value(tickets::FormatTicketNumber(*t.merged_into_number))
                          : json::value(nullptr)},
      {"tags", Strings(t.tags)},
      {"ccs", Strings(t.ccs)},
      {"custom_fields", std::move(fields)},
  };
  if (with_messages) {
    json::array messages;
    messages.reserve(t.thread.size());
    for (const tickets::ThreadMessage& m : t.thread) messages.emplace_back(RenderMessage(m));
    out["messages"] = std::move(messages);
  }
  return out;
}

namespace {

// {"id":3,"name":"Support"}, or null when there is no id: Named's shape, written directly.
void AppendNamed(std::string& out, const std::optional<std::int64_t>& id, std::string_view name) {
  if (!id) {
    out += "null";
    return;
  }
  out += "{\"id\":";
  AppendJsonInt(out, *id);
  out += ",\"name\":";
  AppendJsonString(out, name);
  out.push_back('}');
}

}  // namespace

void AppendQueueRow(std::string& out, const tickets::QueueRowView& row) {
  out += "{\"number\":\"RMP-";
  AppendJsonInt(out, row.number);
  out += "\",\"subject\":";
  AppendJsonString(out, row.subject);
  out += ",\"status\":";
  AppendJsonString(out, tickets::StatusName(row.status));
  out += ",\"priority\":";
  AppendJsonString(out, tickets::PriorityName(row.priority));
  out += ",\"requester\":";
  AppendNamed(out, row.requester_id, row.requester_name);
  out += ",\"department\":";
  AppendNamed(out, row.department_id, row.department_name);
  out += ",\"assignee\":";
  AppendNamed(out, row.assignee_id, row.assignee_name);
  out += ",\"updated_at\":";
  AppendJsonTime(out, row.updated_at);
  out += ",\"due_at\":";
  AppendJsonTime(out, row.due_at);
  out += ",\"last_message_at\":";
  AppendJsonTime(out, row.last_message_at);
  out.push_back('}');
}

json::object RenderSearchHit(const tickets::SearchHit& hit) {
  // The match markers are control characters for HTML renderers; an API client gets plain text.
  std::string snippet;
  snippet.reserve(hit.snippet.size());
  for (const char ch : hit.snippet) {
    if (ch != tickets::kMatchStart && ch != tickets::kMatchEnd) snippet += ch;
  }
  return json::object{
      {"number", tickets::FormatTicketNumber(hit.number)},
      {"subject", hit.subject},
      {"status", std::string(tickets::StatusName(hit.status))},
      {"updated_at", Time(hit.updated_at)},
      {"snippet", std::move(snippet)},
  };
}

json::object RenderPerson(const auth::Person& p) {
  json::array departments;
  for (const std::int64_t id : p.actor.department_ids) departments.emplace_back(id);
  return json::object{
      {"id", p.actor.user_id},
      {"email", p.email},
      {"name", p.name},
      {"role", std::string(auth::RoleName(p.actor.role))},
      {"department_ids", std::move(departments)},
      {"all_departments", p.actor.all_departments},
  };
}

}  // namespace rampart::api
