#include "web/pages.h"

#include <ctemplate/template.h>

#include <functional>
#include <stdexcept>
#include <string_view>

#include "web/embedded.h"

namespace rampart::web {
namespace {

Site g_site;  // written once by Init, before serving

std::string Render(const std::string& body_template, const std::string& title, const Viewer* viewer,
                   const std::function<void(ctemplate::TemplateDictionary&)>& fill) {
  ctemplate::TemplateDictionary page("page");
  if (viewer != nullptr) {
    auto* user = page.AddSectionDictionary("USER");
    user->SetValue("NAME", viewer->name);
    user->SetValue("CSRF_TOKEN", viewer->csrf_token);
    user->ShowSection(viewer->staff ? "STAFF" : "CUSTOMER");
    if (viewer->staff && viewer->admin) user->ShowSection("ADMIN");
  }
  page.SetValue("TITLE", title);
  page.SetValue("PROFILE", g_site.profile);
  page.SetValue("VERSION", g_site.version);
  ctemplate::TemplateDictionary* body = page.AddIncludeDictionary("BODY");
  body->SetFilename(body_template);
  fill(*body);
  std::string out;
  if (!ctemplate::ExpandTemplate("layout.tpl", ctemplate::DO_NOT_STRIP, &page, &out)) {
    throw std::runtime_error("template expansion failed: " + body_template);
  }
  return out;
}

std::string_view ContentTypeFor(std::string_view name) {
  const auto ends_with = [&](std::string_view suffix) {
    return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
  };
  if (ends_with(".css")) return "text/css; charset=utf-8";
  if (ends_with(".js")) return "text/javascript; charset=utf-8";
  if (ends_with(".svg")) return "image/svg+xml";
  if (ends_with(".png")) return "image/png";
  return "application/octet-stream";
}

}  // namespace

void Init(const Site& site) {
  g_site = site;
  for (const core::EmbeddedFile& f : EmbeddedTemplates()) {
    const std::string key(f.path.substr(f.path.rfind('/') + 1));
    if (!ctemplate::StringToTemplateCache(key, f.bytes.data(), f.bytes.size(),
                                          ctemplate::DO_NOT_STRIP)) {
      throw std::runtime_error("bad template: " + key);
    }
  }
  // Templates are fixed at build time; freezing makes the cache lock-free to read.
  ctemplate::mutable_default_template_cache()->Freeze();
}

http::Response LoginPage(int status, const LoginView& view) {
  return http::Response::Html(status, Render("login.tpl", "Sign in", nullptr, [&](auto& d) {
                                d.SetValue("CSRF_TOKEN", view.csrf_token);
                                d.SetValue("EMAIL", view.email);
                                if (view.sign_up) d.ShowSection("SIGN_UP");
                                if (view.error)
                                  d.AddSectionDictionary("ERROR")->SetValue("MESSAGE", *view.error);
                                if (view.notice)
                                  d.AddSectionDictionary("NOTICE")->SetValue("MESSAGE",
                                                                             *view.notice);
                              }));
}

http::Response ErrorPage(int status, const std::string& message, const std::string& request_id) {
  const std::string reason(http::ReasonPhrase(status));
  return http::Response::Html(status, Render("error.tpl", reason, nullptr, [&](auto& d) {
                                d.SetIntValue("STATUS", status);
                                d.SetValue("REASON", reason);
                                d.SetValue("MESSAGE", message);
                                d.SetValue("REQUEST_ID", request_id);
                              }));
}

http::Response Page(int status, const std::string& body_template, const std::string& title,
                    const Viewer* viewer, const Fill& fill) {
  return http::Response::Html(status, Render(body_template, title, viewer, fill));
}

http::Response SessionsPage(const Viewer& viewer, const std::vector<SessionRow>& rows,
                            const std::optional<std::string>& notice) {
  return http::Response::Html(200, Render("sessions.tpl", "Your sessions", &viewer, [&](auto& d) {
                                d.SetValue("CSRF_TOKEN", viewer.csrf_token);
                                if (notice)
                                  d.AddSectionDictionary("NOTICE")->SetValue("MESSAGE", *notice);
                                for (const SessionRow& r : rows) {
                                  auto* row = d.AddSectionDictionary("SESSION");
                                  row->SetValue("HANDLE", r.handle);
                                  row->SetValue("CLIENT", r.client_address);
                                  row->SetValue("AGENT", r.user_agent);
                                  row->SetValue("CREATED", r.created);
                                  row->SetValue("LAST_SEEN", r.last_seen);
                                  row->SetValue("CSRF_TOKEN", viewer.csrf_token);
                                  row->ShowSection(r.current ? "CURRENT" : "OTHER");
                                }
                              }));
}

http::Response HomePage(const Viewer& viewer, const std::string& heading, const std::string& text) {
  return http::Response::Html(200, Render("home.tpl", heading, &viewer, [&](auto& d) {
                                d.SetValue("HEADING", heading);
                                d.SetValue("TEXT", text);
                              }));
}

std::optional<http::Response> StaticAsset(const std::string& name) {
  for (const core::EmbeddedFile& f : EmbeddedStatic()) {
    if (f.path.substr(f.path.rfind('/') + 1) != name) continue;
    http::Response r;
    r.headers.Set("Content-Type", ContentTypeFor(name));
    r.headers.Set("Cache-Control", "public, max-age=3600");
    r.body = std::string(f.bytes);
    return r;
  }
  return std::nullopt;
}

}  // namespace rampart::web
