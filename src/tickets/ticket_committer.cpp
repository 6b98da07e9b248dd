#include "tickets/ticket_committer.h"

#include <stdexcept>
#include <utility>

#include "tickets/custom_fields.h"
#include "tickets/ticket_store.h"

namespace rampart::tickets {

std::vector<PendingOutcome> CreateTicketsInOneCommit(storage::Database& db,
                                                     std::span<const PendingTicket> items) {
  std::vector<PendingOutcome> outcomes(items.size());
  try {
    storage::Lease c = db.Write();
    storage::Transaction tx(*c);
    // Definitions change only through this same writer: one read serves the whole batch.
    const std::vector<FieldDefinition> fields = LoadFieldDefinitions(*c);
    std::int64_t first_message = 0;
    std::int64_t last_message = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const PendingTicket& item = items[i];
      c->Execute("SAVEPOINT ticket");
      try {
        const CreatedTicket created = CreateTicketIn(*c, *item.actor, *item.request, item.now,
                                                     SearchIndexing::kByTheCaller, &fields);
        c->Execute("RELEASE ticket");
        outcomes[i] = created;
        if (first_message == 0) first_message = created.message_id;
        last_message = created.message_id;
      } catch (const storage::DatabaseError& e) {
        // The database itself failed (disk, corruption): the whole batch is in doubt. A
        // constraint this one ticket broke is its own failure, like invalid input.
        if (!e.IsConstraintViolation()) throw;
        outcomes[i] = std::current_exception();
        c->Execute("ROLLBACK TO ticket");
        c->Execute("RELEASE ticket");
      } catch (...) {
        outcomes[i] = std::current_exception();
        c->Execute("ROLLBACK TO ticket");
        c->Execute("RELEASE ticket");
      }
    }
    // The one writer wrote every message in this range, and a rolled-back ticket's message id
    // is taken again by the next one, so the range holds exactly the batch's first messages.
    if (first_message != 0) IndexMessages(*c, first_message, last_message);
    tx.Commit();
  } catch (...) {
    const std::exception_ptr failure = std::current_exception();
    for (PendingOutcome& outcome : outcomes) outcome = failure;
  }
  return outcomes;
}

TicketCommitter::TicketCommitter(storage::Database& db, std::size_t max_batch)
    : db_(db), max_batch_(max_batch < 1 ? 1 : max_batch), thread_([this] { Run(); }) {}

TicketCommitter::~TicketCommitter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_all();
  thread_.join();
}

CreatedTicket TicketCommitter::Create(const auth::Actor& actor, const NewTicket& request,
                                      std::int64_t now) {
  // Refusals that need no database never join a batch.
  CheckNewTicket(actor, request);
  Waiter waiter{{&actor, &request, now}, {}};
  std::future<CreatedTicket> done = waiter.done.get_future();
  {
    std::lock_guard lock(mutex_);
    if (stopping_) throw std::runtime_error("ticket committer is stopping");
    queue_.push_back(&waiter);
  }
  queued_.notify_one();
  return done.get();
}

std::uint64_t TicketCommitter::Commits() const {
  std::lock_guard lock(mutex_);
  return commits_;
}

std::uint64_t TicketCommitter::Tickets() const {
  std::lock_guard lock(mutex_);
  return tickets_;
}

void TicketCommitter::Run() {
  std::vector<Waiter*> batch;
  std::vector<PendingTicket> items;
  while (true) {
    batch.clear();
    items.clear();
    {
      std::unique_lock lock(mutex_);
      queued_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to commit
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    for (const Waiter* w : batch) items.push_back(w->item);
    std::vector<PendingOutcome> outcomes = CreateTicketsInOneCommit(db_, items);
    {
      std::lock_guard lock(mutex_);
      ++commits_;
      tickets_ += batch.size();
    }
    // Answered only now: the batch is on disk (or failed as a whole).
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (auto* created = std::get_if<CreatedTicket>(&outcomes[i])) {
        batch[i]->done.set_value(*created);
      } else {
        batch[i]->done.set_exception(std::get<std::exception_ptr>(outcomes[i]));
      }
    }
  }
}

}  // namespace rampart::tickets
