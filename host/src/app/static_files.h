#pragma once
// The dashboard's files, read once at start-up and served from memory.

#include <chathost/sdk/http.h>

#include <map>
#include <optional>
#include <string>

namespace chathost::host {

class StaticFiles {
 public:
  /// Loads every file below `root` (index.html, assets/...). A missing root leaves a placeholder
  /// page that says how to build the dashboard.
  explicit StaticFiles(const std::string& root);

  /// The response for a GET of `path`: a file, or index.html for the single-page app's routes
  /// ("/", "/agents/..."), with the page's Content-Security-Policy. nullopt for anything else
  /// (the API, missing files, unknown paths: the router answers those).
  std::optional<sdk::Response> serve(const std::string& path) const;
  std::size_t fileCount() const { return files_.size(); }

 private:
  struct File {
    std::string contentType;
    std::string body;
  };
  std::map<std::string, File> files_;  // "/index.html", "/assets/app.js"
};

/// `<exe dir>/../share/chathost/web`, or $CHATHOST_WEB_ROOT when set.
std::string defaultWebRoot(const std::string& executablePath);

/// Content type by file extension.
std::string contentTypeFor(const std::string& path);

}  // namespace chathost::host
