#pragma once
// The GUI's view of core/hw: which hardware profiles exist, which GPUs were detected (and the
// profile core/hw suggests for them), and what a model needs in memory under a profile.
#include <QString>
#include <QStringList>

namespace hs::ui {

struct ProfileChoice {
    QString name;        // the RunSettings::profile value, e.g. "t4", "a100-80"
    QString description; // what the user sees
};

struct HardwareReport {
    QString gpusText;         // one line per GPU, or a sentence saying there is none
    QString suggestedProfile; // core/hw's pick for these GPUs
};

QList<ProfileChoice> hardwareProfiles();
// Blocking, and may initialise the CUDA runtime: call it on a worker thread, never the GUI thread.
HardwareReport detectHardware();
QStringList weightFormats();  // "none", "int8", "nf4", "fp8"

// The hardware part of a run as the Run panel's form holds it (RunSettings' fields of the same names).
struct HardwareChoice {
    QString profile;            // a built-in name or "custom"
    int gpus = -1;              // custom only
    double gpuMemoryGB = 0;     // custom only
    QString quant;              // "" = the profile's
};

// The plan core/hw makes for this model under this choice, as if its GPUs were present (the same
// planner and text as `halluscope-cli info --profile`): "single on cuda:0, bf16, weights none,
// 65536 tokens/batch, predicted peak 45.1 GiB of 130.0 GiB"; the reason when the model cannot run so;
// "" when nothing can be planned yet (no model chosen). Reads only config.json; safe on the GUI thread.
QString planText(const QString& modelDir, const HardwareChoice& choice);

} // namespace hs::ui
