#include "mail/inbound/imap_idle.h"

#include <curl/curl.h>
#include <poll.h>

#include <cctype>

namespace rampart::mail {
namespace {

// Longer lines are not what IDLE, SELECT or CAPABILITY answer: the server is refused.
constexpr std::size_t kMaxLine = 64 * 1024;
// RFC 2177: clients re-issue IDLE at least every 29 minutes.
constexpr auto kMaxIdle = std::chrono::minutes(25);

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& ch : out) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return out;
}

}  // namespace

bool IsExistsResponse(std::string_view line) {
  if (line.substr(0, 2) != "* ") return false;
  line.remove_prefix(2);
  std::size_t digits = 0;
  while (digits < line.size() && std::isdigit(static_cast<unsigned char>(line[digits])) != 0) {
    ++digits;
  }
  return digits > 0 && Upper(line.substr(digits)) == " EXISTS";
}

bool OffersIdle(std::string_view capability_lines) {
  const std::string upper = Upper(capability_lines);
  for (std::size_t at = upper.find("* CAPABILITY "); at != std::string::npos;
       at = upper.find("* CAPABILITY ", at + 1)) {
    const std::size_t end = upper.find('\n', at);
    const std::string line = upper.substr(at, end == std::string::npos ? end : end - at) + " ";
    if (line.find(" IDLE ") != std::string::npos) return true;
  }
  return false;
}

std::string QuotedMailbox(const std::string& name) {
  std::string out = "\"";
  for (char ch : name) {
    const auto u = static_cast<unsigned char>(ch);
    if (u < 0x20 || u == 0x7f) throw ImapError("the mailbox name holds a control character");
    if (ch == '"' || ch == '\\') out.push_back('\\');
    out.push_back(ch);
  }
  return out + "\"";
}

ImapIdle::ImapIdle(ImapSettings settings) : settings_(std::move(settings)) {
  curl_ = curl_easy_init();
  if (curl_ == nullptr) throw ImapError("could not start an IMAP client");
}

ImapIdle::~ImapIdle() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

bool ImapIdle::Start() {
  CURL* h = static_cast<CURL*>(curl_);
  char error[CURL_ERROR_SIZE] = {};
  // The server's root, not the mailbox: libcurl connects, negotiates TLS and logs in, then
  // hands the connection over (CONNECT_ONLY); SELECT and IDLE are ours.
  ImapSettings root = settings_;
  root.mailbox.clear();
  SetImapConnectionOptions(h, settings_, ImapUrl(root), error);
  curl_easy_setopt(h, CURLOPT_CONNECT_ONLY, 1L);
  const CURLcode result = curl_easy_perform(h);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  if (result != CURLE_OK) {
    throw ImapError("IMAP " + settings_.host + ": " +
                    (error[0] != '\0' ? std::string(error) : curl_easy_strerror(result)));
  }
  curl_socket_t socket = CURL_SOCKET_BAD;
  if (curl_easy_getinfo(h, CURLINFO_ACTIVESOCKET, &socket) != CURLE_OK ||
      socket == CURL_SOCKET_BAD) {
    throw ImapError("IMAP " + settings_.host + ": no connection");
  }
  socket_ = socket;
  const std::string capability_tag = "i" + std::to_string(++next_tag_);
  Send(capability_tag + " CAPABILITY");
  if (!OffersIdle(Complete(capability_tag))) return false;
  const std::string select_tag = "i" + std::to_string(++next_tag_);
  Send(select_tag + " EXAMINE " + QuotedMailbox(settings_.mailbox));  // read-only: we only watch
  Complete(select_tag);
  return true;
}

