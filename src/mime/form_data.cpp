#include "mime/form_data.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <memory>
#include <mutex>

namespace rampart::mime {
namespace {

// GMime keeps process-wide tables (charsets, default parser options) that g_mime_init builds.
void EnsureGMime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

struct GObjectUnref {
  void operator()(void* object) const { g_object_unref(object); }
};
using ContentType = std::unique_ptr<GMimeContentType, GObjectUnref>;
using Disposition = std::unique_ptr<GMimeContentDisposition, GObjectUnref>;

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char ch) {
    return static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
  });
  return out;
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// RFC 2046 §5.1.1: 1..70 characters from bchars, not ending in a space.
bool ValidBoundary(std::string_view b) {
  if (b.empty() || b.size() > 70 || b.back() == ' ') return false;
  static constexpr std::string_view kSpecials = "'()+_,-./:=? ";
  return std::all_of(b.begin(), b.end(), [](char ch) {
    const bool alnum =
        (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
    return alnum || kSpecials.find(ch) != std::string_view::npos;
  });
}

// GMime reads C strings: a NUL would cut a header short and hide what follows it. CR and LF
// inside one logical header cannot be legitimate either.
bool HasUnsafeHeaderBytes(std::string_view value) {
  return std::any_of(value.begin(), value.end(),
                     [](char ch) { return ch == '\0' || ch == '\r' || ch == '\n'; });
}

std::optional<std::string> BoundaryOf(std::string_view content_type, FormError& error) {
  EnsureGMime();
  error = FormError::kNotFormData;
  if (content_type.size() > 1024 || HasUnsafeHeaderBytes(content_type)) return std::nullopt;
  const std::string text(content_type);
  const ContentType type(g_mime_content_type_parse(nullptr, text.c_str()));
  if (!type || !g_mime_content_type_is_type(type.get(), "multipart", "form-data")) {
    return std::nullopt;
  }
  error = FormError::kNoBoundary;
  const char* boundary = g_mime_content_type_get_parameter(type.get(), "boundary");
  if (boundary == nullptr || !ValidBoundary(boundary)) return std::nullopt;
  error = FormError::kNone;
  return std::string(boundary);
}

struct PartHeaders {
  std::optional<std::string> disposition;
  std::optional<std::string> type;
};

// Splits a header block (CRLF-separated lines, without the blank line) into the two headers
// form-data uses. Folded lines are unfolded; a repeated header is refused, since which copy a
// reader believes is exactly what request smuggling plays on.
FormError ReadPartHeaders(std::string_view block, PartHeaders& out) {
  std::vector<std::string> lines;
  while (!block.empty()) {
    const std::size_t end = block.find("\r\n");
    std::string_view line = end == std::string_view::npos ? block : block.substr(0, end);
    block = end == std::string_view::npos ? std::string_view{} : block.substr(end + 2);
    if (line.find('\n') != std::string_view::npos || line.find('\r') != std::string_view::npos ||
        line.find('\0') != std::string_view::npos) {
      return FormError::kMalformed;
    }
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
      if (lines.empty()) return FormError::kMalformed;
      lines.back().append(" ").append(TrimSpace(line));
      continue;
    }
    lines.emplace_back(line);
  }
  for (const std::string& line : lines) {
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos || colon == 0) return FormError::kMalformed;
    const std::string name = Lower(std::string_view(line).substr(0, colon));
    if (name.find_first_of(" \t") != std::string::npos) return FormError::kMalformed;
    const std::string value(TrimSpace(std::string_view(line).substr(colon + 1)));
    std::optional<std::string>* slot = nullptr;
    if (name == "content-disposition") slot = &out.disposition;
    if (name == "content-type") slot = &out.type;
    if (name == "content-transfer-encoding") {
      // RFC 7578 §4.7 deprecates it; only the identity encodings mean the bytes are as sent.
      const std::string cte = Lower(value);
      if (cte != "binary" && cte != "8bit" && cte != "7bit") return FormError::kMalformed;
    }
    if (slot == nullptr) continue;
    if (slot->has_value()) return FormError::kMalformed;
    *slot = value;
  }
  return FormError::kNone;
}

// Adds one part to `form` under the limits.
FormError AddPart(std::string_view headers_block, std::string_view content,
                  const FormLimits& limits, FormData& form) {
  PartHeaders headers;
  if (const FormError e = ReadPartHeaders(headers_block, headers); e != FormError::kNone) return e;
  if (!headers.disposition) return FormError::kMissingName;
  const Disposition disposition(
      g_mime_content_disposition_parse(nullptr, headers.disposition->c_str()));
  if (!disposition) return FormError::kMalformed;
  const char* kind = g_mime_content_disposition_get_disposition(disposition.get());
  if (kind == nullptr || Lower(kind) != "form-data") return FormError::kMissingName;
  const char* name = g_mime_content_disposition_get_parameter(disposition.get(), "name");
  if (name == nullptr || *name == '\0') return FormError::kMissingName;

  std::string declared_type;
  if (headers.type) {
    const ContentType type(g_mime_content_type_parse(nullptr, headers.type->c_str()));
    if (!type) return FormError::kMalformed;
    if (g_mime_content_type_is_type(type.get(), "multipart", "*")) {
      return FormError::kNestedMultipart;
    }
    char* mime_type = g_mime_content_type_get_mime_type(type.get());
    declared_type = Lower(mime_type != nullptr ? mime_type : "");
    g_free(mime_type);
  }

  const char* filename = g_mime_content_disposition_get_parameter(disposition.get(), "filename");
  if (filename == nullptr) {
    if (content.size() > limits.max_field_bytes) return FormError::kFieldTooLarge;
    form.fields.push_back({name, std::string(content)});
    return FormError::kNone;
  }
  // A file input left empty arrives as a part with filename="" and no bytes.
  if (*filename == '\0' && content.empty()) return FormError::kNone;
  if (content.size() > limits.max_file_bytes) return FormError::kFileTooLarge;
  form.files.push_back({name, filename, std::move(declared_type), std::string(content)});
  return FormError::kNone;
}

