#pragma once
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/clock.h"
#include "mail/inbound/ingest.h"

namespace rampart::mail {

// Polls every enabled IMAP mailbox on its own interval, in one background thread (IMAP and DNS
// block; they never run on a request thread). The mailbox list is re-read each round, so a
// mailbox added while serving is picked up. Errors are logged and retried next round.
class MailPoller {
 public:
  MailPoller(InboundServices& services, const auth::SecretBox& box, const core::Clock& clock);
  ~MailPoller();  // stops and joins
  MailPoller(const MailPoller&) = delete;
  MailPoller& operator=(const MailPoller&) = delete;

 private:
  void Run();
  InboundServices& services_;
  const auth::SecretBox& box_;
  const core::Clock& clock_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace rampart::mail
