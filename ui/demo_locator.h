#pragma once
// Where the built-in demo (tiny model + dataset + copy heads, see docs/demo.md) lives: next to an
// installed binary (../share/halluscope/demo), or in the source tree the build came from.
#include <QString>

namespace hs::ui {

struct DemoPaths {
    QString root, dataset, model, copyHeads;
    bool valid() const { return !root.isEmpty(); }
};

// Empty paths when no complete demo is found.
DemoPaths findDemo();

} // namespace hs::ui
