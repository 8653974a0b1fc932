// Real detection runs from the GUI: the Detector on the built-in demo model and dataset, on the
// controller's worker thread (paused and resumed half-way), then every analysis flow on its
// results, and the session it wrote reopened in a fresh window.
#include "stall_meter.h"
#include "ui_test_support.h"

#include "ui/models/analysis_state.h"
#include "ui/panels/attention_panel.h"
#include "ui/run/attention_inspector.h"
#include "ui/run/detection_controller.h"
#include "ui/models/feature_ranking_model.h"
#include "ui/panels/heads_panel.h"
#include "ui/panels/live_panel.h"
#include "ui/panels/log_panel.h"
#include "ui/main_window.h"
#include "ui/plots/plot_widget.h"
#include "ui/run/run_collector.h"
#include "ui/panels/run_panel.h"
#include "ui/panels/samples_panel.h"
#include "ui/panels/threshold_panel.h"

#include "core/analysis/metrics.h"
#include "core/analysis/redeep_combiner.h"

#include <QAction>
#include <QComboBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QProgressBar>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSlider>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace hs;
using namespace hs::ui;

class TestDemoRun : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void runsTheDemoToTheEndWithPauseAndResume();
    void plotsHoldData();
    void sliderMatchesCoreAnalysis();
    void headSelectionRescores();
    void reportParsesBack();
    void sessionReopensWithSamplesAndAttention();
    void cleanupTestCase() { window_.reset(); }

private:
    QString label(const char* name) const { return window_->findChild<QLabel*>(name)->text(); }
    std::unique_ptr<MainWindow> window_;
    QString session_;
    QTemporaryDir tmp_;
    int demoSamples_ = 0;
};

void TestDemoRun::initTestCase()
{
    uitest::isolateSettings("test_demo_run");
    const QString demo = QDir(qEnvironmentVariable("HS_SOURCE_DIR", ".")).filePath("resources/demo");
    // A test binary sits in build/tests/ui, beside no resources: point the demo lookup at the source tree's.
    qputenv("HS_RESOURCES", QDir(qEnvironmentVariable("HS_SOURCE_DIR", ".")).filePath("resources").toUtf8());
    if (!QFileInfo::exists(demo + "/model/model.safetensors") || !QFileInfo::exists(demo + "/data/response.jsonl"))
        QSKIP("the demo model or dataset is absent (resources/demo)");
    QFile responses(demo + "/data/response.jsonl");
    QVERIFY(responses.open(QIODevice::ReadOnly));
    demoSamples_ = QString::fromUtf8(responses.readAll()).split('\n', Qt::SkipEmptyParts).size();
    window_ = std::make_unique<MainWindow>();
    window_->setProperty("quietErrors", true);
    window_->resize(1400, 900);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    // The demo's session lives in the cache folder (shared with `halluscope-cli demo`): a fresh one here.
    qputenv("XDG_CACHE_HOME", tmp_.path().toUtf8());
    QVERIFY(window_->openDemo()); // fills the Run panel: demo model, dataset, copy heads
    QCOMPARE(QString::fromStdString(window_->runPanel()->currentSettings().sessionPath), tmp_.filePath("halluscope/demo.hs"));
    session_ = tmp_.filePath("demo.hsession");
    window_->runPanel()->setSessionPath(session_);
    window_->runPanel()->setLevel(qEnvironmentVariable("HS_UI_DEMO_LEVEL", "token"));
}

