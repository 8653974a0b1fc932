#include "ui/hardware_catalog.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace hs::ui {

namespace {
struct Budget {
    const char* name;
    const char* description;
    double gigabytesPerGpu;
    int gpus;
    double bytesPerWeight; // from the profile's dtype / quantisation
};
// Mirrors the profiles of DESIGN.md §2 (core/hw owns the authoritative numbers).
const Budget kBudgets[] = {
    {"cpu", "CPU (f32)", 0, 0, 4.0},
    {"t4", "NVIDIA T4, 16 GB (NF4)", 15, 1, 0.56},
    {"2xt4", "2× NVIDIA T4, 2×16 GB (int8, layers split)", 15, 2, 1.06},
    {"rtx4090", "RTX 4090, 24 GB (int8)", 23, 1, 1.06},
    {"a100-40", "A100 40 GB (bf16)", 39, 1, 2.0},
    {"a100-80", "A100 80 GB (bf16)", 79, 1, 2.0},
    {"h100", "H100 / H200 (bf16)", 79, 1, 2.0},
    {"custom", "Custom (settings from the session)", 0, 0, 2.0},
};

const Budget* budgetFor(const QString& profile)
{
    for (const Budget& b : kBudgets)
        if (profile == QLatin1String(b.name))
            return &b;
    return nullptr;
}

// Parameters of a Llama-family model from its config.json (embeddings + layers + lm head).
double parameterCount(const QString& modelDir)
{
    QFile file(QDir(modelDir).filePath("config.json"));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    const QJsonObject c = QJsonDocument::fromJson(file.readAll()).object();
    const double hidden = c.value("hidden_size").toDouble();
    const double inter = c.value("intermediate_size").toDouble();
    const double layers = c.value("num_hidden_layers").toDouble();
    const double vocab = c.value("vocab_size").toDouble();
    const double heads = c.value("num_attention_heads").toDouble(1);
    const double kvHeads = c.value("num_key_value_heads").toDouble(heads);
    const double kv = hidden * (hidden / heads) * kvHeads;
    const double perLayer = 2 * hidden * hidden + 2 * kv + 3 * hidden * inter;
    return layers * perLayer + 2 * vocab * hidden;
}
} // namespace

QList<ProfileChoice> hardwareProfiles()
{
    QList<ProfileChoice> list;
    for (const Budget& b : kBudgets)
        list.append({QString::fromLatin1(b.name), QCoreApplication::translate("hw", b.description)});
    return list;
}

QString detectedGpusText()
{
    // The GUI process does not initialise CUDA (that would tie the GUI thread to the device);
    // the driver's device list is enough to suggest a profile.
    QDir nvidia("/proc/driver/nvidia/gpus");
    const QStringList gpus = nvidia.exists() ? nvidia.entryList(QDir::Dirs | QDir::NoDotAndDotDot) : QStringList();
    if (gpus.isEmpty())
        return QCoreApplication::translate("hw", "No NVIDIA GPU detected: use the CPU profile");
    QStringList lines;
    for (int i = 0; i < gpus.size(); ++i) {
        QFile info(nvidia.filePath(gpus[i] + "/information"));
        QString model = QStringLiteral("NVIDIA GPU");
        if (info.open(QIODevice::ReadOnly))
            for (const QByteArray& line : info.readAll().split('\n'))
                if (line.startsWith("Model:"))
                    model = QString::fromUtf8(line.mid(6)).trimmed();
        lines << QCoreApplication::translate("hw", "GPU %1: %2").arg(i).arg(model);
    }
    return lines.join('\n');
}

QString memoryEstimateText(const QString& modelDir, const QString& profile)
{
    const Budget* b = budgetFor(profile);
    const double params = modelDir.isEmpty() ? 0 : parameterCount(modelDir);
    if (!b || params <= 0)
        return QString();
    // Weights plus ~15 % for activations of one batch and the captured copy-head rows.
    const double gb = params * b->bytesPerWeight * 1.15 / 1e9;
    if (b->gpus == 0)
        return QCoreApplication::translate("hw", "~%1 GB of RAM").arg(gb, 0, 'f', 1);
    const double capacity = b->gigabytesPerGpu * b->gpus;
    return QCoreApplication::translate("hw", "~%1 GB: %2 in %3 GB")
        .arg(gb, 0, 'f', 1)
        .arg(gb <= capacity ? QCoreApplication::translate("hw", "fits")
                            : QCoreApplication::translate("hw", "does not fit"))
        .arg(capacity, 0, 'f', 0);
}

} // namespace hs::ui
