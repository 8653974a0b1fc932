#include "ui/main_window.h"

#include "ui/models/analysis_state.h"
#include "ui/panels/attention_panel.h"
#include "ui/run/background_threads.h"
#include "ui/run/attention_inspector.h"
#include "ui/utils/demo_locator.h"
#include "ui/run/detection_controller.h"
#include "ui/panels/heads_panel.h"
#include "ui/panels/live_panel.h"
#include "ui/panels/log_panel.h"
#include "ui/plots/plot_widget.h"
#include "ui/utils/recent_files.h"
#include "ui/reports/report_writer.h"
#include "ui/run/run_collector.h"
#include "ui/panels/run_panel.h"
#include "ui/models/sample_table_model.h"
#include "ui/panels/samples_panel.h"
#include "ui/models/session_scores.h"
#include "ui/panels/threshold_panel.h"

#include "core/detect/demo_recipe.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QStandardPaths>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

// Resources compiled into a static library must be registered by hand (outside any namespace).
static void initUiResources() { Q_INIT_RESOURCE(halluscope); }

namespace hs::ui {

namespace {
constexpr double kNotifyAfterSeconds = 20;
}

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    initUiResources();
    setObjectName("MainWindow");
    setWindowIcon(QIcon(":/ui/icons/halluscope.svg"));
    setAcceptDrops(true);
    setDockNestingEnabled(true);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowNestedDocks | QMainWindow::AllowTabbedDocks);
    resize(1400, 900);

    analysis_ = new AnalysisState(this);
    controller_ = new DetectionController(this);
    collector_ = new RunCollector(analysis_, this);
    inspector_ = new AttentionInspector(this);

    createPanels();
    createMenus();
    connectDetection();
    scoreKeeper_ = new SessionScoreKeeper(analysis_, controller_, logPanel_, this); // after the collector's end()

    runState_ = new QLabel(this);
    runState_->setObjectName("status.run");
    statusBar()->addPermanentWidget(runState_);
    statusSummary_ = new QLabel(this);
    statusBar()->addPermanentWidget(statusSummary_);
    connect(analysis_, &AnalysisState::scoresChanged, this, &MainWindow::updateTitleAndStatus);
    connect(analysis_, &AnalysisState::thresholdChanged, this, &MainWindow::updateTitleAndStatus);
    connect(analysis_, &AnalysisState::failed, logPanel_, &LogPanel::addError);
    updateTitleAndStatus();
    restoreLayout(); // after the docks are built: it keeps their layout for Reset Layout first
    qApp->installEventFilter(this); // see eventFilter: extra width goes to the plots
    statusBar()->showMessage(tr("Open a feature log, dataset, model folder or session — or drop it here"), 8000);
}

MainWindow::~MainWindow()
{
    qApp->removeEventFilter(this);
}

