#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "auth/authorize.h"
#include "storage/database.h"
#include "tickets/attachments.h"
#include "tickets/ticket.h"

namespace rampart::tickets {

struct ReplyRequest {
  std::string ticket;  // public number, "RMP-1042"
  std::string body;
  // Staff only: submit the reply and set the status in one step ("reply and mark pending").
  std::optional<Status> status;
  // Files to attach (needs the store argument). With at least one file the body may be empty.
  std::vector<Upload> attachments;
};

struct PostedMessage {
  std::int64_t message_id = 0;
  Status status = Status::kOpen;  // the ticket's status afterwards
  std::vector<AttachmentInfo> attachments;
};

// The body of a message that carries files: it may be empty; otherwise the usual rules apply.
std::string CheckMessageBody(std::string_view body, bool has_attachments);
// The store for a request's files; a request with files but no store is a caller bug.
const AttachmentStore* RequireStore(const AttachmentStore* files, std::size_t count);

// A public reply on the ticket's thread. End users reply only on tickets they reach, and their
// reply reopens the ticket (solved, pending or on hold become open); the first staff reply sets
// first_response_at. Closed and merged tickets take no replies (core::Conflict): a follow-up
// after closing is a new ticket.
// The request's files are checked, sealed and written before the transaction and removed again
// when it fails.
PostedMessage Reply(const auth::Actor& actor, storage::Database& db, const ReplyRequest& request,
                    std::int64_t now, const AttachmentStore* files = nullptr);

// The same inside a write transaction the caller runs (inbound mail records the message and
// its reply in one commit, so a message is never imported twice or lost). Checks everything
// Reply checks.
PostedMessage ReplyIn(storage::Connection& c, const auth::Actor& actor, const ReplyRequest& request,
                      std::int64_t now);

}  // namespace rampart::tickets
