#include "mail/inbound/idle_watcher.h"

#include <algorithm>
#include <tuple>

#include "mail/inbound/imap_idle.h"
#include "observability/log.h"

namespace rampart::mail {
namespace {

auto Identity(const ImapSettings& s) {
  return std::tie(s.host, s.port, s.security, s.username, s.password, s.mailbox,
                  s.insecure_skip_verify, s.ca_file);
}

}  // namespace

IdleWatcher::IdleWatcher(std::string mailbox_name, ImapSettings settings,
                         std::function<void()> look_now)
    : mailbox_name_(std::move(mailbox_name)),
      settings_(std::move(settings)),
      look_now_(std::move(look_now)),
      thread_([this] { Run(); }) {}

IdleWatcher::~IdleWatcher() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  stopped_.notify_all();
  thread_.join();
}

bool IdleWatcher::Watches(const ImapSettings& settings) const {
  return Identity(settings_) == Identity(settings);
}

bool IdleWatcher::Pause(int seconds) {
  std::unique_lock lock(mutex_);
  return !stopped_.wait_for(lock, std::chrono::seconds(seconds), [this] { return stop_.load(); });
}

void IdleWatcher::Run() {
  int pause = 5;
  while (!stop_) {
    try {
      ImapIdle idle(settings_);
      if (!idle.Start()) {
        log::Info("mail_idle_unsupported", log::Fields().Add("mailbox", mailbox_name_));
        return;  // the poll interval does the work
      }
      log::Info("mail_idle_started", log::Fields().Add("mailbox", mailbox_name_));
      pause = 5;
      look_now_();
      while (!stop_) {
        if (idle.Wait(std::chrono::minutes(25), stop_) == ImapIdle::Event::kNewMail) look_now_();
      }
    } catch (const std::exception& e) {
      // ImapError texts never hold credentials.
      log::Warn("mail_idle_failed",
                log::Fields().Add("mailbox", mailbox_name_).Add("error", e.what()));
      if (!Pause(pause)) return;
      pause = std::min(pause * 2, 60);
    }
  }
}

}  // namespace rampart::mail
