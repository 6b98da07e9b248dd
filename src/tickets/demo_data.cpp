#include "tickets/demo_data.h"

#include <algorithm>
#include <array>
#include <random>
#include <string_view>
#include <vector>

#include "auth/authorize.h"
#include "core/errors.h"
#include "tickets/policy.h"
#include "tickets/ticket_store.h"

namespace rampart::tickets {
namespace {

constexpr std::array<std::string_view, 12> kProblems = {"Cannot sign in",
                                                        "Invoice shows the wrong amount",
                                                        "Printer offline again",
                                                        "Export to CSV fails",
                                                        "Password reset email missing",
                                                        "App crashes on start",
                                                        "Refund request",
                                                        "VPN drops every hour",
                                                        "Shipping address change",
                                                        "Duplicate charge",
                                                        "Slow dashboard",
                                                        "Feature request: dark mode"};
constexpr std::array<std::string_view, 8> kContexts = {
    "since this morning", "after the update",   "on my laptop",   "for the whole team",
    "on the mobile app",  "when I use Firefox", "for order 7741", "in the EU account"};
constexpr std::array<std::string_view, 10> kSentences = {
    "I tried again after clearing the cache and it still happens.",
    "The error message says something went wrong and to try later.",
    "Could you look into this as soon as possible? It blocks our work.",
    "We have attached a screenshot of what we see.",
    "This worked fine last week with the same settings.",
    "Thanks for the quick answer, that fixed part of it.",
    "Our accounting department needs this before the end of the month.",
    "I restarted the device twice and the problem persists.",
    "Please escalate this if it needs a specialist.",
    "Is there a workaround we can use in the meantime?"};
constexpr std::array<std::string_view, 6> kAgentSentences = {
    "Thanks for reaching out, we are looking into it.",
    "Could you tell us which version you are using?",
    "We have deployed a fix; please try again and let us know.",
    "I have forwarded this to our specialists.",
    "We reproduced it on our side and are waiting for the vendor.",
    "Please restart the application and clear the cache once more."};
constexpr std::array<Status, 5> kStatuses = {Status::kOpen, Status::kPending, Status::kOnHold,
                                             Status::kSolved, Status::kClosed};
constexpr std::array<Priority, 4> kPriorities = {Priority::kLow, Priority::kNormal, Priority::kHigh,
                                                 Priority::kUrgent};
constexpr std::array<std::string_view, 3> kDepartments = {"Support", "Billing", "Technical"};
constexpr std::array<std::string_view, 6> kTags = {"vip",    "bug",     "billing",
                                                   "mobile", "network", "follow-up"};
constexpr std::array<std::string_view, 3> kPlans = {"free", "pro", "enterprise"};
constexpr std::array<std::string_view, 3> kOrganizations = {"Acme", "Globex", "Initech"};

// One message in kRareWordEvery carries this sentence, and no other text has its first word.
constexpr std::int64_t kRareWordEvery = 1000;
constexpr std::string_view kRareWordSentence = " The zeppelin plugin shows the same error.";

// Requesters get a placeholder password hash that no password verifies: demo customers cannot
// sign in until an admin resets them.
constexpr std::string_view kNoLogin = "!demo-no-login";

// The demo's reference data: created when absent, found when present, so that a second run
// adds tickets to the same people.
struct Cast {
  std::vector<std::int64_t> departments;
  std::vector<UserFacts> requesters;
  // Per department (same order), the staff who can see its tickets: only they are assigned.
  std::vector<std::vector<std::int64_t>> assignable;
  std::vector<std::int64_t> anyone_staff;  // for the shared inbox
  std::int64_t plan_field = 0;
};

Cast PrepareCast(storage::Connection& c, std::int64_t now) {
  Cast cast;
  for (std::string_view name : kDepartments) {
    c.Execute("INSERT OR IGNORE INTO departments (name, created_at) VALUES (?, ?)",
              {std::string(name), now});
    cast.departments.push_back(
        c.QueryOne("SELECT id FROM departments WHERE name = ?", {std::string(name)})->Int(0));
  }
  for (std::string_view name : kOrganizations) {
    c.Execute(
        "INSERT OR IGNORE INTO organizations (name, shared_tickets, created_at) VALUES (?, ?, ?)",
        {std::string(name), std::int64_t{name == "Acme" ? 1 : 0}, now});
  }
  for (int i = 1; i <= 50; ++i) {
    const std::string email = "customer" + std::to_string(i) + "@example.com";
    // Every fifth customer works for one of the organizations.
    const std::string organization(kOrganizations[static_cast<std::size_t>(i) % 3]);
    c.Execute(
        "INSERT OR IGNORE INTO users (email, name, role, password_hash, organization_id, "
        "created_at) VALUES (?, ?, 'end_user', ?, "
        "(SELECT id FROM organizations WHERE name = ? AND ? = 1), ?)",
        {email, "Customer " + std::to_string(i), std::string(kNoLogin), organization,
         std::int64_t{i % 5 == 0 ? 1 : 0}, now});
    const std::int64_t id = *FindUserIdByEmail(c, email);
    cast.requesters.push_back(*FindUser(c, id));
  }
  std::vector<UserFacts> staff;
  for (const auto& row :
       c.Query("SELECT id FROM users WHERE role IN ('agent', 'admin', 'owner') AND disabled = 0 "
               "ORDER BY id")) {
    staff.push_back(*FindUser(c, row.Int(0)));
  }
  for (std::int64_t department : cast.departments) {
    std::vector<std::int64_t> ids;
    const auth::TicketFacts facts{0, std::nullopt, department, std::nullopt};
    for (const UserFacts& s : staff) {
      if (auth::Authorize(ActorFor(s), auth::Permission::kTicketView, &facts)) ids.push_back(s.id);
    }
    cast.assignable.push_back(std::move(ids));
  }
  for (const UserFacts& s : staff) cast.anyone_staff.push_back(s.id);

  c.Execute(
      "INSERT OR IGNORE INTO custom_fields (key, label, kind, end_user_visible, created_at) "
      "VALUES ('plan', 'Plan', 'dropdown', 1, ?)",
      {now});
  cast.plan_field = c.QueryOne("SELECT id FROM custom_fields WHERE key = 'plan'")->Int(0);
  for (std::string_view plan : kPlans) {
    c.Execute(
        "INSERT OR IGNORE INTO custom_field_options (field_id, value, label) VALUES (?, ?, ?)",
        {cast.plan_field, std::string(plan), std::string(plan)});
  }
  return cast;
}

// Bulk-load settings on the writer while it lives, then the usual ones back (the writer
// outlives this load):
// - a 128 MiB page cache instead of SQLite's default 2 MiB: a bulk load touches index pages
//   all over a large file; it halved the CPU time and cut the system time by two thirds;
// - no foreign-key checks: every reference the generator writes is to a row it just read or
//   wrote, and the checks are a primary-key lookup per reference, about fourteen per ticket;
// - a 64 MiB buffer for the search index's pending terms instead of FTS5's 1 MiB: each batch's
//   documents then become one large index segment rather than dozens of small ones that FTS5
//   merges again and again (measured on 150,000 messages: 1.9 s of CPU down to 1.2 s).
class BulkLoadSettings {
 public:
  explicit BulkLoadSettings(storage::Connection& c) : connection_(c) {
    connection_.ExecuteScript(
        "PRAGMA cache_size = -131072; PRAGMA foreign_keys = OFF; "
        "INSERT INTO ticket_search (ticket_search, rank) VALUES ('hashsize', 67108864);");
  }
  ~BulkLoadSettings() {
    try {
      connection_.ExecuteScript(
          "INSERT INTO ticket_search (ticket_search, rank) VALUES ('hashsize', 1048576); "
          "PRAGMA cache_size = -2000; PRAGMA foreign_keys = ON;");
    } catch (...) {  // NOLINT(bugprone-empty-catch): a destructor must not throw; the pragmas
                     // only fail on a broken connection, which its next user finds broken.
    }
  }
  BulkLoadSettings(const BulkLoadSettings&) = delete;
  BulkLoadSettings& operator=(const BulkLoadSettings&) = delete;

