#include "tickets/search.h"

#include <algorithm>
#include <stdexcept>

#include "core/errors.h"
#include "core/strings.h"
#include "tickets/policy.h"
#include "tickets/text_rules.h"
#include "tickets/ticket_store.h"

namespace rampart::tickets {
namespace {

constexpr std::size_t kMaxQueryBytes = 500;
constexpr std::size_t kMaxWords = 20;

struct Match {
  std::int64_t ticket_id = 0;
  std::int64_t message_id = 0;
};

// Rows past the page's size in a staff search's first, short read of its newest matches.
constexpr std::int64_t kShortReadMargin = 5;

std::size_t DistinctTickets(const std::vector<Match>& matches) {
  std::vector<std::int64_t> ids;
  for (const Match& m : matches) {
    if (std::find(ids.begin(), ids.end(), m.ticket_id) == ids.end()) ids.push_back(m.ticket_id);
  }
  return ids.size();
}

// A JSON array of the ids, for json_each.
std::string JsonIds(const std::vector<std::int64_t>& ids) {
  std::string json = "[";
  for (const std::int64_t id : ids) {
    json.append(json.size() > 1 ? "," : "").append(std::to_string(id));
  }
  json.push_back(']');
  return json;
}

}  // namespace

std::string BuildMatchQuery(std::string_view input) {
  if (!core::IsValidUtf8(input)) throw core::Invalid("query", "must be valid UTF-8");
  if (input.size() > kMaxQueryBytes) throw core::Invalid("query", "must be at most 500 bytes");
  if (HasForbiddenControls(input, "\t")) {
    throw core::Invalid("query", "must not contain control characters");
  }
  std::string match;
  std::size_t words = 0;
  for (std::string_view word : core::Split(input, ' ')) {
    word = core::Trim(word);
    if (word.empty()) continue;
    if (++words > kMaxWords) throw core::Invalid("query", "at most 20 words");
    const bool prefix = word.size() > 1 && word.back() == '*';
    if (prefix) word.remove_suffix(1);
    if (!match.empty()) match.push_back(' ');
    match.push_back('"');
    for (char c : word) {
      if (c == '"') match.push_back('"');  // FTS5 strings escape a quote by doubling it
      match.push_back(c);
    }
    match.push_back('"');
    if (prefix) match.append(" *");
  }
  if (match.empty()) throw core::Invalid("query", "must not be empty");
  return match;
}

std::vector<SearchHit> SearchTickets(const auth::Actor& actor, storage::Database& db,
                                     const SearchRequest& request) {
  RequirePermission(actor, auth::Permission::kTicketView);
  if (request.limit < 1 || request.limit > 50) {
    throw core::Invalid("limit", "must be between 1 and 50");
  }
  const std::string match = BuildMatchQuery(request.query);

  storage::Lease c = db.Read();
  ReadSnapshot snapshot(*c);
  // Several messages of one ticket may match; fetch more than the page needs, keep each
  // ticket's best.
  const std::int64_t fetch = static_cast<std::int64_t>(request.limit) * 4;
  std::vector<Match> matches;
  const auto collect = [&](const storage::RowView& row) {
    matches.push_back({row.Int(0), row.Int(1)});
  };
  // Every filter below reads ticket_search_scope, one narrow row per message keyed like the
  // index (migration 14), instead of joining each candidate to its message and ticket: the
  // candidates' scope rows sit on a few pages, where the joins read a page of a 1.7 GiB file
  // each at a million tickets. Triggers keep it in step with the ticket; each hit is checked
  // against the ticket itself below.
  if (ActsAsStaff(actor)) {
    const bool everywhere = actor.role == auth::Role::kOwner || actor.role == auth::Role::kAdmin ||
                            actor.all_departments || actor.channel == auth::Actor::Channel::kSystem;
    std::string departments = "[";
    for (std::int64_t d : actor.department_ids) {
      departments.append(departments.size() > 1 ? "," : "").append(std::to_string(d));
    }
    departments.push_back(']');
    // Ranking is what a search costs (bm25 for every candidate), so staff rank only when the
    // word is rare: fewer than kSearchRankWindow matching messages. For a commoner word they get
    // the matches among its newest kSearchRankWindow messages, newest first, read from the
    // index in that order until the page is full (docs/BENCHMARKS.md: 5-7 ms of CPU to rank a
    // full window, 0.4-0.6 ms newest first). Finding where that window starts walks the index
    // alone.
    const auto floor = c->QueryOne(
        "SELECT rowid FROM ticket_search WHERE ticket_search MATCH ? "
        "ORDER BY rowid DESC LIMIT 1 OFFSET ?",
        {match, kSearchRankWindow - 1});
    std::vector<storage::Value> params{match,
                                       floor ? floor->Int(0) : std::int64_t{0},
                                       std::int64_t{everywhere ? 1 : 0},
                                       actor.user_id,
                                       departments,
                                       fetch};
    // Staff: the same reach as Authorize (everywhere; or own departments, the shared inbox and
    // tickets assigned to them). Internal notes match for staff.
    if (floor) {
      // Newest first, the page usually fills from its first rows (a common word seldom
      // matches two messages of one ticket among the newest), so a short read comes first and
      // the whole fetch only when repeats left the page short. Both are prefixes of one order
      // (rowid), so the hits are the same as reading the whole fetch at once; the short read
      // walks about a quarter of the window, and the snippets then walk only that far back.
      for (const std::int64_t n : {std::int64_t{request.limit} + kShortReadMargin, fetch}) {
        matches.clear();
        params.back() = n;
        c->Scan(
            "SELECT s.ticket_id, s.message_id FROM ticket_search "
            "CROSS JOIN ticket_search_scope AS s ON s.message_id = ticket_search.rowid "
            "WHERE ticket_search MATCH ? AND ticket_search.rowid >= ? "
            "AND (? = 1 OR s.department_id IS NULL OR s.assignee_id = ? "
            "OR s.department_id IN (SELECT value FROM json_each(?))) "
            "ORDER BY ticket_search.rowid DESC LIMIT ?",
            params, collect);
        if (static_cast<std::int64_t>(matches.size()) < n ||
            DistinctTickets(matches) >= static_cast<std::size_t>(request.limit)) {
          break;
        }
      }
    } else {
      c->Scan(
          "SELECT s.ticket_id, s.message_id FROM ticket_search "
          "CROSS JOIN ticket_search_scope AS s ON s.message_id = ticket_search.rowid "
          "WHERE ticket_search MATCH ? AND ticket_search.rowid >= ? "
          "AND (? = 1 OR s.department_id IS NULL OR s.assignee_id = ? "
          "OR s.department_id IN (SELECT value FROM json_each(?))) "
          "ORDER BY bm25(ticket_search, 2.0, 1.0, 1.0) LIMIT ?",
          params, collect);
    }
  } else {
    // End users: their own tickets and, with sharing, their organization's; never notes. No
    // window: their few tickets may be old, and the filter runs before the ranking, so only
    // their own matches are ranked.
    c->Scan(
        "SELECT s.ticket_id, s.message_id FROM ticket_search "
        "CROSS JOIN ticket_search_scope AS s ON s.message_id = ticket_search.rowid "
        "WHERE ticket_search MATCH ? AND s.internal = 0 AND (s.requester_id = ? "
        "OR (? = 1 AND s.organization_id = ?)) "
        "ORDER BY bm25(ticket_search, 2.0, 1.0, 1.0) LIMIT ?",
        std::vector<storage::Value>{
            match, actor.user_id,
            std::int64_t{actor.organization_shares_tickets && actor.organization_id ? 1 : 0},
            actor.organization_id ? storage::Value{*actor.organization_id}
                                  : storage::Value{nullptr},
            fetch},
        collect);
  }

  // One hit per ticket, its best (or newest) message for the snippet.
  std::vector<std::int64_t> ticket_ids;
  std::vector<std::int64_t> snippet_from;  // each hit's message, in the hits' order
  for (const Match& m : matches) {
    if (ticket_ids.size() >= static_cast<std::size_t>(request.limit)) break;
    if (std::find(ticket_ids.begin(), ticket_ids.end(), m.ticket_id) != ticket_ids.end()) continue;
    ticket_ids.push_back(m.ticket_id);
    snippet_from.push_back(m.message_id);
  }
  std::vector<SearchHit> hits;
  if (ticket_ids.empty()) return hits;
  // The hits' tickets in one statement, each checked with Authorize on the ticket as it is
  // now, not on the scope rows: the filters above encode what Authorize allows, and a hit it
  // refuses means they disagree.
  const std::vector<TicketRow> tickets = FindTicketsByIds(*c, JsonIds(ticket_ids));
  if (tickets.size() != ticket_ids.size()) {
    throw std::logic_error("search matched a message whose ticket does not exist");
  }
  for (const TicketRow& ticket : tickets) {
    if (!MaySee(actor, ticket)) {
      throw std::logic_error("search returned a ticket the actor may not see");
    }
    hits.push_back({ticket.number, ticket.subject, ticket.status, ticket.updated_at, {}});
  }
  if (hits.empty()) return hits;
  // The snippets come from the hits' messages only, all in one statement: it walks the match
  // list once from the oldest of them (a statement per snippet loaded the match list again each
  // time, three times the cost). `+rowid` keeps the id list a filter, not a lookup per id.
  const std::string ids = JsonIds(snippet_from);
  const std::int64_t oldest = *std::min_element(snippet_from.begin(), snippet_from.end());
  c->Scan(
      "SELECT rowid, snippet(ticket_search, -1, char(2), char(3), '…', 16) FROM ticket_search "
      "WHERE ticket_search MATCH ? AND rowid >= ? AND +rowid IN (SELECT value FROM json_each(?))",
      std::vector<storage::Value>{match, oldest, ids}, [&](const storage::RowView& row) {
        const std::int64_t message_id = row.Int(0);
        for (std::size_t i = 0; i < hits.size(); ++i) {
          if (snippet_from[i] == message_id) hits[i].snippet = row.Text(1);
        }
      });
  return hits;
}

}  // namespace rampart::tickets
