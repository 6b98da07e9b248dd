#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/authorize.h"
#include "storage/database.h"
#include "tickets/ticket.h"
#include "tickets/user_names.h"

namespace rampart::tickets {

// The agent workspace's queues. Every view shows only tickets Authorize lets the actor see:
// agents their departments' tickets, the shared inbox (no department) and tickets assigned to
// them; admins, owners and all-department agents everything; end users their own tickets and,
// where their organization shares tickets, their organization's.
enum class QueueView {
  kMine,           // staff: unsolved tickets assigned to me; end users: tickets I asked
  kUnassigned,     // unsolved, nobody assigned
  kMyDepartments,  // unsolved, in the departments I belong to
  kAll,            // every ticket I may see, any status (end users: mine and my organization's)
  kPending,        // pending tickets I may see
  kOverdue,        // unsolved tickets past their due date
};
std::string_view QueueViewName(QueueView view);  // "my_departments"
std::optional<QueueView> ParseQueueView(std::string_view name);

struct QueueRequest {
  QueueView view = QueueView::kAll;
  std::optional<Status> status;  // narrows the view to one status
  std::string cursor;            // next_cursor of the previous page; empty for the first
  int limit = 50;                // 1..100
};

struct QueueRow {
  std::int64_t number = 0;
  std::string subject;
  Status status = Status::kOpen;
  Priority priority = Priority::kNormal;
  std::optional<std::int64_t> department_id;
  std::string department_name;
  std::optional<std::int64_t> assignee_id;
  std::string assignee_name;
  std::int64_t requester_id = 0;
  std::string requester_name;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> due_at;
  std::optional<std::int64_t> last_message_at;
};

struct QueuePage {
  std::vector<QueueRow> rows;  // most recently updated first
  std::string next_cursor;     // empty on the last page
};

// One page of a queue, newest first, paged by keyset: the cursor is an opaque token holding
// the last row's (updated_at, row id); it grants nothing, since every page is filtered again.
// Throws core::Invalid for a malformed cursor, a limit outside 1..100, or a staff view asked
// for by an end user.
QueuePage ListQueue(const auth::Actor& actor, storage::Database& db, const QueueRequest& request,
                    std::int64_t now);

// One row of a page as the database holds it while the page is read: the views are valid only
// during the callback. For writers that serialize rows at once, without copying them first.
struct QueueRowView {
  std::int64_t number = 0;
  std::string_view subject;
  Status status = Status::kOpen;
  Priority priority = Priority::kNormal;
  std::optional<std::int64_t> department_id;
  std::string_view department_name;
  std::optional<std::int64_t> assignee_id;
  std::string_view assignee_name;
  std::int64_t requester_id = 0;
  std::string_view requester_name;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> due_at;
  std::optional<std::int64_t> last_message_at;
};

// ListQueue's page, row by row in the page's order: the same ranges, the same checks. Returns
// the next cursor (empty on the last page). `names`, when given, keeps people's names between
// pages; it must belong to this database.
std::string ScanQueue(const auth::Actor& actor, storage::Database& db, const QueueRequest& request,
                      std::int64_t now, const std::function<void(const QueueRowView&)>& visit,
                      UserNameCache* names = nullptr);

std::string EncodeCursor(std::int64_t updated_at, std::int64_t id);
std::optional<std::pair<std::int64_t, std::int64_t>> DecodeCursor(std::string_view cursor);

// The query plan SQLite chose for each index range the queues read, by range name: tests
// assert that every one is a covering index search.
struct RangePlan {
  std::string name;
  std::string detail;
};
std::vector<RangePlan> ExplainQueueRanges(storage::Database& db);

}  // namespace rampart::tickets
