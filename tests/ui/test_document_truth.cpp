// The desktop application tells the truth (issue 14): one current document, a Scores box and
// plot titles that name the scores on screen, the user's threshold kept (and undoable), Save
// Session keeping the view, a failed run ending in an error state, and a notification for a long
// run that ends in the background. Runs on a scripted runner and real session files: no model.
#include "fake_detection_runner.h"
#include "ui_test_support.h"

#include "ui/models/analysis_state.h"
#include "ui/models/feature_ranking_model.h"
#include "ui/panels/attention_panel.h"
#include "ui/run/background_threads.h"
#include "ui/run/detection_controller.h"
#include "ui/panels/heads_panel.h"
#include "ui/panels/live_panel.h"
#include "ui/panels/log_panel.h"
#include "ui/main_window.h"
#include "ui/plots/plot_widget.h"
#include "ui/run/run_collector.h"
#include "ui/panels/run_panel.h"
#include "ui/panels/samples_panel.h"
#include "ui/models/session_view_state.h"
#include "ui/panels/threshold_panel.h"

#include "core/analysis/metrics.h"
#include "core/results/feature_columns.h"
#include "core/results/result_table.h"
#include "core/session/session_store.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QSettings>
#include <QLabel>
#include <QMessageBox>
#include <QSemaphore>
#include <QSignalSpy>
#include <QSlider>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUndoStack>

#include <algorithm>
#include <memory>

using namespace hs;
using namespace hs::ui;
using namespace std::chrono_literals;

namespace {

// A run that throws, as a run with a broken model file does.
class ThrowingRunner : public DetectionRunner {
public:
    detect::RunSummary run(detect::Observer& o) override
    {
        o.onRunStarted(1, 0);
        throw std::runtime_error("model.safetensors: truncated header");
    }
    void cancel() override {}
};

// A run of `seconds` (as the summary reports it) that scores nothing: for the notification.
class TimedRunner : public DetectionRunner {
public:
    explicit TimedRunner(double seconds) : seconds_(seconds) {}
    detect::RunSummary run(detect::Observer& o) override
    {
        o.onRunStarted(0, 0);
        detect::RunSummary s;
        s.seconds = seconds_;
        return s;
    }
    void cancel() override {}

private:
    double seconds_;
};

QString titleOf(PlotWidget* plot)
{
    auto* t = qobject_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0));
    return t ? t->text() : QString();
}

void waitIdle(AnalysisState* a)
{
    for (int i = 0; i < 600 && a->isScoring(); ++i)
        QTest::qWait(100);
    QVERIFY(!a->isScoring());
}

// The Heads table ranks each new table on a worker thread; selecting by name before it is done
// would select in the previous document's ranking.
void waitRanked(HeadsPanel* heads)
{
    for (int i = 0; i < 600 && heads->isRanking(); ++i)
        QTest::qWait(100);
    QVERIFY(!heads->isRanking());
}

// Holds every thread of the background pool, so that a document load queued behind it finishes only
// when the test says: the one way to make a load land after a run has started, every time. It waits
// until every thread is held (a scoring of an earlier test may still be running); the tasks share
// their gate, so none can outlive it.
class BackgroundPoolHold {
public:
    BackgroundPoolHold() : threads_(backgroundPool()->maxThreadCount())
    {
        for (int i = 0; i < threads_; ++i)
            backgroundPool()->start([held = held_, gate = gate_] {
                held->release();
                gate->acquire();
            });
        if (!held_->tryAcquire(threads_, 60000))
            qFatal("the background pool stayed busy for a minute");
    }
    ~BackgroundPoolHold() { release(); }
    void release() { gate_->release(std::exchange(threads_, 0)); }

private:
    std::shared_ptr<QSemaphore> held_ = std::make_shared<QSemaphore>();
    std::shared_ptr<QSemaphore> gate_ = std::make_shared<QSemaphore>();
    int threads_;
};

} // namespace

