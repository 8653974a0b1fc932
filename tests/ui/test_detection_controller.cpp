// The DetectionController on a scripted runner: queued value-type signals on the GUI thread,
// Run / Pause / Resume / Stop, and the main window's live panels fed by a run.
#include "fake_detection_runner.h"
#include "ui_test_support.h"

#include "ui/models/analysis_state.h"
#include "ui/panels/attention_panel.h"
#include "ui/run/detection_controller.h"
#include "ui/panels/live_panel.h"
#include "ui/panels/log_panel.h"
#include "ui/main_window.h"
#include "ui/plots/plot_widget.h"
#include "ui/run/run_collector.h"
#include "ui/panels/run_panel.h"
#include "ui/models/sample_table_model.h"
#include "ui/panels/samples_panel.h"

#include <QAction>
#include <QComboBox>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QThread>

using namespace hs;
using namespace hs::ui;
using namespace std::chrono_literals;

class TestDetectionController : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { uitest::isolateSettings("test_detection_controller"); }
    void runDeliversResultsOnGuiThread();
    void pauseThenResumeContinuesWithoutDuplicates();
    void stopEndsTheRun();
    void workerExceptionBecomesErrorSignal();
    void mainWindowShowsALiveRun();
    void samplesTableKeepsInStepWithTheProgressBar();
};

void TestDetectionController::runDeliversResultsOnGuiThread()
{
    auto session = std::make_shared<uitest::FakeSession>();
    DetectionController c(nullptr, uitest::fakeFactory(session, 20, 16, 1ms));
    QSet<QString> ids;
    bool onGuiThread = true;
    connect(&c, &DetectionController::sampleDone, this, [&](const results::SampleResult& r) {
        onGuiThread = onGuiThread && QThread::currentThread() == thread();
        ids.insert(QString::fromStdString(r.sampleId));
    });
    QSignalSpy finished(&c, &DetectionController::finished);
    QSignalSpy warnings(&c, &DetectionController::warning);
    QSignalSpy progress(&c, &DetectionController::progress);
    c.start(detect::RunSettings{});
    QCOMPARE(c.state(), DetectionController::State::Running);
    QVERIFY(finished.wait(10000));
    QVERIFY(onGuiThread);
    QCOMPARE(ids.size(), 20);
    QCOMPARE(warnings.count(), 1);
    // Progress rides with the batched results (one queued event per ~40 ms): the last one is kept.
    QVERIFY(progress.count() >= 1 && progress.count() <= 20);
    QCOMPARE(c.lastProgress().done, 20);
    const auto summary = finished.first().first().value<detect::RunSummary>();
    QCOMPARE(summary.processed, 20);
    QVERIFY(!summary.cancelled);
    QCOMPARE(c.state(), DetectionController::State::Idle);
}

void TestDetectionController::pauseThenResumeContinuesWithoutDuplicates()
{
    auto session = std::make_shared<uitest::FakeSession>();
    DetectionController c(nullptr, uitest::fakeFactory(session, 60, 8, 10ms));
    QStringList ids;
    connect(&c, &DetectionController::sampleDone, this,
            [&](const results::SampleResult& r) { ids << QString::fromStdString(r.sampleId); });
    QSignalSpy finished(&c, &DetectionController::finished);
    c.start(detect::RunSettings{});
    QTRY_VERIFY_WITH_TIMEOUT(ids.size() >= 5, 10000);
    c.pause();
    QCOMPARE(c.state(), DetectionController::State::Pausing);
    QVERIFY(finished.wait(10000));
    QCOMPARE(c.state(), DetectionController::State::Paused);
    QVERIFY(finished.first().first().value<detect::RunSummary>().cancelled);
    const int atPause = ids.size();
    QVERIFY(atPause < 60);
    c.resume();
    QVERIFY(finished.wait(20000));
    QCOMPARE(c.state(), DetectionController::State::Idle);
    QCOMPARE(session->runs.load(), 2);
    QCOMPARE(ids.size(), 60);
    QCOMPARE(QSet<QString>(ids.begin(), ids.end()).size(), 60); // nothing twice
}

void TestDetectionController::stopEndsTheRun()
{
    auto session = std::make_shared<uitest::FakeSession>();
    DetectionController c(nullptr, uitest::fakeFactory(session, 1000, 8, 5ms));
    QSignalSpy finished(&c, &DetectionController::finished);
    QSignalSpy states(&c, &DetectionController::stateChanged);
    c.start(detect::RunSettings{});
    QTest::qWait(50);
    c.stop();
    QVERIFY(finished.wait(10000));
    QCOMPARE(c.state(), DetectionController::State::Idle);
    QVERIFY(finished.first().first().value<detect::RunSummary>().processed < 1000);
    QVERIFY(states.count() >= 3); // Running, Stopping, Idle
}

namespace {
class ThrowingRunner : public DetectionRunner {
public:
    detect::RunSummary run(detect::Observer&) override { throw std::runtime_error("model.safetensors: truncated header"); }
    void cancel() override {}
};
} // namespace

