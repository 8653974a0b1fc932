#pragma once
// The GUI's view of core/hw: which hardware profiles exist, which GPUs were detected, and what a
// model would need in memory under a profile. Kept behind this small interface so the Run panel
// does not depend on how core/hw spells things.
#include <QString>
#include <QStringList>

namespace hs::ui {

struct ProfileChoice {
    QString name;        // the RunSettings::profile value, e.g. "t4", "a100-80"
    QString description; // what the user sees
};

QList<ProfileChoice> hardwareProfiles();
// One line per detected GPU ("GPU 0: NVIDIA H200, 141 GB"), or a sentence saying there is none.
QString detectedGpusText();
// A human estimate ("~14.2 GB: fits in 80 GB") for the model folder under a profile, or "" when
// it cannot be estimated (no model chosen, unreadable config).
QString memoryEstimateText(const QString& modelDir, const QString& profile);

} // namespace hs::ui