class TestDocumentTruth : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void newRunReplacesTheShownDocument();
    void scoresLabelNamesTheScoresOnScreen();
    void userThresholdIsKeptAndUndoable();
    void headSelectionIsUndoable();
    void saveSessionKeepsTheViewAndAsksForAnotherDocument();
    void resumingAFinishedSessionKeepsItsTexts();
    void aResumeBeforeItsSessionLoadedKeepsEverySample();
    void aLoadOvertakenByARunDoesNotReplaceIt();
    void textsThatJoinDuringAScoringStay();
    void openingAFeatureLogReplacesEveryPanel();
    void modelFolderIsValidatedAndFailedOpensAreNotRecent();
    void failedRunEndsInAnErrorState();
    void longRunInTheBackgroundNotifies();

private:
    void runFake(int samples, std::chrono::microseconds pace, const QString& session);
    void runWhileLoading(const QString& path, const detect::RunSettings& run, int expectScored);
    std::unique_ptr<MainWindow> window_;
    QTemporaryDir tmp_;
};

void TestDocumentTruth::initTestCase()
{
    uitest::isolateSettings("test_document_truth");
    window_ = std::make_unique<MainWindow>();
    window_->setProperty("quietErrors", true);
    window_->resize(1400, 900);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
}

void TestDocumentTruth::runFake(int samples, std::chrono::microseconds pace, const QString& session)
{
    auto fake = std::make_shared<uitest::FakeSession>();
    window_->controller()->setRunnerFactory(uitest::fakeFactory(fake, samples, 6, pace));
    detect::RunSettings s;
    s.sessionPath = session.toStdString();
    QSignalSpy finished(window_->controller(), &DetectionController::finished);
    window_->controller()->start(s);
    QVERIFY(finished.wait(60000));
    waitIdle(window_->analysis());
}

void TestDocumentTruth::newRunReplacesTheShownDocument()
{
    runFake(30, 100us, tmp_.filePath("a.hsession"));
    QCOMPARE(window_->analysis()->scores().ids.size(), std::size_t(30));
    // A second run from nothing (another session) is a new document: only its 12 samples show.
    runFake(12, 100us, tmp_.filePath("b.hsession"));
    QCOMPARE(window_->runCollector()->count(), 12);
    QCOMPARE(window_->analysis()->scores().ids.size(), std::size_t(12));
    QCOMPARE(window_->samplesPanel()->view()->model()->rowCount(), 12);
    QCOMPARE(window_->documentPath(), tmp_.filePath("b.hsession"));
    QCOMPARE(QString::fromStdString(window_->documentSettings()->sessionPath), tmp_.filePath("b.hsession"));
}

void TestDocumentTruth::scoresLabelNamesTheScoresOnScreen()
{
    AnalysisState* a = window_->analysis();
    ThresholdPanel* t = window_->thresholdPanel();
    auto* shown = window_->findChild<QLabel*>("threshold.shown");
    QVERIFY(shown);
    t->selectScorer(QStringLiteral("redeep"));
    waitIdle(a);
    t->selectScorer(QStringLiteral("ensemble"));
    // During a run the learned scorer waits; the box keeps the choice, the label and the plots
    // name what is shown.
    auto fake = std::make_shared<uitest::FakeSession>();
    window_->controller()->setRunnerFactory(uitest::fakeFactory(fake, 80, 6, 40ms));
    detect::RunSettings s;
    s.sessionPath = tmp_.filePath("c.hsession").toStdString();
    QSignalSpy finished(window_->controller(), &DetectionController::finished);
    QSignalSpy started(window_->controller(), &DetectionController::runStarted);
    window_->controller()->start(s);
    QVERIFY(started.wait(20000));
    QVERIFY(!a->hasData()); // the old document's scores are gone at once
    QTRY_VERIFY_WITH_TIMEOUT(a->hasData(), 20000); // the first live push
    QVERIFY(window_->controller()->isBusy());
    QCOMPARE(a->scorer(), QStringLiteral("ensemble"));
    QCOMPARE(a->shownScorer(), QStringLiteral("redeep"));
    QVERIFY2(shown->text().contains("Shown: ReDeEP (in-sample)"), qPrintable(shown->text()));
    QVERIFY2(shown->text().contains("ensemble (5-fold held-out) is chosen"), qPrintable(shown->text()));
    QVERIFY(titleOf(t->rocPlot()).contains("ReDeEP (in-sample)"));
    QVERIFY(!titleOf(t->rocPlot()).contains("ensemble"));
    QVERIFY(titleOf(window_->livePanel()->aucPlot()).contains("ReDeEP (in-sample)"));
    QVERIFY(finished.wait(60000));
    waitIdle(a);
    // After the run: the ensemble's held-out scores, and every label says so.
    QCOMPARE(a->shownScorer(), QStringLiteral("ensemble"));
    QVERIFY2(shown->text().contains("Shown: ensemble (5-fold held-out)"), qPrintable(shown->text()));
    QVERIFY(!shown->text().contains("is chosen"));
    const double auc = analysis::rocAuc(a->scores().score, a->scores().label);
    QVERIFY2(titleOf(t->rocPlot()).contains(QString("ROC · AUC %1\nensemble (5-fold held-out)").arg(auc, 0, 'f', 4)),
             qPrintable(titleOf(t->rocPlot())));
    QVERIFY2(window_->headsPanel()->statusText().contains("ensemble (5-fold held-out) uses all 8 heads and 4 layers"),
             qPrintable(window_->headsPanel()->statusText()));
}

