#pragma once
#include "http/message.h"
#include "mime/form_data.h"

namespace rampart::security {

// Whether the request says its body is multipart/form-data.
bool IsMultipartForm(const http::Request& request);

// The request's multipart/form-data body, parsed once per request: by the CSRF stage, which
// needs the token field, or by the first caller. The raw body is released once parsed (an
// upload is held once, not twice); the handler may move files out of the form. The route's
// body limit has already bounded the size; per-file and per-message limits are the attachment
// store's. Throws core::Malformed (400) for a body that cannot be read and a 413 RequestError
// for too many parts or an oversized field, with the parser's reason as the code.
mime::FormData& MultipartForm(http::Request& request);

}  // namespace rampart::security
