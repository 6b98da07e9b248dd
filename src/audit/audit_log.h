#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/database.h"

namespace rampart::audit {

// One entry in the hash-chained audit log (audit_events): hash = SHA-256 over the previous
// hash and the length-prefixed fields (see Hash). Written in the caller's transaction, so the
// chain order is the commit order of the one writer, and an event exists exactly when the
// change it records does. `event` is a stable dotted name ("password.reset"); `detail` never
// holds a secret.
void Append(storage::Connection& c, std::int64_t at, std::optional<std::int64_t> actor_id,
            std::string_view event, std::string_view target, std::string_view client,
            std::string_view detail);

std::string Hash(std::string_view prev_hash, std::int64_t at, std::optional<std::int64_t> actor_id,
                 std::string_view event, std::string_view target, std::string_view client,
                 std::string_view detail);

}  // namespace rampart::audit