void TestDemoRun::runsTheDemoToTheEndWithPauseAndResume()
{
    MainWindow& w = *window_;
    QSignalSpy finished(w.controller(), &DetectionController::finished);
    QSignalSpy errors(w.controller(), &DetectionController::error);
    QStringList ids;
    connect(w.controller(), &DetectionController::sampleDone, this,
            [&](const results::SampleResult& r) { ids << QString::fromStdString(r.sampleId); });
    uitest::StallMeter meter;
    meter.start();
    w.runPanel()->runAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(ids.size() >= 40, 120000);
    w.runPanel()->pauseAction()->trigger(); // cancels between batches; the session keeps what is done
    QVERIFY(finished.wait(60000));
    QCOMPARE(w.controller()->state(), DetectionController::State::Paused);
    QVERIFY(finished.last().first().value<detect::RunSummary>().cancelled);
    const int atPause = ids.size();
    QVERIFY(atPause < demoSamples_);
    QCOMPARE(w.runPanel()->runAction()->text(), QString("&Resume"));
    w.runPanel()->runAction()->trigger(); // resumes from the session
    QVERIFY(finished.wait(240000));
    meter.stop();
    QVERIFY2(errors.isEmpty(), errors.isEmpty() ? "" : qPrintable(errors.first().first().toString()));
    const auto summary = finished.last().first().value<detect::RunSummary>();
    QVERIFY(!summary.cancelled);
    QCOMPARE(summary.resumedSkipped, atPause);
    QCOMPARE(QSet<QString>(ids.begin(), ids.end()).size(), ids.size()); // no sample twice
    QCOMPARE(ids.size() + summary.invalidSkipped, demoSamples_);
    QCOMPARE(w.runCollector()->count(), ids.size());
    // (the final scoring runs at background priority: on a loaded machine it takes a while)
    QTRY_COMPARE_WITH_TIMEOUT(w.analysis()->scores().ids.size(), std::size_t(ids.size()), 180000);
    QCOMPARE(w.runPanel()->progressBar()->value(), summary.total);
    qInfo("demo: %d samples (paused at %d)", int(ids.size()), atPause);
    uitest::checkResponsive(meter, "demo run");
    // The demo shows the ensemble's cross-validated scores once the run has ended (as the CLI demo).
    QCOMPARE(w.analysis()->scorer(), QStringLiteral("ensemble"));
    QTRY_VERIFY_WITH_TIMEOUT(!w.analysis()->isScoring() && w.analysis()->scorerNote().contains("held-out"), 120000);
    const auto& s = w.analysis()->scores();
    const double auc = analysis::rocAuc(s.score, s.label);
    qInfo("demo response-level held-out ROC AUC %.4f (%s)", auc, qPrintable(w.analysis()->scorerNote()));
    if (qEnvironmentVariable("HS_UI_DEMO_LEVEL", "token") == QStringLiteral("token")) // the demo's own setting; chunk level does not separate it
        QVERIFY(auc >= 0.8);
}

void TestDemoRun::plotsHoldData()
{
    MainWindow& w = *window_;
    QTest::qWait(200);
    QVERIFY(!w.livePanel()->currentSampleId().isEmpty());
    QVERIFY(w.livePanel()->tracePlot()->graph(0)->dataCount() > 0);
    QVERIFY(w.livePanel()->aucPlot()->graph(0)->dataCount() > 0);
    QVERIFY(!w.attentionPanel()->colorMap()->data()->isEmpty());
    for (PlotWidget* p : {w.thresholdPanel()->rocPlot(), w.thresholdPanel()->prPlot()})
        QVERIFY(qobject_cast<QCPCurve*>(p->plottable(p->plottableCount() - 2)) != nullptr
                || p->plottableCount() > 1);
    QSignalSpy ranked(w.headsPanel(), &HeadsPanel::rankingReady);
    if (w.headsPanel()->isRanking())
        QVERIFY(ranked.wait(60000));
    QVERIFY(w.headsPanel()->rankingModel()->rowCount() > 0);
}

void TestDemoRun::sliderMatchesCoreAnalysis()
{
    ThresholdPanel* t = window_->thresholdPanel();
    const auto& s = window_->analysis()->scores();
    for (int pos : {200, 500, 800}) {
        t->slider()->setValue(pos);
        const analysis::Confusion c = analysis::confusionAt(s.score, s.label, t->thresholdAt(pos));
        QCOMPARE(label("confusion.tp").toLong(), c.tp);
        QCOMPARE(label("confusion.fp").toLong(), c.fp);
        QCOMPARE(label("confusion.fn").toLong(), c.fn);
        QCOMPARE(label("confusion.tn").toLong(), c.tn);
        QCOMPARE(label("metric.f1"), QString::number(c.f1, 'f', 3));
    }
    t->bestF1Action()->trigger();
    QCOMPARE(window_->analysis()->threshold(), analysis::bestF1(s.score, s.label).threshold);
}

