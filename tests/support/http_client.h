#pragma once
#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace rampart::testing {

struct HttpResponse {
  int status = 0;
  std::multimap<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::optional<std::string> Header(const std::string& name) const;
};

// A raw TCP connection to 127.0.0.1:port: tests send exactly the bytes an attacker would.
class RawConnection {
 public:
  explicit RawConnection(int port, bool ipv6 = false);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool Connected() const { return fd_ >= 0; }
  // Returns false when the peer has closed or reset the connection.
  bool Send(const std::string& bytes);
  // Reads one response (Content-Length framed); nullopt on timeout or close before a response.
  // `head`: the response to a HEAD request, which has a length but no body.
  std::optional<HttpResponse> ReadResponse(
      std::chrono::milliseconds timeout = std::chrono::seconds(10), bool head = false);
  // True when the server closes the connection within `timeout`.
  bool WaitClosed(std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
  std::string buffer_;
};

// One request on a fresh connection.
std::optional<HttpResponse> Request(int port, const std::string& method, const std::string& target,
                                    const std::string& body = "",
                                    const std::map<std::string, std::string>& headers = {},
                                    bool ipv6 = false);

}  // namespace rampart::testing
