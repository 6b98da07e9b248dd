#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/authorize.h"
#include "storage/database.h"
#include "tickets/ticket.h"

namespace rampart::tickets {

struct SearchRequest {
  std::string query;  // what the person typed: words, optionally a trailing * for a prefix
  int limit = 20;     // tickets, 1..50
};

// Snippet highlight markers: a matched term is wrapped in kMatchStart ... kMatchEnd. They are
// control characters, which ticket text can never contain (CheckSubject/CheckBody refuse them),
// so they cannot be forged by the text itself, and HTML escaping leaves them alone: a renderer
// escapes the snippet first, then turns the markers into <mark> and </mark>.
inline constexpr char kMatchStart = '\x02';
inline constexpr char kMatchEnd = '\x03';

// Staff searches rank by relevance only words that match fewer than this many messages; a
// commoner word lists its newest matches first (a common word then costs the same at a million
// tickets as at a thousand; older matches are found with more specific words). End users'
// searches rank all of their own matches. Ranking costs ~25 us per candidate at 100,000 tickets
// (bm25 plus the message and ticket lookups): a full window took 5-7 ms of CPU and queued into a
// p99 of hundreds of ms under load, newest-first 0.4-0.6 ms (docs/BENCHMARKS.md).
inline constexpr std::int64_t kSearchRankWindow = 200;

struct SearchHit {
  std::int64_t number = 0;
  std::string subject;
  Status status = Status::kOpen;
  std::int64_t updated_at = 0;
  std::string snippet;  // from the best-matching message (or subject or requester), with markers
};

// Full-text search over the tickets the actor may see: subjects, message bodies and requester
// names and addresses; end users never match internal notes. Best match first (bm25, subject
// weighted double; for staff, a word as common as kSearchRankWindow messages lists the newest of
// them first instead), one hit per ticket. The input is never FTS5 syntax: each word becomes a
// quoted FTS5 string bound as a parameter, so NEAR(, col:, quotes, AND/OR/NOT and stray
// parentheses are searched for as text and cannot fail or widen the query. Scores are not
// returned: they derive from statistics over every ticket, including ones the actor cannot see.
// Throws core::Invalid for an empty or oversized query or a limit outside 1..50.
std::vector<SearchHit> SearchTickets(const auth::Actor& actor, storage::Database& db,
                                     const SearchRequest& request);

// The FTS5 query for what a person typed: words (split on spaces) as quoted strings with inner
// quotes doubled, all required; a word ending in * matches as a prefix. Throws core::Invalid.
std::string BuildMatchQuery(std::string_view input);

}  // namespace rampart::tickets
