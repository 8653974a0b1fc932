#include "core/util/demo_resources.h"

#include "core/util/error.h"
#include "core/util/file_util.h"

#include <cstdlib>
#include <unistd.h>

namespace hs {

std::string executableDir()
{
    char buf[4096];
    const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return ".";
    const std::string exe(buf, static_cast<std::size_t>(n));
    const auto slash = exe.rfind('/');
    return slash == std::string::npos ? "." : exe.substr(0, slash);
}

std::vector<std::string> demoResourceCandidates()
{
    std::vector<std::string> c;
    if (const char* env = std::getenv("HS_RESOURCES"); env && *env) c.push_back(env);
    const std::string exe = executableDir();
    c.push_back(exe + "/../share/halluscope");
    c.push_back(exe + "/../../resources");
    return c;
}

DemoResources findDemoResources()
{
    const std::vector<std::string> tried = demoResourceCandidates();
    for (const auto& r : tried) {
        const std::string demo = r + "/demo";
        if (!fileExists(demo + "/model/model.safetensors") || !fileExists(demo + "/data/response.jsonl")) continue;
        DemoResources d{r, demo + "/model", demo + "/data", demo + "/copy_heads.json"};
        if (!fileExists(d.copyHeads)) d.copyHeads.clear();
        return d;
    }
    std::string list;
    for (const auto& r : tried) list += "\n  " + r;
    throw InputError("cannot find the demo resources (demo/model and demo/data); looked in:" + list +
                     "\nSet HS_RESOURCES to a folder holding demo/ (the repository's resources/).");
}

} // namespace hs
