#include "mail/inbound/mbox_reader.h"

#include <string>
#include <string_view>

namespace rampart::mail {
namespace {

bool IsSeparator(std::string_view line) {
  return line.substr(0, 5) == "From ";
}

// ">From ", ">>From ": a quoted body line; one level of quoting is removed.
bool IsQuotedFrom(std::string_view line) {
  const auto first = line.find_first_not_of('>');
  return first != 0 && first != std::string_view::npos && line.substr(first, 5) == "From ";
}

}  // namespace

MboxReader::MboxReader(std::istream& in, std::size_t max_message_bytes)
    : in_(in), max_message_bytes_(max_message_bytes) {}

bool MboxReader::ReadLine() {
  // Byte by byte from the stream's buffer, keeping at most what a message may hold: a hostile
  // file with one endless line must not be read into memory whole (getline would).
  line_.clear();
  std::streambuf* buffer = in_.rdbuf();
  const std::size_t keep = max_message_bytes_ + 2;
  bool any = false;
  for (int ch = buffer->sbumpc(); ch != std::char_traits<char>::eof(); ch = buffer->sbumpc()) {
    any = true;
    if (line_.size() < keep) line_.push_back(static_cast<char>(ch));
    if (ch == '\n') return true;
  }
  return any;
}

void MboxReader::Append(MboxMessage& message, std::string_view text) const {
  if (message.truncated) return;
  message.raw.append(text);
  if (message.raw.size() > max_message_bytes_) {
    message.raw.resize(max_message_bytes_ + 1);
    message.truncated = true;
  }
}

std::optional<MboxMessage> MboxReader::Next() {
  if (!have_line_ && !ReadLine()) return std::nullopt;
  have_line_ = false;
  MboxMessage message;
  if (!started_) {
    started_ = true;
    if (!IsSeparator(line_)) {
      // No separator on the first line: one bare message, the whole input, as it is.
      do {
        Append(message, line_);
      } while (ReadLine());
      return message;
    }
  }
  // A blank line is held back: it may be the one a writer puts before the next separator.
  std::string blank;
  while (ReadLine()) {
    if (IsSeparator(line_)) {
      have_line_ = true;
      break;
    }
    if (!blank.empty()) {
      Append(message, blank);
      blank.clear();
    }
    if (line_ == "\n" || line_ == "\r\n") {
      blank = line_;
      continue;
    }
    std::string_view text = line_;
    if (IsQuotedFrom(text)) text.remove_prefix(1);
    Append(message, text);
  }
  return message;
}

}  // namespace rampart::mail
