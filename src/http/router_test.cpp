#include "http/router.h"

#include <gtest/gtest.h>

#include "core/errors.h"
#include "http/pipeline.h"

namespace rampart::http {
namespace {

Handler Named(std::string name) {
  return [name](Request&) { return Response::Text(200, name); };
}

TEST(Router, BindsPathParametersAndPrefersLiteralRoutes) {
  Router router(1024);
  router.Add({"GET", "/portal/tickets/{number}", Named("show"), 0, Execution::kBlocking});
  router.Add({"GET", "/portal/tickets/new", Named("new"), 0, Execution::kBlocking});
  Request r;
  r.path = "/portal/tickets/RMP-1042";
  RouteInfo info = router.Resolve("GET", r.path);
  ASSERT_NE(info.route, nullptr);
  Router::Bind(*info.route, r);
  EXPECT_EQ(r.PathParam("number"), "RMP-1042");
  EXPECT_EQ(router.Resolve("GET", "/portal/tickets/new").route->pattern, "/portal/tickets/new");
}

TEST(Router, KnowsPathsWithOtherMethods) {
  Router router(1024);
  router.Add({"POST", "/login", Named("post"), 4096, Execution::kBlocking});
  RouteInfo info = router.Resolve("GET", "/login");
  EXPECT_EQ(info.route, nullptr);
  EXPECT_TRUE(info.path_known);
  EXPECT_EQ(router.Resolve("POST", "/login").max_body_bytes, 4096u);
  EXPECT_FALSE(router.Resolve("GET", "/logout").path_known);
}

TEST(Router, RejectsDuplicatesAndRelativePatterns) {
  Router router(1024);
  router.Add({"GET", "/a", Named("a"), 0, Execution::kInline});
  EXPECT_THROW(router.Add({"GET", "/a", Named("b"), 0, Execution::kInline}), std::invalid_argument);
  EXPECT_THROW(router.Add({"GET", "a", Named("c"), 0, Execution::kInline}), std::invalid_argument);
}

TEST(Router, EmptySegmentsDoNotMatchParameters) {
  Router router(1024);
  router.Add({"GET", "/t/{id}", Named("t"), 0, Execution::kInline});
  EXPECT_EQ(router.Resolve("GET", "/t/").route, nullptr);
  EXPECT_EQ(router.Resolve("GET", "/t/1/2").route, nullptr);
}

TEST(Pipeline, RunsStagesInOrderAroundTheHandler) {
  Pipeline p;
  std::string trace;
  p.Add("outer", [&](Request& r, const Next& next) {
    trace += "<outer";
    Response res = next(r);
    trace += "outer>";
    return res;
  });
  p.Add("inner", [&](Request& r, const Next& next) {
    trace += "<inner";
    Response res = next(r);
    trace += "inner>";
    return res;
  });
  Request r;
  p.Run(r, [&](Request&) {
    trace += "|handler|";
    return Response::Text(200, "");
  });
  EXPECT_EQ(trace, "<outer<inner|handler|inner>outer>");
}

TEST(Pipeline, AStageMayAnswerWithoutCallingTheHandler) {
  Pipeline p;
  p.Add("deny", [](Request&, const Next&) { return Response::Text(403, "no"); });
  Request r;
  bool called = false;
  Response res = p.Run(r, [&](Request&) {
    called = true;
    return Response::Text(200, "");
  });
  EXPECT_EQ(res.status, 403);
  EXPECT_FALSE(called);
}

TEST(Response, RedirectsOnlyToLocalPaths) {
  EXPECT_EQ(Response::Redirect("/agent/").headers.Get("Location"), "/agent/");
  EXPECT_EQ(Response::Redirect("//evil.example/").headers.Get("Location"), "/");
  EXPECT_EQ(Response::Redirect("/\\evil.example").headers.Get("Location"), "/");
  EXPECT_EQ(Response::Redirect("https://evil.example/").headers.Get("Location"), "/");
  EXPECT_EQ(Response::Redirect("/a\r\nSet-Cookie: x=1").headers.Get("Location"), "/");
}

TEST(Forms, ParseDecodesAndRejectsMalformed) {
  auto form = ParseForm("email=a%40example.com&password=p+w%26d&empty=");
  ASSERT_TRUE(form);
  ASSERT_EQ(form->size(), 3u);
  EXPECT_EQ((*form)[0].second, "a@example.com");
  EXPECT_EQ((*form)[1].second, "p w&d");
  EXPECT_FALSE(ParseForm("a=%zz"));
}

TEST(Request, ReadsCookiesByExactName) {
  Request r;
  r.headers.Add("Cookie", "a=1; __Host-rampart_session=abc; b=2");
  EXPECT_EQ(r.Cookie("__Host-rampart_session"), "abc");
  EXPECT_FALSE(r.Cookie("rampart_session"));
}

}  // namespace
}  // namespace rampart::http