void TestDocumentTruth::userThresholdIsKeptAndUndoable()
{
    AnalysisState* a = window_->analysis();
    ThresholdPanel* t = window_->thresholdPanel();
    QVERIFY(a->hasData());
    QVERIFY(!a->thresholdChosen());
    a->undoStack()->clear();
    t->slider()->setValue(300);
    const double mine = a->threshold();
    QCOMPARE(mine, t->thresholdAt(300));
    // Another scorer, then another again: the threshold stays the user's.
    t->selectScorer(QStringLiteral("redeep"));
    waitIdle(a);
    QCOMPARE(a->shownScorer(), QStringLiteral("redeep"));
    QCOMPARE(a->threshold(), mine);
    t->selectScorer(QStringLiteral("chunk-logistic"));
    waitIdle(a);
    QCOMPARE(a->shownScorer(), QStringLiteral("chunk-logistic"));
    QCOMPARE(a->threshold(), mine);
    // Best F1 only on request, and undo brings the user's threshold back.
    t->bestF1Action()->trigger();
    const double best = analysis::bestF1(a->scores().score, a->scores().label).threshold;
    QCOMPARE(a->threshold(), best);
    QVERIFY(best != mine);
    a->undoStack()->undo();
    QCOMPARE(a->threshold(), mine);
    a->undoStack()->redo();
    QCOMPARE(a->threshold(), best);
    a->undoStack()->undo();
    t->selectScorer(QStringLiteral("redeep"));
    waitIdle(a);
}

void TestDocumentTruth::headSelectionIsUndoable()
{
    AnalysisState* a = window_->analysis();
    HeadsPanel* h = window_->headsPanel();
    const double mine = a->threshold();
    const analysis::Selection before = a->selection();
    const std::vector<double> scoresBefore = a->scores().score;
    QVERIFY(!a->handPicked());
    waitRanked(h);
    h->selectFeatures({QString::fromStdString(a->table().ecsNames[0]), QString::fromStdString(a->table().ecsNames[3]),
                       QString::fromStdString(a->table().pksNames[1])});
    QCOMPARE(h->selectedFeatures().size(), 3);
    h->applySelection();
    QVERIFY(a->handPicked());
    QCOMPARE(a->selection().ecs.size() + a->selection().pks.size(), std::size_t(3));
    QCOMPARE(a->threshold(), mine); // applying a selection keeps the user's threshold
    a->undoStack()->undo();
    QVERIFY(!a->handPicked());
    QCOMPARE(a->selection().ecs, before.ecs);
    QCOMPARE(a->scores().score, scoresBefore);
    a->undoStack()->redo();
    QVERIFY(a->handPicked());
    QCOMPARE(a->selection().ecs.size() + a->selection().pks.size(), std::size_t(3));
}

