#include "plugins/plugin_manager.h"

#include "plugins/library_resolver.h"
#include "plugins/loaded_plugin.h"

#include <exception>
#include <utility>

namespace chathost::host {

struct PluginManager::Entry {
  std::unique_ptr<LoadedPlugin> loaded;
  std::shared_ptr<const sdk::ConfigView> config;
  std::unique_ptr<sdk::PluginContext> context;  // set while started
  bool started = false;
};

namespace {

// An empty config section: plugins always get a view, even with no `config:` key.
class EmptyConfigView final : public sdk::ConfigView {
 public:
  sdk::ConfigNodeKind kind(const std::string& path) const override {
    return path.empty() ? sdk::ConfigNodeKind::kMap : sdk::ConfigNodeKind::kMissing;
  }
  std::optional<std::string> scalar(const std::string&) const override { return std::nullopt; }
  std::vector<std::string> keys(const std::string&) const override { return {}; }
  std::size_t size(const std::string&) const override { return 0; }
};

std::string joinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
  return out;
}

std::string describe(const PluginSpec& spec, const sdk::ConfigIssue& issue) {
  if (spec.describeIssue) {
    try {
      return spec.describeIssue(issue);
    } catch (...) {  // fall through to the plain form
    }
  }
  std::string where = "plugins." + spec.name + ".config";
  if (!issue.path.empty()) where += "." + issue.path;
  return where + ": " + issue.message;
}

}  // namespace

PluginManager::PluginManager(sdk::Logger& logger, std::vector<std::string> searchPath)
    : logger_(logger), searchPath_(std::move(searchPath)) {}

PluginManager::~PluginManager() {
  unloadAll();
}

void PluginManager::setBeforeUnload(std::function<void()> hook) {
  beforeUnload_ = std::move(hook);
}

sdk::Status PluginManager::loadOne(const PluginSpec& spec, std::vector<std::string>& problems) {
  auto path = resolvePluginLibrary(spec.name, spec.library, searchPath_);
  if (!path) return path.status();
  auto opened = LoadedPlugin::open(*path, spec.name);
  if (!opened) return opened.status();
  std::unique_ptr<LoadedPlugin> loaded = std::move(opened).value();

  if (loaded->name() != spec.name)
    return sdk::Status::validation("plugin '" + spec.name + "': " + loaded->path() +
                                   " is the plugin '" + loaded->name() +
                                   "': the configured name must match the plugin's own");
  for (const auto& e : entries_)
    if (e->loaded->name() == loaded->name())
      return sdk::Status::validation("plugin '" + loaded->name() + "' is loaded twice, from " +
                                     e->loaded->path() + " and " + loaded->path() +
                                     ": plugin names must be unique");

  auto entry = std::make_unique<Entry>();
  entry->config = spec.config ? spec.config : std::make_shared<EmptyConfigView>();
  std::vector<sdk::ConfigIssue> issues;
  try {
    issues = loaded->plugin().validateConfig(*entry->config);
  } catch (const std::exception& e) {
    issues.push_back({"", std::string("plugin threw while validating its config: ") + e.what()});
  } catch (...) {
    issues.push_back({"", "plugin threw while validating its config"});
  }
  for (const auto& issue : issues) problems.push_back(describe(spec, issue));
  logger_.info(
      "plugin loaded",
      {{"plugin", loaded->name()}, {"version", loaded->version()}, {"path", loaded->path()}});
  entry->loaded = std::move(loaded);
  entries_.push_back(std::move(entry));
  return sdk::Status::ok();
}

sdk::Status PluginManager::loadAll(const std::vector<PluginSpec>& specs) {
  std::vector<std::string> problems;
  for (const auto& spec : specs) {
    try {
      sdk::Status s = loadOne(spec, problems);
      if (!s) problems.push_back(s.message());
    } catch (const std::exception& e) {
      problems.push_back("plugin '" + spec.name + "': " + e.what());
    }
  }
  if (problems.empty()) return sdk::Status::ok();
  unloadAll();
  return sdk::Status::validation(joinLines(problems));
}

sdk::Status PluginManager::startAll(const ContextFactory& makeContext) {
  for (auto& entry : entries_) {
    if (entry->started) continue;
    const std::string& name = entry->loaded->name();
    sdk::Status status;
    try {
      entry->context = makeContext ? makeContext(name, *entry->config) : nullptr;
      if (!entry->context)
        status = sdk::Status::internal("the host could not build its context");
      else
        status = entry->loaded->plugin().start(*entry->context);
    } catch (const std::exception& e) {
      status = sdk::Status::internal(std::string("exception: ") + e.what());
    } catch (...) {
      status = sdk::Status::internal("unknown exception");
    }
    if (!status) {
      entry->context.reset();
      logger_.error("plugin failed to start", {{"plugin", name}, {"reason", status.message()}});
      stopAll();
      return sdk::Status(
          status.code() == sdk::ErrorCode::kOk ? sdk::ErrorCode::kInternal : status.code(),
          "plugin '" + name + "' failed to start: " + status.message());
    }
    entry->started = true;
    logger_.info("plugin started", {{"plugin", name}});
  }
  return sdk::Status::ok();
}

void PluginManager::stopAll() {
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    Entry& entry = **it;
    if (!entry.started) continue;
    const std::string& name = entry.loaded->name();
    logger_.info("stopping plugin", {{"plugin", name}});
    try {
      entry.loaded->plugin().stop();
    } catch (...) {  // a plugin not built with the SDK's guard; nothing more to do at shutdown
      logger_.warning("plugin threw in stop()", {{"plugin", name}});
    }
    entry.started = false;
    logger_.info("plugin stopped", {{"plugin", name}});
  }
  // Contexts go only once every plugin has stopped: one plugin's stop() may still use services.
  for (auto& entry : entries_) entry->context.reset();
}

void PluginManager::unloadAll() {
  if (entries_.empty()) return;
  stopAll();
  if (beforeUnload_) {
    try {
      beforeUnload_();
    } catch (...) {
      logger_.error("before-unload hook threw; unloading anyway");
    }
  }
  while (!entries_.empty()) {
    std::string name = entries_.back()->loaded->name();
    entries_.pop_back();  // destroy() then unload, in LoadedPlugin's destructor
    logger_.info("plugin unloaded", {{"plugin", name}});
  }
}

std::vector<LoadedPluginInfo> PluginManager::plugins() const {
  std::vector<LoadedPluginInfo> out;
  for (const auto& e : entries_)
    out.push_back({e->loaded->name(), e->loaded->version(), e->loaded->path()});
  return out;
}

}  // namespace chathost::host
