#include "mime/email_message.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

namespace rampart::mime {
namespace {

void InitGMime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

// GLib strings and objects released at scope end.
struct GFreeDeleter {
  void operator()(void* p) const { g_free(p); }
};
using OwnedChars = std::unique_ptr<char, GFreeDeleter>;
template <typename T>
struct UnrefDeleter {
  void operator()(T* p) const {
    if (p != nullptr) g_object_unref(p);
  }
};
template <typename T>
using GObjectPtr = std::unique_ptr<T, UnrefDeleter<T>>;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Text from GMime is UTF-8 after charset conversion, but a lying charset label can still leave
// invalid sequences; they become U+FFFD rather than reaching storage or templates.
std::string ValidUtf8(const char* text) {
  if (text == nullptr) return {};
  OwnedChars valid(g_utf8_make_valid(text, -1));
  return valid ? std::string(valid.get()) : std::string();
}

// Bodies are stored with "\n" line ends, whatever the wire used.
std::string WithLineFeeds(std::string text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out.push_back(text[i]);
  }
  return out;
}

std::string Unfolded(const char* raw) {
  std::string out;
  if (raw == nullptr) return out;
  for (const char* p = raw; *p != '\0'; ++p) {
    if (*p != '\r' && *p != '\n') out.push_back(*p);
  }
  const auto first = out.find_first_not_of(" \t");
  return first == std::string::npos ? std::string() : out.substr(first);
}

void AppendAddresses(InternetAddressList* list, std::vector<EmailAddress>& out, int depth = 0) {
  if (list == nullptr || depth > 2) return;
  const int count = std::min(internet_address_list_length(list), 100);
  for (int i = 0; i < count; ++i) {
    InternetAddress* address = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_MAILBOX(address)) {
      EmailAddress entry;
      entry.name = ValidUtf8(internet_address_get_name(address));
      const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address));
      entry.address = addr != nullptr ? ValidUtf8(addr) : std::string();
      out.push_back(std::move(entry));
    } else if (INTERNET_ADDRESS_IS_GROUP(address)) {
      AppendAddresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(address)), out,
                      depth + 1);
    }
  }
}

EmailAddress FirstAddress(InternetAddressList* list) {
  std::vector<EmailAddress> all;
  AppendAddresses(list, all);
  return all.empty() ? EmailAddress{} : all.front();
}

std::string Bytes(GMimeDataWrapper* wrapper) {
  if (wrapper == nullptr) return {};
  GObjectPtr<GMimeStream> memory(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(wrapper, memory.get());
  GByteArray* array = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(memory.get()));
  return array == nullptr ? std::string()
                          : std::string(reinterpret_cast<const char*>(array->data), array->len);
}

class PartWalker {
 public:
  PartWalker(const EmailLimits& limits, EmailMessage& message)
      : limits_(limits), message_(message) {}

  void Walk(GMimeObject* object, std::size_t depth) {
    if (object == nullptr) return;
    if (++parts_ > limits_.max_parts || depth > limits_.max_depth) {
      message_.truncated = true;
      return;
    }
    if (GMIME_IS_MULTIPART(object)) {
      const int count = g_mime_multipart_get_count(GMIME_MULTIPART(object));
      for (int i = 0; i < count; ++i)
        Walk(g_mime_multipart_get_part(GMIME_MULTIPART(object), i), depth + 1);
    } else if (GMIME_IS_MESSAGE_PART(object)) {
      NestedMessage(GMIME_MESSAGE_PART(object));
    } else if (GMIME_IS_PART(object)) {
      Part(GMIME_PART(object));
    }
  }

 private:
  // A forwarded message stays whole, as an .eml attachment: its sender is not ours to trust,
  // and an agent can open it.
  void NestedMessage(GMimeMessagePart* part) {
    GMimeMessage* inner = g_mime_message_part_get_message(part);
    if (inner == nullptr) return;
    EmailAttachment attachment;
    const char* subject = g_mime_message_get_subject(inner);
    attachment.filename =
        (subject != nullptr && *subject != '\0' ? ValidUtf8(subject) : "message") + ".eml";
    attachment.declared_type = "message/rfc822";
    OwnedChars text(g_mime_object_to_string(GMIME_OBJECT(inner), nullptr));
    if (text) attachment.bytes = text.get();
    message_.attachments.push_back(std::move(attachment));
  }

