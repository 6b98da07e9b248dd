// The real binary on loopback: limits, hardened headers and shutdown, seen from outside.
#include <signal.h>

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "support/http_client.h"
#include "support/server_process.h"

namespace rampart::testing {
namespace {

using namespace std::chrono_literals;

class ServerTest : public ::testing::Test {
 protected:
  void Start(const std::map<std::string, std::string>& env = {}) {
    server_ = std::make_unique<ServerProcess>(dir_.Path(), env);
    ASSERT_TRUE(server_->Started()) << server_->Logs();
  }
  int Port() const { return server_->PublicPort(); }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(ServerTest, RootLeadsToSignInPage) {
  Start();
  auto r = Request(Port(), "GET", "/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 303);
  EXPECT_EQ(r->Header("location"), "/login");
  auto login = Request(Port(), "GET", "/login");
  ASSERT_TRUE(login);
  EXPECT_EQ(login->status, 200);
  EXPECT_NE(login->body.find("Sign in"), std::string::npos);
  EXPECT_NE(login->body.find("name=\"password\""), std::string::npos);
}

TEST_F(ServerTest, EveryResponseCarriesTheHardenedHeaders) {
  Start();
  for (const char* target :
       {"/login", "/", "/no-such-page", "/static/app.css", "/api/v1/nothing"}) {
    auto r = Request(Port(), "GET", target);
    ASSERT_TRUE(r) << target;
    const auto csp = r->Header("content-security-policy");
    ASSERT_TRUE(csp) << target;
    EXPECT_EQ(csp->find("unsafe-inline"), std::string::npos) << target;
    EXPECT_EQ(csp->find("unsafe-eval"), std::string::npos) << target;
    EXPECT_NE(csp->find("frame-ancestors 'none'"), std::string::npos) << target;
    EXPECT_NE(csp->find("script-src 'self'"), std::string::npos) << target;
    EXPECT_EQ(r->Header("x-content-type-options"), "nosniff") << target;
    EXPECT_EQ(r->Header("referrer-policy"), "same-origin") << target;
    EXPECT_TRUE(r->Header("permissions-policy")) << target;
    EXPECT_TRUE(r->Header("x-request-id")) << target;
    EXPECT_FALSE(r->Header("server")) << target;
    // No HSTS over plain HTTP: browsers ignore it there and it would mislead.
    EXPECT_FALSE(r->Header("strict-transport-security")) << target;
  }
  auto page = Request(Port(), "GET", "/login");
  EXPECT_EQ(page->Header("cache-control"), "no-store");
}

TEST_F(ServerTest, ErrorsLeakNoInternals) {
  Start();
  auto html = Request(Port(), "GET", "/no/such/page");
  ASSERT_TRUE(html);
  EXPECT_EQ(html->status, 404);
  EXPECT_EQ(html->body.find("/no/such/page"), std::string::npos);
  EXPECT_EQ(html->body.find("no route"), std::string::npos);  // the internal log text
  auto json = Request(Port(), "GET", "/api/v1/nothing");
  ASSERT_TRUE(json);
  EXPECT_EQ(json->status, 404);
  EXPECT_EQ(json->Header("content-type"), "application/json");
  EXPECT_NE(json->body.find("\"code\":\"not_found\""), std::string::npos);
  auto method = Request(Port(), "DELETE", "/login");
  ASSERT_TRUE(method);
  EXPECT_EQ(method->status, 405);
  EXPECT_TRUE(method->Header("allow"));
}

TEST_F(ServerTest, HeaderBlockOf64KiBGets431) {
  Start();
  RawConnection c(Port());
  ASSERT_TRUE(c.Connected());
  c.Send("GET /login HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(64 * 1024, 'a') + "\r\n\r\n");
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  EXPECT_TRUE(r->Header("content-security-policy"));
  EXPECT_TRUE(c.WaitClosed(2s));
}

TEST_F(ServerTest, BodyOverTheRouteLimitGets413) {
  Start({{"RAMPART_LIMITS_MAX_BODY_BYTES", "2048"}});
  // Declared length over the limit: refused before a byte of body is read.
  RawConnection declared(Port());
  declared.Send("POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
  auto r = declared.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  // Chunked, so the size is only known while reading; the sign-in form's own limit is 16 KiB.
  RawConnection chunked(Port());
  std::string body = "POST /login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 20; ++i) body += "400\r\n" + std::string(1024, 'b') + "\r\n";
  body += "0\r\n\r\n";
  chunked.Send(body);
  auto r2 = chunked.ReadResponse();
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->status, 413);
}

TEST_F(ServerTest, GarbageGets400) {
  Start();
  for (const std::string garbage :
       {"GARBAGE\r\n\r\n", "GET /login HTTP/9.9\r\n\r\n", "GET\x01 / HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET http://evil.example/ HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /static/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /static/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n"}) {
    RawConnection c(Port());
    c.Send(garbage);
    auto r = c.ReadResponse();
    ASSERT_TRUE(r) << garbage;
    EXPECT_EQ(r->status, 400) << garbage;
  }
  // The server is still healthy after all that.
  auto ok = Request(Port(), "GET", "/healthz");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST_F(ServerTest, AmbiguousFramingIsRefused) {
  Start();
  RawConnection c(Port());
  c.Send(
      "POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
      "0\r\n\r\n");
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
}

TEST_F(ServerTest, SlowHeaderClientIsDisconnected) {
  Start({{"RAMPART_LIMITS_HEADER_TIMEOUT_MS", "600"}});
  RawConnection c(Port());
  const std::string request = "GET /login HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(200, 's');
  const auto started = std::chrono::steady_clock::now();
  bool dropped = false;
  for (char ch : request) {
    if (!c.Send(std::string(1, ch))) {
      dropped = true;
      break;
    }
    if (c.WaitClosed(50ms)) {
      dropped = true;
      break;
    }
  }
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_TRUE(dropped);
  EXPECT_LT(elapsed, 3s);  // the whole header block had 600 ms, not 600 ms per byte
  EXPECT_TRUE(server_->WaitForLog("header_timeout", 2s));
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosed) {
  Start({{"RAMPART_LIMITS_IDLE_TIMEOUT_MS", "300"}});
  RawConnection c(Port());
  c.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(c.WaitClosed(3s));
}

TEST_F(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  Start();
  RawConnection c(Port());
  for (int i = 0; i < 5; ++i) {
    c.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    auto r = c.ReadResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
}

TEST_F(ServerTest, ConnectionsPerClientAreCapped) {
  Start({{"RAMPART_LIMITS_MAX_CONNECTIONS_PER_IP", "3"}});
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<RawConnection>(Port()));
    // A complete request proves the connection was admitted.
    held.back()->Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_TRUE(held.back()->ReadResponse());
  }
  RawConnection extra(Port());
  auto r = extra.ReadResponse(3s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  held.clear();
  // Once the others close, the client is welcome again.
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  bool admitted = false;
  while (!admitted && std::chrono::steady_clock::now() < deadline) {
    auto ok = Request(Port(), "GET", "/healthz");
    admitted = ok && ok->status == 200;
  }
  EXPECT_TRUE(admitted);
}

TEST_F(ServerTest, SigtermDrainsInFlightRequests) {
  Start();
  // A request whose body is still arriving is in flight when the signal comes.
  RawConnection busy(Port());
  busy.Send("POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhalf");
  // An idle keep-alive connection must be closed promptly, not waited for.
  RawConnection idle(Port());
  idle.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(idle.ReadResponse());
  ASSERT_TRUE(server_->WaitForLog("\"route\":\"/healthz\"", 2s));

  server_->Signal(SIGTERM);
  ASSERT_TRUE(server_->WaitForLog("draining", 2s));
  EXPECT_TRUE(idle.WaitClosed(2s));
  // New connections are no longer accepted.
  RawConnection late(Port());
  EXPECT_FALSE(late.Connected() && late.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n") &&
               late.ReadResponse(1s).has_value());

  busy.Send("-rest!");  // the remaining 6 of 10 bytes
  auto r = busy.ReadResponse(5s);
  ASSERT_TRUE(r) << server_->Logs();
  EXPECT_GT(r->status, 0);
  EXPECT_EQ(r->Header("connection"), "close");
  EXPECT_EQ(server_->WaitExit(5s), 0);
}

TEST_F(ServerTest, HeadAnswersWithoutBody) {
  Start();
  RawConnection c(Port());
  c.Send("HEAD /login HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  // The HEAD response announces a length but carries no body, so the next response follows.
  auto head = c.ReadResponse(5s, /*head=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_NE(head->Header("content-length"), "0");
  auto next = c.ReadResponse();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
  EXPECT_EQ(next->body, "{\"status\":\"ok\"}");
}

TEST_F(ServerTest, MetricsAreOnTheOpsListenerOnly) {
  Start();
  ASSERT_TRUE(Request(Port(), "GET", "/login"));
  auto on_public = Request(Port(), "GET", "/metrics");
  ASSERT_TRUE(on_public);
  EXPECT_EQ(on_public->status, 404);
  auto metrics = Request(server_->OpsPort(), "GET", "/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->body.find("rampart_http_requests_total{route=\"/login\",status=\"200\"}"),
            std::string::npos);
  EXPECT_NE(metrics->body.find("rampart_http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(metrics->body.find("rampart_http_open_connections"), std::string::npos);
  EXPECT_NE(metrics->body.find("rampart_db_seconds_total"), std::string::npos);
}

TEST_F(ServerTest, HealthAndReadiness) {
  Start();
  auto health = Request(Port(), "GET", "/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  auto ready = Request(Port(), "GET", "/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200);
}

}  // namespace
}  // namespace rampart::testing
