#include "api/handlers.h"

#include <algorithm>
#include <array>
#include <span>

#include "api/embedded.h"
#include "api/json_io.h"
#include "api/json_text.h"
#include "api/render.h"
#include "core/errors.h"
#include "security/file_download.h"
#include "security/multipart_form.h"
#include "security/session_stage.h"
#include "tickets/add_note.h"
#include "tickets/assign.h"
#include "tickets/attachment_names.h"
#include "tickets/change_fields.h"
#include "tickets/change_status.h"
#include "tickets/create_ticket.h"
#include "tickets/get_ticket.h"
#include "tickets/queue.h"
#include "tickets/reply.h"
#include "tickets/search.h"

namespace rampart::api {
namespace {

namespace json = boost::json;

struct Caller {
  const security::AuthContext& auth;
  auth::Actor actor;
};

Caller CallerOf(const http::Request& r) {
  const security::AuthContext* a = security::SignedIn(r);
  // The access stage runs first; reaching here without a caller is a route-table bug.
  if (a == nullptr) throw core::Unauthorized();
  auth::Actor actor = a->person.actor;
  // Tickets opened here say they came through the API, whether a token or a cookie carried
  // the call.
  actor.channel = auth::Actor::Channel::kApi;
  return Caller{*a, std::move(actor)};
}

// Query values are text; the domain's limits are small ints. Anything outside int's range is
// pinned just outside the domain's range, so that the action refuses it with its own message.
int LimitValue(std::int64_t value, int domain_max) {
  return static_cast<int>(std::clamp<std::int64_t>(value, 0, domain_max + 1));
}

tickets::Status StatusOf(const std::string& text) {
  const auto status = tickets::ParseStatus(text);
  if (!status) throw core::Invalid("status", "must be open, pending, on_hold, solved or closed");
  return *status;
}

tickets::Priority PriorityOf(const std::string& text) {
  const auto priority = tickets::ParsePriority(text);
  if (!priority) throw core::Invalid("priority", "must be low, normal, high or urgent");
  return *priority;
}

std::map<std::string, std::string> CustomFieldsOf(const json::object& object) {
  std::map<std::string, std::string> out;
  for (const auto& item : object) {
    const std::string key(item.key());
    const json::value& v = item.value();
    if (v.is_string()) {
      out[key] = std::string(v.get_string());
    } else if (v.is_int64()) {
      out[key] = std::to_string(v.get_int64());  // number fields; the action checks the kind
    } else {
      throw core::Malformed("custom_fields." + key.substr(0, 100), "must be a string or an integer",
                            "wrong_type");
    }
  }
  return out;
}

http::Response TicketResponse(int status, const tickets::TicketView& ticket) {
  http::Response r = JsonResponse(status, RenderTicket(ticket, true));
  if (status == 201) {
    r.headers.Set("Location", "/api/v1/tickets/" + tickets::FormatTicketNumber(ticket.number));
  }
  return r;
}

}  // namespace

http::Response Handlers::Me(http::Request& request) const {
  const Caller c = CallerOf(request);
  json::object out = RenderPerson(c.auth.person);
  json::object how{{"method", c.auth.ViaApiToken() ? "api_token" : "session"}};
  how["scope"] = c.auth.ViaApiToken() ? json::value(c.actor.read_only ? "read" : "write")
                                      : json::value(nullptr);
  out["auth"] = std::move(how);
  return JsonResponse(200, out);
}

http::Response Handlers::ListTickets(http::Request& request) const {
  const Caller c = CallerOf(request);
  QueryReader query(request);
  tickets::QueueRequest q;
  const std::string view = query.String("view").value_or("all");
  const auto parsed_view = tickets::ParseQueueView(view);
  if (!parsed_view) {
    throw core::Invalid("view",
                        "must be mine, unassigned, my_departments, all, pending or overdue");
  }
  q.view = *parsed_view;
  if (auto status = query.String("status")) q.status = StatusOf(*status);
  q.cursor = query.String("cursor").value_or("");
  if (auto limit = query.Int("limit")) q.limit = LimitValue(*limit, 100);
  query.RejectUnknown();
  // Written row by row from the statement (render.h): same document as JsonResponse would give.
  std::string body = "{\"data\":[";
  body.reserve(16384);
  bool first = true;
  const std::string next_cursor = tickets::ScanQueue(
      c.actor, db_, q, clock_.NowUnixSeconds(),
      [&](const tickets::QueueRowView& row) {
        if (!first) body.push_back(',');
        first = false;
        AppendQueueRow(body, row);
      },
      &names_);
  body += "],\"next_cursor\":";
  if (next_cursor.empty()) {
    body += "null";
  } else {
    AppendJsonString(body, next_cursor);
  }
  body.push_back('}');
  return http::Response::Json(200, std::move(body));
}

http::Response Handlers::CreateTicket(http::Request& request) const {
  const Caller c = CallerOf(request);
  const json::object body = ParseObjectBody(request);
  ObjectReader f(body);
  tickets::NewTicket t;
  t.subject = f.RequiredString("subject");
  t.body = f.RequiredString("body");
  if (auto priority = f.String("priority")) t.priority = PriorityOf(*priority);
  t.department_id = f.Int("department");
  if (auto tags = f.StringArray("tags")) t.tags = std::move(*tags);
  if (const json::object* fields = f.Object("custom_fields"))
    t.custom_fields = CustomFieldsOf(*fields);
  f.RejectUnknown();
  const tickets::CreatedTicket created =
      tickets::CreateTicket(c.actor, committer_, t, clock_.NowUnixSeconds());
  // The committer made the answer from what it wrote; only a creator who may not view the
  // ticket has none, and reading it back refuses them as before.
  if (created.view) return TicketResponse(201, *created.view);
  return TicketResponse(
      201, tickets::GetTicket(c.actor, db_, tickets::FormatTicketNumber(created.number)));
}

http::Response Handlers::GetTicket(http::Request& request) const {
  const Caller c = CallerOf(request);
  QueryReader(request).RejectUnknown();
  return TicketResponse(200, tickets::GetTicket(c.actor, db_, request.PathParam("number")));
}

http::Response Handlers::PatchTicket(http::Request& request) const {
  const Caller c = CallerOf(request);
  const std::string number = request.PathParam("number");
  const json::object body = ParseObjectBody(request);
  ObjectReader f(body);
  const auto status = f.String("status");
  const auto priority = f.String("priority");
  const auto assignee = f.NullableInt("assignee_id");
  const json::object* tags = f.Object("tags");
  f.RejectUnknown();
  // Each property is its own action with its own transaction and history line; several in one
  // request could half succeed, so a request changes exactly one.
  const int changes = static_cast<int>(status.has_value()) +
                      static_cast<int>(priority.has_value()) +
                      static_cast<int>(assignee.has_value()) + static_cast<int>(tags != nullptr);
  if (changes != 1) {
    throw core::Malformed("", "send exactly one of status, priority, assignee_id or tags",
                          "one_change_per_request");
  }
  const std::int64_t now = clock_.NowUnixSeconds();
  if (status) {
    tickets::ChangeStatus(c.actor, db_, {number, StatusOf(*status)}, now);
  } else if (priority) {
    tickets::ChangePriority(c.actor, db_, {number, PriorityOf(*priority)}, now);
  } else if (assignee) {
    tickets::Assign(c.actor, db_, {number, *assignee}, now);
  } else {
    ObjectReader t(*tags, "tags");
    tickets::TagsRequest change;
    change.ticket = number;
    change.add = t.StringArray("add").value_or(std::vector<std::string>{});
    change.remove = t.StringArray("remove").value_or(std::vector<std::string>{});
    t.RejectUnknown();
    tickets::ChangeTags(c.actor, db_, change, now);
  }
  return TicketResponse(200, tickets::GetTicket(c.actor, db_, number));
}

http::Response Handlers::ListMessages(http::Request& request) const {
  const Caller c = CallerOf(request);
  QueryReader(request).RejectUnknown();
  // The thread as GetTicket gives it to this actor: internal notes for staff only.
  const tickets::TicketView t = tickets::GetTicket(c.actor, db_, request.PathParam("number"));
  json::array data;
  data.reserve(t.thread.size());
  for (const tickets::ThreadMessage& m : t.thread) data.emplace_back(RenderMessage(m));
  return JsonResponse(200, json::object{{"data", std::move(data)}});
}

http::Response Handlers::PostMessage(http::Request& request) const {
  const Caller c = CallerOf(request);
  const std::string number = request.PathParam("number");
  const json::object body = ParseObjectBody(request);
  ObjectReader f(body);
  const std::string text = f.RequiredString("body");
  const bool internal = f.Bool("internal").value_or(false);
  f.RejectUnknown();
  const std::int64_t now = clock_.NowUnixSeconds();
  tickets::PostedMessage posted;
  if (internal) {
    posted = tickets::AddNote(c.actor, db_, {number, text}, now);
  } else {
    tickets::ReplyRequest reply;
    reply.ticket = number;
    reply.body = text;
    posted = tickets::Reply(c.actor, db_, reply, now);
  }
  const tickets::TicketView t = tickets::GetTicket(c.actor, db_, number);
  const auto it =
      std::find_if(t.thread.begin(), t.thread.end(),
                   [&](const tickets::ThreadMessage& m) { return m.id == posted.message_id; });
  // A message posted a moment ago is always in its own thread; the bare id is the fallback
  // should the ticket have been merged away in between.
  json::object out =
      it != t.thread.end() ? RenderMessage(*it) : json::object{{"id", posted.message_id}};
  return JsonResponse(201, out);
}

http::Response Handlers::Search(http::Request& request) const {
  const Caller c = CallerOf(request);
  QueryReader query(request);
  tickets::SearchRequest s;
  auto q = query.String("q");
  if (!q) throw core::Malformed("q", "is required", "missing_field");
  s.query = std::move(*q);
  if (auto limit = query.Int("limit")) s.limit = LimitValue(*limit, 50);
  query.RejectUnknown();
  json::array data;
  for (const tickets::SearchHit& hit : tickets::SearchTickets(c.actor, db_, s)) {
    data.emplace_back(RenderSearchHit(hit));
  }
  return JsonResponse(200, json::object{{"data", std::move(data)}});
}

http::Response Handlers::OpenApi(http::Request&) {
  for (const core::EmbeddedFile& file : EmbeddedApiDocs()) {
    if (file.path == "api/openapi.json") return http::Response::Json(200, std::string(file.bytes));
  }
  throw core::InternalError("openapi.json is not embedded");
}

namespace {

// "true" or "false", as form fields and query parameters spell a boolean.
bool FlagOf(const std::optional<std::string>& text, const char* field) {
  if (!text || *text == "false") return false;
  if (*text == "true") return true;
  throw core::Malformed(field, "must be true or false", "wrong_type");
}

}  // namespace

http::Response Handlers::PostAttachment(http::Request& request) const {
  const Caller c = CallerOf(request);
  const std::string number = request.PathParam("number");
  std::vector<tickets::Upload> uploads;
  std::string text;
  bool internal = false;
  if (security::IsMultipartForm(request)) {
    QueryReader(request).RejectUnknown();
    mime::FormData& form = security::MultipartForm(request);
    for (const mime::FormField& f : form.fields) {
      // csrf_token: a browser session may send its token as a form field, as on the web.
      if (f.name != "body" && f.name != "internal" && f.name != "csrf_token") {
        throw core::Malformed(f.name.substr(0, 100), "unknown field", "unknown_field");
      }
    }
    text = form.Field("body").value_or("");
    internal = FlagOf(form.Field("internal"), "internal");
    for (mime::FormFile& f : form.files) {
      uploads.push_back({std::move(f.filename), std::move(f.bytes)});
    }
  } else {
    QueryReader query(request);
    const auto filename = query.String("filename");
    internal = FlagOf(query.String("internal"), "internal");
    query.RejectUnknown();
    if (!filename)
      throw core::Malformed("filename", "is required for a raw upload", "missing_field");
    uploads.push_back({*filename, std::move(request.body)});
  }
  if (uploads.size() != 1) {
    throw core::Malformed("file", "send exactly one file per request",
                          uploads.empty() ? "missing_field" : "too_many_files");
  }
  const std::int64_t now = clock_.NowUnixSeconds();
  tickets::PostedMessage posted;
  if (internal) {
    posted = tickets::AddNote(c.actor, db_, {number, text, std::move(uploads)}, now, &files_);
  } else {
    tickets::ReplyRequest reply;
    reply.ticket = number;
    reply.body = text;
    reply.attachments = std::move(uploads);
    posted = tickets::Reply(c.actor, db_, reply, now, &files_);
  }
  const tickets::AttachmentInfo& info = posted.attachments.at(0);
  http::Response r = JsonResponse(201, RenderAttachment(info));
  r.headers.Set("Location", "/api/v1/attachments/" + info.id);
  return r;
}

http::Response Handlers::GetAttachment(http::Request& request) const {
  const Caller c = CallerOf(request);
  QueryReader(request).RejectUnknown();
  tickets::AttachmentContent file =
      tickets::OpenAttachment(c.actor, db_, files_, request.PathParam("id"));
  return security::FileDownload(std::move(file.bytes), file.info.type,
                                tickets::ContentDisposition(file.info.filename, false));
}

}  // namespace rampart::api
