#pragma once
#include <cstdint>
#include <string>

#include "auth/authorize.h"
#include "storage/database.h"

namespace rampart::tickets {

struct MergeRequest {
  std::string source;  // public number of the ticket that goes away
  std::string target;  // public number of the ticket that stays
  // Merging tickets of two different requesters shows each one's public messages to the
  // other. Refused (core::Conflict) unless the agent confirms it knowingly.
  bool allow_different_requesters = false;
};

struct MergeResult {
  std::int64_t source_number = 0;
  std::int64_t target_number = 0;
  std::int64_t moved_messages = 0;
};

// Moves the source's whole thread (notes included) into the target, adds the source's tags and
// copies to the target, and closes the source with a link to the target. Both tickets must be
// reachable with ticket.merge (core::NotFound otherwise), distinct (core::Invalid), and neither
// closed nor merged already (core::Conflict). Audited.
MergeResult Merge(const auth::Actor& actor, storage::Database& db, const MergeRequest& request,
                  std::int64_t now);

}  // namespace rampart::tickets
