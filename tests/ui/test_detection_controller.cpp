// The DetectionController on a scripted runner: queued value-type signals on the GUI thread,
// Run / Pause / Resume / Stop, and the main window's live panels fed by a run.
#include "fake_detection_runner.h"
#include "ui_test_support.h"

#include "ui/analysis_state.h"
#include "ui/attention_panel.h"
#include "ui/detection_controller.h"
#include "ui/live_panel.h"
#include "ui/log_panel.h"
#include "ui/main_window.h"
#include "ui/plot_widget.h"
#include "ui/run_collector.h"
#include "ui/run_panel.h"

#include <QAction>
#include <QComboBox>
#include <QProgressBar>
#include <QSignalSpy>
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

QTEST_MAIN(TestDetectionController)
#include "test_detection_controller.moc"
