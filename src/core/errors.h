#pragma once
#include <stdexcept>
#include <string>

namespace rampart::core {

// Failures that end a request. Each carries a text for the log (internal, may name files or
// SQL) and a text for the user (shown as is, so it must never carry internals). They are caught
// in exactly one place: the error-mapping stage of the HTTP pipeline, or the CLI's main.
class RequestError : public std::runtime_error {
 public:
  RequestError(int status, std::string code, std::string user_text, const std::string& log_text,
               std::string field = "")
      : std::runtime_error(log_text),
        status_(status),
        code_(std::move(code)),
        user_text_(std::move(user_text)),
        field_(std::move(field)) {}
  int Status() const { return status_; }
  // A stable snake_case reason, used in JSON errors, logs and metrics.
  const std::string& Code() const { return code_; }
  const std::string& UserText() const { return user_text_; }
  // The input field at fault ("subject", "custom_fields.plan"), or "": API clients get it as a
  // value of its own rather than having to parse the text.
  const std::string& Field() const { return field_; }

 private:
  int status_;
  std::string code_;
  std::string user_text_;
  std::string field_;
};

class BadRequest : public RequestError {
 public:
  explicit BadRequest(const std::string& user_text, std::string code = "bad_request")
      : RequestError(400, std::move(code), user_text, user_text) {}
};

class Unauthorized : public RequestError {
 public:
  Unauthorized() : RequestError(401, "unauthorized", "Sign-in required.", "unauthorized") {}
};

class Forbidden : public RequestError {
 public:
  explicit Forbidden(const std::string& log_text)
      : RequestError(403, "forbidden", "You may not do this.", log_text) {}
};

class NotFound : public RequestError {
 public:
  explicit NotFound(const std::string& log_text = "not found")
      : RequestError(404, "not_found", "Not found.", log_text) {}
};

class Conflict : public RequestError {
 public:
  explicit Conflict(const std::string& user_text)
      : RequestError(409, "conflict", user_text, user_text) {}
};

// Invalid input for a named field: well-formed, but it breaks a rule of the domain (too long,
// no such department). The user text names the field and the rule it broke.
class Invalid : public RequestError {
 public:
  Invalid(const std::string& field, const std::string& reason)
      : RequestError(422, "invalid", field + ": " + reason, field + ": " + reason, field) {}
};

// Input that cannot be read as the request it claims to be: not JSON, a field of the wrong
// type, a field nobody asked for. 400, so that clients can tell a broken request from a
// well-formed one the domain refused (Invalid, 422). `field` may be "" for the body as a whole.
class Malformed : public RequestError {
 public:
  Malformed(const std::string& field, const std::string& reason, std::string code = "malformed")
      : RequestError(400, std::move(code), field.empty() ? reason : field + ": " + reason,
                     field.empty() ? reason : field + ": " + reason, field) {}
};

// A failure of the platform itself (database, disk): logged in full, shown as a bare 500.
class InternalError : public RequestError {
 public:
  explicit InternalError(const std::string& log_text)
      : RequestError(500, "internal", "Something went wrong on our side.", log_text) {}
};

}  // namespace rampart::core
