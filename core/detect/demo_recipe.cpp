#include "core/detect/demo_recipe.h"

#include <cstdlib>

namespace hs::detect {

std::string defaultDemoSessionPath()
{
    std::string cache;
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) cache = x;
    else if (const char* h = std::getenv("HOME"); h && *h) cache = std::string(h) + "/.cache";
    else cache = "/tmp";
    return cache + "/halluscope/demo.hs";
}

DemoRecipe demoRecipe(const DemoResources& demo, const std::string& sessionPath)
{
    DemoRecipe r;
    RunSettings& s = r.settings;
    s.modelDir = demo.model;
    s.datasetPath = demo.dataset;
    s.copyHeadsFile = demo.copyHeads;
    s.sessionPath = sessionPath.empty() ? defaultDemoSessionPath() : sessionPath;
    s.level = results::Level::Token;
    s.mode = results::Mode::Clean; // the published formulas do not separate the demo (docs/demo.md)
    s.profile = "cpu";
    return r;
}

} // namespace hs::detect