void TestDocumentTruth::saveSessionKeepsTheViewAndAsksForAnotherDocument()
{
    // A real session file holding the fake run's results.
    const QString path = tmp_.filePath("real.hsession");
    uitest::writeFakeSession(path.toStdString(), 60);
    QSignalSpy loaded(window_.get(), &MainWindow::documentLoaded);
    window_->openPath(path);
    QVERIFY(loaded.wait(30000));
    AnalysisState* a = window_->analysis();
    waitIdle(a);
    QCOMPARE(a->scores().ids.size(), std::size_t(60));
    QCOMPARE(window_->documentPath(), path);
    // The previous run's ranking (other feature names) is off screen even before this one is ranked.
    for (const analysis::FeatureScore& f : window_->headsPanel()->rankingModel()->scores()) {
        const auto& names = f.isEcs ? a->table().ecsNames : a->table().pksNames;
        QVERIFY2(std::find(names.begin(), names.end(), f.name) != names.end(), f.name.c_str());
    }
    window_->thresholdPanel()->selectScorer(QStringLiteral("chunk-logistic"));
    waitIdle(a);
    waitRanked(window_->headsPanel());
    window_->headsPanel()->selectFeatures({"(10, 0)", "(13, 3)", "layer_2"});
    window_->headsPanel()->applySelection();
    waitIdle(a);
    window_->thresholdPanel()->slider()->setValue(420);
    const double mine = a->threshold();
    const QString copy = tmp_.filePath("copy.hsession");
    QString error;
    QVERIFY2(window_->saveSession(copy, &error), qPrintable(error));
    QVERIFY(QFileInfo::exists(viewStatePath(copy)));

    // Reopened in a fresh window: the same scorer, selection and threshold.
    MainWindow other;
    other.setProperty("quietErrors", true);
    QSignalSpy otherLoaded(&other, &MainWindow::documentLoaded);
    other.openPath(copy);
    QVERIFY(otherLoaded.wait(30000));
    waitIdle(other.analysis());
    QCOMPARE(other.analysis()->scorer(), QStringLiteral("chunk-logistic"));
    QCOMPARE(other.analysis()->shownScorer(), QStringLiteral("chunk-logistic"));
    QVERIFY(other.analysis()->handPicked());
    QCOMPARE(other.analysis()->selection().ecs.size() + other.analysis()->selection().pks.size(), std::size_t(3));
    QCOMPARE(other.analysis()->threshold(), mine);
    QCOMPARE(other.analysis()->scores().score, a->scores().score);

    // A dataset on screen and a session in the Run form: Save asks first, and declining saves nothing.
    const QString demoData = QStringLiteral(HS_TEST_DEMO_DATASET);
    if (!QFileInfo::exists(demoData))
        QSKIP("the demo dataset is absent");
    window_->openPath(demoData);
    QVERIFY(loaded.wait(30000));
    window_->runPanel()->setSessionPath(copy);
    QFile::remove(viewStatePath(copy));
    QString asked;
    window_->setConfirmHandler([&](const QString& q) { asked = q; return false; });
    QVERIFY(!window_->saveSession({}, &error));
    QVERIFY2(asked.contains("copy.hsession"), qPrintable(asked));
    QVERIFY(!QFileInfo::exists(viewStatePath(copy)));
    window_->setConfirmHandler({});
}

