#pragma once
// IMAP IDLE (RFC 2177): a connection of its own that tells the poller when a mailbox changes,
// so that mail is imported within a second or two instead of at the next poll. It only wakes
// the poller; reading, importing and marking stay with ImapClient, so nothing the server says
// here is trusted beyond "look now".
#include <atomic>
#include <chrono>
#include <string>

#include "mail/inbound/imap_client.h"

namespace rampart::mail {

class ImapIdle {
 public:
  explicit ImapIdle(ImapSettings settings);
  ~ImapIdle();
  ImapIdle(const ImapIdle&) = delete;
  ImapIdle& operator=(const ImapIdle&) = delete;

  // Connects with the same TLS rules as ImapClient (verification on, STARTTLS required when
  // asked), logs in and selects the mailbox. False when the server does not offer IDLE.
  // Throws ImapError (whose text never holds credentials).
  bool Start();

  enum class Event { kNewMail, kQuiet, kStopped };
  // Idles until the server reports new mail (an untagged EXISTS), `max_wait` passes (servers
  // drop idle clients after 30 minutes: call again) or `stop` becomes true (checked every
  // `stop_check`). Throws ImapError when the connection fails or the server misbehaves.
  Event Wait(std::chrono::seconds max_wait, const std::atomic<bool>& stop,
             std::chrono::milliseconds stop_check = std::chrono::milliseconds(500));

 private:
  void Send(const std::string& line);
  // Appends what can be read without waiting; false when nothing could.
  bool ReadAvailable();
  // One line without its CRLF; waits up to `timeout` (ImapError past it).
  std::string ReadLine(std::chrono::milliseconds timeout);
  // Lines until the tagged completion of `tag`; ImapError unless it is OK. Returns the
  // untagged lines.
  std::string Complete(const std::string& tag);
  enum class Readable { kYes, kTimeout };
  Readable WaitReadable(std::chrono::milliseconds timeout);

  ImapSettings settings_;
  void* curl_ = nullptr;
  long socket_ = -1;
  std::string buffer_;
  int next_tag_ = 0;
};

// Whether an untagged response line announces new mail ("* 23 EXISTS").
bool IsExistsResponse(std::string_view line);
// Whether a CAPABILITY response lists IDLE.
bool OffersIdle(std::string_view capability_lines);
// A mailbox name as an IMAP quoted string; ImapError for characters a quoted string cannot hold.
std::string QuotedMailbox(const std::string& name);

}  // namespace rampart::mail
