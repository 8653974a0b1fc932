#include "ui/run/hardware_catalog.h"

#include "core/hw/gpu.h"
#include "core/detect/run_identity.h"
#include "core/hw/planner.h"
#include "core/hw/profile.h"
#include "core/model/model_config.h"
#include "core/model/weight_format.h"

#include <QCoreApplication>
#include <QDir>

#include <exception>

namespace hs::ui {

namespace {
QString tr(const char* text) { return QCoreApplication::translate("Hardware", text); }
double gigabytes(std::uint64_t bytes) { return double(bytes) / 1e9; }
} // namespace

QList<ProfileChoice> hardwareProfiles()
{
    QList<ProfileChoice> list;
    for (const hw::Profile& p : hw::builtinProfiles())
        list.append({QString::fromStdString(p.name), QString::fromStdString(p.label)});
    return list;
}

HardwareReport detectHardware()
{
    HardwareReport report;
    try {
        const std::vector<hw::GpuInfo> gpus = hw::detectGpus();
        QStringList lines;
        for (const hw::GpuInfo& g : gpus)
            lines << tr("GPU %1: %2, %3 GB").arg(g.index).arg(QString::fromStdString(g.name))
                         .arg(gigabytes(g.totalBytes), 0, 'f', 0);
        report.gpusText = lines.isEmpty() ? tr("No GPU detected: the CPU profile is suggested") : lines.join('\n');
        report.suggestedProfile = QString::fromStdString(hw::suggestProfile(gpus).name);
    } catch (const std::exception& e) {
        report.gpusText = tr("GPU detection failed: %1").arg(QString::fromStdString(e.what()));
        report.suggestedProfile = "cpu";
    }
    return report;
}

QStringList weightFormats()
{
    QStringList list;
    for (const std::string& f : model::weightFormatNames())
        list << QString::fromStdString(f);
    return list;
}

QString planText(const QString& modelDir, const HardwareChoice& choice)
{
    if (modelDir.isEmpty() || !QDir(modelDir).exists("config.json"))
        return QString();
    try {
        detect::RunSettings s;
        s.profile = choice.profile.toStdString();
        s.gpus = choice.gpus;
        s.gpuMemoryGB = choice.gpuMemoryGB;
        s.quant = choice.quant.toStdString();
        const model::ModelConfig config = model::ModelConfig::load(modelDir.toStdString());
        return QString::fromStdString(hw::planSummary(detect::planForProfile(s, config, {}, 32).hw));  // 32: a copy-head selection
    } catch (const std::exception& e) {  // does not fit, or a choice this model cannot take
        return tr("cannot run so: %1").arg(QString::fromStdString(e.what()));
    }
}

} // namespace hs::ui
