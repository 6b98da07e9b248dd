#include "http/server.h"

#include <boost/asio.hpp>
#include <boost/asio/experimental/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

#include <array>
#include <atomic>
#include <list>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/errors.h"
#include "core/random.h"
#include "http/response_head.h"
#include "observability/log.h"
#include "observability/metrics.h"

namespace rampart::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
constexpr auto kNoThrow = asio::experimental::as_tuple(asio::use_awaitable);

// Per-connection state that shutdown needs to see. Touched only on the connection's strand.
struct ConnectionControl {
  explicit ConnectionControl(asio::any_io_executor e) : executor(std::move(e)) {}
  asio::any_io_executor executor;  // the connection's strand
  beast::tcp_stream* stream = nullptr;
  bool busy = false;  // a request is being read, handled or answered
  bool alive = true;
};

}  // namespace

class Server::Impl {
 public:
  explicit Impl(ServerOptions options)
      : options_(std::move(options)),
        io_(options_.io_threads),
        workers_(static_cast<std::size_t>(options_.worker_threads)),
        waiters_(static_cast<std::size_t>(options_.waiting_threads)),
        hashers_(static_cast<std::size_t>(options_.hashing_threads)),
        signals_(io_, SIGINT, SIGTERM) {}

  void Bind() {
    for (const ListenerSpec& spec : options_.listeners) {
      boost::system::error_code ec;
      const auto address = asio::ip::make_address(spec.host, ec);
      if (ec) throw std::runtime_error("listener " + spec.name + ": bad address " + spec.host);
      tcp::endpoint endpoint(address, spec.port);
      auto acceptor = std::make_unique<tcp::acceptor>(io_);
      acceptor->open(endpoint.protocol(), ec);
      if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
      if (!ec) acceptor->bind(endpoint, ec);
      if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
      if (ec) {
        throw std::runtime_error("cannot listen on " + spec.host + ":" + std::to_string(spec.port) +
                                 " (" + spec.name + "): " + ec.message());
      }
      acceptors_.push_back(std::move(acceptor));
    }
  }

  std::vector<std::uint16_t> Ports() const {
    std::vector<std::uint16_t> ports;
    for (const auto& a : acceptors_) ports.push_back(a->local_endpoint().port());
    return ports;
  }