void TestDetectionController::workerExceptionBecomesErrorSignal()
{
    DetectionController c(nullptr, [](const detect::RunSettings&) { return std::make_unique<ThrowingRunner>(); });
    QSignalSpy errors(&c, &DetectionController::error);
    QSignalSpy finished(&c, &DetectionController::finished);
    c.start(detect::RunSettings{});
    QVERIFY(finished.wait(5000));
    QCOMPARE(errors.count(), 1);
    QVERIFY(errors.first().first().toString().contains("truncated header"));
    QCOMPARE(c.state(), DetectionController::State::Idle);
}

void TestDetectionController::mainWindowShowsALiveRun()
{
    MainWindow w;
    w.setProperty("quietErrors", true);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto session = std::make_shared<uitest::FakeSession>();
    w.controller()->setRunnerFactory(uitest::fakeFactory(session, 120, 24, 8ms));
    w.runPanel()->setDatasetPath("/tmp/fake-dataset.jsonl");
    w.runPanel()->setModelDir("/tmp/fake-model");
    QSignalSpy finished(w.controller(), &DetectionController::finished);
    w.runPanel()->runAction()->trigger();
    QCOMPARE(w.controller()->state(), DetectionController::State::Running);
    QVERIFY(!w.runPanel()->runAction()->isEnabled());
    QVERIFY(w.runPanel()->pauseAction()->isEnabled());
    QVERIFY(finished.wait(60000));
    QTest::qWait(200); // let the 25 Hz timers draw
    QCOMPARE(w.runCollector()->count(), 120);
    QCOMPARE(w.runPanel()->progressBar()->value(), 120);
    // The last table is scored on a worker thread, then shown.
    QTRY_COMPARE_WITH_TIMEOUT(w.analysis()->scores().ids.size(), std::size_t(120), 10000);
    QVERIFY(!w.livePanel()->currentSampleId().isEmpty());
    QVERIFY(w.livePanel()->tracePlot()->graph(0)->dataCount() > 0);
    QVERIFY(w.livePanel()->aucPlot()->graph(0)->dataCount() > 0);
    QVERIFY(!w.attentionPanel()->colorMap()->data()->isEmpty());
    QCOMPARE(w.logPanel()->warningCount(), 1);
    QVERIFY(w.runPanel()->runAction()->isEnabled());
}

void TestDetectionController::samplesTableKeepsInStepWithTheProgressBar()
{
    // Scores are pushed at most once a second, but every finished response is listed at once: after
    // each progress update the Samples table holds as many rows as the bar says are done.
    MainWindow w;
    w.setProperty("quietErrors", true);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto session = std::make_shared<uitest::FakeSession>();
    w.controller()->setRunnerFactory(uitest::fakeFactory(session, 90, 12, 25ms));
    w.runPanel()->setDatasetPath("/tmp/fake-dataset.jsonl");
    w.runPanel()->setModelDir("/tmp/fake-model");
    SampleTableModel* table = w.samplesPanel()->model();
    int checks = 0, aheadOfScores = 0, mismatches = 0;
    QString firstMismatch;
    // Connected after the window's own slots, so this runs once the bar shows the update.
    connect(w.controller(), &DetectionController::progress, this, [&](const detect::Progress& p) {
        ++checks;
        const int bar = w.runPanel()->progressBar()->value();
        if (bar != p.done || table->rowCount() != bar || w.samplesPanel()->view()->model()->rowCount() != bar) {
            if (mismatches++ == 0)
                firstMismatch = QString("bar %1, done %2, table %3").arg(bar).arg(p.done).arg(table->rowCount());
        }
        if (table->pendingCount() > 0)
            ++aheadOfScores;
    });
    QSignalSpy finished(w.controller(), &DetectionController::finished);
    w.runPanel()->runAction()->trigger();
    QVERIFY(finished.wait(60000));
    QVERIFY2(mismatches == 0, qPrintable(firstMismatch));
    QVERIFY(checks >= 10);
    QVERIFY(aheadOfScores > 0); // some rows were listed before their score came (what this is about)
    // A row not scored yet reads "scoring…"; once the last table is scored, none is left.
    QTRY_COMPARE_WITH_TIMEOUT(table->pendingCount(), 0, 10000);
    QCOMPARE(table->rowCount(), 90);
    QCOMPARE(table->scoredCount(), 90);
    // A new run from nothing starts an empty table, then fills it again in step.
    session->saved = 0;
    mismatches = 0;
    w.runPanel()->runAction()->trigger();
    QVERIFY(finished.wait(60000));
    QVERIFY2(mismatches == 0, qPrintable(firstMismatch));
    QTRY_COMPARE_WITH_TIMEOUT(table->scoredCount(), 90, 10000);
    QCOMPARE(table->rowCount(), 90);
}

QTEST_MAIN(TestDetectionController)
#include "test_detection_controller.moc"
