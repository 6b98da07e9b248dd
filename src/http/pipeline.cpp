#include "http/pipeline.h"

#include "core/errors.h"

namespace rampart::http {

void Pipeline::Add(std::string name, Stage stage) {
  stages_.push_back({std::move(name), std::move(stage)});
}

Response Pipeline::Run(Request& request, const Handler& handler) const {
  // Builds the chain from the last stage inwards; each call is one std::function hop.
  std::function<Response(Request&, std::size_t)> step = [&](Request& r, std::size_t i) -> Response {
    if (i == stages_.size()) return handler(r);
    return stages_[i].stage(r, [&step, i](Request& inner) { return step(inner, i + 1); });
  };
  return step(request, 0);
}

std::vector<std::string> Pipeline::Names() const {
  std::vector<std::string> names;
  for (const Entry& e : stages_) names.push_back(e.name);
  return names;
}

Response Dispatcher::Handle(Request& request, const RouteInfo& info) const {
  if (info.route != nullptr) {
    Router::Bind(*info.route, request);
    return pipeline_.Run(request, info.route->handler);
  }
  if (info.path_known) {
    request.route = "method_not_allowed";
    return pipeline_.Run(request, [this](Request& r) -> Response {
      std::string allow;
      for (const std::string& m : router_.AllowedMethods(r.path)) {
        allow.append(allow.empty() ? "" : ", ").append(m);
      }
      throw core::RequestError(405, "method_not_allowed", "This method is not allowed here.",
                               "method not allowed; allow: " + allow);
    });
  }
  return pipeline_.Run(request, [](Request&) -> Response { throw core::NotFound("no route"); });
}

Response Dispatcher::Reject(Request& request, int status, const std::string& reason) const {
  request.route = "rejected";
  request.rejected = true;
  Response r = pipeline_.Run(request, [&](Request&) -> Response {
    std::string text;
    switch (status) {
      case 413: text = "The request body is too large."; break;
      case 431: text = "The request headers are too large."; break;
      default: text = "The request could not be understood.";
    }
    throw core::RequestError(status, reason, text, reason);
  });
  r.close = true;
  return r;
}

}  // namespace rampart::http
