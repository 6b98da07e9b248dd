#include "mail/inbound/poller.h"

#include <map>

#include "mail/inbound/mailboxes.h"
#include "observability/log.h"

namespace rampart::mail {

MailPoller::MailPoller(InboundServices& services, const auth::SecretBox& box,
                       const core::Clock& clock)
    : services_(services), box_(box), clock_(clock), thread_([this] { Run(); }) {}

MailPoller::~MailPoller() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void MailPoller::Run() {
  std::map<std::int64_t, std::int64_t> next_poll;  // mailbox id -> when
  while (true) {
    {
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, std::chrono::seconds(5), [this] { return stopping_; })) return;
    }
    const std::int64_t now = clock_.NowUnixSeconds();
    std::vector<PolledMailbox> mailboxes;
    try {
      mailboxes = MailboxesToPoll(services_.db, box_);
    } catch (const std::exception& e) {
      log::Error("mail_poll_failed", log::Fields().Add("error", e.what()));
      continue;
    }
    for (const PolledMailbox& polled : mailboxes) {
      auto& due = next_poll[polled.mailbox.id];
      if (due > now) continue;
      due = now + polled.poll_seconds;
      std::string result;
      try {
        result = std::to_string(PollOnce(services_, polled, now)) + " imported";
      } catch (const std::exception& e) {
        // ImapError texts never hold credentials.
        log::Warn("mail_poll_failed",
                  log::Fields().Add("mailbox", polled.mailbox.name).Add("error", e.what()));
        result = std::string("failed: ") + e.what();
      }
      // For the admin's list of mailboxes; a failure to note it must not stop the polling.
      try {
        RecordPollResult(services_.db, polled.mailbox.id, now, result);
      } catch (const std::exception& e) {
        log::Error("mail_poll_result_not_recorded", log::Fields().Add("error", e.what()));
      }
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
  }
}

}  // namespace rampart::mail
