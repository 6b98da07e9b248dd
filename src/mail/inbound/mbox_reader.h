#pragma once
#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <string_view>

namespace rampart::mail {

// One message of an mbox, as the MTA delivered it (the "From " separator line removed and
// ">From " lines unquoted).
struct MboxMessage {
  std::string raw;
  // The message had more than the reader's limit: `raw` holds the limit plus one byte, enough
  // for the import to see that it is too large, and the rest was skipped, not kept in memory.
  bool truncated = false;
};

// Reads an mbox one message at a time, so that a mailbox of any size is imported in the memory
// of its largest message (bounded by `max_message_bytes`). Both common variants: in mboxrd and
// mboxo every line that starts with "From " separates messages (writers quote such body lines),
// and one '>' is removed from a line that starts with one or more '>' followed by "From ".
// The blank line a writer puts before each separator is not part of the message.
class MboxReader {
 public:
  MboxReader(std::istream& in, std::size_t max_message_bytes);

  // The next message; nullopt at the end. Text before the first separator is not a message
  // (an mbox starts with one) and is skipped; a file without any separator holds one message,
  // so that a single .eml piped in is imported as before.
  std::optional<MboxMessage> Next();

 private:
  bool ReadLine();
  void Append(MboxMessage& message, std::string_view text) const;

  std::istream& in_;
  std::size_t max_message_bytes_;
  std::string line_;
  bool have_line_ = false;  // line_ holds a line read ahead (the next separator)
  bool started_ = false;
};

}  // namespace rampart::mail
