#pragma once
// Pure pieces of the Prometheus text exposition format 0.0.4 (names, escaping, numbers).

#include <chathost/sdk/metrics.h>

#include <string>
#include <string_view>

namespace chathost::host {

/// [a-zA-Z_:][a-zA-Z0-9_:]*
bool isValidMetricName(std::string_view name);
/// [a-zA-Z_][a-zA-Z0-9_]*, not starting with "__" (reserved by Prometheus).
bool isValidLabelName(std::string_view name);

/// Label value escaping: backslash, double quote and newline.
std::string escapeLabelValue(std::string_view value);
/// HELP text escaping: backslash and newline.
std::string escapeHelp(std::string_view help);

/// Shortest text that reads back as the same double; "+Inf", "-Inf", "NaN" for the specials.
std::string formatNumber(double value);

/// `{a="1",b="2"}` with labels in the given order; empty for no labels.
std::string renderLabels(const sdk::MetricLabels& labels);

}  // namespace chathost::host