void TestDemoRun::headSelectionRescores()
{
    AnalysisState* a = window_->analysis();
    window_->thresholdPanel()->selectScorer(QStringLiteral("redeep")); // instant, in-sample: checked below
    QTRY_VERIFY_WITH_TIMEOUT(!a->isScoring() && a->scorer() == QStringLiteral("redeep"), 60000);
    const std::vector<double> before = a->scores().score;
    const analysis::FeatureTable& t = a->table();
    QVERIFY(t.numEcs() >= 2);
    // One head and one layer, different from what the ReDeEP rule picked.
    const QString head = QString::fromStdString(t.ecsNames.back());
    const QString layer = QString::fromStdString(t.pksNames.front());
    window_->headsPanel()->selectFeatures({head, layer});
    window_->headsPanel()->applySelection();
    QCOMPARE(a->selection().ecs, std::vector<int>{int(t.numEcs()) - 1});
    QCOMPARE(a->selection().pks, std::vector<int>{0});
    QVERIFY(a->scores().score != before);
    QCOMPARE(a->scores().score, analysis::scoreRedeep(t, a->selection(), a->params()).score);
}

void TestDemoRun::reportParsesBack()
{
    const QString path = tmp_.filePath("demo-report.html");
    QString error;
    QVERIFY2(window_->exportReport(path, &error), qPrintable(error));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString html = QString::fromUtf8(f.readAll());
    const QRegularExpressionMatch m =
        QRegularExpression("<script type='application/json' id='halluscope-data'>(.*)</script>").match(html);
    QVERIFY(m.hasMatch());
    const QJsonObject root = QJsonDocument::fromJson(m.captured(1).replace("<\\/", "</").toUtf8()).object();
    const auto& s = window_->analysis()->scores();
    QCOMPARE(root["metrics"].toObject()["auc"].toObject()["point"].toDouble(), analysis::rocAuc(s.score, s.label));
    QCOMPARE(root["settings"].toObject()["model"].toString(), window_->runPanel()->currentSettings().modelDir.c_str());
    QCOMPARE(html.count("data:image/png;base64,"), 4);
}