void TestDocumentTruth::resumingAFinishedSessionKeepsItsTexts()
{
    // Opened, then Run with nothing left to score (the demo's second start): the tables the run pushes
    // carry the session's task types and lengths, not the previous document's (empty) catalog.
    const QString path = tmp_.filePath("finished.hsession");
    uitest::writeFakeSession(path.toStdString(), 60);
    QSignalSpy loaded(window_.get(), &MainWindow::documentLoaded);
    window_->openPath(path);
    QVERIFY(loaded.wait(30000));
    waitIdle(window_->analysis());
    auto fake = std::make_shared<uitest::FakeSession>();
    fake->saved = 60; // every sample done: the run resumes and scores nothing
    window_->controller()->setRunnerFactory(uitest::fakeFactory(fake, 60, 6, 0us));
    detect::RunSettings settings;
    settings.sessionPath = path.toStdString();
    QSignalSpy finished(window_->controller(), &DetectionController::finished);
    window_->controller()->start(settings);
    QVERIFY(finished.wait(30000));
    QTest::qWait(200);
    waitIdle(window_->analysis());
    QAbstractItemModel* table = window_->samplesPanel()->view()->model();
    QCOMPARE(table->rowCount(), 60);
    int taskColumn = -1;
    for (int c = 0; c < table->columnCount(); ++c)
        if (table->headerData(c, Qt::Horizontal).toString() == QStringLiteral("Task"))
            taskColumn = c;
    QVERIFY(taskColumn >= 0);
    for (int r = 0; r < table->rowCount(); ++r)
        QVERIFY2(!table->index(r, taskColumn).data().toString().isEmpty(), qPrintable(QString("row %1").arg(r)));
}

// Opens `path`, then runs (the scripted runner) to the end before the load may finish; returns once
// the load has landed.
void TestDocumentTruth::runWhileLoading(const QString& path, const detect::RunSettings& run, int expectScored)
{
    QSignalSpy finished(window_->controller(), &DetectionController::finished);
    BackgroundPoolHold hold;
    window_->openPath(path);
    window_->controller()->start(run);
    QVERIFY(finished.wait(60000));
    QCOMPARE(window_->runCollector()->count(), expectScored);
    hold.release();
    QTRY_VERIFY_WITH_TIMEOUT(!window_->isLoading(), 30000);
}

void TestDocumentTruth::aResumeBeforeItsSessionLoadedKeepsEverySample()
{
    // Open a session, press Run before it has loaded: the run resumes it, and the earlier run's 40
    // samples join the 20 new ones when the load lands (rather than replacing them, or being lost).
    const QString session = tmp_.filePath("resumed-early.hsession");
    uitest::writeFakeSession(session.toStdString(), 40);
    auto fake = std::make_shared<uitest::FakeSession>();
    fake->saved = 40;
    window_->controller()->setRunnerFactory(uitest::fakeFactory(fake, 60, 6, 100us));
    detect::RunSettings s;
    s.sessionPath = session.toStdString();
    runWhileLoading(session, s, 20);
    QCOMPARE(window_->documentPath(), session);
    QCOMPARE(window_->runCollector()->count(), 60);
    QTRY_COMPARE_WITH_TIMEOUT(window_->analysis()->scores().ids.size(), std::size_t(60), 30000);
    waitIdle(window_->analysis());
    QCOMPARE(window_->analysis()->scores().ids.size(), std::size_t(60));
}

void TestDocumentTruth::aLoadOvertakenByARunDoesNotReplaceIt()
{
    // The demo's flow: its dataset still loads as the run starts (F5 at once). The late load must not
    // replace the run's document half-way (CI once showed 398 of 450 after a pause and resume); the
    // run's own dataset still lends its texts.
    const QString demoData = QStringLiteral(HS_TEST_DEMO_DATASET);
    if (!QFileInfo::exists(demoData))
        QSKIP("the demo dataset is absent");
    const QString session = tmp_.filePath("overtaken.hsession");
    auto fake = std::make_shared<uitest::FakeSession>();
    window_->controller()->setRunnerFactory(uitest::fakeFactory(fake, 24, 6, 100us));
    detect::RunSettings s;
    s.sessionPath = session.toStdString();
    s.datasetPath = demoData.toStdString();
    QSignalSpy loaded(window_.get(), &MainWindow::documentLoaded);
    const int catalogBefore = window_->analysis()->catalog().size();
    runWhileLoading(demoData, s, 24);
    QCOMPARE(loaded.size(), 0); // not opened as a document
    QCOMPARE(window_->documentPath(), session);
    QCOMPARE(window_->runCollector()->count(), 24);
    QVERIFY(window_->analysis()->catalog().size() > std::max(catalogBefore, 24)); // the dataset's texts
    waitIdle(window_->analysis());
    QCOMPARE(window_->analysis()->scores().ids.size(), std::size_t(24));
}

