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
// "~14.2 GB per GPU (int8): fits in 15 GB", or "" when it cannot be estimated (no model chosen,
// unreadable config). Reads only config.json; safe on the GUI thread.
QString memoryEstimateText(const QString& modelDir, const QString& profile);

} // namespace hs::ui
