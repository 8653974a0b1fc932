#include "ui/panels/run_panel.h"

#include "ui/run/hardware_catalog.h"

#include "core/detect/run_identity.h"
#include "core/model/model_config.h"
#include "core/util/error.h"
#include "core/util/int_list.h"

#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QSettings>
#include <QSpinBox>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace hs::ui {

namespace {
QString formatDuration(double seconds)
{
    if (seconds <= 0 || !std::isfinite(seconds))
        return QStringLiteral("–");
    const int s = static_cast<int>(seconds + 0.5);
    if (s >= 3600)
        return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
    if (s >= 60)
        return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60);
    return QStringLiteral("%1 s").arg(s);
}

// "16-20, 23, 29" -> 16 17 18 19 20 23 29; empty -> all layers. The CLI's strict parser: throws
// hs::InputError naming a bad item ("1x", "5-2"), checked before a run starts (onRun).
std::vector<int> parseLayers(const QString& text)
{
    if (text.trimmed().isEmpty()) return {};
    return hs::parseIntList(text.toStdString(), "knowledge layers", model::kMaxLayers - 1);
}
} // namespace

RunPanel::RunPanel(DetectionController* controller, QWidget* parent) : QWidget(parent), controller_(controller)
{
    runAction_ = new QAction(QIcon(":/ui/icons/run.svg"), tr("&Run Detection"), this);
    runAction_->setShortcut(QKeySequence("F5"));
    runAction_->setToolTip(tr("Score every unfinished sample of the dataset (F5); a paused run resumes"));
    pauseAction_ = new QAction(QIcon(":/ui/icons/pause.svg"), tr("&Pause"), this);
    pauseAction_->setShortcut(QKeySequence("F6"));
    pauseAction_->setToolTip(tr("Stop after the current batch; Run resumes from the session (F6)"));
    stopAction_ = new QAction(QIcon(":/ui/icons/stop.svg"), tr("&Stop"), this);
    stopAction_->setShortcut(QKeySequence("Shift+F5"));
    stopAction_->setToolTip(tr("Stop after the current batch (Shift+F5); finished samples stay in the session"));
    addActions({runAction_, pauseAction_, stopAction_});
    connect(runAction_, &QAction::triggered, this, [this] {
        if (controller_->state() == DetectionController::State::Paused)
            controller_->resume();
        else
            startRun();
    });
    connect(pauseAction_, &QAction::triggered, controller_, &DetectionController::pause);
    connect(stopAction_, &QAction::triggered, controller_, &DetectionController::stop);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(createPathsBox());
    layout->addWidget(createMethodBox());
    layout->addWidget(createProgressBox());
    layout->addStretch(1);

    connect(controller_, &DetectionController::stateChanged, this, &RunPanel::onStateChanged);
    connect(controller_, &DetectionController::progress, this, &RunPanel::onProgress);
    // The run's own plan (on the samples' real lengths) replaces the form's estimate while it runs.
    connect(controller_, &DetectionController::planned, this, [this](const QString& profile, const QString& plan) {
        plan_->setText(tr("Running with %1: %2").arg(profile, plan));
    });
    connect(controller_, &DetectionController::runStarted, this, [this](int total, int done) {
        progressBar_->setFormat(tr("%v / %m samples"));
        progressBar_->setRange(0, qMax(total, 1));
        progressBar_->setValue(done);
    });
    connect(controller_, &DetectionController::runFailed, this,
            [this] { progressBar_->setFormat(tr("failed — see the Log panel")); });
    loadSettings();
    onStateChanged(controller_->state());
    detectGpusInBackground();
}