FormParse Fail(FormError error) {
  return FormParse{std::nullopt, error};
}

}  // namespace

std::optional<std::string> FormData::Field(std::string_view name) const {
  for (const FormField& f : fields) {
    if (f.name == name) return f.value;
  }
  return std::nullopt;
}

std::string_view FormErrorName(FormError error) {
  switch (error) {
    case FormError::kNone: return "none";
    case FormError::kNotFormData: return "form_not_multipart";
    case FormError::kNoBoundary: return "form_no_boundary";
    case FormError::kUnterminated: return "form_unterminated";
    case FormError::kMalformed: return "form_malformed";
    case FormError::kMissingName: return "form_part_without_name";
    case FormError::kNestedMultipart: return "form_nested_multipart";
    case FormError::kTooManyParts: return "form_too_many_parts";
    case FormError::kHeaderTooLarge: return "form_header_too_large";
    case FormError::kFieldTooLarge: return "form_field_too_large";
    case FormError::kFileTooLarge: return "form_file_too_large";
    case FormError::kBodyTooLarge: return "form_too_large";
  }
  return "form_malformed";
}

bool IsSizeLimit(FormError error) {
  return error == FormError::kTooManyParts || error == FormError::kFieldTooLarge ||
         error == FormError::kFileTooLarge || error == FormError::kBodyTooLarge;
}

bool IsFormDataType(std::string_view content_type) {
  FormError error = FormError::kNone;
  BoundaryOf(content_type, error);
  return error != FormError::kNotFormData;
}

FormParse ParseFormData(std::string_view content_type, std::string_view body,
                        const FormLimits& limits) {
  FormError error = FormError::kNone;
  const auto boundary = BoundaryOf(content_type, error);
  if (!boundary) return Fail(error);
  if (body.size() > limits.max_total_bytes) return Fail(FormError::kBodyTooLarge);

  const std::string dash_boundary = "--" + *boundary;
  const std::string delimiter = "\r\n" + dash_boundary;
  // The first delimiter opens the body or follows a preamble (RFC 2046 allows one; it is
  // ignored). Searching with the leading CRLF keeps a boundary-like line inside the preamble
  // from counting unless it starts a line.
  std::size_t pos = 0;
  if (body.substr(0, dash_boundary.size()) != dash_boundary) {
    const std::size_t first = body.find(delimiter);
    if (first == std::string_view::npos) return Fail(FormError::kUnterminated);
    pos = first + 2;
  }
  pos += dash_boundary.size();

  FormData form;
  std::size_t parts = 0;
  for (;;) {
    // After a delimiter: "--" closes the body; otherwise transport padding, then CRLF.
    if (body.substr(pos, 2) == "--") return FormParse{std::move(form), FormError::kNone};
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (body.substr(pos, 2) != "\r\n") {
      return Fail(pos >= body.size() ? FormError::kUnterminated : FormError::kMalformed);
    }
    pos += 2;
    if (++parts > limits.max_parts) return Fail(FormError::kTooManyParts);

    // Headers end at the first blank line. A part without any cannot name its field.
    if (body.substr(pos, 2) == "\r\n") return Fail(FormError::kMissingName);
    const std::string_view window = body.substr(pos, limits.max_header_bytes + 4);
    const std::size_t blank = window.find("\r\n\r\n");
    if (blank == std::string_view::npos) {
      return Fail(window.size() > limits.max_header_bytes ? FormError::kHeaderTooLarge
                                                          : FormError::kUnterminated);
    }
    if (blank > limits.max_header_bytes) return Fail(FormError::kHeaderTooLarge);
    const std::string_view headers_block = body.substr(pos, blank);
    // A delimiter inside the header block means this part had no blank line and the search ran
    // into the next one: reading on would merge two parts' headers.
    if (headers_block.find(delimiter) != std::string_view::npos) {
      return Fail(FormError::kMalformed);
    }
    const std::size_t content_start = pos + blank + 4;
    const std::size_t next = body.find(delimiter, content_start);
    if (next == std::string_view::npos) return Fail(FormError::kUnterminated);
    const FormError e =
        AddPart(headers_block, body.substr(content_start, next - content_start), limits, form);
    if (e != FormError::kNone) return Fail(e);
    pos = next + delimiter.size();
  }
}

}  // namespace rampart::mime