void TestDemoRun::sessionReopensWithSamplesAndAttention()
{
    MainWindow reopened;
    reopened.setProperty("quietErrors", true);
    reopened.show();
    QSignalSpy loaded(&reopened, &MainWindow::documentLoaded);
    reopened.openPath(session_);
    QVERIFY(loaded.wait(30000));
    QCOMPARE(reopened.analysis()->scores().ids.size(), std::size_t(window_->runCollector()->count()));
    QCOMPARE(reopened.runCollector()->count(), window_->runCollector()->count());
    const QString id = reopened.samplesPanel()->visibleIds().first();
    Q_EMIT reopened.samplesPanel()->sampleActivated(id);
    QCOMPARE(reopened.livePanel()->currentSampleId(), id);
    QCOMPARE(reopened.attentionPanel()->currentSampleId(), id);
    QVERIFY(!reopened.attentionPanel()->colorMap()->data()->isEmpty());
    QVERIFY(reopened.livePanel()->tracePlot()->graph(0)->dataCount() > 0);
    // Its rows' table-wide scores, one per unit, shade its tokens.
    const std::vector<double> shades = reopened.analysis()->rowScoresOf(id);
    QCOMPARE(int(shades.size()), int(reopened.runCollector()->result(id)->units.size()));
    for (double v : shades)
        QVERIFY(v >= 0 && v <= 1);

    // Any head, captured or not, computed on demand at token resolution by the long-lived engine:
    // the model is loaded once for all requests (no dataset written, no Detector run).
    const results::SampleResult* result = reopened.runCollector()->result(id);
    std::pair<int, int> missing{-1, -1};
    for (int l = 0; l < 4 && missing.first < 0; ++l)
        for (int h = 0; h < 4 && missing.first < 0; ++h)
            if (std::none_of(result->attention.begin(), result->attention.end(),
                             [&](const results::AttentionSummary& a) { return a.layer == l && a.head == h; }))
                missing = {l, h};
    QVERIFY(missing.first >= 0);
    const int loadsBefore = detect::EngineService::modelLoads();
    QSignalSpy ready(reopened.attentionInspector(), &AttentionInspector::ready);
    QSignalSpy failed(reopened.attentionInspector(), &AttentionInspector::failed);
    reopened.attentionPanel()->selectHead(missing.first, missing.second);
    QVERIFY(ready.wait(60000));
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
    const detect::TokenAttention* shown = reopened.attentionPanel()->tokenAttention();
    QVERIFY(shown);
    QCOMPARE(shown->layer, missing.first);
    QCOMPARE(shown->head, missing.second);
    QVERIFY(shown->rows() > 0 && shown->cols() > 0);
    // Token texts on both axes: every tick is labelled with the token at its position (whitespace made
    // visible: a leading space as ␣, a line break as ⏎, a tab as ⇥), the response's on the rows and the
    // prompt's on the columns (or, beyond 400 prompt tokens, each bin's first token index).
    PlotWidget* plot = reopened.attentionPanel()->plot();
    auto shownToken = [](const std::string& token) {
        QString t = QString::fromStdString(token);
        t.replace('\n', QStringLiteral("⏎")).replace('\t', QStringLiteral("⇥"));
        if (t.startsWith(' '))
            t = QStringLiteral("␣") + t.mid(1);
        return t.isEmpty() ? QStringLiteral("·") : t.left(24);
    };
    auto ticks = [](QCPAxis* axis) {
        auto t = axis->ticker().dynamicCast<QCPAxisTickerText>();
        return t ? t->ticks() : QMap<double, QString>();
    };
    const QMap<double, QString> rowTicks = ticks(plot->yAxis), colTicks = ticks(plot->xAxis);
    QVERIFY(rowTicks.size() >= std::min(3, shown->rows()) && colTicks.size() >= std::min(3, shown->cols()));
    QVERIFY(rowTicks.contains(0));
    for (auto it = rowTicks.begin(); it != rowTicks.end(); ++it)
        QCOMPARE(it.value(), shownToken(shown->rowTokens.at(std::size_t(it.key()))));
    const bool binned = shown->cols() > 400;
    for (auto it = colTicks.begin(); it != colTicks.end(); ++it) {
        if (binned)
            QVERIFY(it.value().toInt() >= 0);
        else
            QCOMPARE(it.value(), shownToken(shown->colTokens.at(std::size_t(it.key()))));
    }
    qInfo("head (%d, %d): %d response x %d prompt tokens, %d row and %d column labels%s", shown->layer, shown->head,
          shown->rows(), shown->cols(), int(rowTicks.size()), int(colTicks.size()), binned ? " (binned)" : "");
    const QString hover = reopened.attentionPanel()->hoverText(0, 0);
    QVERIFY2(hover.contains(QString::fromStdString(shown->rowTokens[0])) && hover.contains("attention"), qPrintable(hover));
    QVERIFY(reopened.attentionPanel()->infoText().contains("token resolution"));
    // A second head, then a captured one: the same engine, no second load.
    const results::AttentionSummary& stored = result->attention.front();
    reopened.attentionPanel()->selectHead(missing.first, (missing.second + 1) % 4);
    QVERIFY(ready.wait(60000));
    QVERIFY(reopened.attentionInspector()->request(reopened.runPanel()->currentSettings(),
                                                   reopened.analysis()->catalog().value(id), stored.layer, stored.head));
    QVERIFY(ready.wait(60000));
    QCOMPARE(ready.count(), 3);
    QCOMPARE(detect::EngineService::modelLoads(), loadsBefore + 1);
    // A head outside the model is refused with a reason, not a crash.
    reopened.attentionPanel()->selectHead(99, 0);
    QVERIFY(failed.wait(60000));
    QVERIFY(failed.first().first().toString().contains("outside the model"));
}

QTEST_MAIN(TestDemoRun)
#include "test_demo_run.moc"