  void Part(GMimePart* part) {
    GMimeObject* object = GMIME_OBJECT(part);
    OwnedChars type(g_mime_content_type_get_mime_type(g_mime_object_get_content_type(object)));
    std::string mime_type = type ? type.get() : "application/octet-stream";
    std::transform(mime_type.begin(), mime_type.end(), mime_type.begin(), [](char c) {
      return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    });
    const bool attachment = g_mime_part_is_attachment(part) != FALSE;
    if (!attachment && GMIME_IS_TEXT_PART(object)) {
      std::string* body = mime_type == "text/plain"  ? &message_.text_body
                          : mime_type == "text/html" ? &message_.html_body
                                                     : nullptr;
      if (body != nullptr && body->empty()) {
        OwnedChars text(g_mime_text_part_get_text(GMIME_TEXT_PART(object)));
        *body = WithLineFeeds(ValidUtf8(text.get()));
        return;
      }
    }
    EmailAttachment entry;
    entry.filename = ValidUtf8(g_mime_part_get_filename(part));
    entry.declared_type = mime_type;
    if (const char* id = g_mime_object_get_content_id(object)) entry.content_id = ValidUtf8(id);
    entry.is_inline = !attachment;
    entry.bytes = Bytes(g_mime_part_get_content(part));
    message_.attachments.push_back(std::move(entry));
  }

  const EmailLimits& limits_;
  EmailMessage& message_;
  std::size_t parts_ = 0;
};

}  // namespace

std::string EmailMessage::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return value;
  }
  return {};
}

std::vector<std::string> EmailMessage::Headers(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) values.push_back(value);
  }
  return values;
}

std::vector<std::string> MessageIds(std::string_view value) {
  std::vector<std::string> ids;
  std::size_t at = 0;
  while (ids.size() < 100) {
    const auto open = value.find('<', at);
    if (open == std::string_view::npos) break;
    const auto close = value.find('>', open + 1);
    if (close == std::string_view::npos) break;
    std::string id(value.substr(open + 1, close - open - 1));
    const bool plausible =
        !id.empty() && id.size() <= 250 && std::none_of(id.begin(), id.end(), [](char c) {
          return static_cast<unsigned char>(c) <= 0x20 || c == '<';
        });
    if (plausible) ids.push_back(std::move(id));
    at = close + 1;
  }
  return ids;
}

ParsedEmail ParseEmail(std::string_view raw, const EmailLimits& limits) {
  ParsedEmail parsed;
  if (raw.size() > limits.max_message_bytes) {
    parsed.error = EmailError::kTooLarge;
    return parsed;
  }
  InitGMime();
  GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  GObjectPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
  if (!message) {
    parsed.error = EmailError::kNotAMessage;
    return parsed;
  }
  EmailMessage& out = parsed.message;
  GMimeHeaderList* list = g_mime_object_get_header_list(GMIME_OBJECT(message.get()));
  const int count = g_mime_header_list_get_count(list);
  for (int i = 0; i < count; ++i) {
    if (out.headers.size() >= limits.max_headers) {
      out.truncated = true;
      break;
    }
    GMimeHeader* header = g_mime_header_list_get_header_at(list, i);
    const char* name = g_mime_header_get_name(header);
    out.headers.emplace_back(name != nullptr ? name : "",
                             Unfolded(g_mime_header_get_raw_value(header)));
  }
  if (const char* id = g_mime_message_get_message_id(message.get())) out.message_id = ValidUtf8(id);
  out.in_reply_to = MessageIds(out.Header("In-Reply-To"));
  out.references = MessageIds(out.Header("References"));
  out.from = FirstAddress(g_mime_message_get_from(message.get()));
  out.sender = FirstAddress(g_mime_message_get_sender(message.get()));
  AppendAddresses(g_mime_message_get_to(message.get()), out.to);
  AppendAddresses(g_mime_message_get_cc(message.get()), out.cc);
  AppendAddresses(g_mime_message_get_reply_to(message.get()), out.reply_to);
  out.subject = ValidUtf8(g_mime_message_get_subject(message.get()));
  if (GDateTime* date = g_mime_message_get_date(message.get()))
    out.date = g_date_time_to_unix(date);
  PartWalker(limits, out).Walk(g_mime_message_get_mime_part(message.get()), 0);
  return parsed;
}

}  // namespace rampart::mime