 private:
  storage::Connection& connection_;
};

}  // namespace

DemoResult GenerateDemoTickets(storage::Database& db, const DemoOptions& options) {
  if (options.tickets < 0 || options.tickets > 10'000'000) {
    throw core::Invalid("tickets", "must be between 0 and 10000000");
  }
  std::mt19937_64 rng(options.seed);
  const auto pick = [&](auto const& list) { return list[rng() % list.size()]; };
  const auto chance = [&](int percent) { return static_cast<int>(rng() % 100) < percent; };
  DemoResult result;
  storage::Lease c = db.Write();
  BulkLoadSettings bulk_load(*c);

  Cast cast;
  {
    storage::Transaction tx(*c);
    cast = PrepareCast(*c, options.now);
    tx.Commit();
  }

  std::int64_t next_number = NextTicketNumber(*c);
  // Batches keep each transaction's WAL growth bounded while amortising the fsync.
  constexpr std::int64_t kBatch = 20'000;
  constexpr std::int64_t kSpan = 90 * 86400;
  std::int64_t remaining = options.tickets;
  std::vector<NewMessage> thread;
  std::int64_t message_serial = 0;
  while (remaining > 0) {
    const std::int64_t batch = std::min(remaining, kBatch);
    storage::Transaction tx(*c);
    std::int64_t first_message = 0;
    std::int64_t last_message = 0;
    for (std::int64_t i = 0; i < batch; ++i) {
      const UserFacts& requester = pick(cast.requesters);
      TicketRow t;
      t.number = next_number++;
      t.subject = std::string(pick(kProblems)) + " " + std::string(pick(kContexts));
      t.requester_id = requester.id;
      t.organization_id = requester.organization_id;
      t.status = pick(kStatuses);
      t.priority = pick(kPriorities);
      t.channel = chance(30) ? "mail" : "web";
      // Spread over the last 90 days in number order, as a real helpdesk fills up: later
      // numbers are newer, and the time-ordered indexes grow at their ends.
      t.created_at =
          options.now - kSpan +
          (kSpan * (options.tickets - remaining + i)) / std::max<std::int64_t>(options.tickets, 1);
      // One in ten lands in the shared inbox, without a department.
      const std::size_t department = rng() % cast.departments.size();
      if (!chance(10)) t.department_id = cast.departments[department];
      const std::vector<std::int64_t>& staff =
          t.department_id ? cast.assignable[department] : cast.anyone_staff;
      if (!staff.empty() && chance(67)) t.assignee_id = pick(staff);
      if (chance(20)) t.due_at = t.created_at + static_cast<std::int64_t>(1 + rng() % 14) * 86400;

      // 1..5 messages, three on average: the customer first, then staff and customer in turn.
      // They are drawn before the ticket is written, so that it is written once, complete.
      const int count = 1 + static_cast<int>(rng() % 5);
      const std::int64_t agent = t.assignee_id.value_or(staff.empty() ? 0 : pick(staff));
      thread.clear();
      for (int m = 0; m < count; ++m) {
        const bool from_agent = m % 2 == 1 && agent != 0;
        NewMessage& message = thread.emplace_back();
        message.author_id = from_agent ? agent : requester.id;
        message.author_kind = from_agent ? AuthorKind::kAgent : AuthorKind::kEndUser;
        message.internal = from_agent && rng() % 4 == 0;
        message.created_at = t.created_at + m * 600;
        for (int s = 0; s < 3; ++s) {
          message.body.append(from_agent ? pick(kAgentSentences) : pick(kSentences)).append(" ");
        }
        message.body.pop_back();
        // Exactly one message in a thousand mentions a rare word: a known selectivity for
        // search benchmarks.
        if (++message_serial % kRareWordEvery == 0) message.body.append(kRareWordSentence);
        t.updated_at = message.created_at;
        if (!message.internal) t.last_message_at = message.created_at;
        if (from_agent && !message.internal) {
          t.last_agent_reply_at = message.created_at;
          if (!t.first_response_at) t.first_response_at = message.created_at;
        }
      }
      if (!IsUnsolved(t.status)) t.solved_at = t.updated_at;
      t.id = InsertTicket(*c, t);
      for (NewMessage& message : thread) {
        message.ticket_id = t.id;
        last_message = InsertMessageUnindexed(*c, message);
        if (first_message == 0) first_message = last_message;
      }
      result.messages += count;

      for (int k = static_cast<int>(rng() % 3); k > 0; --k) {
        AddTag(*c, t.id, std::string(pick(kTags)));
      }
      if (chance(50)) SetFieldValue(*c, t.id, cast.plan_field, std::string(pick(kPlans)));
      AppendEvent(*c, t.id, std::nullopt, t.created_at, "created", std::nullopt,
                  FormatTicketNumber(t.number));
    }
    // The one writer inserted them, so the batch's messages are one id range.
    if (first_message != 0) IndexMessages(*c, first_message, last_message);
    tx.Commit();
    result.tickets += batch;
    remaining -= batch;
  }
  return result;
}

}  // namespace rampart::tickets
