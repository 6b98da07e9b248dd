#include "security/file_download.h"

#include <utility>

namespace rampart::security {

http::Response FileDownload(std::string bytes, const std::string& sniffed_type,
                            const std::string& disposition) {
  http::Response r;
  r.status = 200;
  r.body = std::move(bytes);
  r.headers.Set("Content-Type", sniffed_type.empty() ? "application/octet-stream" : sniffed_type);
  r.headers.Set("Content-Disposition", disposition);
  r.headers.Set("X-Content-Type-Options", "nosniff");
  r.headers.Set("Content-Security-Policy", "sandbox; default-src 'none'");
  r.headers.Set("Cache-Control", "private, no-store");
  return r;
}

}  // namespace rampart::security
