#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/authorize.h"
#include "storage/database.h"
#include "tickets/attachments.h"
#include "tickets/custom_fields.h"
#include "tickets/get_ticket.h"
#include "tickets/ticket.h"

namespace rampart::tickets {

// A new ticket as the portal, the agent workspace, the API or inbound mail hands it over.
struct NewTicket {
  std::string subject;  // 1..300 characters, one line
  std::string body;     // the first message: 1..100,000 characters
  // Staff may open a ticket for a requester; end users always open their own.
  std::optional<std::int64_t> requester_id;
  std::optional<std::int64_t> department_id;
  // Staff only (an end user who sends these gets core::Invalid naming the field).
  std::optional<Priority> priority;  // default: normal
  std::optional<std::int64_t> assignee_id;
  std::optional<std::int64_t> due_at;  // Unix seconds
  std::vector<std::string> tags;
  std::vector<std::string> ccs;
  // By field key. End users may set only fields marked end_user_editable.
  std::map<std::string, std::string> custom_fields;
  // Files on the first message (CreateTicket with a store only). The body is still required.
  std::vector<Upload> attachments;
};

struct CreatedTicket {
  std::int64_t number = 0;  // show as FormatTicketNumber(number)
  std::int64_t message_id = 0;
  std::vector<AttachmentInfo> attachments;
  // The ticket as GetTicket would show it to the creating actor, made from what was written
  // (so that an answer needs no second read). Empty when that actor may not view the ticket,
  // and for tickets with attachments.
  std::optional<TicketView> view;
};

// Opens a ticket with its first public message. Requires ticket.create; staff may only open
// tickets in departments they reach (or in none). Throws core::Invalid for bad input,
// core::Forbidden when the actor may not create tickets at all.
CreatedTicket CreateTicket(const auth::Actor& actor, storage::Database& db,
                           const NewTicket& request, std::int64_t now,
                           const AttachmentStore* files = nullptr);

// The checks that need no database (permission to create at all, staff-only fields, text
// limits): run before a request queues for the writer, so that a refusal costs no one a wait.
// Throws what CreateTicket throws for them.
void CheckNewTicket(const auth::Actor& actor, const NewTicket& request);

// Who adds the first message to the search index.
enum class SearchIndexing {
  kNow,         // at once, in its own statement
  kByTheCaller  // the caller indexes the message ids (IndexMessages) before it commits
};

// The same, inside a write transaction the caller runs: for a committer that groups many
// creations into one commit (one fsync for all). Checks the permission and the input again,
// so it cannot be used to skip them. A committer indexes its batch's messages in one
// statement: FTS5 writes an index segment per statement, and per-ticket segments then cost
// merge after merge. Attachments are not taken here (std::logic_error).
// `fields`, when given, are the field definitions the caller read in this same transaction (a
// committer reads them once per batch); otherwise they are read here.
CreatedTicket CreateTicketIn(storage::Connection& c, const auth::Actor& actor,
                             const NewTicket& request, std::int64_t now,
                             SearchIndexing indexing = SearchIndexing::kNow,
                             const std::vector<FieldDefinition>* fields = nullptr);

}  // namespace rampart::tickets
