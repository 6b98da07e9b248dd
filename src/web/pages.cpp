#include "web/pages.h"

#include <ctemplate/template.h>

#include <functional>
#include <stdexcept>
#include <string_view>

#include "web/embedded.h"

namespace rampart::web {
namespace {

Site g_site;  // written once by Init, before serving

std::string Render(const std::string& body_template, const std::string& title,
                   const std::function<void(ctemplate::TemplateDictionary&)>& fill) {
  ctemplate::TemplateDictionary page("page");
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
  return http::Response::Html(status, Render("login.tpl", "Sign in", [&](auto& d) {
                                d.SetValue("CSRF_TOKEN", view.csrf_token);
                                d.SetValue("EMAIL", view.email);
                                if (view.error)
                                  d.AddSectionDictionary("ERROR")->SetValue("MESSAGE", *view.error);
                                if (view.notice)
                                  d.AddSectionDictionary("NOTICE")->SetValue("MESSAGE",
                                                                             *view.notice);
                              }));
}

http::Response ErrorPage(int status, const std::string& message, const std::string& request_id) {
  const std::string reason(http::ReasonPhrase(status));
  return http::Response::Html(status, Render("error.tpl", reason, [&](auto& d) {
                                d.SetIntValue("STATUS", status);
                                d.SetValue("REASON", reason);
                                d.SetValue("MESSAGE", message);
                                d.SetValue("REQUEST_ID", request_id);
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
