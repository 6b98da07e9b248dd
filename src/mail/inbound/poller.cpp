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

void MailPoller::LookNow(std::int64_t mailbox_id) {
  {
    std::lock_guard lock(mutex_);
    look_now_.insert(mailbox_id);
  }
  wake_.notify_all();
}

void MailPoller::KeepWatchers(const std::vector<PolledMailbox>& mailboxes) {
  std::set<std::int64_t> present;
  for (const PolledMailbox& polled : mailboxes) {
    const std::int64_t id = polled.mailbox.id;
    present.insert(id);
    auto& watcher = watchers_[id];
    if (watcher && watcher->Watches(polled.imap)) continue;
    watcher.reset();  // settings changed: the old connection goes first
    watcher = std::make_unique<IdleWatcher>(polled.mailbox.name, polled.imap,
                                            [this, id] { LookNow(id); });
  }
  std::erase_if(watchers_, [&](const auto& entry) { return !present.contains(entry.first); });
}

void MailPoller::Run() {
  std::map<std::int64_t, std::int64_t> next_poll;  // mailbox id -> when
  std::map<std::int64_t, std::int64_t> last_poll;  // mailbox id -> when
  std::set<std::int64_t> deferred;                 // asked for, but polled too recently
  while (true) {
    std::set<std::int64_t> look_now;
    {
      std::unique_lock lock(mutex_);
      // A mailbox IDLE asked for, polled too recently, is looked at within the next second.
      const auto wait = deferred.empty() ? std::chrono::seconds(5) : std::chrono::seconds(1);
      wake_.wait_for(lock, wait, [this] { return stopping_ || !look_now_.empty(); });
      if (stopping_) {
        lock.unlock();
        watchers_.clear();
        return;
      }
      look_now.swap(look_now_);
    }
    look_now.merge(deferred);
    deferred.clear();
    const std::int64_t now = clock_.NowUnixSeconds();
    std::vector<PolledMailbox> mailboxes;
    try {
      mailboxes = MailboxesToPoll(services_.db, box_);
    } catch (const std::exception& e) {
      log::Error("mail_poll_failed", log::Fields().Add("error", e.what()));
      continue;
    }
    KeepWatchers(mailboxes);
    for (const PolledMailbox& polled : mailboxes) {
      const std::int64_t id = polled.mailbox.id;
      auto& due = next_poll[id];
      const bool asked = look_now.contains(id);
      if (asked && now - last_poll[id] < kMinSecondsBetweenPolls) {
        deferred.insert(id);  // not yet: kept for the next round
        continue;
      }
      if (due > now && !asked) continue;
      due = now + polled.poll_seconds;
      last_poll[id] = now;
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
      if (stopping_) break;
    }
  }
}

}  // namespace rampart::mail