void TestDocumentTruth::textsThatJoinDuringAScoringStay()
{
    // A run's dataset lands while a pushed table is being scored: the scored table must not take the
    // dataset's texts away again when it arrives (it carries the catalog of when it was pushed).
    auto table = std::make_shared<analysis::FeatureTable>();
    uitest::FakeDetectionRunner maker(std::make_shared<uitest::FakeSession>(), 12, 6, 0us);
    table->ecsNames = results::ecsColumnsFor({}, 8);
    table->pksNames = results::pksColumnsFor({}, 4);
    for (int i = 0; i < 12; ++i)
        results::appendResult(*table, maker.makeResult(i), "live run");
    AnalysisState state;
    SampleInfo joined;
    joined.id = QStringLiteral("dataset-only");
    joined.prompt = QStringLiteral("a prompt from the dataset");
    {
        BackgroundPoolHold hold; // the scoring waits until the texts have joined
        state.setTableAsync(table, SampleCatalog{}, QStringLiteral("live run"), true);
        state.updateCatalog(SampleCatalog{{joined.id, joined}});
    }
    waitIdle(&state);
    QCOMPARE(state.scores().ids.size(), std::size_t(12));
    QCOMPARE(state.catalog().value(joined.id).prompt, joined.prompt);
}

void TestDocumentTruth::openingAFeatureLogReplacesEveryPanel()
{
    const QString log = uitest::publishedLog();
    if (log.isEmpty())
        QSKIP("../shared/data/ragtruth/redeep_official is absent");
    runFake(20, 100us, tmp_.filePath("d.hsession"));
    window_->runPanel()->setModelDir(tmp_.filePath("some-model"));
    window_->runPanel()->setDatasetPath(tmp_.filePath("some-dataset"));
    QVERIFY(window_->attentionPanel()->currentSampleId().startsWith("fake-"));
    QSignalSpy loaded(window_.get(), &MainWindow::documentLoaded);
    window_->openPath(log);
    QVERIFY(loaded.wait(30000));
    QCOMPARE(window_->analysis()->scores().ids.size(), std::size_t(450));
    QVERIFY(!window_->livePanel()->currentSampleId().startsWith("fake-"));
    // Attention follows the log's sample, which has nothing captured (the log has no attention).
    QCOMPARE(window_->attentionPanel()->currentSampleId(), window_->livePanel()->currentSampleId());
    QVERIFY(!window_->attentionPanel()->colorMap()->visible());
    QVERIFY(!window_->attentionPanel()->tokenAttention());
    QVERIFY(window_->livePanel()->aucPlot()->graph(0)->dataCount() == 0);
    QVERIFY(window_->runCollector()->count() == 0);
    QVERIFY(window_->runPanel()->currentSettings().modelDir.empty());
    QVERIFY(window_->runPanel()->currentSettings().datasetPath.empty());
    QVERIFY(!window_->documentSettings().has_value());
    // The report lists no model or dataset of an earlier run.
    const QString html = tmp_.filePath("r.json");
    QString error;
    QVERIFY2(window_->exportReport(html, &error), qPrintable(error));
    QFile f(html);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    QVERIFY(!bytes.contains("some-model") && !bytes.contains("some-dataset") && !bytes.contains("d.hsession"));
}

