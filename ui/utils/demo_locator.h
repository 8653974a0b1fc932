#pragma once
// The built-in demo (tiny model + dataset + copy heads, see docs/demo.md) as Qt paths; the lookup
// itself is core's findDemoResources (core/util/demo_resources.h), shared with the CLI.
#include <QString>

namespace hs::ui {

struct DemoPaths {
    QString root, dataset, model, copyHeads;
    bool valid() const { return !root.isEmpty(); }
};

// Empty paths when no complete demo is found.
DemoPaths findDemo();

} // namespace hs::ui
