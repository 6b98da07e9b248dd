#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/authorize.h"
#include "storage/database.h"
#include "tickets/ticket.h"
#include "tickets/ticket_store.h"

namespace rampart::tickets {

struct ShownFieldValue {
  std::string key;
  std::string label;
  std::string kind;  // text, number, date, dropdown
  std::string value;
};

// A ticket as one actor may see it. Text is as stored: escaping is the renderer's job.
struct TicketView {
  std::int64_t number = 0;
  std::string subject;
  Status status = Status::kOpen;
  Priority priority = Priority::kNormal;
  std::int64_t requester_id = 0;
  std::string requester_name;
  std::string requester_email;
  std::optional<std::int64_t> department_id;
  std::string department_name;
  std::optional<std::int64_t> assignee_id;
  std::string assignee_name;
  std::string channel;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> due_at;
  std::optional<std::int64_t> first_response_at;
  std::optional<std::int64_t> solved_at;
  std::optional<std::int64_t> last_message_at;
  std::optional<std::int64_t> merged_into_number;
  // Staff only: empty for end users.
  std::vector<std::string> tags;
  std::vector<std::string> ccs;
  // End users see only fields marked end_user_visible.
  std::vector<ShownFieldValue> custom_fields;
  // End users never receive internal notes.
  std::vector<ThreadMessage> thread;
};

// The row's own fields as a view (number, subject, status, priority, the ids, channel and
// times); names, tags, fields and the thread are the caller's to add.
TicketView ViewOfRow(const TicketRow& t);

// The ticket with public number `number` ("RMP-1042") and its thread. Throws core::NotFound
// when it does not exist or the actor may not see it, core::Invalid for a malformed number.
TicketView GetTicket(const auth::Actor& actor, storage::Database& db, std::string_view number);

}  // namespace rampart::tickets