void MainWindow::connectDetection()
{
    connect(inspector_, &AttentionInspector::ready, attentionPanel_, &AttentionPanel::showTokenAttention);
    connect(inspector_, &AttentionInspector::failed, this, [this](const QString& message) {
        logPanel_->addWarning(message);
        attentionPanel_->showMessage(message);
    });
    connect(controller_, &DetectionController::warning, logPanel_, &LogPanel::addWarning);
    connect(controller_, &DetectionController::error, logPanel_, &LogPanel::addError);
    connect(controller_, &DetectionController::error, this, [this](const QString& m) {
        statusBar()->showMessage(tr("Detection failed: %1").arg(m), 10000);
    });
    // A run from nothing is a new current document; a resumed one continues the session shown.
    connect(controller_, &DetectionController::runStarted, this, [this](int, int alreadyDone) {
        const QString session = QString::fromStdString(controller_->settings().sessionPath);
        if (alreadyDone == 0 || session != documentPath_) {
            beginDocument(session, controller_->settings());
            documentTicket_ = ++lastTicket_; // a load requested before this run must not replace it
            // The old document's scores go at once (the table fills again as samples finish); the
            // dataset's texts and spans stay for the run's samples.
            analysis_->setTable(nullptr, analysis_->catalog(), tr("live run"));
        }
        documentSettings_ = controller_->settings();
        documentPath_ = session;
    });
    connect(controller_, &DetectionController::runStarted, collector_, &RunCollector::begin);
    // Once per batch: the collector takes every result, Live and Attention show the newest.
    connect(controller_, &DetectionController::samplesDone, this, [this](const std::vector<results::SampleResult>& batch) {
        for (const results::SampleResult& r : batch)
            collector_->add(r);
        const results::SampleResult& last = batch.back();
        livePanel_->showStreaming(last, analysis_->catalog().value(QString::fromStdString(last.sampleId)));
        attentionPanel_->showResult(last);
    });
    connect(collector_, &RunCollector::runningAucChanged, livePanel_, &LivePanel::addRunningAuc);
    connect(controller_, &DetectionController::finished, collector_, &RunCollector::end);
    connect(controller_, &DetectionController::runStarted, this, [this] { runState_->clear(); });
    connect(controller_, &DetectionController::runFailed, this, [this](const QString& message) {
        runState_->setText(tr("<b style='color:#c00'>Run failed</b>"));
        runState_->setToolTip(message);
        logPanel_->addError(tr("Run failed: %1").arg(message));
        if (!property("quietErrors").toBool())
            QMessageBox::critical(this, tr("Detection failed"), tr("The run failed and scored nothing more:\n\n%1").arg(message));
    });
    connect(controller_, &DetectionController::finished, this, [this](const detect::RunSummary& s) {
        sessionPath_ = QString::fromStdString(controller_->settings().sessionPath);
        const bool failed = !controller_->failure().isEmpty();
        if (!failed)
            logPanel_->addInfo(tr("Run %1: %2 scored, %3 resumed, %4 skipped in %5 s")
                                   .arg(s.cancelled ? tr("stopped") : tr("finished"))
                                   .arg(s.processed).arg(s.resumedSkipped).arg(s.invalidSkipped)
                                   .arg(s.seconds, 0, 'f', 1));
        notifyIfInBackground(failed ? tr("Detection failed: %1").arg(controller_->failure())
                                    : tr("Detection %1: %2 samples scored")
                                          .arg(s.cancelled ? tr("stopped") : tr("finished")).arg(s.processed),
                             s.seconds);
    });
}

void MainWindow::notifyIfInBackground(const QString& message, double runSeconds)
{
    // Only a run long enough for the user to have turned to something else earns a notification.
    if (isActiveWindow() || runSeconds < kNotifyAfterSeconds)
        return;
    QApplication::alert(this); // flashes the task-bar entry
    if (QSystemTrayIcon::isSystemTrayAvailable() && QSystemTrayIcon::supportsMessages()) {
        if (!tray_)
            tray_ = new QSystemTrayIcon(windowIcon(), this);
        tray_->show();
        tray_->showMessage(tr("HalluScope"), message);
    }
    Q_EMIT notified(message);
}

bool MainWindow::openDemo()
{
    const DemoPaths demo = findDemo();
    if (!demo.valid())
        return false;
    // The recipe `halluscope-cli demo` runs (core/detect/demo_recipe.h), into the same session, so each
    // front end resumes what the other scored.
    const detect::DemoRecipe recipe = detect::demoRecipe(*demo.resources);
    const detect::RunSettings& s = recipe.settings;
    const QString session = QString::fromStdString(s.sessionPath);
    QDir().mkpath(QFileInfo(session).absolutePath());
    runPanel_->setDatasetPath(QString::fromStdString(s.datasetPath));
    runPanel_->setModelDir(QString::fromStdString(s.modelDir));
    runPanel_->setCopyHeadsFile(QString::fromStdString(s.copyHeadsFile));
    runPanel_->setLevel(QString::fromLatin1(results::levelName(s.level)));
    runPanel_->setMode(QString::fromLatin1(results::modeName(s.mode)));
    runPanel_->setSessionPath(session);
    // Scores as `halluscope-cli demo` reports them: the recipe's scorer, cross-validated (held-out).
    // During a run the panels show ReDeEP's in-sample scores; the ensemble's follow at the end.
    thresholdPanel_->selectScorer(QString::fromStdString(recipe.scorer));
    logPanel_->addInfo(tr("Demo ready: press Run (F5) to score its dataset with the demo model."));
    if (QFileInfo::exists(session))
        openPath(session); // results of an earlier demo run; Run resumes it if unfinished
    else
        openPath(demo.dataset);
    return true;
}