ImapIdle::Event ImapIdle::Wait(std::chrono::seconds max_wait, const std::atomic<bool>& stop,
                               std::chrono::milliseconds stop_check) {
  const auto timeout = std::chrono::milliseconds(settings_.timeout_seconds * 1000);
  const std::string tag = "i" + std::to_string(++next_tag_);
  Send(tag + " IDLE");
  while (true) {
    const std::string line = ReadLine(timeout);
    if (!line.empty() && line.front() == '+') break;
    if (line.rfind(tag + " ", 0) == 0) throw ImapError("IMAP " + settings_.host + ": IDLE refused");
  }
  const auto deadline =
      std::chrono::steady_clock::now() + std::min<std::chrono::seconds>(max_wait, kMaxIdle);
  Event event = Event::kQuiet;
  while (event == Event::kQuiet) {
    if (stop.load()) {
      event = Event::kStopped;
      break;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) break;
    const auto slice =
        std::min(stop_check, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now));
    // TLS may hold decrypted bytes the socket no longer shows: take them before waiting.
    if (buffer_.find('\n') == std::string::npos && !ReadAvailable() &&
        WaitReadable(slice) == Readable::kTimeout) {
      continue;
    }
    if (buffer_.find('\n') == std::string::npos && !ReadAvailable()) continue;
    if (IsExistsResponse(ReadLine(timeout))) event = Event::kNewMail;
  }
  Send("DONE");
  Complete(tag);
  return event;
}

void ImapIdle::Send(const std::string& line) {
  CURL* h = static_cast<CURL*>(curl_);
  const std::string data = line + "\r\n";
  std::size_t offset = 0;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(settings_.timeout_seconds);
  while (offset < data.size()) {
    std::size_t sent = 0;
    const CURLcode result = curl_easy_send(h, data.data() + offset, data.size() - offset, &sent);
    if (result == CURLE_AGAIN) {
      pollfd fd{static_cast<int>(socket_), POLLOUT, 0};
      if (std::chrono::steady_clock::now() > deadline || poll(&fd, 1, 1000) < 0) {
        throw ImapError("IMAP " + settings_.host + ": write timed out");
      }
      continue;
    }
    if (result != CURLE_OK) {
      throw ImapError("IMAP " + settings_.host + ": " + curl_easy_strerror(result));
    }
    offset += sent;
  }
}

ImapIdle::Readable ImapIdle::WaitReadable(std::chrono::milliseconds timeout) {
  pollfd fd{static_cast<int>(socket_), POLLIN, 0};
  const int ready = poll(&fd, 1, static_cast<int>(timeout.count()));
  if (ready < 0 && errno != EINTR) throw ImapError("IMAP " + settings_.host + ": poll failed");
  return ready > 0 ? Readable::kYes : Readable::kTimeout;
}

bool ImapIdle::ReadAvailable() {
  char chunk[4096];
  std::size_t received = 0;
  const CURLcode result = curl_easy_recv(static_cast<CURL*>(curl_), chunk, sizeof chunk, &received);
  if (result == CURLE_AGAIN) return false;
  if (result != CURLE_OK) {
    throw ImapError("IMAP " + settings_.host + ": " + curl_easy_strerror(result));
  }
  if (received == 0) throw ImapError("IMAP " + settings_.host + ": connection closed");
  if (buffer_.size() + received > kMaxLine) {
    throw ImapError("IMAP " + settings_.host + ": line too long");
  }
  buffer_.append(chunk, received);
  return true;
}

std::string ImapIdle::ReadLine(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const std::size_t end = buffer_.find('\n');
    if (end != std::string::npos) {
      std::string line = buffer_.substr(0, end);
      buffer_.erase(0, end + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    if (ReadAvailable()) continue;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) throw ImapError("IMAP " + settings_.host + ": read timed out");
    WaitReadable(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now));
  }
}

std::string ImapIdle::Complete(const std::string& tag) {
  const auto timeout = std::chrono::milliseconds(settings_.timeout_seconds * 1000);
  std::string untagged;
  while (true) {
    const std::string line = ReadLine(timeout);
    if (line.rfind(tag + " ", 0) == 0) {
      if (Upper(line.substr(tag.size() + 1, 2)) != "OK") {
        throw ImapError("IMAP " + settings_.host + ": " + line.substr(0, 200));
      }
      return untagged;
    }
    untagged += line;
    untagged += '\n';
  }
}

}  // namespace rampart::mail