  void Run() {
    for (std::size_t i = 0; i < acceptors_.size(); ++i) {
      asio::co_spawn(io_, Accept(*acceptors_[i], options_.listeners[i]), asio::detached);
    }
    signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      log::Info("shutdown_signal", log::Fields().Add("signal", signal));
      BeginDrain();
    });
    std::vector<std::thread> threads;
    for (int i = 1; i < options_.io_threads; ++i) threads.emplace_back([this] { io_.run(); });
    io_.run();
    for (auto& t : threads) t.join();
    workers_.join();
    waiters_.join();
    hashers_.join();
  }

  void Stop() {
    asio::post(io_, [this] { BeginDrain(); });
  }

 private:
  asio::awaitable<void> Accept(tcp::acceptor& acceptor, const ListenerSpec& spec) {
    while (!draining_) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io_), kNoThrow);
      if (ec) {
        if (draining_ || ec == asio::error::operation_aborted) co_return;
        // EMFILE and friends: log, pause briefly so a descriptor can free, go on.
        log::Warn("accept_failed", log::Fields().Add("error", ec.message()));
        asio::steady_timer pause(io_, std::chrono::milliseconds(50));
        co_await pause.async_wait(kNoThrow);
        continue;
      }
      boost::system::error_code peer_ec;
      const auto peer = socket.remote_endpoint(peer_ec);
      if (peer_ec) continue;
      std::string ip = peer.address().to_string();
      if (const char* reason = Admit(ip)) {
        metrics::Registry::Global().ConnectionRejected(reason);
        log::Warn("connection_rejected", log::Fields().Add("reason", reason).Add("client", ip));
        auto executor = socket.get_executor();
        asio::co_spawn(executor, RejectConnection(std::move(socket)), asio::detached);
        continue;
      }
      auto control = std::make_shared<ConnectionControl>(socket.get_executor());
      {
        std::lock_guard lock(mutex_);
        connections_.push_back(control);
      }
      auto executor = socket.get_executor();
      asio::co_spawn(
          executor, Session(std::move(socket), std::move(ip), peer.port(), spec, control),
          [this, control, ip_copy = peer.address().to_string()](const std::exception_ptr& e) {
            if (e) {
              try {
                std::rethrow_exception(e);
              } catch (const std::exception& ex) {
                log::Error("connection_failed", log::Fields().Add("error", ex.what()));
              }
            }
            Release(ip_copy, control);
          });
    }
  }

  // Returns the reason to refuse a new connection from `ip`, or nullptr to admit it.
  const char* Admit(const std::string& ip) {
    std::lock_guard lock(mutex_);
    if (total_ >= options_.limits.max_connections) return "max_connections";
    std::size_t& mine = per_ip_[ip];
    if (mine >= options_.limits.max_connections_per_ip) {
      if (mine == 0) per_ip_.erase(ip);
      return "max_connections_per_ip";
    }
    ++mine;
    ++total_;
    metrics::Registry::Global().ConnectionOpened();
    return nullptr;
  }

  void Release(const std::string& ip, const std::shared_ptr<ConnectionControl>& control) {
    std::lock_guard lock(mutex_);
    auto it = per_ip_.find(ip);
    if (it != per_ip_.end() && --it->second == 0) per_ip_.erase(it);
    --total_;
    connections_.remove(control);
    metrics::Registry::Global().ConnectionClosed();
  }

  // An over-limit client gets a short 503 rather than a silent reset, then the door.
  asio::awaitable<void> RejectConnection(tcp::socket socket) {
    static constexpr std::string_view kResponse =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Length: 20\r\nConnection: close\r\nRetry-After: 5\r\n"
        "X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n\r\n"
        "Too many connections";
    beast::tcp_stream stream(std::move(socket));
    stream.expires_after(std::chrono::seconds(2));
    co_await asio::async_write(stream, asio::buffer(kResponse), kNoThrow);
    boost::system::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  }

  // Parameters by value: a coroutine must own what it uses across suspensions.
  // cppcheck-suppress passedByValue
  asio::awaitable<void> Session(tcp::socket socket, std::string peer_ip, std::uint16_t peer_port,
                                const ListenerSpec& spec,
                                std::shared_ptr<ConnectionControl> control) {
    beast::tcp_stream stream(std::move(socket));
    control->stream = &stream;
    const ServerLimits& limits = options_.limits;
    const Dispatcher& dispatcher = *spec.dispatcher;
    beast::flat_buffer buffer;
    std::size_t served = 0;

    while (!draining_) {
      // Wait for the first byte of the next request: the idle timeout applies here.
      control->busy = false;
      if (buffer.size() == 0) {
        stream.expires_after(served == 0 ? limits.header_timeout : limits.idle_timeout);
        auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), kNoThrow);
        if (ec) break;  // closed, idle timeout, or shut down while idle
        buffer.commit(n);
      }
      control->busy = true;

      // The whole header block must arrive within the header timeout, so a client that
      // trickles one byte a second is dropped however long it keeps going.
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
      // Beast's own default (1 MiB) would fail a larger declared Content-Length while reading the
      // header, as a bare parse error (400); the route's limit is applied below, answering 413.
      parser.body_limit(boost::none);
      stream.expires_after(limits.header_timeout);
      {
        auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser, kNoThrow);
        if (ec == bhttp::error::header_limit) {
          co_await Reject(stream, dispatcher, peer_ip, peer_port, 431, "header_too_large");
          break;
        }
        if (ec == beast::error::timeout) {
          metrics::Registry::Global().CountEvent("connection_dropped", "header_timeout");
          log::Warn("header_timeout", log::Fields().Add("client", peer_ip));
          break;
        }
        if (ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
            ec == asio::error::connection_reset || ec == asio::error::operation_aborted) {
          break;
        }
        if (ec) {
          co_await Reject(stream, dispatcher, peer_ip, peer_port, 400, "malformed_request");
          break;
        }
      }

      const auto& header = parser.get();
      Request request;
      request.method = std::string(header.method_string());
      request.target = std::string(header.target());
      request.peer_address = peer_ip;
      request.client_address = peer_ip;
      request.peer_port = peer_port;
      request.request_id = core::RequestId();
      for (const auto& field : header) {
        request.headers.Add(field.name_string(), field.value());
      }
      if (const char* problem = ParseTarget(request)) {
        co_await Reject(stream, dispatcher, peer_ip, peer_port, 400, problem, &request);
        break;
      }
      // Both framing headers at once is how requests are smuggled past proxies (RFC 9112 6.3).
      if (request.headers.Has("Transfer-Encoding") && request.headers.Has("Content-Length")) {
        co_await Reject(stream, dispatcher, peer_ip, peer_port, 400, "ambiguous_framing", &request);
        break;
      }

      const RouteInfo info = dispatcher.Resolve(request.method, request.path);
      const auto declared = parser.content_length();
      if (declared && *declared > info.max_body_bytes) {
        co_await Reject(stream, dispatcher, peer_ip, peer_port, 413, "body_too_large", &request);
        break;
      }
      parser.body_limit(info.max_body_bytes);
      if (!parser.is_done()) {
        if (auto expect = request.headers.Get("Expect"); expect && *expect == "100-continue") {
          static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
          stream.expires_after(limits.body_timeout);
          auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(kContinue), kNoThrow);
          if (wec) break;
        }
        stream.expires_after(limits.body_timeout);
        auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, kNoThrow);
        if (ec == bhttp::error::body_limit) {
          co_await Reject(stream, dispatcher, peer_ip, peer_port, 413, "body_too_large", &request);
          break;
        }
        if (ec) {
          if (ec != beast::error::timeout && ec != asio::error::eof &&
              ec != bhttp::error::partial_message) {
            co_await Reject(stream, dispatcher, peer_ip, peer_port, 400, "malformed_body",
                            &request);
          }
          break;
        }
      }
      auto message = parser.release();
      request.body = std::move(message.body());
      request.keep_alive = message.keep_alive();

      const auto started = std::chrono::steady_clock::now();
      Response response;
      if (info.execution == Execution::kInline) {
        response = dispatcher.Handle(request, info);
      } else {
        response = co_await asio::co_spawn(
            PoolFor(info.execution),
            [&]() -> asio::awaitable<Response> { co_return dispatcher.Handle(request, info); },
            asio::use_awaitable);
      }
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      metrics::Registry::Global().ObserveRequest(request.route, response.status, seconds);

      ++served;
      const bool keep_alive = request.keep_alive && !response.close && !draining_ &&
                              served < limits.max_requests_per_connection;
      if (!co_await Write(stream, request, std::move(response), keep_alive)) break;
      if (!keep_alive) break;
    }
    control->alive = false;
    control->stream = nullptr;
    boost::system::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  asio::thread_pool& PoolFor(Execution execution) {
    switch (execution) {
      case Execution::kWaiting: return waiters_;
      case Execution::kHashing: return hashers_;
      case Execution::kInline:
      case Execution::kBlocking: break;
    }
    return workers_;
  }

  // Fills path and query from the target; returns a reason when the target is unacceptable.
  static const char* ParseTarget(Request& request) {
    if (request.target.empty() || request.target[0] != '/') return "bad_target";
    auto parsed = boost::urls::parse_origin_form(request.target);
    if (!parsed) return "bad_target";
    request.path = std::string(parsed->path());
    if (request.path.empty()) request.path = "/";
    // Decoded ".." segments and NULs never reach a handler.
    if (request.path.find('\0') != std::string::npos) return "bad_path";
    for (const auto& segment : parsed->segments()) {
      if (segment == ".." || segment == ".") return "bad_path";
    }
    for (const auto& param : parsed->params()) {
      request.query.emplace_back(std::string(param.key), std::string(param.value));
    }
    return nullptr;
  }

  asio::awaitable<bool> Write(beast::tcp_stream& stream, const Request& request, Response response,
                              bool keep_alive) {
    // Serialised by hand: one buffer for the head, one for the body, no per-field allocations.
    const std::string head = SerializeResponseHead(response, response.body.size(), keep_alive);
    const bool head_only = request.method == "HEAD";
    const std::array<asio::const_buffer, 2> buffers = {
        asio::buffer(head), head_only ? asio::const_buffer() : asio::buffer(response.body)};
    stream.expires_after(options_.limits.body_timeout);
    auto [ec, n] = co_await asio::async_write(stream, buffers, kNoThrow);
    co_return !ec;
  }

  asio::awaitable<void> Reject(beast::tcp_stream& stream, const Dispatcher& dispatcher,
                               const std::string& peer_ip, std::uint16_t peer_port, int status,
                               const char* reason, Request* partial = nullptr) {
    Request request;
    if (partial != nullptr) request = std::move(*partial);
    if (request.method.empty()) request.method = "GET";
    if (request.path.empty()) request.path = "/";
    request.peer_address = peer_ip;
    request.client_address = peer_ip;
    request.peer_port = peer_port;
    if (request.request_id.empty()) request.request_id = core::RequestId();
    metrics::Registry::Global().CountEvent("request_rejected", reason);
    log::Warn("request_rejected", log::Fields()
                                      .Add("reason", reason)
                                      .Add("status", status)
                                      .Add("client", peer_ip)
                                      .Add("request_id", request.request_id));
    Response response = dispatcher.Reject(request, status, reason);
    metrics::Registry::Global().ObserveRequest(request.route, response.status, 0);
    co_await Write(stream, request, std::move(response), false);
  }

  void BeginDrain() {
    if (draining_.exchange(true)) return;
    log::Info("draining",
              log::Fields().Add("grace_ms",
                                static_cast<std::int64_t>(options_.limits.shutdown_grace.count())));
    for (auto& acceptor : acceptors_) {
      boost::system::error_code ec;
      acceptor->close(ec);
    }
    signals_.cancel();
    CloseIdle();
    drain_deadline_ = std::chrono::steady_clock::now() + options_.limits.shutdown_grace;
    drain_timer_ = std::make_unique<asio::steady_timer>(io_);
    PollDrain();
  }

  // Idle connections are closed at once; busy ones close themselves after their response.
  void CloseIdle() {
    std::lock_guard lock(mutex_);
    for (const auto& control : connections_) {
      asio::post(control->executor, [control] {
        if (control->alive && !control->busy && control->stream != nullptr) {
          control->stream->cancel();
        }
      });
    }
  }

  void PollDrain() {
    std::size_t open = 0;
    {
      std::lock_guard lock(mutex_);
      open = total_;
    }
    if (open == 0 || std::chrono::steady_clock::now() >= drain_deadline_) {
      log::Info("stopped", log::Fields().Add("connections_left", static_cast<std::uint64_t>(open)));
      io_.stop();
      workers_.stop();
      waiters_.stop();
      hashers_.stop();
      return;
    }
    CloseIdle();
    drain_timer_->expires_after(std::chrono::milliseconds(20));
    drain_timer_->async_wait([this](const boost::system::error_code&) { PollDrain(); });
  }

  ServerOptions options_;
  asio::io_context io_;
  asio::thread_pool workers_;
  asio::thread_pool waiters_;
  asio::thread_pool hashers_;
  asio::signal_set signals_;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors_;
  std::atomic<bool> draining_{false};
  std::unique_ptr<asio::steady_timer> drain_timer_;
  std::chrono::steady_clock::time_point drain_deadline_;
  std::mutex mutex_;
  std::size_t total_ = 0;
  std::unordered_map<std::string, std::size_t> per_ip_;
  std::list<std::shared_ptr<ConnectionControl>> connections_;
};

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Server::~Server() = default;
void Server::Bind() {
  impl_->Bind();
}
std::vector<std::uint16_t> Server::Ports() const {
  return impl_->Ports();
}
void Server::Run() {
  impl_->Run();
}
void Server::Stop() {
  impl_->Stop();
}

}  // namespace rampart::http
