// libFuzzer target for mime::ParseFormData. The first line of the input is the Content-Type
// header, the rest the body, so the fuzzer explores boundary parameters as well as framing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mime/form_data.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t line_end = input.find('\n');
  const std::string_view type =
      line_end == std::string_view::npos ? input : input.substr(0, line_end);
  const std::string_view body =
      line_end == std::string_view::npos ? std::string_view{} : input.substr(line_end + 1);
  rampart::mime::FormLimits limits;
  limits.max_parts = 16;
  limits.max_header_bytes = 512;
  limits.max_field_bytes = 4096;
  limits.max_file_bytes = 8192;
  limits.max_total_bytes = 65536;
  const rampart::mime::FormParse p = rampart::mime::ParseFormData(type, body, limits);
  // The parse either failed with a reason or produced a form within the limits.
  if ((p.error == rampart::mime::FormError::kNone) != p.form.has_value()) std::abort();
  if (p.form) {
    if (p.form->fields.size() + p.form->files.size() > limits.max_parts) std::abort();
    for (const auto& f : p.form->files) {
      if (f.bytes.size() > limits.max_file_bytes) std::abort();
    }
    for (const auto& f : p.form->fields) {
      if (f.value.size() > limits.max_field_bytes) std::abort();
    }
  }
  return 0;
}
