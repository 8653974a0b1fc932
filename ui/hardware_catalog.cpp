#include "ui/hardware_catalog.h"

#include "core/hw/gpu.h"
#include "core/hw/memory_plan.h"
#include "core/hw/profile.h"
#include "core/model/model_config.h"

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

QString memoryEstimateText(const QString& modelDir, const QString& profile)
{
    if (modelDir.isEmpty() || !QDir(modelDir).exists("config.json"))
        return QString();
    try {
        const model::ModelConfig config = model::ModelConfig::load(modelDir.toStdString());
        const hw::Profile p = hw::profileByName(profile.toStdString());
        const hw::MemoryEstimate e = hw::estimateMemory(config, p);
        const QString quant = QString::fromStdString(e.quantisation);
        if (e.capPerDevice == 0)
            return tr("~%1 GB of RAM (%2)").arg(gigabytes(e.totalPerDevice), 0, 'f', 1).arg(quant);
        return tr("~%1 GB per GPU (%2): %3 in %4 GB%5")
            .arg(gigabytes(e.totalPerDevice), 0, 'f', 1).arg(quant)
            .arg(e.fits ? tr("fits") : tr("does not fit"))
            .arg(gigabytes(e.capPerDevice), 0, 'f', 0)
            .arg(e.fits ? QString() : tr(" (weight quantisation is not implemented yet)"));
    } catch (const std::exception& e) {
        return tr("cannot estimate: %1").arg(QString::fromStdString(e.what()));
    }
}

} // namespace hs::ui
