#pragma once
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <future>
#include <mutex>
#include <span>
#include <thread>
#include <variant>
#include <vector>

#include "auth/authorize.h"
#include "storage/database.h"
#include "tickets/create_ticket.h"

namespace rampart::tickets {

// One creation waiting for a group commit. The pointers belong to the caller, who waits.
struct PendingTicket {
  const auth::Actor* actor = nullptr;
  const NewTicket* request = nullptr;
  std::int64_t now = 0;
};

// What became of one creation in a group commit: the ticket, or what CreateTicket would have
// thrown for it alone.
using PendingOutcome = std::variant<CreatedTicket, std::exception_ptr>;

// One group commit: every ticket under its own savepoint, all in one transaction (one fsync).
// A ticket that fails is rolled back alone and reported in its outcome; its batch-mates commit,
// and the numbers stay gap-free because the failed one's number is rolled back with it. When
// the commit itself fails, every outcome is that failure: nothing of the batch was written.
std::vector<PendingOutcome> CreateTicketsInOneCommit(storage::Database& db,
                                                     std::span<const PendingTicket> items);

// The one writer of ticket creations. With synchronous=FULL each commit waits for the disk, so
// one transaction per request caps creation at the disk's fsync rate (~270 a second here).
// The committer's thread instead takes every creation queued while the previous commit was
// running, up to `max_batch`, and commits them together: under load the batch grows by itself,
// when idle a lone request commits at once (no timer adds latency).
// Create() returns only after the ticket's batch committed, so a 201 still means on disk.
class TicketCommitter {
 public:
  explicit TicketCommitter(storage::Database& db, std::size_t max_batch = 256);
  // Commits what is queued, then stops.
  ~TicketCommitter();
  TicketCommitter(const TicketCommitter&) = delete;
  TicketCommitter& operator=(const TicketCommitter&) = delete;

  // CreateTicket, through the group commit: same checks, same results, same exceptions.
  CreatedTicket Create(const auth::Actor& actor, const NewTicket& request, std::int64_t now);

  // Commits so far and tickets they carried (both only grow): tickets / commits is the mean batch.
  std::uint64_t Commits() const;
  std::uint64_t Tickets() const;

 private:
  struct Waiter {
    PendingTicket item;
    std::promise<CreatedTicket> done;
  };
  void Run();

  storage::Database& db_;
  const std::size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<Waiter*> queue_;
  bool stopping_ = false;
  std::uint64_t commits_ = 0;
  std::uint64_t tickets_ = 0;
  std::thread thread_;  // last: starts once everything above is ready
};

// CreateTicket through the committer: the action's name at the call site, the group commit
// underneath.
inline CreatedTicket CreateTicket(const auth::Actor& actor, TicketCommitter& committer,
                                  const NewTicket& request, std::int64_t now) {
  return committer.Create(actor, request, now);
}

}  // namespace rampart::tickets
