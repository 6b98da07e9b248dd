#include "web/ticket_pages.h"

#include <ctemplate/template.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <map>

#include "core/clock.h"
#include "core/errors.h"
#include "core/strings.h"
#include "mail/inbound/held_mail.h"
#include "mail/inbound/message_view.h"
#include "security/file_download.h"
#include "security/multipart_form.h"
#include "security/session_stage.h"
#include "security/stages.h"
#include "tickets/add_note.h"
#include "tickets/assign.h"
#include "tickets/attachment_names.h"
#include "tickets/attachments.h"
#include "tickets/bulk_update.h"
#include "tickets/canned_responses.h"
#include "tickets/change_fields.h"
#include "tickets/change_status.h"
#include "tickets/create_ticket.h"
#include "tickets/get_ticket.h"
#include "tickets/history.h"
#include "tickets/merge.h"
#include "tickets/queue.h"
#include "tickets/reply.h"
#include "tickets/search.h"
#include "tickets/ticket.h"
#include "web/caller.h"
#include "web/html.h"
#include "web/pages.h"

namespace rampart::web {
namespace {

using Dict = ctemplate::TemplateDictionary;

// The dictionary keys of these pages as ctemplate static strings: each id is computed once, at
// start-up. A key given as a plain literal is hashed, and looked up in ctemplate's global id
// map under its read-write lock, on every SetValue.
namespace tpl {
const ctemplate::StaticTemplateString kAction = STS_INIT(kAction, "ACTION");
const ctemplate::StaticTemplateString kActor = STS_INIT(kActor, "ACTOR");
const ctemplate::StaticTemplateString kAgent = STS_INIT(kAgent, "AGENT");
const ctemplate::StaticTemplateString kAssignee = STS_INIT(kAssignee, "ASSIGNEE");
const ctemplate::StaticTemplateString kAt = STS_INIT(kAt, "AT");
const ctemplate::StaticTemplateString kAttachment = STS_INIT(kAttachment, "ATTACHMENT");
const ctemplate::StaticTemplateString kAttachments = STS_INIT(kAttachments, "ATTACHMENTS");
const ctemplate::StaticTemplateString kAuthor = STS_INIT(kAuthor, "AUTHOR");
const ctemplate::StaticTemplateString kBase = STS_INIT(kBase, "BASE");
const ctemplate::StaticTemplateString kBody = STS_INIT(kBody, "BODY");
const ctemplate::StaticTemplateString kCanned = STS_INIT(kCanned, "CANNED");
const ctemplate::StaticTemplateString kCannedOption = STS_INIT(kCannedOption, "CANNED_OPTION");
const ctemplate::StaticTemplateString kCanClose = STS_INIT(kCanClose, "CAN_CLOSE");
const ctemplate::StaticTemplateString kCanReopen = STS_INIT(kCanReopen, "CAN_REOPEN");
const ctemplate::StaticTemplateString kCanReply = STS_INIT(kCanReply, "CAN_REPLY");
const ctemplate::StaticTemplateString kCollision = STS_INIT(kCollision, "COLLISION");
const ctemplate::StaticTemplateString kCount = STS_INIT(kCount, "COUNT");
const ctemplate::StaticTemplateString kCreated = STS_INIT(kCreated, "CREATED");
const ctemplate::StaticTemplateString kCsrfToken = STS_INIT(kCsrfToken, "CSRF_TOKEN");
const ctemplate::StaticTemplateString kCurrent = STS_INIT(kCurrent, "CURRENT");
const ctemplate::StaticTemplateString kCursor = STS_INIT(kCursor, "CURSOR");
const ctemplate::StaticTemplateString kDepartment = STS_INIT(kDepartment, "DEPARTMENT");
const ctemplate::StaticTemplateString kDraft = STS_INIT(kDraft, "DRAFT");
const ctemplate::StaticTemplateString kEditable = STS_INIT(kEditable, "EDITABLE");
const ctemplate::StaticTemplateString kEmpty = STS_INIT(kEmpty, "EMPTY");
const ctemplate::StaticTemplateString kError = STS_INIT(kError, "ERROR");
const ctemplate::StaticTemplateString kField = STS_INIT(kField, "FIELD");
const ctemplate::StaticTemplateString kHasRows = STS_INIT(kHasRows, "HAS_ROWS");
const ctemplate::StaticTemplateString kHeld = STS_INIT(kHeld, "HELD");
const ctemplate::StaticTemplateString kHistory = STS_INIT(kHistory, "HISTORY");
const ctemplate::StaticTemplateString kHit = STS_INIT(kHit, "HIT");
const ctemplate::StaticTemplateString kHref = STS_INIT(kHref, "HREF");
const ctemplate::StaticTemplateString kHtml = STS_INIT(kHtml, "HTML");
const ctemplate::StaticTemplateString kId = STS_INIT(kId, "ID");
const ctemplate::StaticTemplateString kInto = STS_INIT(kInto, "INTO");
const ctemplate::StaticTemplateString kInternal = STS_INIT(kInternal, "INTERNAL");
const ctemplate::StaticTemplateString kKind = STS_INIT(kKind, "KIND");
const ctemplate::StaticTemplateString kLabel = STS_INIT(kLabel, "LABEL");
const ctemplate::StaticTemplateString kLine = STS_INIT(kLine, "LINE");
const ctemplate::StaticTemplateString kList = STS_INIT(kList, "LIST");
const ctemplate::StaticTemplateString kMailProblem = STS_INIT(kMailProblem, "MAIL_PROBLEM");
const ctemplate::StaticTemplateString kMailProblems = STS_INIT(kMailProblems, "MAIL_PROBLEMS");
const ctemplate::StaticTemplateString kMerged = STS_INIT(kMerged, "MERGED");
const ctemplate::StaticTemplateString kMessage = STS_INIT(kMessage, "MESSAGE");
const ctemplate::StaticTemplateString kMessageId = STS_INIT(kMessageId, "MESSAGE_ID");
const ctemplate::StaticTemplateString kMessageItem = STS_INIT(kMessageItem, "MESSAGE_ITEM");
const ctemplate::StaticTemplateString kName = STS_INIT(kName, "NAME");
const ctemplate::StaticTemplateString kNew = STS_INIT(kNew, "NEW");
const ctemplate::StaticTemplateString kNext = STS_INIT(kNext, "NEXT");
const ctemplate::StaticTemplateString kNotice = STS_INIT(kNotice, "NOTICE");
const ctemplate::StaticTemplateString kNumber = STS_INIT(kNumber, "NUMBER");
const ctemplate::StaticTemplateString kOld = STS_INIT(kOld, "OLD");
const ctemplate::StaticTemplateString kOpen = STS_INIT(kOpen, "OPEN");
const ctemplate::StaticTemplateString kPreview = STS_INIT(kPreview, "PREVIEW");
const ctemplate::StaticTemplateString kPriority = STS_INIT(kPriority, "PRIORITY");
const ctemplate::StaticTemplateString kPriorityOption =
    STS_INIT(kPriorityOption, "PRIORITY_OPTION");
const ctemplate::StaticTemplateString kQuery = STS_INIT(kQuery, "QUERY");
const ctemplate::StaticTemplateString kRequester = STS_INIT(kRequester, "REQUESTER");
const ctemplate::StaticTemplateString kRequesterEmail =
    STS_INIT(kRequesterEmail, "REQUESTER_EMAIL");
const ctemplate::StaticTemplateString kRow = STS_INIT(kRow, "ROW");
const ctemplate::StaticTemplateString kSelected = STS_INIT(kSelected, "SELECTED");
const ctemplate::StaticTemplateString kSenderChecks = STS_INIT(kSenderChecks, "SENDER_CHECKS");
const ctemplate::StaticTemplateString kShared = STS_INIT(kShared, "SHARED");
const ctemplate::StaticTemplateString kShowImages = STS_INIT(kShowImages, "SHOW_IMAGES");
const ctemplate::StaticTemplateString kSize = STS_INIT(kSize, "SIZE");
const ctemplate::StaticTemplateString kSnippet = STS_INIT(kSnippet, "SNIPPET");
const ctemplate::StaticTemplateString kSrc = STS_INIT(kSrc, "SRC");
const ctemplate::StaticTemplateString kStatus = STS_INIT(kStatus, "STATUS");
const ctemplate::StaticTemplateString kStatusLabel = STS_INIT(kStatusLabel, "STATUS_LABEL");
const ctemplate::StaticTemplateString kStatusOption = STS_INIT(kStatusOption, "STATUS_OPTION");
const ctemplate::StaticTemplateString kSubject = STS_INIT(kSubject, "SUBJECT");
const ctemplate::StaticTemplateString kTab = STS_INIT(kTab, "TAB");
const ctemplate::StaticTemplateString kTags = STS_INIT(kTags, "TAGS");
const ctemplate::StaticTemplateString kText = STS_INIT(kText, "TEXT");
const ctemplate::StaticTemplateString kTitle = STS_INIT(kTitle, "TITLE");
const ctemplate::StaticTemplateString kType = STS_INIT(kType, "TYPE");
const ctemplate::StaticTemplateString kUpdated = STS_INIT(kUpdated, "UPDATED");
const ctemplate::StaticTemplateString kUpdatedAt = STS_INIT(kUpdatedAt, "UPDATED_AT");
const ctemplate::StaticTemplateString kValue = STS_INIT(kValue, "VALUE");
const ctemplate::StaticTemplateString kView = STS_INIT(kView, "VIEW");
const ctemplate::StaticTemplateString kViewLabel = STS_INIT(kViewLabel, "VIEW_LABEL");
}  // namespace tpl

// A submitted form: urlencoded, or multipart when it carries files (parsed once, by the CSRF
// stage, and read from there).
class Form {
 public:
  explicit Form(http::Request& r) {
    if (security::IsMultipartForm(r)) {
      multipart_ = &security::MultipartForm(r);
      for (const mime::FormField& f : multipart_->fields) fields_.emplace_back(f.name, f.value);
      return;
    }
    auto parsed = http::ParseForm(r.body);
    if (!parsed) throw core::BadRequest("The form could not be read.");
    fields_ = std::move(*parsed);
  }
  // The files chosen in the "files" input, moved out of the parsed form: call once.
  std::vector<tickets::Upload> TakeFiles() {
    std::vector<tickets::Upload> out;
    if (multipart_ == nullptr) return out;
    for (mime::FormFile& f : multipart_->files) {
      if (f.field == "files") out.push_back({std::move(f.filename), std::move(f.bytes)});
    }
    return out;
  }
  std::string Get(std::string_view name) const {
    for (const auto& [k, v] : fields_) {
      if (k == name) return v;
    }
    return "";
  }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
  mime::FormData* multipart_ = nullptr;
};

std::string SizeText(std::int64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " bytes";
  if (bytes < 1024 * 1024) return std::to_string((bytes + 512) / 1024) + " KB";
  const std::int64_t tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " MB";
}

std::string When(std::int64_t unix_seconds) {
  std::string s;
  s.reserve(24);
  core::AppendUtc(s, unix_seconds);
  // "2026-11-29T19:55:41Z" reads better as "2026-11-29 19:55 UTC".
  if (s.size() == 20) {
    s[10] = ' ';
    s.resize(16);
    return s.append(" UTC");
  }
  return s.substr(0, 10) + " " + s.substr(11, 5) + " UTC";
}

std::string StatusLabel(tickets::Status s) {
  switch (s) {
    case tickets::Status::kOpen: return "Open";
    case tickets::Status::kPending: return "Pending";
    case tickets::Status::kOnHold: return "On hold";
    case tickets::Status::kSolved: return "Solved";
    case tickets::Status::kClosed: return "Closed";
  }
  return "Open";
}

// What inbound mail adds to a thread: the HTML body in a sandboxed frame (text stays the
// default view) and, for staff, the sender checks. `images_for` is the message whose frame the
// viewer asked to load remote images in (the "show images" link, no JavaScript needed).
struct MailView {
  std::map<std::int64_t, mail::MessageMailFacts> facts;
  std::string page;  // this ticket page's path, for the "show images" link
  std::optional<std::int64_t> images_for;
  bool HasFrames() const {
    return std::any_of(facts.begin(), facts.end(), [](const auto& f) { return f.second.has_html; });
  }
};

MailView MailViewOf(const auth::Actor& actor, storage::Database& db, const tickets::TicketView& t,
                    const std::string& page, const std::optional<std::string>& images) {
  MailView v;
  v.facts = mail::MailFactsOf(actor, db, t);
  v.page = page;
  if (images) {
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(images->data(), images->data() + images->size(), id);
    if (ec == std::errc() && end == images->data() + images->size()) v.images_for = id;
  }
  return v;
}

// The ticket pages that frame a mail body need frame-src 'self' (see security/stages.h).
http::Response AllowMailFrames(http::Response r, const MailView& mail) {
  if (mail.HasFrames()) {
    r.headers.Set("Content-Security-Policy", security::kContentSecurityPolicyWithMailFrame);
  }
  return r;
}

void FillMail(Dict* item, const tickets::ThreadMessage& m, const std::string& number,
              const MailView& mail) {
  const auto f = mail.facts.find(m.id);
  if (f == mail.facts.end()) return;
  if (f->second.checks) {
    item->AddSectionDictionary(tpl::kSenderChecks)
        ->SetValue(tpl::kLine, mail::DescribeSenderChecks(*f->second.checks));
  }
  if (!f->second.has_html) return;
  Dict* html = item->AddSectionDictionary(tpl::kHtml);
  const bool images = mail.images_for == m.id;
  html->SetValue(tpl::kSrc, "/tickets/" + number + "/messages/" + std::to_string(m.id) + "/html" +
                                (images ? "?images=1" : ""));
  html->SetValue(tpl::kTitle, "HTML version of the message from " + m.author_name);
  html->SetIntValue(tpl::kId, static_cast<long>(m.id));
  if (images) {
    html->ShowSection(tpl::kOpen);
  } else {
    html->AddSectionDictionary(tpl::kShowImages)
        ->SetValue(tpl::kHref, mail.page + "?images=" + std::to_string(m.id) + "#message-" +
                                   std::to_string(m.id));
  }
}

void FillThread(Dict& d, const tickets::TicketView& t, const MailView& mail) {
  const std::string number = tickets::FormatTicketNumber(t.number);
  for (const tickets::ThreadMessage& m : t.thread) {
    Dict* item = d.AddSectionDictionary(tpl::kMessageItem);
    item->SetIntValue(tpl::kMessageId, static_cast<long>(m.id));
    item->SetValue(tpl::kAuthor, m.author_name);
    item->SetValue(tpl::kKind, std::string(tickets::AuthorKindName(m.author_kind)));
    item->SetValue(tpl::kAt, When(m.created_at));
    item->SetValue(tpl::kBody, m.body);
    if (m.internal) item->ShowSection(tpl::kInternal);
    FillMail(item, m, number, mail);
    if (m.attachments.empty()) continue;
    Dict* list = item->AddSectionDictionary(tpl::kAttachments);
    for (const tickets::AttachmentInfo& a : m.attachments) {
      Dict* f = list->AddSectionDictionary(tpl::kAttachment);
      f->SetValue(tpl::kId, a.id);
      f->SetValue(tpl::kName, a.filename);
      f->SetValue(tpl::kSize, SizeText(a.size));
      f->SetValue(tpl::kType, a.type);
      // Only raster images are shown in the page; anything else is a download link.
      if (tickets::IsInlineImageType(a.type)) f->ShowSection(tpl::kPreview);
    }
  }
}

http::Response SeeTicket(const std::string& base, std::int64_t number, const std::string& note) {
  return http::Response::Redirect(base + tickets::FormatTicketNumber(number) + "?done=" + note);
}

std::optional<std::string> NoticeFor(const http::Request& r) {
  const auto done = r.QueryParam("done");
  if (!done) return std::nullopt;
  if (*done == "created") return "Your ticket is open. We will answer here and by email.";
  if (*done == "replied") return "Your reply was added.";
  if (*done == "noted") return "The internal note was added.";
  if (*done == "status") return "The status was changed.";
  if (*done == "priority") return "The priority was changed.";
  if (*done == "assigned") return "The ticket is assigned to you.";
  if (*done == "merged") return "The tickets were merged.";
  return std::nullopt;
}

constexpr std::array<tickets::Status, 5> kStatuses = {
    tickets::Status::kOpen, tickets::Status::kPending, tickets::Status::kOnHold,
    tickets::Status::kSolved, tickets::Status::kClosed};
constexpr std::array<tickets::Priority, 4> kPriorities = {
    tickets::Priority::kLow, tickets::Priority::kNormal, tickets::Priority::kHigh,
    tickets::Priority::kUrgent};

struct ViewTab {
  tickets::QueueView view;
  const char* label;
};
constexpr std::array<ViewTab, 6> kTabs = {{{tickets::QueueView::kMine, "Mine"},
                                           {tickets::QueueView::kUnassigned, "Unassigned"},
                                           {tickets::QueueView::kMyDepartments, "My departments"},
                                           {tickets::QueueView::kAll, "All I can see"},
                                           {tickets::QueueView::kPending, "Pending"},
                                           {tickets::QueueView::kOverdue, "Overdue"}}};

http::Response RenderSearch(const Caller& c, storage::Database& db, const http::Request& request);

}  // namespace

// ---- Customer portal ----

http::Response TicketPages::PortalList(http::Request& request) const {
  const Caller c = SignedInCaller(request);
  tickets::QueueRequest q;
  q.view = tickets::QueueView::kAll;
  q.cursor = request.QueryParam("cursor").value_or("");
  const tickets::QueuePage page = tickets::ListQueue(c.actor(), db_, q, clock_.NowUnixSeconds());
  return Page(200, "portal_tickets.tpl", "My tickets", &c.viewer, [&](Dict& d) {
    if (page.rows.empty())
      d.ShowSection(tpl::kEmpty);
    else
      d.ShowSection(tpl::kHasRows);
    for (const tickets::QueueRow& row : page.rows) {
      Dict* r = d.AddSectionDictionary(tpl::kRow);
      r->SetValue(tpl::kNumber, tickets::FormatTicketNumber(row.number));
      r->SetValue(tpl::kSubject, row.subject);
      r->SetValue(tpl::kStatus, std::string(tickets::StatusName(row.status)));
      r->SetValue(tpl::kStatusLabel, StatusLabel(row.status));
      r->SetValue(tpl::kUpdated, When(row.last_message_at.value_or(row.updated_at)));
    }
    if (!page.next_cursor.empty())
      d.AddSectionDictionary(tpl::kNext)->SetValue(tpl::kCursor, page.next_cursor);
  });
}

http::Response TicketPages::PortalNewForm(http::Request& request) const {
  const Caller c = SignedInCaller(request);
  return Page(200, "portal_new.tpl", "New ticket", &c.viewer,
              [&](Dict& d) { d.SetValue(tpl::kCsrfToken, c.viewer.csrf_token); });
}

http::Response TicketPages::PortalCreate(http::Request& request) const {
  const Caller c = SignedInCaller(request);
  Form form(request);
  tickets::NewTicket t;
  t.subject = form.Get("subject");
  t.body = form.Get("body");
  t.attachments = form.TakeFiles();
  try {
    const auto created = tickets::CreateTicket(c.actor(), db_, t, clock_.NowUnixSeconds(), &files_);
    return SeeTicket("/portal/tickets/", created.number, "created");
  } catch (const core::Invalid& e) {
    // Nothing was stored: show the form again with what was typed and what was wrong.
    return Page(422, "portal_new.tpl", "New ticket", &c.viewer, [&](Dict& d) {
      d.SetValue(tpl::kCsrfToken, c.viewer.csrf_token);
      d.SetValue(tpl::kSubject, t.subject);
      d.SetValue(tpl::kBody, t.body);
      d.AddSectionDictionary(tpl::kError)->SetValue(tpl::kMessage, e.UserText());
    });
  }
}

http::Response TicketPages::PortalTicket(http::Request& request) const {
  const Caller c = SignedInCaller(request);
  const tickets::TicketView t = tickets::GetTicket(c.actor(), db_, request.PathParam("number"));
  const std::string number = tickets::FormatTicketNumber(t.number);
  const auto notice = NoticeFor(request);
  const auto error = request.QueryParam("error");
  const MailView mail =
      MailViewOf(c.actor(), db_, t, "/portal/tickets/" + number, request.QueryParam("images"));
  const std::string title = number + " · " + t.subject;
  auto page = Page(200, "portal_ticket.tpl", title, &c.viewer, [&](Dict& d) {
    d.SetValue(tpl::kNumber, number);
    d.SetValue(tpl::kSubject, t.subject);
    d.SetValue(tpl::kStatus, std::string(tickets::StatusName(t.status)));
    d.SetValue(tpl::kStatusLabel, StatusLabel(t.status));
    d.SetValue(tpl::kCreated, When(t.created_at));
    d.SetValue(tpl::kCsrfToken, c.viewer.csrf_token);
    if (notice) d.AddSectionDictionary(tpl::kNotice)->SetValue(tpl::kMessage, *notice);
    if (error)
      d.AddSectionDictionary(tpl::kError)
          ->SetValue(tpl::kMessage, "That could not be done: " + *error);
    if (t.merged_into_number) {
      d.AddSectionDictionary(tpl::kMerged)
          ->SetValue(tpl::kInto, tickets::FormatTicketNumber(*t.merged_into_number));
    }
    FillThread(d, t, mail);
    const bool own = t.requester_id == c.actor().user_id;
    if (t.status != tickets::Status::kClosed && !t.merged_into_number)
      d.ShowSection(tpl::kCanReply);
    if (own && tickets::IsUnsolved(t.status)) d.ShowSection(tpl::kCanClose);
    if (own && t.status == tickets::Status::kSolved) d.ShowSection(tpl::kCanReopen);
  });
  return AllowMailFrames(std::move(page), mail);
}

http::Response TicketPages::PortalReply(http::Request& request) const {
  const Caller c = SignedInCaller(request);
  Form form(request);
  tickets::ReplyRequest r;
  r.ticket = request.PathParam("number");
  r.body = form.Get("body");
  r.attachments = form.TakeFiles();
  try {
    tickets::Reply(c.actor(), db_, r, clock_.NowUnixSeconds(), &files_);
  } catch (const core::Invalid& e) {
    return http::Response::Redirect("/portal/tickets/" + r.ticket + "?error=" + e.Field());
  }
  const auto number = tickets::ParseTicketNumber(r.ticket);
  return SeeTicket("/portal/tickets/", number.value_or(0), "replied");
}

http::Response TicketPages::PortalStatus(http::Request& request) const {
  const Caller c = SignedInCaller(request);
  const Form form(request);
  const auto status = tickets::ParseStatus(form.Get("status"));
  if (!status) throw core::Invalid("status", "must be a ticket status");
  const auto change = tickets::ChangeStatus(c.actor(), db_, {request.PathParam("number"), *status},
                                            clock_.NowUnixSeconds());
  return SeeTicket("/portal/tickets/", change.number, "status");
}

http::Response TicketPages::PortalSearch(http::Request& request) const {
  // One search page for both audiences: SearchTickets filters by what the caller may see.
  return RenderSearch(SignedInCaller(request), db_, request);
}

// ---- Agent workspace ----

http::Response TicketPages::AgentQueue(http::Request& request) const {
  const Caller c = StaffCaller(request, "agent workspace");
  const std::string view_name = request.QueryParam("view").value_or("mine");
  const auto view = tickets::ParseQueueView(view_name);
  if (!view) throw core::Invalid("view", "must be one of the listed views");
  tickets::QueueRequest q;
  q.view = *view;
  q.cursor = request.QueryParam("cursor").value_or("");
  const tickets::QueuePage page = tickets::ListQueue(c.actor(), db_, q, clock_.NowUnixSeconds());
  std::string label = "Tickets";
  for (const ViewTab& tab : kTabs) {
    if (tab.view == *view) label = tab.label;
  }
  const auto agents = auth::Authorize(c.actor(), auth::Permission::kTicketAssign)
                          ? tickets::ListAssignableAgents(c.actor(), db_)
                          : std::vector<tickets::AgentChoice>{};
  // Held mail is linked for those who may decide about some of it.
  std::optional<std::int64_t> held;
  if (auth::Authorize(c.actor(), auth::Permission::kTicketReply) ||
      auth::Authorize(c.actor(), auth::Permission::kSettingsHelpdesk)) {
    held = mail::CountWaitingMail(c.actor(), db_);
  }
  return Page(200, "agent_queue.tpl", label, &c.viewer, [&](Dict& d) {
    d.SetValue(tpl::kViewLabel, label);
    d.SetValue(tpl::kCsrfToken, c.viewer.csrf_token);
    for (const auto& a : agents) {
      if (a.id == c.actor().user_id) continue;
      Dict* o = d.AddSectionDictionary(tpl::kAgent);
      o->SetIntValue(tpl::kId, static_cast<long>(a.id));
      o->SetValue(tpl::kName, a.name);
    }
    for (tickets::Status s : kStatuses) {
      Dict* o = d.AddSectionDictionary(tpl::kStatusOption);
      o->SetValue(tpl::kValue, std::string(tickets::StatusName(s)));
      o->SetValue(tpl::kLabel, StatusLabel(s));
    }
    if (held)
      d.AddSectionDictionary(tpl::kHeld)->SetIntValue(tpl::kCount, static_cast<long>(*held));
    d.SetValue(tpl::kView, std::string(tickets::QueueViewName(*view)));
    for (const ViewTab& tab : kTabs) {
      Dict* t = d.AddSectionDictionary(tpl::kTab);
      t->SetValue(tpl::kView, std::string(tickets::QueueViewName(tab.view)));
      t->SetValue(tpl::kLabel, tab.label);
      if (tab.view == *view) t->ShowSection(tpl::kCurrent);
    }
    if (page.rows.empty())
      d.ShowSection(tpl::kEmpty);
    else
      d.ShowSection(tpl::kHasRows);
    for (const tickets::QueueRow& row : page.rows) {
      Dict* r = d.AddSectionDictionary(tpl::kRow);
      r->SetValue(tpl::kNumber, tickets::FormatTicketNumber(row.number));
      r->SetValue(tpl::kSubject, row.subject);
      r->SetValue(tpl::kRequester, row.requester_name);
      r->SetValue(tpl::kStatus, std::string(tickets::StatusName(row.status)));
      r->SetValue(tpl::kStatusLabel, StatusLabel(row.status));
      r->SetValue(tpl::kPriority, std::string(tickets::PriorityName(row.priority)));
      r->SetValue(tpl::kDepartment, row.department_name.empty() ? "—" : row.department_name);
      r->SetValue(tpl::kAssignee, row.assignee_name.empty() ? "—" : row.assignee_name);
      r->SetValue(tpl::kUpdated, When(row.updated_at));
    }
    if (!page.next_cursor.empty()) {
      Dict* n = d.AddSectionDictionary(tpl::kNext);
      n->SetValue(tpl::kCursor, page.next_cursor);
      n->SetValue(tpl::kView, std::string(tickets::QueueViewName(*view)));
    }
  });
}

namespace {

http::Response RenderAgentTicket(const Caller& c, storage::Database& db, Presence& presence,
                                 const std::string& number_text, std::int64_t now,
                                 const std::optional<std::string>& notice,
                                 const std::optional<std::string>& error,
                                 const std::optional<std::string>& collision,
                                 const std::string& draft, int status,
                                 const std::optional<std::string>& images = std::nullopt) {
  const tickets::TicketView t = tickets::GetTicket(c.actor(), db, number_text);
  const auto history = tickets::TicketHistory(c.actor(), db, number_text);
  const std::string number = tickets::FormatTicketNumber(t.number);
  const auto others = presence.Visit(t.number, c.actor().user_id, c.viewer.name, now);
  const auto canned = auth::Authorize(c.actor(), auth::Permission::kTicketReply)
                          ? tickets::ListCannedForAgent(c.actor(), db)
                          : std::vector<tickets::CannedRow>{};
  const MailView mail = MailViewOf(c.actor(), db, t, "/agent/tickets/" + number, images);
  const std::string title = number + " · " + t.subject;
  auto page = Page(status, "agent_ticket.tpl", title, &c.viewer, [&](Dict& d) {
    d.SetValue(tpl::kNumber, number);
    d.SetValue(tpl::kSubject, t.subject);
    d.SetValue(tpl::kCsrfToken, c.viewer.csrf_token);
    d.SetIntValue(tpl::kUpdatedAt, static_cast<long>(t.updated_at));
    d.SetValue(tpl::kDraft, draft);
    d.SetValue(tpl::kRequester, t.requester_name);
    d.SetValue(tpl::kRequesterEmail, t.requester_email);
    d.SetValue(tpl::kDepartment, t.department_name.empty() ? "Shared inbox" : t.department_name);
    d.SetValue(tpl::kAssignee, t.assignee_name.empty() ? "Nobody" : t.assignee_name);
    d.SetValue(tpl::kCreated, When(t.created_at));
    d.SetValue(tpl::kUpdated, When(t.updated_at));
    if (notice) d.AddSectionDictionary(tpl::kNotice)->SetValue(tpl::kMessage, *notice);
    if (error) d.AddSectionDictionary(tpl::kError)->SetValue(tpl::kMessage, *error);
    if (collision) {
      d.AddSectionDictionary(tpl::kCollision)->SetValue(tpl::kMessage, *collision);
    } else if (!others.empty()) {
      std::string names;
      for (const auto& n : others) names.append(names.empty() ? "" : ", ").append(n);
      d.AddSectionDictionary(tpl::kCollision)
          ->SetValue(tpl::kMessage, names + " also had this ticket open in the last two minutes.");
    }
    if (t.merged_into_number) {
      d.AddSectionDictionary(tpl::kMerged)
          ->SetValue(tpl::kInto, tickets::FormatTicketNumber(*t.merged_into_number));
    }
    if (!t.tags.empty()) {
      std::string list;
      for (const auto& tag : t.tags) list.append(list.empty() ? "" : ", ").append(tag);
      d.AddSectionDictionary(tpl::kTags)->SetValue(tpl::kList, list);
    }
    FillThread(d, t, mail);
    const bool open = t.status != tickets::Status::kClosed && !t.merged_into_number;
    if (open) {
      Dict* reply = d.AddSectionDictionary(tpl::kCanReply);
      if (!canned.empty()) {
        Dict* picker = reply->AddSectionDictionary(tpl::kCanned);
        for (const tickets::CannedRow& r : canned) {
          Dict* o = picker->AddSectionDictionary(tpl::kCannedOption);
          o->SetIntValue(tpl::kId, static_cast<long>(r.id));
          o->SetValue(tpl::kTitle, r.title);
          if (!r.owner_id) o->ShowSection(tpl::kShared);
        }
      }
      Dict* e = d.AddSectionDictionary(tpl::kEditable);
      e->SetValue(tpl::kNumber, number);
      e->SetValue(tpl::kCsrfToken, c.viewer.csrf_token);
      for (tickets::Status s : kStatuses) {
        Dict* o = e->AddSectionDictionary(tpl::kStatusOption);
        o->SetValue(tpl::kValue, std::string(tickets::StatusName(s)));
        o->SetValue(tpl::kLabel, StatusLabel(s));
        if (s == t.status) o->ShowSection(tpl::kSelected);
      }
      for (tickets::Priority p : kPriorities) {
        Dict* o = e->AddSectionDictionary(tpl::kPriorityOption);
        o->SetValue(tpl::kValue, std::string(tickets::PriorityName(p)));
        o->SetValue(tpl::kLabel, std::string(tickets::PriorityName(p)));
        if (p == t.priority) o->ShowSection(tpl::kSelected);
      }
    }
    Dict* problems = nullptr;
    for (const tickets::HistoryEntry& h : history) {
      // Mail the outbox gave up on, and bounces of mail we sent: shown above the thread, so
      // that an agent does not wait for an answer to mail that never arrived.
      if (h.field == "mail_delivery_failed" || h.field == "mail_bounced") {
        const std::string to = h.old_value.value_or("?");
        const std::string why = h.new_value.value_or("no reason given");
        if (problems == nullptr) problems = d.AddSectionDictionary(tpl::kMailProblems);
        Dict* line = problems->AddSectionDictionary(tpl::kMailProblem);
        line->SetValue(tpl::kAt, When(h.at));
        std::string text = h.field == "mail_bounced" ? "Delivery to " : "Mail to ";
        text.append(to)
            .append(h.field == "mail_bounced" ? " failed: " : " could not be delivered: ")
            .append(why);
        line->SetValue(tpl::kText, text);
      }
      Dict* row = d.AddSectionDictionary(tpl::kHistory);
      row->SetValue(tpl::kAt, When(h.at));
      row->SetValue(tpl::kActor, h.actor_name.empty() ? "System" : h.actor_name);
      row->SetValue(tpl::kField, h.field);
      row->SetValue(tpl::kOld, h.old_value.value_or("—"));
      row->SetValue(tpl::kNew, h.new_value.value_or("—"));
    }
  });
  return AllowMailFrames(std::move(page), mail);
}

}  // namespace

http::Response TicketPages::AgentTicket(http::Request& request) const {
  const Caller c = StaffCaller(request, "agent workspace");
  std::optional<std::string> error;
  if (auto e = request.QueryParam("error")) error = "That could not be done: " + *e;
  // The picker's GET (works without JavaScript): the page again, with the canned response's
  // placeholders filled in as plain text, as the draft of the reply.
  std::string draft;
  int status = 200;
  if (const auto canned = request.QueryParam("canned")) {
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(canned->data(), canned->data() + canned->size(), id);
    try {
      if (canned->empty() || ec != std::errc() || end != canned->data() + canned->size()) {
        throw core::Invalid("canned", "is not one of your canned responses");
      }
      draft = tickets::ExpandCanned(c.actor(), db_, id, request.PathParam("number"));
    } catch (const core::Invalid& e) {
      error = e.UserText();
      status = 422;
    }
  }
  return RenderAgentTicket(c, db_, presence_, request.PathParam("number"), clock_.NowUnixSeconds(),
                           NoticeFor(request), error, std::nullopt, draft, status,
                           request.QueryParam("images"));
}

http::Response TicketPages::AgentReply(http::Request& request) const {
  const Caller c = StaffCaller(request, "agent workspace");
  Form form(request);
  const std::string number = request.PathParam("number");
  const std::string body = form.Get("body");
  const bool note = form.Get("kind") == "note";
  const std::int64_t now = clock_.NowUnixSeconds();
  // Someone else answered since this agent loaded the page: show them what changed and keep
  // the draft, rather than send a second, perhaps contradicting, answer.
  const tickets::TicketView current = tickets::GetTicket(c.actor(), db_, number);
  // The time the page showed; a missing or malformed value skips the check (it is a warning).
  std::int64_t seen = 0;
  const std::string seen_text = form.Get("seen_updated_at");
  const auto [end, ec] =
      std::from_chars(seen_text.data(), seen_text.data() + seen_text.size(), seen);
  const bool have_seen =
      ec == std::errc() && end == seen_text.data() + seen_text.size() && seen > 0;
  if (!note && have_seen && seen != current.updated_at && !current.thread.empty() &&
      current.thread.back().author_id != c.actor().user_id &&
      current.thread.back().created_at > seen) {
    return RenderAgentTicket(
        c, db_, presence_, number, now, std::nullopt, std::nullopt,
        current.thread.back().author_name +
            " added to this ticket after you opened it. Read it, then send your reply again.",
        body, 409);
  }
  try {
    if (note) {
      tickets::AddNote(c.actor(), db_, {number, body, form.TakeFiles()}, now, &files_);
    } else {
      tickets::ReplyRequest r;
      r.ticket = number;
      r.body = body;
      r.attachments = form.TakeFiles();
      tickets::Reply(c.actor(), db_, r, now, &files_);
    }
  } catch (const core::Invalid& e) {
    return RenderAgentTicket(c, db_, presence_, number, now, std::nullopt, e.UserText(),
                             std::nullopt, body, 422);
  }
  return SeeTicket("/agent/tickets/", current.number, note ? "noted" : "replied");
}

http::Response TicketPages::AgentStatus(http::Request& request) const {
  const Caller c = StaffCaller(request, "agent workspace");
  const Form form(request);
  const auto status = tickets::ParseStatus(form.Get("status"));
  if (!status) throw core::Invalid("status", "must be a ticket status");
  const auto change = tickets::ChangeStatus(c.actor(), db_, {request.PathParam("number"), *status},
                                            clock_.NowUnixSeconds());
  return SeeTicket("/agent/tickets/", change.number, "status");
}

http::Response TicketPages::AgentPriority(http::Request& request) const {
  const Caller c = StaffCaller(request, "agent workspace");
  const Form form(request);
  const auto priority = tickets::ParsePriority(form.Get("priority"));
  if (!priority) throw core::Invalid("priority", "must be low, normal, high or urgent");
  const auto change = tickets::ChangePriority(
      c.actor(), db_, {request.PathParam("number"), *priority}, clock_.NowUnixSeconds());
  return SeeTicket("/agent/tickets/", change.number, "priority");
}

http::Response TicketPages::AgentAssign(http::Request& request) const {
  const Caller c = StaffCaller(request, "agent workspace");
  const Form form(request);
  tickets::AssignRequest a;
  a.ticket = request.PathParam("number");
  if (form.Get("assignee") == "me") a.assignee_id = c.actor().user_id;
  const auto change = tickets::Assign(c.actor(), db_, a, clock_.NowUnixSeconds());
  return SeeTicket("/agent/tickets/", change.number, "assigned");
}

http::Response TicketPages::AgentMerge(http::Request& request) const {
  const Caller c = StaffCaller(request, "agent workspace");
  const Form form(request);
  tickets::MergeRequest m;
  m.source = request.PathParam("number");
  m.target = form.Get("target");
  m.allow_different_requesters = form.Get("different_requesters") == "1";
  try {
    const auto result = tickets::Merge(c.actor(), db_, m, clock_.NowUnixSeconds());
    return SeeTicket("/agent/tickets/", result.target_number, "merged");
  } catch (const core::Invalid& e) {
    return RenderAgentTicket(c, db_, presence_, m.source, clock_.NowUnixSeconds(), std::nullopt,
                             e.UserText(), std::nullopt, "", 422);
  } catch (const core::Conflict& e) {
    return RenderAgentTicket(c, db_, presence_, m.source, clock_.NowUnixSeconds(), std::nullopt,
                             e.UserText(), std::nullopt, "", 409);
  }
}

http::Response TicketPages::AgentSearch(http::Request& request) const {
  // StaffCaller, not SignedInCaller: /agent/search is part of the workspace, which must 404 for end
  // users like every other /agent/ page (it used to render a search page for them).
  return RenderSearch(StaffCaller(request, "agent workspace"), db_, request);
}

namespace {

http::Response RenderSearch(const Caller& c, storage::Database& db, const http::Request& request) {
  const bool staff = auth::IsStaff(c.actor().role);
  const std::string query = request.QueryParam("q").value_or("");
  std::vector<tickets::SearchHit> hits;
  std::optional<std::string> error;
  if (!query.empty()) {
    try {
      hits = tickets::SearchTickets(c.actor(), db, {query, 20});
    } catch (const core::Invalid& e) {
      error = e.UserText();
    }
  }
  return Page(error ? 422 : 200, "agent_search.tpl", "Search", &c.viewer, [&](Dict& d) {
    d.SetValue(tpl::kQuery, query);
    d.SetValue(tpl::kAction, staff ? "/agent/search" : "/portal/search");
    if (error) d.AddSectionDictionary(tpl::kError)->SetValue(tpl::kMessage, *error);
    if (!query.empty() && hits.empty() && !error) d.ShowSection(tpl::kEmpty);
    for (const tickets::SearchHit& h : hits) {
      Dict* hit = d.AddSectionDictionary(tpl::kHit);
      hit->SetValue(tpl::kBase, staff ? "/agent/tickets/" : "/portal/tickets/");
      hit->SetValue(tpl::kNumber, tickets::FormatTicketNumber(h.number));
      hit->SetValue(tpl::kSubject, h.subject);
      hit->SetValue(tpl::kStatus, std::string(tickets::StatusName(h.status)));
      hit->SetValue(tpl::kStatusLabel, StatusLabel(h.status));
      // The only raw HTML on the page: escaped text with <mark> around the matches.
      hit->SetValue(tpl::kSnippet,
                    HighlightSnippet(h.snippet, tickets::kMatchStart, tickets::kMatchEnd).html);
    }
  });
}

}  // namespace

// ---- Attachments ----

http::Response TicketPages::Attachment(http::Request& request) const {
  const Caller c = SignedInCaller(request);
  tickets::AttachmentContent file =
      tickets::OpenAttachment(c.actor(), db_, files_, request.PathParam("id"));
  // Shown in the page only when it really is a raster image; an HTML or SVG file asked for
  // inline is still a download.
  const bool show_inline =
      request.QueryParam("inline") == "1" && tickets::IsInlineImageType(file.info.type);
  return security::FileDownload(std::move(file.bytes), file.info.type,
                                tickets::ContentDisposition(file.info.filename, show_inline));
}

}  // namespace rampart::web
