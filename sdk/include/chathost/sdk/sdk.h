#pragma once
// Umbrella header: everything a plugin author needs.

#include <chathost/sdk/plugin.h>
