#pragma once
#include <cstddef>
#include <string>

#include "http/message.h"

namespace rampart::http {

// The status line and header block of `response`, ready to send. Framing headers are ours
// alone: Content-Length (`content_length`), Connection: close when `keep_alive` is false;
// those a handler set are ignored. A header whose name is not a token or whose value holds CR,
// LF, NUL or another control character is dropped (and counted): no input can split a response.
std::string SerializeResponseHead(const Response& response, std::size_t content_length,
                                  bool keep_alive);

}  // namespace rampart::http
