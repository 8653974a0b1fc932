#pragma once
// Where the bundled demo (tiny model, its copy heads and its dataset; docs/demo.md) is found, for
// both front ends: `halluscope-cli demo` and the GUI's File > Open Demo call this one function.
#include <string>
#include <vector>

namespace hs {

struct DemoResources {
    std::string root;        // the folder holding demo/
    std::string model;       // root/demo/model
    std::string dataset;     // root/demo/data
    std::string copyHeads;   // root/demo/copy_heads.json, or "" when absent
};

// The folders tried, in order: $HS_RESOURCES; next to the running executable, an installed
// prefix's share/halluscope (bin/ -> ../share/halluscope) and a source tree's resources/ beside its
// build tree (build/app/ -> ../../resources). No path is compiled in: a copied or installed binary
// never reads the source tree it was built from.
std::vector<std::string> demoResourceCandidates();

// The first candidate holding a complete demo; throws hs::InputError listing where it looked.
DemoResources findDemoResources();

// The running executable's folder (from /proc/self/exe; "." when unknown).
std::string executableDir();

} // namespace hs
