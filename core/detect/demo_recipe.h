#pragma once
// The demo's recipe, for both front ends (`halluscope-cli demo`, the GUI's File > Open Demo): the bundled
// model, dataset and copy heads (core/util/demo_resources.h), clean token-level detection on the CPU into
// one session, then the ensemble's grouped cross-validation. docs/demo.md says why clean and why the
// ensemble. Torch-free and Qt-free.
#include "core/detect/detector.h"
#include "core/util/demo_resources.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hs::detect {

struct DemoRecipe {
    RunSettings settings;                  // what detection runs
    std::string scorer = "ensemble";       // the method whose held-out scores the demo reports
    int folds = 5;                         // grouped CV folds
    std::vector<std::uint64_t> seeds{0, 1, 2}; // fold shuffles the CLI reports mean ± sd over
};

// The session both front ends use, so one resumes what the other scored: $XDG_CACHE_HOME/halluscope/demo.hs
// (or ~/.cache/halluscope/demo.hs, else /tmp/halluscope/demo.hs).
std::string defaultDemoSessionPath();

// The recipe on these resources, into `sessionPath` (empty: defaultDemoSessionPath()).
DemoRecipe demoRecipe(const DemoResources& demo, const std::string& sessionPath = "");

} // namespace hs::detect
