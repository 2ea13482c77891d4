#include "plugins/manifest_check.h"

#include <chathost/sdk/plugin.h>

#include <string>
#include <vector>

namespace chathost::host {

namespace {

std::string abi(unsigned major, unsigned minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

std::string joinMissing(const ManifestFacts& facts) {
  std::vector<std::string> missing;
  if (!facts.hasName) missing.emplace_back("name");
  if (!facts.hasCreate) missing.emplace_back("create");
  if (!facts.hasDestroy) missing.emplace_back("destroy");
  std::string out;
  for (const auto& m : missing) out += (out.empty() ? "" : ", ") + m;
  return out;
}

}  // namespace

sdk::Status checkManifest(const ManifestFacts& facts, unsigned hostMajor, unsigned hostMinor,
                          std::string_view hostFingerprint) {
  const std::string who = "plugin '" + facts.name + "'";
  // The major comes first: a different generation may have a different manifest layout.
  if (facts.abiMajor != hostMajor)
    return sdk::Status::validation(
        who + " was built for SDK ABI " + abi(facts.abiMajor, facts.abiMinor) +
        ", this host speaks " + abi(hostMajor, hostMinor) + ": rebuild it against this host's SDK");
  if (facts.structSize < sizeof(sdk::PluginManifest))
    return sdk::Status::validation(who + " has a manifest of " + std::to_string(facts.structSize) +
                                   " bytes, this host needs at least " +
                                   std::to_string(sizeof(sdk::PluginManifest)) +
                                   ": rebuild it against this host's SDK");
  if (facts.abiMinor > hostMinor)
    return sdk::Status::validation(who + " needs SDK ABI " + abi(facts.abiMajor, facts.abiMinor) +
                                   ", newer than this host's " + abi(hostMajor, hostMinor) +
                                   ": upgrade the host or rebuild the plugin against its SDK");
  if (facts.fingerprint != hostFingerprint)
    return sdk::Status::validation(who + " was built with '" + facts.fingerprint +
                                   "', this host with '" + std::string(hostFingerprint) +
                                   "': rebuild it with the host's compiler and standard library");
  if (!facts.hasName || !facts.hasCreate || !facts.hasDestroy)
    return sdk::Status::validation(who + " has an incomplete manifest (missing " +
                                   joinMissing(facts) + "): build it with CHATHOST_PLUGIN()");
  return sdk::Status::ok();
}

}  // namespace chathost::host
