#pragma once
// One-line descriptions of the host's config keys for the JSON Schema, and the patterns of the
// string rules host_config_builder checks in code (docs/configuration.md has the long text).

#include "config/config_schema_json.h"

namespace chathost::host {

/// Every key of describeHostConfig(), by dotted path; tests keep the two in step.
const KeyNotes& hostConfigKeyNotes();

}  // namespace chathost::host