void MainWindow::openPath(const QString& path)
{
    ++pendingLoads_;
    statusBar()->showMessage(tr("Loading %1…").arg(QFileInfo(path).fileName()));
    QApplication::setOverrideCursor(Qt::BusyCursor);
    auto* watcher = new QFutureWatcher<LoadedDocument>(this);
    connect(watcher, &QFutureWatcher<LoadedDocument>::finished, this, [this, watcher, ticket = ++lastTicket_] {
        QApplication::restoreOverrideCursor();
        --pendingLoads_;
        if (!overtaken(watcher->result(), ticket))
            applyDocument(watcher->result());
        watcher->deleteLater();
    });
    watcher->setFuture(runInBackground(&loadDocument, path, analysis_->params()));
}

bool MainWindow::overtaken(const LoadedDocument& doc, quint64 ticket)
{
    const bool isDocument = doc.ok() && (doc.kind == DocumentKind::Dataset || doc.kind == DocumentKind::Session ||
                                         doc.kind == DocumentKind::FeatureLog);
    if (!isDocument || ticket > documentTicket_) {
        if (isDocument)
            documentTicket_ = ticket;
        return false;
    }
    // What belongs to the run still joins it: its dataset's texts (prompts, spans), and the samples
    // an earlier run left in the session it resumes (Run pressed while that session was loading).
    const auto same = [](const QString& a, const std::string& b) {
        const QString canonical = QFileInfo(QString::fromStdString(b)).canonicalFilePath();
        return !canonical.isEmpty() && QFileInfo(a).canonicalFilePath() == canonical;
    };
    const detect::RunSettings& run = controller_->settings();
    if (doc.kind == DocumentKind::Dataset && same(doc.path, run.datasetPath)) {
        collector_->join({}, doc.catalog);
        return true;
    }
    if (doc.kind == DocumentKind::Session && same(doc.path, run.sessionPath) && same(documentPath_, run.sessionPath)) {
        collector_->join(doc.results, doc.catalog);
        return true;
    }
    logPanel_->addInfo(tr("%1 finished loading after a newer document began; it was not opened (open it again to show it)")
                           .arg(doc.path));
    statusBar()->clearMessage();
    return true;
}

void MainWindow::applyDocument(const LoadedDocument& doc)
{
    for (const QString& w : doc.warnings)
        logPanel_->addWarning(w);
    if (!doc.ok()) {
        logPanel_->addError(doc.error);
        statusBar()->showMessage(tr("Could not open %1").arg(doc.path), 10000);
        if (!property("quietErrors").toBool()) // tests and --screenshot set this
            QMessageBox::warning(this, tr("Could not open"), doc.error);
        Q_EMIT loadFailed(doc.path, doc.error);
        return;
    }
    recent_->add(doc.path); // only what opened goes to Open Recent
    switch (doc.kind) {
    case DocumentKind::FeatureLog:
    case DocumentKind::Session:
        if (doc.kind == DocumentKind::Session) {
            runPanel_->applySessionSettings(doc.runSettingsJson);
            runPanel_->setSessionPath(doc.path);
            beginDocument(doc.path, runPanel_->currentSettings());
            sessionPath_ = doc.path;
            collector_->adopt(doc.results, *doc.table, doc.catalog);
            if (!doc.runFinished)
                logPanel_->addInfo(tr("The run in this session is unfinished: press Run to resume it."));
        } else {
            // A feature log has no model, dataset or session: the Run form must not suggest that
            // the demo's (or any earlier) run produced these numbers.
            beginDocument(doc.path, std::nullopt);
            for (auto set : {&RunPanel::setDatasetPath, &RunPanel::setModelDir, &RunPanel::setSessionPath,
                             &RunPanel::setCopyHeadsFile})
                (runPanel_->*set)(QString());
            runPanel_->setLevel(QStringLiteral("chunk")); // the published logs are chunk level
        }
        analysis_->setScoredTable(doc.scored, doc.catalog, QFileInfo(doc.path).fileName());
        if (doc.kind == DocumentKind::Session) // the view and the scores saved with it (session_scores.h)
            if (const QString scorer = restoreSessionView(*analysis_, doc.path, doc.storedScores); !scorer.isEmpty())
                thresholdPanel_->selectScorer(scorer);
        analysis_->scoreWithChosenScorer();
        if (!samplesPanel_->visibleIds().isEmpty())
            showSample(samplesPanel_->visibleIds().first()); // the most suspicious response, as a start
        logPanel_->addInfo(tr("Loaded %1: %2 responses, %3 rows, %4 ECS heads, %5 PKS layers")
                               .arg(doc.path).arg(doc.table->responseIds.size()).arg(doc.table->rows())
                               .arg(doc.table->numEcs()).arg(doc.table->numPks()));
        break;
    case DocumentKind::Dataset: // a new document with texts and no scores yet; Run scores it
        beginDocument(doc.path, std::nullopt);
        analysis_->clear();
        runPanel_->setDatasetPath(doc.path);
        analysis_->updateCatalog(doc.catalog);
        logPanel_->addInfo(tr("Dataset %1: %2 samples").arg(doc.path).arg(doc.catalog.size()));
        break;
    case DocumentKind::ModelFolder: // validated by the loader; a run input, not a document of its own
        runPanel_->setModelDir(doc.path);
        logPanel_->addInfo(tr("Model folder: %1 (header and tensor shapes checked)").arg(doc.path));
        break;
    default:
        break;
    }
    statusBar()->showMessage(tr("Opened %1").arg(QFileInfo(doc.path).fileName()), 5000);
    Q_EMIT documentLoaded(doc.path);
}

