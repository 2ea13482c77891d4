#pragma once
// Decides whether a plugin's manifest can be served by this host. Pure: no library is touched.

#include <chathost/sdk/status.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace chathost::host {

/// A plain copy of what the loader read from a sdk::PluginManifest. `name` is the manifest's name
/// when it could be read safely, else the name the plugin was configured under.
struct ManifestFacts {
  std::uint32_t structSize = 0;
  std::uint32_t abiMajor = 0;
  std::uint32_t abiMinor = 0;
  std::string fingerprint;
  std::string name;
  bool hasName = false;  // the manifest's name is non-null and non-empty
  bool hasCreate = false;
  bool hasDestroy = false;
};

/// Ok when the host can load the plugin; otherwise a one-line reason (kValidation). Checks, in
/// order: ABI major, struct size, newer minor, fingerprint, then name/create/destroy present.
/// Pure; any thread.
sdk::Status checkManifest(const ManifestFacts& facts, unsigned hostMajor, unsigned hostMinor,
                          std::string_view hostFingerprint);

}  // namespace chathost::host
