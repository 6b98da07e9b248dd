// Attachments against the real binary: upload through the portal, the workspace and the API,
// download with the safe headers, and what an attacker tries (other people's files, no CSRF
// token, oversized files, markup in file names, HTML dressed as an image).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <regex>
#include <tuple>

#include "support/http_client.h"
#include "support/server_process.h"

namespace rampart::testing {
namespace {

namespace json = boost::json;

constexpr const char* kPassword = "a long enough passphrase 2026";
// Small limits keep the oversize cases quick; the defaults are covered by unit tests.
const std::map<std::string, std::string> kEnv = {{"RAMPART_AUTH_HASH_MEMORY_KIB", "19456"},
                                                 {"RAMPART_ATTACHMENTS_MAX_FILE_BYTES", "65536"},
                                                 {"RAMPART_ATTACHMENTS_MAX_TOTAL_BYTES", "98304"}};

const std::string kPng(
    "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDAT"
    "x\x9c"
    "c\xf8\x0f\0\0\x01\x01\0\x05\x18\xd8N\0\0\0\0IEND\xae"
    "B`\x82",
    67);
const std::string kHtml = "<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>\n";
constexpr const char* kBoundary = "----rampartTestBoundary7MA4YWxk";

json::value Parse(const std::string& body) {
  json::error_code ec;
  json::value v = json::parse(body, ec);
  EXPECT_FALSE(ec) << "not JSON: " << body.substr(0, 300);
  return v;
}

struct Part {
  std::string name;
  std::string value;
  std::optional<std::string> filename;
  std::string type = "application/octet-stream";
};

std::string Multipart(const std::vector<Part>& parts) {
  std::string out;
  for (const Part& p : parts) {
    out += "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"" + p.name +
           "\"";
    if (p.filename) out += "; filename=\"" + *p.filename + "\"\r\nContent-Type: " + p.type;
    out += "\r\n\r\n" + p.value + "\r\n";
  }
  return out + "--" + kBoundary + "--\r\n";
}

std::string MultipartType() {
  return std::string("multipart/form-data; boundary=") + kBoundary;
}

std::string CookieFrom(const HttpResponse& r, const std::string& name) {
  const auto [b, e] = r.headers.equal_range("set-cookie");
  for (auto it = b; it != e; ++it) {
    if (it->second.rfind(name + "=", 0) == 0) return it->second.substr(0, it->second.find(';'));
  }
  return "";
}

std::string CsrfOf(const std::string& html) {
  std::smatch m;
  if (!std::regex_search(html, m, std::regex(R"re(name="csrf_token" value="([^"]*)")re"))) {
    return "";
  }
  return m[1].str();
}

// A signed-in browser: its session cookie and the CSRF token its pages carry.
struct Browser {
  std::string cookie;
  std::string csrf;
};

class AttachmentsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const std::string d = dir_->Path().string();
    ASSERT_EQ(RunRampart({"init", "--data-dir", d, "--owner-email", "owner@example.com"},
                         std::string(kPassword) + "\n", kEnv)
                  .exit_code,
              0);
    for (auto [email, role, department] : {std::tuple{"sam@example.com", "agent", "Support"},
                                           std::tuple{"bill@example.com", "agent", "Billing"},
                                           std::tuple{"ana@example.com", "end_user", ""},
                                           std::tuple{"bob@example.com", "end_user", ""}}) {
      std::vector<std::string> args = {"user",   "add", "--data-dir",      d, "--email", email,
                                       "--role", role,  "--password-stdin"};
      if (*department != '\0') {
        args.emplace_back("--department");
        args.emplace_back(department);
      }
      ASSERT_EQ(RunRampart(args, std::string(kPassword) + "\n", kEnv).exit_code, 0);
    }
    tokens_ = new std::map<std::string, std::string>();
    for (const char* who : {"sam", "bill", "ana", "bob"}) {
      const auto r = RunRampart({"token", "create", "--data-dir", d, "--user",
                                 std::string(who) + "@example.com", "--scope", "write"});
      ASSERT_EQ(r.exit_code, 0) << r.err;
      (*tokens_)[who] = r.out.substr(0, r.out.find('\n'));
    }
    server_ = new ServerProcess(dir_->Path(), kEnv);
    ASSERT_TRUE(server_->Started()) << server_->Logs();
    browsers_ = new std::map<std::string, Browser>();
    for (const char* who : {"ana", "bob", "sam", "bill"}) (*browsers_)[who] = SignIn(who);
  }
  static void TearDownTestSuite() {
    delete browsers_;
    delete server_;
    delete tokens_;
    delete dir_;
  }

  static int Port() { return server_->PublicPort(); }

  static Browser SignIn(const std::string& who) {
    const auto login = Request(Port(), "GET", "/login");
    EXPECT_TRUE(login);
    if (!login) return {};
    const auto signed_in = Request(Port(), "POST", "/login",
                                   "csrf_token=" + CsrfOf(login->body) + "&email=" + who +
                                       "%40example.com&password=a+long+enough+passphrase+2026",
                                   {{"Content-Type", "application/x-www-form-urlencoded"},
                                    {"Cookie", CookieFrom(*login, "__Host-rampart_csrf")}});
    EXPECT_TRUE(signed_in && signed_in->status == 303);
    Browser b;
    b.cookie = signed_in ? CookieFrom(*signed_in, "__Host-rampart_session") : "";
    const auto page = Request(Port(), "GET", "/account/sessions", "", {{"Cookie", b.cookie}});
    EXPECT_TRUE(page && page->status == 200) << (page ? page->body : "");
    b.csrf = page ? CsrfOf(page->body) : "";
    EXPECT_FALSE(b.csrf.empty()) << who;
    return b;
  }

  static HttpResponse Api(const std::string& method, const std::string& target,
                          const std::string& who, const std::string& body = "",
                          std::map<std::string, std::string> headers = {}) {
    headers["Authorization"] = "Bearer " + tokens_->at(who);
    if (!body.empty() && !headers.contains("Content-Type")) {
      headers["Content-Type"] = "application/json";
    }
    auto r = Request(Port(), method, target, body, headers);
    EXPECT_TRUE(r) << method << " " << target;
    return r ? *r : HttpResponse{};
  }

  static HttpResponse Web(const std::string& method, const std::string& target,
                          const std::string& who, const std::string& body = "",
                          std::map<std::string, std::string> headers = {}) {
    headers["Cookie"] = browsers_->at(who).cookie;
    auto r = Request(Port(), method, target, body, headers);
    EXPECT_TRUE(r) << method << " " << target;
    return r ? *r : HttpResponse{};
  }

  // A ticket opened by `who` in Support (Sam's department, not Bill's).
  static std::string OpenTicket(const std::string& who, const std::string& subject) {
    const auto me = Parse(Api("GET", "/api/v1/me", "sam").body);
    const std::int64_t support = me.at("department_ids").as_array().at(0).as_int64();
    json::object body{{"subject", subject}, {"body", "Details follow."}, {"department", support}};
    const HttpResponse r = Api("POST", "/api/v1/tickets", who, json::serialize(body));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? std::string(Parse(r.body).at("number").as_string()) : "RMP-0";
  }

  // Uploads raw bytes through the API; returns the attachment's JSON.
  static json::object UploadRaw(const std::string& who, const std::string& number,
                                const std::string& filename, const std::string& bytes) {
    const HttpResponse r =
        Api("POST", "/api/v1/tickets/" + number + "/attachments?filename=" + filename, who, bytes,
            {{"Content-Type", "application/octet-stream"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Parse(r.body).as_object() : json::object{};
  }

  static std::size_t FilesOnDisk() {
    std::size_t n = 0;
    const auto dir = dir_->Path() / "attachments";
    if (!std::filesystem::exists(dir)) return 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
    return n;
  }

  // Messages and attachments of a ticket, as staff see them.
  static std::string ThreadShape(const std::string& number) {
    const auto r = Api("GET", "/api/v1/tickets/" + number + "/messages", "sam");
    std::string out;
    const json::value thread = Parse(r.body);
    for (const auto& m : thread.at("data").as_array()) {
      out += std::to_string(m.at("attachments").as_array().size()) + ",";
    }
    return out;
  }

  static void ExpectSafeDownloadHeaders(const HttpResponse& r) {
    EXPECT_EQ(r.Header("x-content-type-options"), "nosniff");
    EXPECT_NE(r.Header("content-security-policy").value_or("").find("sandbox"), std::string::npos);
    EXPECT_EQ(r.Header("cache-control"), "private, no-store");
  }

  static TempDir* dir_;
  static ServerProcess* server_;
  static std::map<std::string, std::string>* tokens_;
  static std::map<std::string, Browser>* browsers_;
};

TempDir* AttachmentsTest::dir_ = nullptr;
ServerProcess* AttachmentsTest::server_ = nullptr;
std::map<std::string, std::string>* AttachmentsTest::tokens_ = nullptr;
std::map<std::string, Browser>* AttachmentsTest::browsers_ = nullptr;

TEST_F(AttachmentsTest, ApiRoundTripIsByteIdenticalWithSafeHeaders) {
  const std::string number = OpenTicket("ana", "Scanner output");
  const json::object a = UploadRaw("ana", number, "scan.png", kPng);
  EXPECT_EQ(a.at("content_type").as_string(), "image/png");
  EXPECT_EQ(a.at("filename").as_string(), "scan.png");
  EXPECT_EQ(a.at("size").as_int64(), static_cast<std::int64_t>(kPng.size()));
  const std::string id(a.at("id").as_string());
  const HttpResponse got = Api("GET", "/api/v1/attachments/" + id, "ana");
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.body, kPng);
  EXPECT_EQ(got.Header("content-type"), "image/png");
  EXPECT_EQ(got.Header("content-disposition"),
            "attachment; filename=\"scan.png\"; filename*=UTF-8''scan.png");
  ExpectSafeDownloadHeaders(got);
  // The ticket's thread lists it.
  const auto ticket = Parse(Api("GET", "/api/v1/tickets/" + number, "ana").body);
  const auto& messages = ticket.at("messages").as_array();
  EXPECT_EQ(messages.back().at("attachments").at(0).at("id").as_string(), id);
}

TEST_F(AttachmentsTest, ApiMultipartUploadAndInternalNotesStayInternal) {
  const std::string number = OpenTicket("ana", "Multipart upload");
  const std::string body =
      Multipart({{"body", "Our log, for staff only."},
                 {"internal", "true"},
                 {"file", "trace line 1\ntrace line 2\n", "trace.log", "text/plain"}});
  const HttpResponse r = Api("POST", "/api/v1/tickets/" + number + "/attachments", "sam", body,
                             {{"Content-Type", MultipartType()}});
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id(Parse(r.body).at("id").as_string());
  EXPECT_EQ(Api("GET", "/api/v1/attachments/" + id, "sam").body, "trace line 1\ntrace line 2\n");
  // The requester sees neither the note nor its file.
  EXPECT_EQ(Api("GET", "/api/v1/attachments/" + id, "ana").status, 404);
  EXPECT_EQ(Web("GET", "/attachments/" + id, "ana").status, 404);
  // An end user may not attach to a note at all.
  const HttpResponse refused =
      Api("POST", "/api/v1/tickets/" + number + "/attachments?filename=x.txt&internal=true", "ana",
          "x", {{"Content-Type", "application/octet-stream"}});
  EXPECT_EQ(refused.status, 403) << refused.body;
}

TEST_F(AttachmentsTest, OthersGet404ThroughApiAndUi) {
  const std::string number = OpenTicket("ana", "Private scan");
  const std::string id(UploadRaw("ana", number, "private.png", kPng).at("id").as_string());
  EXPECT_EQ(Api("GET", "/api/v1/attachments/" + id, "bob").status, 404);
  EXPECT_EQ(Web("GET", "/attachments/" + id, "bob").status, 404);
  // Bill works in Billing; the ticket is in Support.
  EXPECT_EQ(Api("GET", "/api/v1/attachments/" + id, "bill").status, 404);
  EXPECT_EQ(Web("GET", "/attachments/" + id, "bill").status, 404);
  EXPECT_EQ(Web("GET", "/attachments/" + id, "sam").status, 200);
  // Unknown and malformed ids answer the same.
  EXPECT_EQ(Api("GET", "/api/v1/attachments/" + std::string(32, 'a'), "ana").status, 404);
  EXPECT_EQ(Web("GET", "/attachments/..%2f..%2fserver.key", "ana").status, 404);
  // Nor can Bob attach files to Ana's ticket.
  const std::size_t files = FilesOnDisk();
  const HttpResponse r = Api("POST", "/api/v1/tickets/" + number + "/attachments?filename=x.png",
                             "bob", kPng, {{"Content-Type", "application/octet-stream"}});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(FilesOnDisk(), files);
}

TEST_F(AttachmentsTest, PortalReplyWithFilesRoundTripsAndShowsThem) {
  const std::string number = OpenTicket("ana", "Portal upload");
  const Browser& ana = browsers_->at("ana");
  const HttpResponse posted = Web("POST", "/portal/tickets/" + number + "/reply", "ana",
                                  Multipart({{"csrf_token", ana.csrf},
                                             {"body", "Two files attached."},
                                             {"files", kPng, "screen.png", "image/png"},
                                             {"files", "plain notes", "notes.txt", "text/plain"}}),
                                  {{"Content-Type", MultipartType()}});
  ASSERT_EQ(posted.status, 303) << posted.body;
  const HttpResponse page = Web("GET", "/portal/tickets/" + number, "ana");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("screen.png"), std::string::npos);
  EXPECT_NE(page.body.find("notes.txt"), std::string::npos);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      page.body, m, std::regex(R"re(href="/attachments/([0-9a-f]{32})">screen.png)re")));
  const HttpResponse file = Web("GET", "/attachments/" + m[1].str(), "ana");
  EXPECT_EQ(file.body, kPng);
  ExpectSafeDownloadHeaders(file);
  // A raster image may be shown inline, and the page does so.
  EXPECT_NE(page.body.find("/attachments/" + m[1].str() + "?inline=1"), std::string::npos);
  const HttpResponse shown = Web("GET", "/attachments/" + m[1].str() + "?inline=1", "ana");
  EXPECT_EQ(shown.Header("content-disposition").value_or("").rfind("inline;", 0), 0U);
  // The agent sees it too.
  const HttpResponse agent_page = Web("GET", "/agent/tickets/" + number, "sam");
  EXPECT_NE(agent_page.body.find("/attachments/" + m[1].str()), std::string::npos);
  EXPECT_EQ(ThreadShape(number), "0,2,");
}

TEST_F(AttachmentsTest, UploadWithoutCsrfIs403AndStoresNothing) {
  const std::string number = OpenTicket("ana", "No token");
  const std::string before = ThreadShape(number);
  const std::size_t files = FilesOnDisk();
  for (const std::string& token : {std::string(), std::string("forged-token")}) {
    std::vector<Part> parts = {{"body", "Sneaky."}, {"files", kPng, "x.png", "image/png"}};
    if (!token.empty()) parts.insert(parts.begin(), Part{"csrf_token", token});
    const HttpResponse r = Web("POST", "/portal/tickets/" + number + "/reply", "ana",
                               Multipart(parts), {{"Content-Type", MultipartType()}});
    EXPECT_EQ(r.status, 403) << r.body;
    const HttpResponse agent = Web("POST", "/agent/tickets/" + number + "/reply", "sam",
                                   Multipart(parts), {{"Content-Type", MultipartType()}});
    EXPECT_EQ(agent.status, 403) << agent.body;
  }
  EXPECT_EQ(ThreadShape(number), before);
  EXPECT_EQ(FilesOnDisk(), files);
}

TEST_F(AttachmentsTest, OversizedFilesAre413AndStoreNothing) {
  const std::string number = OpenTicket("ana", "Too big");
  const std::string before = ThreadShape(number);
  const std::size_t files = FilesOnDisk();
  const Browser& ana = browsers_->at("ana");
  // One file over the per-file limit (64 KiB here).
  HttpResponse r = Web("POST", "/portal/tickets/" + number + "/reply", "ana",
                       Multipart({{"csrf_token", ana.csrf},
                                  {"body", "Big one."},
                                  {"files", std::string(65537, 'x'), "big.bin"}}),
                       {{"Content-Type", MultipartType()}});
  EXPECT_EQ(r.status, 413) << r.body;
  // Two files within the per-file limit but over the per-message total (96 KiB).
  r = Web("POST", "/portal/tickets/" + number + "/reply", "ana",
          Multipart({{"csrf_token", ana.csrf},
                     {"body", "Two."},
                     {"files", std::string(60000, 'a'), "a.bin"},
                     {"files", std::string(60000, 'b'), "b.bin"}}),
          {{"Content-Type", MultipartType()}});
  EXPECT_EQ(r.status, 413) << r.body;
  r = Api("POST", "/api/v1/tickets/" + number + "/attachments?filename=big.bin", "ana",
          std::string(65537, 'x'), {{"Content-Type", "application/octet-stream"}});
  EXPECT_EQ(r.status, 413) << r.body;
  // A body declared over the route's limit is refused before any of it is read and before any
  // handler runs. (Only the head is sent: a client still writing megabytes when the server
  // answers and closes may see the connection reset before it reads the answer.)
  RawConnection huge(Port());
  huge.Send("POST /api/v1/tickets/" + number +
            "/attachments?filename=huge.bin HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
            tokens_->at("ana") +
            "\r\nContent-Type: application/octet-stream\r\nContent-Length: 2097152\r\n\r\n");
  const auto refused = huge.ReadResponse();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 413);
  EXPECT_EQ(ThreadShape(number), before);
  EXPECT_EQ(FilesOnDisk(), files);
}

TEST_F(AttachmentsTest, MarkupInFileNamesComesBackEscaped) {
  const std::string number = OpenTicket("ana", "Names");
  const Browser& ana = browsers_->at("ana");
  const std::string img = "\"><img src=x onerror=alert(1)>.png";
  const std::string js = "javascript:alert(1)";
  const HttpResponse posted =
      Web("POST", "/portal/tickets/" + number + "/reply", "ana",
          Multipart({{"csrf_token", ana.csrf},
                     {"body", "Names."},
                     // The HTML form encoding escapes a quote in a name as %22; this client
                     // sends it raw inside a quoted-pair, as RFC 2045 allows.
                     {"files", kPng, "\\\"><img src=x onerror=alert(1)>.png", "image/png"},
                     {"files", "x", "<script>alert(1)<\\/script>.txt", "text/plain"},
                     {"files", "y", js, "text/plain"}}),
          {{"Content-Type", MultipartType()}});
  ASSERT_EQ(posted.status, 303) << posted.body;
  for (const std::string who : {"ana", "sam"}) {
    const std::string page =
        Web("GET", std::string(who == "ana" ? "/portal" : "/agent") + "/tickets/" + number, who)
            .body;
    EXPECT_EQ(page.find("<img src=x"), std::string::npos) << who;
    EXPECT_EQ(page.find("<script>alert"), std::string::npos) << who;
    EXPECT_EQ(page.find("href=\"javascript:"), std::string::npos) << who;
    EXPECT_NE(page.find("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.png"), std::string::npos)
        << who;
  }
  const auto thread = Parse(Api("GET", "/api/v1/tickets/" + number + "/messages", "ana").body);
  const auto& list = thread.at("data").as_array().back().at("attachments").as_array();
  ASSERT_EQ(list.size(), 3U);
  EXPECT_EQ(list.at(0).at("filename").as_string(), img);
  EXPECT_EQ(list.at(2).at("filename").as_string(), js);
  const HttpResponse file =
      Api("GET", "/api/v1/attachments/" + std::string(list.at(0).at("id").as_string()), "ana");
  const std::string disposition = file.Header("content-disposition").value_or("");
  EXPECT_EQ(disposition,
            "attachment; filename=\"_><img src=x onerror=alert(1)>.png\"; "
            "filename*=UTF-8''%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.png");
}

TEST_F(AttachmentsTest, HtmlDressedAsAnImageIsNeverShownInline) {
  const std::string number = OpenTicket("ana", "Disguised");
  const json::object a = UploadRaw("ana", number, "cute-cat.png", kHtml);
  EXPECT_EQ(a.at("content_type").as_string(), "text/html");
  const std::string id(a.at("id").as_string());
  const HttpResponse r = Web("GET", "/attachments/" + id + "?inline=1", "ana");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-disposition").value_or("").rfind("attachment;", 0), 0U);
  EXPECT_EQ(r.Header("content-type"), "text/html");
  ExpectSafeDownloadHeaders(r);
  // No preview in the page either.
  const std::string page = Web("GET", "/portal/tickets/" + number, "ana").body;
  EXPECT_EQ(page.find("/attachments/" + id + "?inline=1"), std::string::npos);
  // And a PNG named .html is a PNG.
  const json::object png = UploadRaw("ana", number, "page.html", kPng);
  EXPECT_EQ(png.at("content_type").as_string(), "image/png");
}

TEST_F(AttachmentsTest, NewTicketWithAFileFromThePortal) {
  const Browser& ana = browsers_->at("ana");
  const HttpResponse r = Web("POST", "/portal/tickets", "ana",
                             Multipart({{"csrf_token", ana.csrf},
                                        {"subject", "Opened with a file"},
                                        {"body", "See the screenshot."},
                                        {"files", kPng, "first.png", "image/png"}}),
                             {{"Content-Type", MultipartType()}});
  ASSERT_EQ(r.status, 303) << r.body;
  const std::string location = r.Header("location").value_or("");
  const std::string page = Web("GET", location, "ana").body;
  EXPECT_NE(page.find("first.png"), std::string::npos);
}

}  // namespace
}  // namespace rampart::testing