void MainWindow::beginDocument(const QString& path, std::optional<detect::RunSettings> settings)
{
    documentPath_ = path;
    documentSettings_ = std::move(settings);
    sessionPath_.clear();
    analysis_->beginDocument();
    collector_->reset();
    livePanel_->clear();
    attentionPanel_->clear();
}

void MainWindow::showSample(const QString& id)
{
    const SampleInfo info = analysis_->catalog().value(id);
    const int index = analysis_->indexOf(id);
    const double score = index >= 0 ? analysis_->scores().score[index] : qQNaN();
    if (const results::SampleResult* result = collector_->result(id)) {
        livePanel_->showResult(*result, info, analysis_->rowScoresOf(id));
        attentionPanel_->showResult(*result);
    } else {
        livePanel_->showSampleInfo(info, score, analysis_->threshold());
        attentionPanel_->showSample(id);
    }
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        if (dock->widget() == livePanel_) {
            dock->show();
            dock->raise();
        }
}

bool MainWindow::exportReport(const QString& path, QString* error)
{
    ReportWriter writer(*analysis_, *thresholdPanel_, *headsPanel_, documentSettings_.value_or(detect::RunSettings{}));
    return writer.write(path, error);
}

int MainWindow::exportAllPlots(const QString& folder, QString* error)
{
    if (!QDir().mkpath(folder)) {
        if (error)
            *error = tr("Could not create %1").arg(folder);
        return -1;
    }
    int written = 0;
    for (PlotWidget* plot : findChildren<PlotWidget*>()) {
        const QString base = QDir(folder).filePath(plot->exportBaseName());
        if (!plot->exportTo(base + ".png", error) || !plot->exportCsv(base + ".csv", error))
            return -1;
        ++written;
    }
    return written;
}

bool MainWindow::raisePanel(const QString& name)
{
    QDockWidget* dock = findChild<QDockWidget*>("dock." + name.trimmed().toLower());
    if (!dock)
        return false;
    dock->show();
    dock->raise();
    return true;
}

bool MainWindow::saveScreenshot(const QString& path)
{
    return grab().save(path, "PNG");
}

void MainWindow::updateTitleAndStatus()
{
    const QString source = analysis_->sourceName();
    setWindowTitle(source.isEmpty() ? tr("HalluScope") : tr("%1 — HalluScope").arg(source));
    if (!analysis_->hasData()) {
        statusSummary_->setText(tr("No data"));
        return;
    }
    statusSummary_->setText(tr("%1 responses · threshold %2")
                                .arg(analysis_->scores().ids.size())
                                .arg(analysis_->threshold(), 0, 'g', 4));
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile())
            openPath(url.toLocalFile());
    event->acceptProposedAction();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (controller_->isBusy()) {
        const auto answer = QMessageBox::question(this, tr("Quit"),
            tr("Detection is running. Stop it and quit? Finished samples are kept in the session."));
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
        controller_->stop();
    }
    saveLayout();
    runPanel_->saveSettings();
    event->accept();
}

} // namespace hs::ui
