#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rampart::http {

// Header fields in arrival order; names compare case-insensitively.
class Headers {
 public:
  std::optional<std::string_view> Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }
  std::size_t Count(std::string_view name) const;
  // Replaces every field of that name.
  void Set(std::string_view name, std::string_view value);
  void Add(std::string_view name, std::string_view value);
  void Remove(std::string_view name);
  const std::vector<std::pair<std::string, std::string>>& All() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// What the session stage learned about the caller; the auth module defines the real type.
struct RequestContext {
  virtual ~RequestContext() = default;
};

// A body that a stage has already parsed (the CSRF stage reads multipart forms for their token),
// kept so that the handler does not parse it a second time. Whoever parses it defines the type.
struct ParsedBody {
  virtual ~ParsedBody() = default;
};

struct Request {
  std::string method;                                      // upper case, as sent
  std::string target;                                      // raw request-target
  std::string path;                                        // decoded path, always starting with '/'
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  Headers headers;
  std::string body;
  std::string peer_address;  // the socket's peer
  std::uint16_t peer_port = 0;
  std::string client_address;  // peer, or from X-Forwarded-For when the peer is trusted
  bool secure = false;         // arrived over TLS
  bool keep_alive = true;
  std::string request_id;
  std::string route = "unmatched";  // the matched route pattern, for logs and metrics
  std::map<std::string, std::string, std::less<>> path_params;
  std::shared_ptr<RequestContext> context;  // set by the session stage
  std::shared_ptr<ParsedBody> parsed_body;
  bool routed = false;      // a route matched (stages that guard handlers act only then)
  bool rejected = false;    // refused by the connection (413, 431, 400) before any handler
  int required_access = 0;  // http::Access of the matched route
  std::string required_permission;
  bool requires_reauth = false;  // the matched route is a sensitive action (Route::requires_reauth)

  std::optional<std::string> QueryParam(std::string_view name) const;
  std::optional<std::string> Cookie(std::string_view name) const;
  std::string PathParam(std::string_view name) const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // Set when the connection must close after this response (protocol errors).
  bool close = false;

  static Response Html(int status, std::string body);
  static Response Json(int status, std::string body);
  static Response Text(int status, std::string body);
  // 303 See Other to a local path; `location` must start with a single '/'.
  static Response Redirect(std::string_view location);
};

// Parses an application/x-www-form-urlencoded body. Returns nullopt for malformed input
// (bad percent escapes), never throws.
std::optional<std::vector<std::pair<std::string, std::string>>> ParseForm(std::string_view body);

std::string_view ReasonPhrase(int status);

}  // namespace rampart::http
