#pragma once
// One mailbox watched with IMAP IDLE on a thread of its own, telling the poller to look now
// when mail arrives. A server without IDLE is left to the poll interval; a failed connection is
// retried with a growing pause (up to a minute); the poll interval stays the safety net.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "mail/inbound/imap_client.h"

namespace rampart::mail {

class IdleWatcher {
 public:
  // `look_now` is called from the watcher's thread: once when IDLE begins (mail that arrived
  // before it is not announced) and on every announced arrival.
  IdleWatcher(std::string mailbox_name, ImapSettings settings, std::function<void()> look_now);
  ~IdleWatcher();  // stops and joins (within about a second, or the IMAP timeout)
  IdleWatcher(const IdleWatcher&) = delete;
  IdleWatcher& operator=(const IdleWatcher&) = delete;

  // Whether these settings are the ones being watched (a changed mailbox gets a new watcher).
  bool Watches(const ImapSettings& settings) const;

 private:
  void Run();
  // Sleeps up to `seconds`; false when asked to stop meanwhile.
  bool Pause(int seconds);

  const std::string mailbox_name_;
  const ImapSettings settings_;
  const std::function<void()> look_now_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable stopped_;
  std::thread thread_;  // last: starts once everything above is ready
};

}  // namespace rampart::mail
