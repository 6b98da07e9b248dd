#pragma once
#include <cstdint>
#include <string>

#include "auth/authorize.h"
#include "storage/database.h"
#include "tickets/reply.h"

namespace rampart::tickets {

struct NoteRequest {
  std::string ticket;  // public number
  std::string body;
  std::vector<Upload> attachments;  // as on a reply: the note's files are as internal as it is
};

// An internal note: staff only (ticket.note), never shown to end users, never sent by mail.
// It changes the ticket's updated_at (agents' queues sort by it) but not last_message_at, which
// end users see.
PostedMessage AddNote(const auth::Actor& actor, storage::Database& db, const NoteRequest& request,
                      std::int64_t now, const AttachmentStore* files = nullptr);

}  // namespace rampart::tickets