void RunPanel::detectGpusInBackground()
{
    // GPU detection goes through the CUDA runtime: keep it off the GUI thread.
    auto* watcher = new QFutureWatcher<HardwareReport>(this);
    connect(watcher, &QFutureWatcher<HardwareReport>::finished, this, [this, watcher] {
        const HardwareReport report = watcher->result();
        gpus_->setText(report.gpusText);
        if (!QSettings().contains("run/profile")) { // the user has not chosen: take the suggestion
            const int i = profile_->findData(report.suggestedProfile);
            if (i >= 0)
                profile_->setCurrentIndex(i);
        }
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run(&detectHardware));
}

QLineEdit* RunPanel::pathRow(QFormLayout* form, const QString& label, const QString& tip, bool folder,
                             const QString& filter)
{
    auto* edit = new QLineEdit(this);
    edit->setToolTip(tip);
    edit->setClearButtonEnabled(true);
    auto* browse = new QToolButton(this);
    browse->setText(QStringLiteral("…"));
    browse->setToolTip(tr("Browse"));
    connect(browse, &QToolButton::clicked, this, [this, edit, folder, filter, label] {
        const QString path = folder ? QFileDialog::getExistingDirectory(this, label, edit->text())
                                    : QFileDialog::getOpenFileName(this, label, edit->text(), filter);
        if (!path.isEmpty())
            edit->setText(path);
    });
    auto* row = new QHBoxLayout;
    row->addWidget(edit, 1);
    row->addWidget(browse);
    form->addRow(label, row);
    return edit;
}

QWidget* RunPanel::createPathsBox()
{
    auto* box = new QGroupBox(tr("Inputs"), this);
    auto* form = new QFormLayout(box);
    dataset_ = pathRow(form, tr("Dataset"), tr("RAGTruth / Dolly file or folder"), false,
                       tr("Datasets (*.jsonl *.json);;All files (*)"));
    model_ = pathRow(form, tr("Model"), tr("Folder with config.json, *.safetensors, tokenizer.json"), true, {});
    session_ = pathRow(form, tr("Session"),
                       tr("SQLite file the run writes after every sample; an existing one is resumed"), false,
                       tr("Sessions (*.hsession *.sqlite);;All files (*)"));
    connect(model_, &QLineEdit::textChanged, this, &RunPanel::updatePlan);

    profile_ = new QComboBox(this);
    profile_->setObjectName("profile");
    for (const ProfileChoice& p : hardwareProfiles())
        profile_->addItem(p.description, p.name);
    profile_->addItem(tr("Custom: GPUs and memory below"), "custom");
    profile_->setToolTip(tr("Data type, weight format, memory cap and batch budget for your hardware"));
    connect(profile_, &QComboBox::currentIndexChanged, this, &RunPanel::updatePlan);
    form->addRow(tr("Hardware"), profile_);
    customGpus_ = new QSpinBox(this);
    customGpus_->setObjectName("customGpus");
    customGpus_->setRange(1, 64);
    customGpus_->setSuffix(tr(" GPU(s)"));
    customMemory_ = new QDoubleSpinBox(this);
    customMemory_->setObjectName("customMemory");
    customMemory_->setRange(1, 4096);
    customMemory_->setValue(24);
    customMemory_->setDecimals(0);
    customMemory_->setSuffix(tr(" GB each"));
    for (QWidget* w : {static_cast<QWidget*>(customGpus_), static_cast<QWidget*>(customMemory_)})
        w->setToolTip(tr("The custom profile: how many GPUs, and the memory of each (90 % of it is used)"));
    connect(customGpus_, &QSpinBox::valueChanged, this, &RunPanel::updatePlan);
    connect(customMemory_, &QDoubleSpinBox::valueChanged, this, &RunPanel::updatePlan);
    auto* customRow = new QHBoxLayout;
    customRow->addWidget(customGpus_);
    customRow->addWidget(customMemory_);
    customRow->addStretch(1);
    form->addRow(tr("Custom"), customRow);
    quant_ = new QComboBox(this);
    quant_->setObjectName("weightFormat");
    quant_->addItem(tr("The profile's"), QString());
    for (const QString& f : weightFormats())
        quant_->addItem(f == "none" ? tr("none (dense)") : f, f);
    quant_->setToolTip(tr("How the linear weights are stored: dense in the compute dtype, or int8 / NF4 / FP8"));
    connect(quant_, &QComboBox::currentIndexChanged, this, &RunPanel::updatePlan);
    form->addRow(tr("Weights"), quant_);
    gpus_ = new QLabel(tr("Detecting GPUs…"), this);
    gpus_->setWordWrap(true);
    gpus_->setForegroundRole(QPalette::PlaceholderText);
    form->addRow(QString(), gpus_);
    plan_ = new QLabel(this);
    plan_->setObjectName("plan");
    plan_->setWordWrap(true);
    plan_->setToolTip(tr("The planner's placement, batch budget and predicted peak memory per device "
                         "(as `halluscope-cli info MODEL --profile NAME` prints it)"));
    form->addRow(tr("Plan"), plan_);
    return box;
}

QWidget* RunPanel::createMethodBox()
{
    auto* box = new QGroupBox(tr("Method"), this);
    auto* form = new QFormLayout(box);
    level_ = new QComboBox(this);
    level_->addItem(tr("Token level"), "token");
    level_->addItem(tr("Chunk level"), "chunk");
    level_->setToolTip(tr("Score every response token, or every response chunk"));
    mode_ = new QComboBox(this);
    mode_->addItem(tr("Reference (reproduces the paper)"), "reference");
    mode_->addItem(tr("Clean (quirks fixed)"), "clean");
    mode_->setToolTip(tr("Reference keeps the published code's quirks so numbers match; clean fixes them"));
    copyHeads_ = new QLineEdit(this);
    copyHeads_->setPlaceholderText(tr("all heads"));
    copyHeads_->setToolTip(tr("JSON file [[layer, head], …] of copy heads (e.g. topk_heads.json)"));
    layers_ = new QLineEdit(this);
    layers_->setPlaceholderText(tr("all layers, or e.g. 16-20, 23"));
    layers_->setToolTip(tr("Knowledge layers for the parametric-knowledge score"));
    limit_ = new QSpinBox(this);
    limit_->setRange(0, 1000000);
    limit_->setSpecialValueText(tr("all samples"));
    limit_->setToolTip(tr("Score only the first N samples (0 = all)"));
    form->addRow(tr("Level"), level_);
    form->addRow(tr("Mode"), mode_);
    form->addRow(tr("Copy heads"), copyHeads_);
    form->addRow(tr("Knowledge layers"), layers_);
    form->addRow(tr("Limit"), limit_);
    return box;
}

QWidget* RunPanel::createProgressBox()
{
    auto* box = new QGroupBox(tr("Progress"), this);
    auto* layout = new QVBoxLayout(box);
    auto* buttons = new QHBoxLayout;
    for (QAction* a : {runAction_, pauseAction_, stopAction_}) {
        auto* b = new QToolButton(this);
        b->setDefaultAction(a);
        b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        buttons->addWidget(b);
    }
    buttons->addStretch(1);
    layout->addLayout(buttons);
    progressBar_ = new QProgressBar(this);
    progressBar_->setRange(0, 1);
    progressBar_->setValue(0);
    progressBar_->setFormat(tr("Not running"));
    layout->addWidget(progressBar_);
    auto* stats = new QFormLayout;
    rate_ = new QLabel(QStringLiteral("–"), this);
    eta_ = new QLabel(QStringLiteral("–"), this);
    memory_ = new QLabel(QStringLiteral("–"), this);
    stats->addRow(tr("Speed"), rate_);
    stats->addRow(tr("Remaining"), eta_);
    stats->addRow(tr("Peak memory"), memory_);
    layout->addLayout(stats);
    return box;
}

detect::RunSettings RunPanel::currentSettings() const
{
    detect::RunSettings s;
    s.datasetPath = dataset_->text().trimmed().toStdString();
    s.modelDir = model_->text().trimmed().toStdString();
    s.sessionPath = session_->text().trimmed().toStdString();
    const HardwareChoice h = hardwareChoice();
    s.profile = h.profile.toStdString();
    s.gpus = h.gpus;
    s.gpuMemoryGB = h.gpuMemoryGB;
    s.quant = h.quant.toStdString();
    s.level = results::parseLevel(level_->currentData().toString().toStdString());
    s.mode = results::parseMode(mode_->currentData().toString().toStdString());
    s.copyHeadsFile = copyHeads_->text().trimmed().toStdString();
    if (s.copyHeadsFile.empty())
        s.copyHeads = sessionCopyHeads_;
    try {
        s.layers = parseLayers(layers_->text());
    } catch (const InputError&) { // a run cannot start with this text (onRun says why); views get all layers
    }
    s.limit = limit_->value() > 0 ? limit_->value() : -1;
    s.promptCharLimit = promptCharLimit_;
    return s;
}

void RunPanel::applySessionSettings(const QString& settingsJson)
{
    detect::RunSettings r;
    try {
        r = detect::runSettingsFromJson(settingsJson.toStdString()); // core's reader of the stored settings
    } catch (const std::exception&) {
        return;
    }
    dataset_->setText(QString::fromStdString(r.datasetPath));
    model_->setText(QString::fromStdString(r.modelDir));
    auto pick = [](QComboBox* combo, const std::string& v) {
        const int i = combo->findData(QString::fromStdString(v));
        if (i >= 0)
            combo->setCurrentIndex(i);
    };
    pick(profile_, r.profile);
    if (r.profile == "custom") {
        customGpus_->setValue(r.gpus);
        customMemory_->setValue(r.gpuMemoryGB);
    }
    // the format the session ran with, stored explicitly: a resumed run must use it again
    pick(quant_, r.quant);
    pick(level_, results::levelName(r.level));
    pick(mode_, results::modeName(r.mode));
    QStringList layers;
    for (int l : r.layers)
        layers << QString::number(l);
    layers_->setText(layers.join(", "));
    sessionCopyHeads_ = r.copyHeads;
    promptCharLimit_ = r.promptCharLimit; // no field of its own: a resumed run keeps the session's cut
    copyHeads_->clear();
    copyHeads_->setPlaceholderText(sessionCopyHeads_.empty() ? tr("all heads")
                                                             : tr("%n head(s) from the session", nullptr, int(sessionCopyHeads_.size())));
    limit_->setValue(qMax(0, r.limit));
}

void RunPanel::setCopyHeadsFile(const QString& path) { copyHeads_->setText(path); }
void RunPanel::setLimit(int samples) { limit_->setValue(qMax(0, samples)); }

void RunPanel::setLevel(const QString& level) { level_->setCurrentIndex(qMax(0, level_->findData(level))); }
void RunPanel::setMode(const QString& mode) { mode_->setCurrentIndex(qMax(0, mode_->findData(mode))); }

void RunPanel::setDatasetPath(const QString& path) { dataset_->setText(path); }
void RunPanel::setModelDir(const QString& path) { model_->setText(path); }
void RunPanel::setSessionPath(const QString& path) { session_->setText(path); }

QString RunPanel::progressText() const
{
    return QStringLiteral("%1/%2 · %3 · %4").arg(progressBar_->value()).arg(progressBar_->maximum())
        .arg(rate_->text(), eta_->text());
}

void RunPanel::startRun()
{
    if (session_->text().trimmed().isEmpty()) {
        // Every run writes a session (that is what makes Pause/Resume and reopening work).
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/sessions";
        QDir().mkpath(dir);
        session_->setText(QDir(dir).filePath(QStringLiteral("%1-%2.hsession")
            .arg(QFileInfo(dataset_->text().trimmed()).completeBaseName(),
                 QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss"))));
    }
    try {
        parseLayers(layers_->text());
    } catch (const InputError& e) {
        progressBar_->setFormat(QString::fromStdString(e.what()));
        return;
    }
    const detect::RunSettings s = currentSettings();
    if (s.datasetPath.empty() || s.modelDir.empty()) {
        progressBar_->setFormat(tr("Choose a dataset and a model first"));
        return;
    }
    progressBar_->setFormat(tr("%v / %m samples"));
    saveSettings();
    controller_->start(s);
}

void RunPanel::onStateChanged(DetectionController::State state)
{
    using S = DetectionController::State;
    runAction_->setEnabled(state == S::Idle || state == S::Paused);
    runAction_->setText(state == S::Paused ? tr("&Resume") : tr("&Run Detection"));
    pauseAction_->setEnabled(state == S::Running);
    stopAction_->setEnabled(state == S::Running || state == S::Paused || state == S::Pausing);
    for (QWidget* w : {static_cast<QWidget*>(dataset_), static_cast<QWidget*>(model_),
                       static_cast<QWidget*>(session_), static_cast<QWidget*>(profile_),
                       static_cast<QWidget*>(quant_), static_cast<QWidget*>(customGpus_),
                       static_cast<QWidget*>(customMemory_),
                       static_cast<QWidget*>(level_), static_cast<QWidget*>(mode_)})
        w->setEnabled(state == S::Idle);
    updateCustomFields();
}

void RunPanel::onProgress(const detect::Progress& p)
{
    progressBar_->setRange(0, qMax(p.total, 1));
    progressBar_->setValue(p.done);
    rate_->setText(tr("%1 samples/min").arg(p.samplesPerMinute, 0, 'f', 1));
    eta_->setText(formatDuration(p.etaSeconds));
    memory_->setText(p.deviceMemoryMB > 0 ? tr("%1 MB").arg(p.deviceMemoryMB, 0, 'f', 0) : QStringLiteral("–"));
}

HardwareChoice RunPanel::hardwareChoice() const
{
    HardwareChoice h;
    h.profile = profile_->currentData().toString();
    if (h.profile == "custom") {
        h.gpus = customGpus_->value();
        h.gpuMemoryGB = customMemory_->value();
    }
    h.quant = quant_->currentData().toString();
    return h;
}

void RunPanel::updateCustomFields()
{
    const bool editable = profile_->currentData().toString() == "custom" &&
                          controller_->state() == DetectionController::State::Idle;
    customGpus_->setEnabled(editable);
    customMemory_->setEnabled(editable);
}

void RunPanel::updatePlan()
{
    updateCustomFields();
    const QString text = planText(model_->text().trimmed(), hardwareChoice());
    plan_->setText(text.isEmpty() ? tr("choose a model") : text);
}

void RunPanel::loadSettings()
{
    QSettings s;
    s.beginGroup("run");
    dataset_->setText(s.value("dataset").toString());
    model_->setText(s.value("model").toString());
    session_->setText(s.value("session").toString());
    copyHeads_->setText(s.value("copyHeads").toString());
    layers_->setText(s.value("layers").toString());
    const int p = profile_->findData(s.value("profile", "cpu"));
    profile_->setCurrentIndex(p >= 0 ? p : 0);
    customGpus_->setValue(s.value("customGpus", 1).toInt());
    customMemory_->setValue(s.value("customMemoryGB", 24.0).toDouble());
    quant_->setCurrentIndex(qMax(0, quant_->findData(s.value("quant", QString()))));
    level_->setCurrentIndex(qMax(0, level_->findData(s.value("level", "token"))));
    mode_->setCurrentIndex(qMax(0, mode_->findData(s.value("mode", "reference"))));
    s.endGroup();
    updatePlan();
}

void RunPanel::saveSettings() const
{
    QSettings s;
    s.beginGroup("run");
    s.setValue("dataset", dataset_->text());
    s.setValue("model", model_->text());
    s.setValue("session", session_->text());
    s.setValue("copyHeads", copyHeads_->text());
    s.setValue("layers", layers_->text());
    s.setValue("profile", profile_->currentData());
    s.setValue("customGpus", customGpus_->value());
    s.setValue("customMemoryGB", customMemory_->value());
    s.setValue("quant", quant_->currentData());
    s.setValue("level", level_->currentData());
    s.setValue("mode", mode_->currentData());
    s.endGroup();
}

} // namespace hs::ui
