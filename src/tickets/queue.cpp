#include "tickets/queue.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <limits>
#include <stdexcept>

#include "core/errors.h"
#include "core/strings.h"
#include "tickets/policy.h"
#include "tickets/ticket_store.h"

namespace rampart::tickets {
namespace {

// "EXPLAIN QUERY PLAN " + sql, joined at compile time, so that the plan test examines the very
// statements the queues run (storage::Sql takes only literals).
template <std::size_t N>
struct FixedText {
  char text[N];
};
constexpr char kExplainPrefix[] = "EXPLAIN QUERY PLAN ";
template <std::size_t N>
consteval FixedText<N + sizeof(kExplainPrefix) - 1> ExplainOf(const char (&sql)[N]) {
  FixedText<N + sizeof(kExplainPrefix) - 1> out{};
  for (std::size_t i = 0; i + 1 < sizeof(kExplainPrefix); ++i) out.text[i] = kExplainPrefix[i];
  for (std::size_t i = 0; i < N; ++i) out.text[sizeof(kExplainPrefix) - 1 + i] = sql[i];
  return out;
}

// Each range: an equality prefix on one index, then rows strictly after the cursor position in
// (updated_at DESC, id DESC) order and no older than a floor: once the ranges read so far hold a
// full page, a row older than that page's last one cannot enter it, so later ranges stop there
// (an agent's queue is nine ranges; without the floor each one read a full page). INDEXED BY pins
// the index, so a statistics change cannot turn a range into a table scan: a missing index fails
// loudly at prepare time instead.
constexpr char kSelectByStatus[] =
    "SELECT updated_at, id FROM tickets INDEXED BY tickets_by_status "
    "WHERE status = ? AND (updated_at, id) < (?, ?) AND (updated_at, id) >= (?, ?) "
    "ORDER BY updated_at DESC, id DESC LIMIT ?";
constexpr char kSelectByDepartment[] =
    "SELECT updated_at, id FROM tickets INDEXED BY tickets_by_department "
    "WHERE status = ? AND department_id IS ? AND (updated_at, id) < (?, ?) AND (updated_at, id) >= "
    "(?, ?) "
    "ORDER BY updated_at DESC, id DESC LIMIT ?";
constexpr char kSelectUnassignedInDepartment[] =
    "SELECT updated_at, id FROM tickets INDEXED BY tickets_unassigned "
    "WHERE status = ? AND department_id IS ? AND assignee_id IS NULL "
    "AND (updated_at, id) < (?, ?) AND (updated_at, id) >= (?, ?) ORDER BY updated_at DESC, id "
    "DESC LIMIT ?";
// The ranges of several statuses: the status is checked inside the index, after its sort keys,
// against up to five values (unused ones NULL, which match nothing).
constexpr char kSelectInDepartment[] =
    "SELECT updated_at, id FROM tickets INDEXED BY tickets_by_department_recent "
    "WHERE department_id IS ? AND status IN (?, ?, ?, ?, ?) AND (updated_at, id) < (?, ?) "
    "AND (updated_at, id) >= (?, ?) ORDER BY updated_at DESC, id DESC LIMIT ?";
// The same two ranges for views of every status ("all" without a filter): nothing to check
// per entry, where `status IN (...)` made SQLite build a lookup table for the list on every run.
constexpr char kSelectInDepartmentAnyStatus[] =
    "SELECT updated_at, id FROM tickets INDEXED BY tickets_by_department_recent "
    "WHERE department_id IS ? AND (updated_at, id) < (?, ?) "
    "AND (updated_at, id) >= (?, ?) ORDER BY updated_at DESC, id DESC LIMIT ?";
constexpr char kSelectByAssigneeAnyStatus[] =
    "SELECT updated_at, id FROM tickets INDEXED BY tickets_by_assignee "
    "WHERE assignee_id = ? AND (updated_at, id) < (?, ?) "
    "AND (updated_at, id) >= (?, ?) ORDER BY updated_at DESC, id DESC LIMIT ?";
constexpr char kSelectUnassigned[] =
    "SELECT updated_at, id FROM tickets INDEXED BY tickets_by_assignee "
    "WHERE assignee_id IS NULL AND status IN (?, ?, ?, ?, ?) AND (updated_at, id) < (?, ?) "
    "AND (updated_at, id) >= (?, ?) ORDER BY updated_at DESC, id DESC LIMIT ?";
constexpr char kSelectByAssignee[] =
    "SELECT updated_at, id FROM tickets INDEXED BY tickets_by_assignee "
    "WHERE assignee_id = ? AND status IN (?, ?, ?, ?, ?) AND (updated_at, id) < (?, ?) "
    "AND (updated_at, id) >= (?, ?) ORDER BY updated_at DESC, id DESC LIMIT ?";
constexpr char kSelectOverdueByAssignee[] =
    "SELECT updated_at, id FROM tickets INDEXED BY tickets_by_assignee "
    "WHERE assignee_id = ? AND status IN (?, ?, ?, ?, ?) AND due_at < ? AND (updated_at, id) < "
    "(?, ?) AND (updated_at, id) >= (?, ?) ORDER BY updated_at DESC, id DESC LIMIT ?";
constexpr char kSelectOverdueInDepartment[] =
    "SELECT updated_at, id FROM tickets INDEXED BY tickets_with_due_date "
    "WHERE status = ? AND department_id IS ? AND due_at IS NOT NULL AND due_at < ? "
    "AND (updated_at, id) < (?, ?) AND (updated_at, id) >= (?, ?) ORDER BY updated_at DESC, id "
    "DESC LIMIT ?";
constexpr char kSelectByRequester[] =
    "SELECT updated_at, id FROM tickets INDEXED BY tickets_by_requester "
    "WHERE requester_id = ? AND (? IS NULL OR status = ?) AND (updated_at, id) < (?, ?) AND "
    "(updated_at, id) >= (?, ?) "
    "ORDER BY updated_at DESC, id DESC LIMIT ?";
constexpr char kSelectByOrganization[] =
    "SELECT updated_at, id FROM tickets INDEXED BY tickets_by_organization "
    "WHERE organization_id = ? AND (? IS NULL OR status = ?) AND (updated_at, id) < (?, ?) AND "
    "(updated_at, id) >= (?, ?) "
    "ORDER BY updated_at DESC, id DESC LIMIT ?";

constexpr auto kExplainByStatus = ExplainOf(kSelectByStatus);
constexpr auto kExplainByDepartment = ExplainOf(kSelectByDepartment);
constexpr auto kExplainInDepartment = ExplainOf(kSelectInDepartment);
constexpr auto kExplainInDepartmentAnyStatus = ExplainOf(kSelectInDepartmentAnyStatus);
constexpr auto kExplainUnassignedInDepartment = ExplainOf(kSelectUnassignedInDepartment);
constexpr auto kExplainUnassigned = ExplainOf(kSelectUnassigned);
constexpr auto kExplainByAssignee = ExplainOf(kSelectByAssignee);
constexpr auto kExplainByAssigneeAnyStatus = ExplainOf(kSelectByAssigneeAnyStatus);
constexpr auto kExplainOverdueByAssignee = ExplainOf(kSelectOverdueByAssignee);
constexpr auto kExplainOverdueInDepartment = ExplainOf(kSelectOverdueInDepartment);
constexpr auto kExplainByRequester = ExplainOf(kSelectByRequester);
constexpr auto kExplainByOrganization = ExplainOf(kSelectByOrganization);

enum class RangeKind {
  kByStatus,
  kByDepartment,
  kInDepartment,
  kInDepartmentAnyStatus,
  kUnassignedInDepartment,
  kUnassigned,
  kByAssignee,
  kByAssigneeAnyStatus,
  kOverdueByAssignee,
  kOverdueInDepartment,
  kByRequester,
  kByOrganization,
};

struct RangeQuery {
  RangeKind kind;
  const char* name;
  storage::Sql select;
  storage::Sql explain;
  std::size_t parameters;
};

const std::array<RangeQuery, 12> kRangeQueries = {{
    {RangeKind::kByStatus, "by_status", kSelectByStatus, kExplainByStatus.text, 6},
    {RangeKind::kByDepartment, "by_department", kSelectByDepartment, kExplainByDepartment.text, 7},
    {RangeKind::kInDepartment, "in_department", kSelectInDepartment, kExplainInDepartment.text, 11},
    {RangeKind::kInDepartmentAnyStatus, "in_department_any_status", kSelectInDepartmentAnyStatus,
     kExplainInDepartmentAnyStatus.text, 6},
    {RangeKind::kUnassignedInDepartment, "unassigned_in_department", kSelectUnassignedInDepartment,
     kExplainUnassignedInDepartment.text, 7},
    {RangeKind::kUnassigned, "unassigned", kSelectUnassigned, kExplainUnassigned.text, 10},
    {RangeKind::kByAssignee, "by_assignee", kSelectByAssignee, kExplainByAssignee.text, 11},
    {RangeKind::kByAssigneeAnyStatus, "by_assignee_any_status", kSelectByAssigneeAnyStatus,
     kExplainByAssigneeAnyStatus.text, 6},
    {RangeKind::kOverdueByAssignee, "overdue_by_assignee", kSelectOverdueByAssignee,
     kExplainOverdueByAssignee.text, 12},
    {RangeKind::kOverdueInDepartment, "overdue_in_department", kSelectOverdueInDepartment,
     kExplainOverdueInDepartment.text, 8},
    {RangeKind::kByRequester, "by_requester", kSelectByRequester, kExplainByRequester.text, 8},
    {RangeKind::kByOrganization, "by_organization", kSelectByOrganization,
     kExplainByOrganization.text, 8},
}};

const RangeQuery& QueryFor(RangeKind kind) {
  for (const RangeQuery& q : kRangeQueries) {
    if (q.kind == kind) return q;
  }
  throw std::logic_error("range kind without a query");
}

// A position in (updated_at DESC, id DESC) order.
struct Key {
  std::int64_t updated_at = 0;
  std::int64_t id = 0;
  bool operator==(const Key&) const = default;
};
bool NewerFirst(const Key& a, const Key& b) {
  return a.updated_at != b.updated_at ? a.updated_at > b.updated_at : a.id > b.id;
}

// One index range to read: the kind says which index, the values fill its equality prefix.
struct Range {
  RangeKind kind = RangeKind::kByStatus;
  std::optional<Status> status;     // the kinds of one status (or any, for requesters)
  std::vector<Status> statuses;     // the kinds of several: in_department and the assignee's
  std::optional<std::int64_t> key;  // department, assignee, requester or organization id
};

constexpr std::size_t kStatusSlots = 5;  // IN (?, ?, ?, ?, ?): every status fits
constexpr std::size_t kAllStatuses = 5;  // open, pending, on_hold, solved, closed

void AppendStatuses(std::vector<storage::Value>& params, const std::vector<Status>& statuses) {
  if (statuses.size() > kStatusSlots) throw std::logic_error("more statuses than slots");
  for (std::size_t i = 0; i < kStatusSlots; ++i) {
    params.push_back(i < statuses.size() ? storage::Value{std::string(StatusName(statuses[i]))}
                                         : storage::Value{nullptr});
  }
}

storage::Value StatusValue(const std::optional<Status>& status) {
  return status ? storage::Value{std::string(StatusName(*status))} : storage::Value{nullptr};
}
storage::Value KeyValue(const std::optional<std::int64_t>& key) {
  return key ? storage::Value{*key} : storage::Value{nullptr};
}

void ReadRange(storage::Connection& c, const Range& r, const Key& after, const Key& floor,
               std::int64_t now, std::int64_t limit, std::vector<Key>& out) {
  const storage::Value status = StatusValue(r.status);
  const storage::Value key = KeyValue(r.key);
  std::vector<storage::Value> params;
  params.reserve(12);
  switch (r.kind) {
    case RangeKind::kByStatus: params = {status}; break;
    case RangeKind::kByDepartment:
    case RangeKind::kUnassignedInDepartment: params = {status, key}; break;
    case RangeKind::kInDepartment:
    case RangeKind::kByAssignee:
      params = {key};
      AppendStatuses(params, r.statuses);
      break;
    case RangeKind::kInDepartmentAnyStatus:
    case RangeKind::kByAssigneeAnyStatus: params = {key}; break;
    case RangeKind::kUnassigned: AppendStatuses(params, r.statuses); break;
    case RangeKind::kOverdueByAssignee:
      params = {key};
      AppendStatuses(params, r.statuses);
      params.emplace_back(now);
      break;
    case RangeKind::kOverdueInDepartment: params = {status, key, now}; break;
    case RangeKind::kByRequester:
    case RangeKind::kByOrganization: params = {key, status, status}; break;
  }
  params.emplace_back(after.updated_at);
  params.emplace_back(after.id);
  params.emplace_back(floor.updated_at);
  params.emplace_back(floor.id);
  params.emplace_back(limit);
  c.Scan(QueryFor(r.kind).select, params, [&](const storage::RowView& row) {
    out.push_back({row.Int(0), row.Int(1)});
  });
}

std::vector<Status> StatusesOf(QueueView view, const std::optional<Status>& filter) {
  std::vector<Status> statuses;
  switch (view) {
    case QueueView::kAll:
      statuses = {Status::kOpen, Status::kPending, Status::kOnHold, Status::kSolved,
                  Status::kClosed};
      break;
    case QueueView::kPending: statuses = {Status::kPending}; break;
    default: statuses = {Status::kOpen, Status::kPending, Status::kOnHold}; break;
  }
  if (filter) std::erase_if(statuses, [&](Status s) { return s != *filter; });
  return statuses;
}

// The index ranges whose union is exactly the view as this actor may see it.
std::vector<Range> RangesFor(storage::Connection& c, const auth::Actor& actor,
                             const QueueRequest& request) {
  std::vector<Range> ranges;
  if (!ActsAsStaff(actor)) {
    if (request.view != QueueView::kMine && request.view != QueueView::kAll) {
      throw core::Invalid("view", "is available to staff only");
    }
    ranges.push_back({RangeKind::kByRequester, request.status, {}, actor.user_id});
    if (request.view == QueueView::kAll && actor.organization_shares_tickets &&
        actor.organization_id) {
      ranges.push_back({RangeKind::kByOrganization, request.status, {}, *actor.organization_id});
    }
    return ranges;
  }
  const bool everywhere = actor.role == auth::Role::kOwner || actor.role == auth::Role::kAdmin ||
                          actor.all_departments || actor.channel == auth::Actor::Channel::kSystem;
  // The departments whose tickets the actor sees, the shared inbox (nullopt) included.
  std::vector<std::optional<std::int64_t>> departments = {std::nullopt};
  for (std::int64_t d : everywhere ? AllDepartmentIds(c) : actor.department_ids) {
    departments.emplace_back(d);
  }
  const std::optional<std::int64_t> me =
      actor.user_id > 0 ? std::optional<std::int64_t>(actor.user_id) : std::nullopt;
  const std::vector<Status> statuses = StatusesOf(request.view, request.status);
  if (statuses.empty()) return ranges;  // a status filter outside the view: nothing to show
  const bool any_status = statuses.size() == kAllStatuses;
  // A department's tickets of these statuses: one exact range for one status, else one range
  // checking the status inside the index.
  const auto in_department = [&](const std::optional<std::int64_t>& d) {
    if (statuses.size() == 1) {
      ranges.push_back({RangeKind::kByDepartment, statuses.front(), {}, d});
    } else if (any_status) {
      ranges.push_back({RangeKind::kInDepartmentAnyStatus, std::nullopt, {}, d});
    } else {
      ranges.push_back({RangeKind::kInDepartment, std::nullopt, statuses, d});
    }
  };
  switch (request.view) {
    case QueueView::kMine:
      if (me) ranges.push_back({RangeKind::kByAssignee, std::nullopt, statuses, me});
      break;
    case QueueView::kUnassigned:
      if (everywhere) {
        ranges.push_back({RangeKind::kUnassigned, std::nullopt, statuses, std::nullopt});
      } else {
        for (Status s : statuses) {
          for (const auto& d : departments) {
            ranges.push_back({RangeKind::kUnassignedInDepartment, s, {}, d});
          }
        }
      }
      break;
    case QueueView::kMyDepartments:
      for (std::int64_t d : actor.department_ids) in_department(d);
      break;
    case QueueView::kAll:
    case QueueView::kPending:
      if (everywhere) {
        for (Status s : statuses) ranges.push_back({RangeKind::kByStatus, s, {}, std::nullopt});
      } else {
        for (const auto& d : departments) in_department(d);
        // Assigned to me outside my departments: Authorize lets me see those too.
        if (me && any_status) {
          ranges.push_back({RangeKind::kByAssigneeAnyStatus, std::nullopt, {}, me});
        } else if (me) {
          ranges.push_back({RangeKind::kByAssignee, std::nullopt, statuses, me});
        }
      }
      break;
    case QueueView::kOverdue:
      for (Status s : statuses) {
        for (const auto& d : departments) {
          ranges.push_back({RangeKind::kOverdueInDepartment, s, {}, d});
        }
      }
      if (me && !everywhere) {
        ranges.push_back({RangeKind::kOverdueByAssignee, std::nullopt, statuses, me});
      }
      break;
  }
  return ranges;
}

constexpr unsigned char kCursorVersion = 1;
constexpr std::size_t kCursorBytes = 17;

}  // namespace

std::string_view QueueViewName(QueueView view) {
  switch (view) {
    case QueueView::kMine: return "mine";
    case QueueView::kUnassigned: return "unassigned";
    case QueueView::kMyDepartments: return "my_departments";
    case QueueView::kAll: return "all";
    case QueueView::kPending: return "pending";
    case QueueView::kOverdue: return "overdue";
  }
  return "all";
}

std::optional<QueueView> ParseQueueView(std::string_view name) {
  for (QueueView v : {QueueView::kMine, QueueView::kUnassigned, QueueView::kMyDepartments,
                      QueueView::kAll, QueueView::kPending, QueueView::kOverdue}) {
    if (name == QueueViewName(v)) return v;
  }
  return std::nullopt;
}

std::string EncodeCursor(std::int64_t updated_at, std::int64_t id) {
  std::string bytes(1, static_cast<char>(kCursorVersion));
  for (std::int64_t v : {updated_at, id}) {
    for (int i = 7; i >= 0; --i) {
      bytes.push_back(static_cast<char>((static_cast<std::uint64_t>(v) >> (8 * i)) & 0xFF));
    }
  }
  return core::Base64UrlEncode(bytes);
}

std::optional<std::pair<std::int64_t, std::int64_t>> DecodeCursor(std::string_view cursor) {
  // 17 bytes are 23 base64url characters without padding; anything else is not ours.
  if (cursor.size() != 23) return std::nullopt;
  std::array<unsigned char, kCursorBytes + 1> bytes{};
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(bytes.data(), bytes.size(), cursor.data(), cursor.size(), nullptr, &length,
                        &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != cursor.data() + cursor.size() || length != kCursorBytes ||
      bytes[0] != kCursorVersion) {
    return std::nullopt;
  }
  std::uint64_t values[2] = {0, 0};
  for (std::size_t v = 0; v < 2; ++v) {
    for (std::size_t i = 0; i < 8; ++i) values[v] = (values[v] << 8) | bytes[1 + 8 * v + i];
  }
  const auto updated_at = static_cast<std::int64_t>(values[0]);
  const auto id = static_cast<std::int64_t>(values[1]);
  if (id <= 0) return std::nullopt;
  // A forged cursor can only move the page's starting point: every page is filtered anew.
  return std::make_pair(updated_at, id);
}

std::string ScanQueue(const auth::Actor& actor, storage::Database& db, const QueueRequest& request,
                      std::int64_t now, const std::function<void(const QueueRowView&)>& visit,
                      UserNameCache* names) {
  UserNameCache this_page_only;
  UserNameCache& people = names != nullptr ? *names : this_page_only;
  RequirePermission(actor, auth::Permission::kTicketView);
  if (request.limit < 1 || request.limit > 100) {
    throw core::Invalid("limit", "must be between 1 and 100");
  }
  Key after{std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::max()};
  if (!request.cursor.empty()) {
    const auto decoded = DecodeCursor(request.cursor);
    if (!decoded) throw core::Invalid("cursor", "is not a cursor of this list");
    after = {decoded->first, decoded->second};
  }

  storage::Lease c = db.Read();
  ReadSnapshot snapshot(*c);
  // One row more than the page tells whether another page follows.
  const std::int64_t want = request.limit + 1;
  std::vector<Key> keys;
  keys.reserve(static_cast<std::size_t>(want) * 2);
  Key floor{std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::min()};
  for (const Range& range : RangesFor(*c, actor, request)) {
    ReadRange(*c, range, after, floor, now, want, keys);
    std::sort(keys.begin(), keys.end(), NewerFirst);
    // A ticket can sit in two ranges (its department's and its assignee's): count it once.
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    if (keys.size() >= static_cast<std::size_t>(want)) {
      keys.resize(static_cast<std::size_t>(want));
      floor = keys.back();
    }
  }

  std::string next_cursor;
  if (keys.size() > static_cast<std::size_t>(request.limit)) {
    keys.resize(static_cast<std::size_t>(request.limit));
    next_cursor = EncodeCursor(keys.back().updated_at, keys.back().id);
  }
  if (keys.empty()) return next_cursor;

  // Department names change (renames, merges): read with the page, a handful of rows, instead of
  // one lookup per row.
  std::vector<std::pair<std::int64_t, std::string>> departments;
  c->Scan("SELECT id, name FROM departments", {}, [&](const storage::RowView& row) {
    departments.emplace_back(row.Int(0), std::string(row.Text(1)));
  });
  const auto department_name = [&](const std::optional<std::int64_t>& id) -> std::string_view {
    if (!id) return {};
    for (const auto& [d, name] : departments) {
      if (d == *id) return name;
    }
    return {};
  };

  std::string ids = "[";
  for (const Key& k : keys) ids.append(ids.size() > 1 ? "," : "").append(std::to_string(k.id));
  ids.push_back(']');
  // The rows come in the keys' order: CROSS JOIN keeps json_each, which walks the array in
  // order, as the outer loop, so the page needs no sort and is never held in memory (a sorter
  // copied every column of every row). The loop below checks the order.
  std::size_t seen = 0;
  c->Scan(
      "SELECT t.number, t.subject, t.status, t.priority, t.department_id, t.assignee_id, "
      "t.requester_id, t.updated_at, t.due_at, t.last_message_at, t.organization_id, t.id "
      "FROM json_each(?) AS j CROSS JOIN tickets AS t ON t.id = j.value",
      std::vector<storage::Value>{ids}, [&](const storage::RowView& row) {
        QueueRowView q;
        q.number = row.Int(0);
        q.subject = row.Text(1);
        q.status = ParseStatus(row.Text(2)).value_or(Status::kOpen);
        q.priority = ParsePriority(row.Text(3)).value_or(Priority::kNormal);
        q.department_id = row.OptionalInt(4);
        q.department_name = department_name(q.department_id);
        q.assignee_id = row.OptionalInt(5);
        const std::string assignee = q.assignee_id ? people.Get(*c, *q.assignee_id) : "";
        q.assignee_name = assignee;
        q.requester_id = row.Int(6);
        const std::string requester = people.Get(*c, q.requester_id);
        q.requester_name = requester;
        q.updated_at = row.Int(7);
        q.due_at = row.OptionalInt(8);
        q.last_message_at = row.OptionalInt(9);
        // The ranges encode what Authorize allows; a row it would refuse means they disagree,
        // and a queue must fail rather than show it.
        const auth::TicketFacts facts{q.requester_id, row.OptionalInt(10), q.department_id,
                                      q.assignee_id};
        if (!auth::Authorize(actor, auth::Permission::kTicketView, &facts)) {
          throw std::logic_error("queue range returned a ticket the actor may not see");
        }
        // Rows come in the keys' order, each once; anything else would make a wrong page.
        if (seen >= keys.size() || keys[seen].id != row.Int(11)) {
          throw std::logic_error("queue rows out of the page's order");
        }
        ++seen;
        visit(q);
      });
  return next_cursor;
}

QueuePage ListQueue(const auth::Actor& actor, storage::Database& db, const QueueRequest& request,
                    std::int64_t now) {
  QueuePage page;
  page.next_cursor = ScanQueue(actor, db, request, now, [&](const QueueRowView& v) {
    page.rows.push_back(QueueRow{
        v.number, std::string(v.subject), v.status, v.priority, v.department_id,
        std::string(v.department_name), v.assignee_id, std::string(v.assignee_name), v.requester_id,
        std::string(v.requester_name), v.updated_at, v.due_at, v.last_message_at});
  });
  return page;
}

std::vector<RangePlan> ExplainQueueRanges(storage::Database& db) {
  storage::Lease c = db.Read();
  std::vector<RangePlan> plans;
  for (const RangeQuery& q : kRangeQueries) {
    const std::vector<storage::Value> params(q.parameters, storage::Value{nullptr});
    std::string detail;
    c->ForEach(q.explain, params, [&](const storage::Row& row) {
      detail.append(detail.empty() ? "" : "; ").append(row.Text(3));
    });
    plans.push_back({q.name, detail});
  }
  return plans;
}

}  // namespace rampart::tickets
