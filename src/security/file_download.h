#pragma once
#include <string>

#include "http/message.h"

namespace rampart::security {

// A stored file handed to a browser or client with the headers that keep it inert: the type
// sniffed at upload (never the client's claim), nosniff so that no browser guesses another,
// `Content-Security-Policy: sandbox` so that even an HTML file opened directly runs no script
// and reaches no origin, and no caching outside the caller's own browser. `disposition` is a
// complete Content-Disposition value (tickets::ContentDisposition).
http::Response FileDownload(std::string bytes, const std::string& sniffed_type,
                            const std::string& disposition);

}  // namespace rampart::security
