#pragma once
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "core/clock.h"
#include "mail/inbound/idle_watcher.h"
#include "mail/inbound/ingest.h"
#include "mail/inbound/mailboxes.h"

namespace rampart::mail {

// Polls every enabled IMAP mailbox on its own interval, in one background thread (IMAP and DNS
// block; they never run on a request thread). The mailbox list is re-read each round, so a
// mailbox added while serving is picked up. Errors are logged and retried next round.
// Where the server offers IMAP IDLE, an IdleWatcher per mailbox asks for a poll as soon as mail
// arrives (at most one every kMinSecondsBetweenPolls per mailbox); the interval stays the net.
class MailPoller {
 public:
  MailPoller(InboundServices& services, const auth::SecretBox& box, const core::Clock& clock);
  ~MailPoller();  // stops and joins
  MailPoller(const MailPoller&) = delete;
  MailPoller& operator=(const MailPoller&) = delete;

  static constexpr std::int64_t kMinSecondsBetweenPolls = 2;

 private:
  void Run();
  void LookNow(std::int64_t mailbox_id);
  // Starts, replaces and stops the watchers so that they follow `mailboxes`.
  void KeepWatchers(const std::vector<PolledMailbox>& mailboxes);
  InboundServices& services_;
  const auth::SecretBox& box_;
  const core::Clock& clock_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::set<std::int64_t> look_now_;  // mailboxes IDLE reported new mail for
  std::map<std::int64_t, std::unique_ptr<IdleWatcher>> watchers_;  // Run's thread only
  std::thread thread_;
};

}  // namespace rampart::mail
