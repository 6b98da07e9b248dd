// The OpenAPI document is written by hand; these tests hold it to the route table.
#include <gtest/gtest.h>

#include <unistd.h>
#include <boost/json.hpp>

#include <cctype>
#include <filesystem>
#include <memory>
#include <set>
#include <stdexcept>

#include "api/embedded.h"
#include "api/routes.h"
#include "core/strings.h"

namespace rampart::api {
namespace {

namespace json = boost::json;

// Registering routes binds handlers to a database but never reads it.
class NoDatabase : public storage::Database {
 public:
  storage::Lease Read() override { throw std::logic_error("no database"); }
  storage::Lease Write() override { throw std::logic_error("no database"); }
  void Backup(const std::filesystem::path&) override { throw std::logic_error("no database"); }
};

json::object Document() {
  for (const core::EmbeddedFile& f : EmbeddedApiDocs()) {
    if (f.path == "api/openapi.json") {
      return json::parse(json::string_view(f.bytes.data(), f.bytes.size())).as_object();
    }
  }
  ADD_FAILURE() << "api/openapi.json is not embedded";
  return {};
}

struct Operation {
  std::string method;
  std::string path;
  bool is_public = false;
  auto operator<=>(const Operation&) const = default;
};

std::set<Operation> DocumentedOperations() {
  std::set<Operation> out;
  const json::object doc = Document();
  for (const auto& path : doc.at("paths").as_object()) {
    for (const auto& op : path.value().as_object()) {
      if (op.key() == "parameters") continue;
      const json::object& operation = op.value().as_object();
      const auto* security = operation.if_contains("security");
      const bool is_public = security != nullptr && security->as_array().empty();
      const std::string key(op.key());
      // OpenAPI names methods in lower case; the router in upper case.
      EXPECT_EQ(core::ToLower(key), key);
      std::string method = key;
      for (char& ch : method) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      out.insert({method, std::string(path.key()), is_public});
    }
  }
  return out;
}

std::set<Operation> RoutedOperations() {
  NoDatabase db;
  const core::SystemClock clock;
  http::Router router(1024);
  tickets::TicketCommitter committer(db);  // never used: listing routes writes nothing
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("rampart-openapi-" + std::to_string(::getpid()));
  const tickets::AttachmentStore files(
      dir, std::make_shared<auth::SecretBox>(auth::ServerKey::FromBytes(std::string(32, 'k'), 1)),
      {});
  RegisterRoutes(router, db, committer, clock, files, auth::kMinimumHashCost);
  std::filesystem::remove_all(dir);
  std::set<Operation> out;
  for (const http::Route& r : router.Routes()) {
    out.insert({r.method, r.pattern, r.access == http::Access::kPublic});
  }
  return out;
}

TEST(OpenApi, DocumentsExactlyTheRoutesThereAre) {
  const auto documented = DocumentedOperations();
  const auto routed = RoutedOperations();
  for (const Operation& op : routed) {
    EXPECT_TRUE(documented.contains(op))
        << op.method << " " << op.path << (op.is_public ? " (public)" : "") << " is not documented";
  }
  for (const Operation& op : documented) {
    EXPECT_TRUE(routed.contains(op))
        << op.method << " " << op.path << (op.is_public ? " (public)" : "") << " has no route";
  }
}

TEST(OpenApi, IsOpenApi3WithEveryReferenceDefined) {
  const json::object doc = Document();
  EXPECT_EQ(doc.at("openapi").as_string().subview(0, 2), "3.");
  const json::object& components = doc.at("components").as_object();
  // Walk the whole document: every $ref must name a component that exists.
  std::vector<const json::value*> to_visit{&doc.at("paths"), &doc.at("components")};
  int refs = 0;
  while (!to_visit.empty()) {
    const json::value* v = to_visit.back();
    to_visit.pop_back();
    if (v->is_array()) {
      for (const json::value& item : v->as_array()) to_visit.push_back(&item);
    } else if (v->is_object()) {
      for (const auto& item : v->as_object()) {
        if (item.key() == "$ref") {
          const std::string ref(item.value().as_string());
          ASSERT_EQ(ref.rfind("#/components/", 0), 0u) << ref;
          const auto parts = core::Split(std::string_view(ref).substr(13), '/');
          ASSERT_EQ(parts.size(), 2u) << ref;
          const auto* group =
              components.if_contains(json::string_view(parts[0].data(), parts[0].size()));
          ASSERT_NE(group, nullptr) << ref;
          EXPECT_NE(
              group->as_object().if_contains(json::string_view(parts[1].data(), parts[1].size())),
              nullptr)
              << ref;
          ++refs;
        } else {
          to_visit.push_back(&item.value());
        }
      }
    }
  }
  EXPECT_GT(refs, 20);
}

}  // namespace
}  // namespace rampart::api
