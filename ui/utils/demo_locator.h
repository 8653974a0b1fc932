#pragma once
// The built-in demo (tiny model + dataset + copy heads, see docs/demo.md) as Qt paths; the lookup
// itself is core's findDemoResources (core/util/demo_resources.h), shared with the CLI.
#include "core/util/demo_resources.h"

#include <QString>

#include <optional>

namespace hs::ui {

struct DemoPaths {
    QString root, dataset, model, copyHeads;
    std::optional<DemoResources> resources; // what core found (the recipe takes it)
    bool valid() const { return resources.has_value(); }
};

// Empty paths when no complete demo is found.
DemoPaths findDemo();

} // namespace hs::ui
