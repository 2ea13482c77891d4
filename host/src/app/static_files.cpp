#include "app/static_files.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace chathost::host {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPlaceholder = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>chathost</title></head>
<body style="font-family:sans-serif;max-width:40rem;margin:4rem auto">
<h1>chathost is running</h1>
<p>The dashboard was not built. Build it with <code>cmake --build build</code> (it needs npm),
then restart the host. The REST API works without it: see docs/api.md.</p>
</body></html>
)";

bool startsWith(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

// The single-page app's own routes (host/web/src/lib/route.js): "/", "/agents/..." and the API
// page "/api-docs". Any other path that is not a file is left to the router, which answers 404
// NOT_FOUND.
bool isPageRoute(const std::string& path) {
  return path == "/" || path == "/agents" || startsWith(path, "/agents/") || path == "/api-docs";
}

// The page holds an admin token: scripts and styles only from the host itself (none inline), no
// framing by other sites, API calls only to the host. Images, video and audio of messages load
// from wherever the platform keeps them (Instagram's CDN) or the sender's http(s) URL.
constexpr const char* kPagePolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: https: "
    "http:; media-src 'self' https: http:; connect-src 'self'; font-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

}  // namespace

std::string contentTypeFor(const std::string& path) {
  const std::string ext = fs::path(path).extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

StaticFiles::StaticFiles(const std::string& root) {
  std::error_code ec;
  if (fs::is_directory(root, ec)) {
    for (auto it = fs::recursive_directory_iterator(root, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file()) continue;
      std::ifstream in(it->path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      const std::string rel = "/" + fs::relative(it->path(), root).generic_string();
      files_[rel] = {contentTypeFor(rel), ss.str()};
    }
  }
  if (!files_.count("/index.html"))
    files_["/index.html"] = {contentTypeFor("/index.html"), kPlaceholder};
}

std::optional<sdk::Response> StaticFiles::serve(const std::string& path) const {
  auto it = files_.find(path);
  if (it == files_.end()) {
    if (!isPageRoute(path)) return std::nullopt;
    it = files_.find("/index.html");
  }
  sdk::Response r;
  r.headers.emplace_back("Content-Security-Policy", kPagePolicy);
  r.contentType = it->second.contentType;
  r.body = it->second.body;
  // Hashed asset names never change; the page itself must be revalidated.
  r.headers.emplace_back("Cache-Control", startsWith(it->first, "/assets/")
                                              ? "public, max-age=31536000, immutable"
                                              : "no-cache");
  return r;
}

std::string defaultWebRoot(const std::string& executablePath) {
  if (const char* env = std::getenv("CHATHOST_WEB_ROOT"); env && *env) return env;
  return (fs::path(executablePath).parent_path() / ".." / "share" / "chathost" / "web")
      .lexically_normal()
      .string();
}

}  // namespace chathost::host
