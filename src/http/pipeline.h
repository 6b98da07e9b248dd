#pragma once
#include <functional>
#include <string>
#include <vector>

#include "http/message.h"
#include "http/router.h"

namespace rampart::http {

using Next = std::function<Response(Request&)>;
// A stage sees the request before the handler and the response after it; it may answer
// itself (a rejection) without calling next.
using Stage = std::function<Response(Request&, const Next&)>;

// The ordered middleware list. The order is written once, in the composition root, with the
// reason for each position.
class Pipeline {
 public:
  void Add(std::string name, Stage stage);
  Response Run(Request& request, const Handler& handler) const;
  std::vector<std::string> Names() const;

 private:
  struct Entry {
    std::string name;
    Stage stage;
  };
  std::vector<Entry> stages_;
};

// Joins a router and a pipeline: what one listener serves. Beast-free, so it is tested
// without sockets.
class Dispatcher {
 public:
  Dispatcher(Router router, Pipeline pipeline)
      : router_(std::move(router)), pipeline_(std::move(pipeline)) {}
  RouteInfo Resolve(std::string_view method, std::string_view path) const {
    return router_.Resolve(method, path);
  }
  // Runs the pipeline and the resolved handler (or a 404/405 when none).
  Response Handle(Request& request, const RouteInfo& info) const;
  // Runs the pipeline with a handler that answers `status` with `reason`: for requests the
  // connection rejected before any handler could see them (413, 431, 400).
  Response Reject(Request& request, int status, const std::string& reason) const;
  const Router& GetRouter() const { return router_; }

 private:
  Router router_;
  Pipeline pipeline_;
};

}  // namespace rampart::http
