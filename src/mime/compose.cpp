#include "mime/compose.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <memory>
#include <mutex>

namespace rampart::mime {
namespace {

void InitGMime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

template <typename T>
struct UnrefDeleter {
  void operator()(T* p) const {
    if (p != nullptr) g_object_unref(p);
  }
};
template <typename T>
using GObjectPtr = std::unique_ptr<T, UnrefDeleter<T>>;

bool HasControlOrSpace(const std::string& value) {
  return std::any_of(value.begin(), value.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f;
  });
}

bool IsPlainAddress(const std::string& address) {
  const auto at = address.rfind('@');
  return !address.empty() && address.size() <= 254 && at != std::string::npos && at > 0 &&
         at + 1 < address.size() && !HasControlOrSpace(address) &&
         address.find_first_of("<>,;:\"\\()[]") == std::string::npos;
}

bool IsMessageId(const std::string& id) {
  return !id.empty() && id.size() <= 250 && id.find('@') != std::string::npos &&
         !HasControlOrSpace(id) && id.find_first_of("<>") == std::string::npos;
}

// Line breaks and other controls in free text become spaces: a header value stays one line.
std::string OneLine(const std::string& text) {
  std::string out = text;
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = ' ';
  }
  return out;
}

void AddAddresses(GMimeMessage* message, GMimeAddressType type,
                  const std::vector<OutgoingAddress>& addresses, const char* field,
                  std::vector<ComposeError>& errors) {
  for (const auto& a : addresses) {
    if (!IsPlainAddress(a.address)) {
      errors.push_back({field, "not a plain email address"});
      continue;
    }
    g_mime_message_add_mailbox(message, type, OneLine(a.name).c_str(), a.address.c_str());
  }
}

std::string Bracketed(const std::vector<std::string>& ids, const char* field,
                      std::vector<ComposeError>& errors) {
  std::string out;
  for (const auto& id : ids) {
    if (!IsMessageId(id)) {
      errors.push_back({field, "not a message id"});
      continue;
    }
    if (!out.empty()) out.push_back(' ');
    out.append("<").append(id).append(">");
  }
  return out;
}

GMimeTextPart* TextPart(const char* subtype, const std::string& text) {
  GMimeTextPart* part = g_mime_text_part_new_with_subtype(subtype);
  GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(text.data(), text.size()));
  GObjectPtr<GMimeDataWrapper> content(
      g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
  g_mime_part_set_content(GMIME_PART(part), content.get());
  // Set explicitly: left to itself GMime picks the "best" charset (iso-8859-1 for German).
  g_mime_text_part_set_charset(part, "utf-8");
  g_mime_part_set_content_encoding(GMIME_PART(part), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  return part;
}

}  // namespace

ComposedEmail ComposeEmail(const OutgoingEmail& email) {
  InitGMime();
  ComposedEmail result;
  auto& errors = result.errors;
  if (email.to.empty() && email.cc.empty()) errors.push_back({"to", "no recipient"});
  if (!IsMessageId(email.message_id)) errors.push_back({"message_id", "not a message id"});
  if (!IsPlainAddress(email.from.address)) errors.push_back({"from", "not a plain email address"});

  GObjectPtr<GMimeMessage> message(g_mime_message_new(TRUE));
  GMimeMessage* m = message.get();
  if (errors.empty()) {
    g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_FROM, OneLine(email.from.name).c_str(),
                               email.from.address.c_str());
  }
  AddAddresses(m, GMIME_ADDRESS_TYPE_TO, email.to, "to", errors);
  AddAddresses(m, GMIME_ADDRESS_TYPE_CC, email.cc, "cc", errors);
  AddAddresses(m, GMIME_ADDRESS_TYPE_REPLY_TO, email.reply_to, "reply_to", errors);
  const std::string in_reply_to = Bracketed(email.in_reply_to, "in_reply_to", errors);
  const std::string references = Bracketed(email.references, "references", errors);
  if (!errors.empty()) return result;

  g_mime_message_set_subject(m, OneLine(email.subject).c_str(), "utf-8");
  g_mime_message_set_message_id(m, email.message_id.c_str());
  GDateTime* date = g_date_time_new_from_unix_utc(email.date);
  g_mime_message_set_date(m, date);
  g_date_time_unref(date);
  if (!in_reply_to.empty())
    g_mime_object_set_header(GMIME_OBJECT(m), "In-Reply-To", in_reply_to.c_str(), nullptr);
  if (!references.empty())
    g_mime_object_set_header(GMIME_OBJECT(m), "References", references.c_str(), nullptr);
  if (email.auto_submitted) {
    g_mime_object_set_header(GMIME_OBJECT(m), "Auto-Submitted", "auto-generated", nullptr);
  }

  GObjectPtr<GMimeTextPart> text(TextPart("plain", email.text_body));
  if (email.html_body.empty()) {
    g_mime_message_set_mime_part(m, GMIME_OBJECT(text.get()));
  } else {
    GObjectPtr<GMimeMultipart> alternative(g_mime_multipart_new_with_subtype("alternative"));
    GObjectPtr<GMimeTextPart> html(TextPart("html", email.html_body));
    g_mime_multipart_add(alternative.get(), GMIME_OBJECT(text.get()));
    g_mime_multipart_add(alternative.get(), GMIME_OBJECT(html.get()));
    g_mime_message_set_mime_part(m, GMIME_OBJECT(alternative.get()));
  }
  g_mime_object_encode(GMIME_OBJECT(m), GMIME_ENCODING_CONSTRAINT_7BIT);
  GMimeFormatOptions* options = g_mime_format_options_clone(nullptr);
  g_mime_format_options_set_newline_format(options, GMIME_NEWLINE_FORMAT_DOS);
  char* bytes = g_mime_object_to_string(GMIME_OBJECT(m), options);
  g_mime_format_options_free(options);
  if (bytes != nullptr) {
    result.bytes = bytes;
    g_free(bytes);
  }
  return result;
}

}  // namespace rampart::mime