void TestDocumentTruth::modelFolderIsValidatedAndFailedOpensAreNotRecent()
{
    // A folder with a config.json but no weights: refused when opened, with the kind named, and
    // kept out of Open Recent.
    QDir(tmp_.path()).mkpath("broken-model");
    const QString broken = tmp_.filePath("broken-model");
    QFile::copy(QStringLiteral(HS_TEST_DEMO_DATASET) + "/../model/config.json", broken + "/config.json");
    QSignalSpy failed(window_.get(), &MainWindow::loadFailed);
    QSignalSpy loaded(window_.get(), &MainWindow::documentLoaded);
    window_->openPath(broken);
    QVERIFY(failed.wait(10000));
    QVERIFY2(failed.first().at(1).toString().contains("as a model folder"), qPrintable(failed.first().at(1).toString()));
    QVERIFY(!QSettings().value("recentFiles").toStringList().contains(QFileInfo(broken).absoluteFilePath()));
    QVERIFY(window_->runPanel()->currentSettings().modelDir != broken.toStdString());
    // The demo's model folder passes (header and shapes checked) and becomes the Run form's model.
    const QString demoModel = QFileInfo(QStringLiteral(HS_TEST_DEMO_DATASET) + "/../model").absoluteFilePath();
    if (!QFileInfo::exists(demoModel + "/model.safetensors"))
        QSKIP("the demo model is absent");
    window_->openPath(demoModel);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(QString::fromStdString(window_->runPanel()->currentSettings().modelDir), demoModel);
    QCOMPARE(QSettings().value("recentFiles").toStringList().value(0), demoModel);
}

void TestDocumentTruth::failedRunEndsInAnErrorState()
{
    window_->setProperty("quietErrors", false); // the dialog is part of what is tested
    window_->controller()->setRunnerFactory([](const detect::RunSettings&) { return std::make_unique<ThrowingRunner>(); });
    QString dialogText;
    QTimer poll;
    connect(&poll, &QTimer::timeout, this, [&] {
        if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
            dialogText = box->text();
            box->accept();
        }
    });
    poll.start(20);
    window_->logPanel()->clear(); // earlier cases' runs may have finished with nothing left to score
    QSignalSpy failed(window_->controller(), &DetectionController::runFailed);
    QSignalSpy finished(window_->controller(), &DetectionController::finished);
    window_->controller()->start(detect::RunSettings{});
    QVERIFY(finished.wait(10000));
    QTRY_VERIFY_WITH_TIMEOUT(!dialogText.isEmpty(), 5000);
    poll.stop();
    window_->setProperty("quietErrors", true);
    QCOMPARE(failed.count(), 1);
    QVERIFY(dialogText.contains("truncated header"));
    QVERIFY(window_->controller()->failure().contains("truncated header"));
    QCOMPARE(window_->controller()->state(), DetectionController::State::Idle); // Run can start again
    QVERIFY(window_->findChild<QLabel*>("status.run")->text().contains("Run failed"));
    QVERIFY(window_->logPanel()->text().contains("Run failed: model.safetensors: truncated header"));
    QVERIFY(!window_->logPanel()->text().contains("Run finished: 0 scored"));
    // The next run clears the error state.
    runFake(5, 100us, tmp_.filePath("e.hsession"));
    QVERIFY(window_->findChild<QLabel*>("status.run")->text().isEmpty());
}

void TestDocumentTruth::longRunInTheBackgroundNotifies()
{
    QWidget front; // another window has the focus: ours is in the background
    front.show();
    front.activateWindow();
    QApplication::setActiveWindow(&front);
    QTRY_VERIFY(!window_->isActiveWindow());
    QSignalSpy notified(window_.get(), &MainWindow::notified);
    QSignalSpy finished(window_->controller(), &DetectionController::finished);
    window_->controller()->setRunnerFactory([](const detect::RunSettings&) { return std::make_unique<TimedRunner>(2); });
    window_->controller()->start(detect::RunSettings{});
    QVERIFY(finished.wait(10000));
    QCOMPARE(notified.count(), 0); // a short run needs no notification
    window_->controller()->setRunnerFactory([](const detect::RunSettings&) { return std::make_unique<TimedRunner>(600); });
    window_->controller()->start(detect::RunSettings{});
    QVERIFY(finished.wait(10000));
    QCOMPARE(notified.count(), 1);
    QVERIFY(notified.first().first().toString().contains("finished"));
}

QTEST_MAIN(TestDocumentTruth)
#include "test_document_truth.moc"
