#pragma once
#include <cstdint>
#include <string>

#include "storage/database.h"
#include "tickets/ticket.h"

namespace rampart::tickets {

// Fills a helpdesk with plausible tickets for demos and benchmarks: subjects and bodies drawn
// from a fixed vocabulary, three messages per ticket on average, spread over departments,
// statuses and priorities; exactly one message in 1,000 contains the word "zeppelin", for
// measuring search at a known selectivity. Requesters, departments and an agent are created when
// absent.
struct DemoOptions {
  std::int64_t tickets = 25;
  std::int64_t now = 0;
  std::uint64_t seed = 42;  // same seed, same data
};

struct DemoResult {
  std::int64_t tickets = 0;
  std::int64_t messages = 0;
};

DemoResult GenerateDemoTickets(storage::Database& db, const DemoOptions& options);

}  // namespace rampart::tickets
