#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "http/pipeline.h"

namespace rampart::http {

struct ServerLimits {
  std::size_t max_header_bytes = 16 * 1024;
  std::chrono::milliseconds header_timeout{10'000};  // whole header block, from its first byte
  std::chrono::milliseconds body_timeout{30'000};    // body read, and response write
  std::chrono::milliseconds idle_timeout{60'000};    // between requests on a keep-alive connection
  std::size_t max_connections = 4096;
  std::size_t max_connections_per_ip = 64;
  std::size_t max_requests_per_connection = 10'000;
  std::chrono::milliseconds shutdown_grace{10'000};
};

struct ListenerSpec {
  std::string name;  // "public", "metrics": for logs
  std::string host;
  std::uint16_t port = 0;  // 0: any free port (tests)
  std::shared_ptr<const Dispatcher> dispatcher;
};

struct ServerOptions {
  ServerLimits limits;
  int io_threads = 2;
  int worker_threads = 4;
  // For Execution::kWaiting: at least the number of requests that should share a commit.
  int waiting_threads = 64;
  // For Execution::kHashing: how many password hashes may run at once.
  int hashing_threads = 1;
  std::vector<ListenerSpec> listeners;
};

// The HTTP/1.1 server: a fixed pool of I/O threads runs the connections; a separate pool runs
// blocking handlers, another the handlers that wait for a group commit. Only this module's .cpp
// files see Boost.Beast.
class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds every listener; throws std::runtime_error naming the address when one cannot bind.
  void Bind();
  // The bound port of each listener, in the order given (after Bind).
  std::vector<std::uint16_t> Ports() const;
  // Serves until SIGTERM/SIGINT or Stop(), then drains: stops accepting, closes idle
  // connections, lets in-flight requests finish up to the grace period, and returns.
  void Run();
  // Starts the same drain from any thread.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rampart::http
