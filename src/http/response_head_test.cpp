#include "http/response_head.h"

#include <gtest/gtest.h>

namespace rampart::http {
namespace {

TEST(ResponseHead, WritesStatusHeadersAndFraming) {
  Response r = Response::Text(200, "hi");
  const std::string head = SerializeResponseHead(r, 2, true);
  EXPECT_EQ(
      head,
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\n");
  EXPECT_NE(SerializeResponseHead(r, 2, false).find("Connection: close\r\n"), std::string::npos);
}

TEST(ResponseHead, NoValueCanSplitTheResponse) {
  Response r;
  r.headers.Add("X-Name", "ok\r\nSet-Cookie: session=stolen");
  r.headers.Add("X-Nul", std::string("a\0b", 3));
  r.headers.Add("Bad Name", "v");
  r.headers.Add("X-Fine", "tab\tis fine");
  const std::string head = SerializeResponseHead(r, 0, true);
  EXPECT_EQ(head.find("Set-Cookie"), std::string::npos);
  EXPECT_EQ(head.find("X-Nul"), std::string::npos);
  EXPECT_EQ(head.find("Bad Name"), std::string::npos);
  EXPECT_NE(head.find("X-Fine: tab\tis fine\r\n"), std::string::npos);
}

TEST(ResponseHead, HandlersCannotSetFraming) {
  Response r;
  r.headers.Add("Content-Length", "999");
  r.headers.Add("Transfer-Encoding", "chunked");
  const std::string head = SerializeResponseHead(r, 5, true);
  EXPECT_EQ(head.find("999"), std::string::npos);
  EXPECT_EQ(head.find("chunked"), std::string::npos);
  EXPECT_NE(head.find("Content-Length: 5\r\n"), std::string::npos);
}

}  // namespace
}  // namespace rampart::http
