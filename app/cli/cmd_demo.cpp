// halluscope-cli demo: the whole method on the bundled demo model and dataset, on CPU, with no
// arguments: detect (clean token-level features, resumable session) and then the grouped
// cross-validated regression, printing the held-out AUC / F1 and what to try next (docs/demo.md).
#include "app/cli/command.h"
#include "core/analysis/cross_validation.h"
#include "core/analysis/method.h"
#include "core/analysis/scorer_recipe.h"
#include "core/detect/demo_recipe.h"
#include "core/detect/detector.h"
#include "core/session/session_store.h"
#include "core/util/demo_resources.h"
#include "core/util/error.h"
#include "core/util/file_util.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace hs::cli {

std::vector<std::uint64_t> seedsFromArgs(const Args& a); // cmd_regress.cpp

namespace {

void makeParentDirs(const std::string& file)
{
    for (std::size_t i = 1; i < file.size(); ++i)
        if (file[i] == '/') ::mkdir(file.substr(0, i).c_str(), 0755);
}

class QuietObserver : public detect::Observer {
public:
    explicit QuietObserver(bool show) : show_(show) {}
    void onProgress(const detect::Progress& p) override
    {
        if (show_) std::cerr << "\rdetect: " << p.done << "/" << p.total << " samples" << std::flush;
    }
    void onFinished(const detect::RunSummary&) override { if (show_) std::cerr << "\n"; }

private:
    bool show_;
};

double secondsSince(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int runDemo(const Args& a)
{
    const auto t0 = std::chrono::steady_clock::now();
    const DemoResources demo = findDemoResources();
    const std::string& res = demo.root;
    const detect::DemoRecipe recipe = detect::demoRecipe(demo, a.get("session", ""));
    detect::RunSettings s = recipe.settings;
    s.limit = a.getInt("limit", -1);
    makeParentDirs(s.sessionPath);
    if (a.flag("fresh")) std::remove(s.sessionPath.c_str());
    const bool json = a.flag("json");

    QuietObserver obs(!json && ::isatty(2));
    detect::RunSummary sum;
    try {
        detect::Detector det(s);
        sum = det.run(obs);
    } catch (const InputError& e) {
        // The session is a cache: one left by another version of the demo is replaced, not an error.
        if (std::string(e.what()).find("holds another run") == std::string::npos || a.has("session")) throw;
        std::remove(s.sessionPath.c_str());
        detect::Detector det(s);
        sum = det.run(obs);
    }
    const double detectSeconds = secondsSince(t0);

    analysis::MethodOptions mo;
    mo.name = recipe.scorer;
    const std::vector<std::uint64_t> seeds = a.has("seeds") || a.has("seed") ? seedsFromArgs(a) : recipe.seeds;
    const int folds = a.getInt("cv", recipe.folds);
    if (folds < 2) throw InputError("--cv must be >= 2");
    const analysis::FeatureTable t = session::SessionStore::openReadOnly(s.sessionPath).featureTable();
    analysis::applyScorerPolicy(mo, t); // clean token-level PKS is signed: the most extreme token counts (docs/demo.md)
    // Every (seed, fold) of the CV on its own core: the figures are the same on any number of threads.
    analysis::RepeatedCv r =
        analysis::repeatedCrossValidate(t, [&] { return analysis::makeMethod(mo); }, folds, seeds);
    const double total = secondsSince(t0);

    if (json) {
        nlohmann::json j = {{"command", "demo"}, {"resources", res}, {"session", s.sessionPath},
                            {"samples", t.responseIds.size()}, {"scored_now", sum.processed},
                            {"resumed", sum.resumedSkipped}, {"method", mo.name}, {"folds", folds},
                            {"seeds", seeds}, {"auc_mean", r.pooledAuc.mean}, {"auc_sd", r.pooledAuc.sd},
                            {"f1_mean", r.pooledF1.mean}, {"f1_sd", r.pooledF1.sd},
                            {"detect_seconds", detectSeconds}, {"seconds", total}};
        std::cout << j.dump() << "\n";
        return 0;
    }
    std::cout << std::fixed << std::setprecision(3)
              << "HalluScope demo: a 4-layer copying model on 450 grounded answers (half with planted facts)\n"
              << "  detect   " << sum.processed << " scored, " << sum.resumedSkipped << " resumed from "
              << s.sessionPath << " (" << std::setprecision(1) << detectSeconds << " s)\n"
              << std::setprecision(3) << "  held-out " << folds << "-fold CV grouped by response, " << seeds.size()
              << " seed(s): AUC " << r.pooledAuc.mean << " ± " << r.pooledAuc.sd << ", F1 " << r.pooledF1.mean
              << " ± " << r.pooledF1.sd << "\n"
              << std::setprecision(1) << "  time     " << total << " s\n"
              << "Next:\n"
              << "  halluscope                                       open the GUI: it starts on the demo (F5 runs it)\n"
              << "  halluscope-cli heads --session " << s.sessionPath << "   which heads and layers carry the signal\n"
              << "  halluscope-cli detect --model DIR --dataset PATH --session my.hs --mode clean\n"
              << "  halluscope-cli heads --find-copy-heads --model DIR --dataset PATH --out heads.json\n"
              << "                                                   your own model: find its copy heads, then detect\n";
    return 0;
}

const CommandRegistrar reg({
    "demo",
    "run the whole method on the bundled demo model and data (CPU, under a minute)",
    "Usage: halluscope-cli demo [--session FILE] [--fresh] [--seeds 0,1,2] [--cv 5] [--json]\n"
    "  Scores the bundled demo dataset with the bundled demo model (clean token-level features, its\n"
    "  shipped copy heads) into a session, then reports the held-out AUC / F1 of the ensemble method\n"
    "  under grouped cross-validation (mean ± sd over seeds). Re-running resumes the session.\n"
    "  --session FILE   default $XDG_CACHE_HOME/halluscope/demo.hs (or ~/.cache/halluscope/demo.hs)\n"
    "  --fresh          discard the session first\n"
    "  --seeds LIST     CV fold shuffles (default 0,1,2); --cv K folds (default 5)\n"
    "  --limit N        first N samples only (a quick look; the figures need all 450)\n"
    "  Resources: $HS_RESOURCES, else ../share/halluscope (installed) or ../../resources (build tree)\n"
    "  next to the binary.",
    {"fresh"},
    &runDemo,
});

} // namespace
} // namespace hs::cli
