// Drives the real MainWindow on the published ReDeEP feature log (no model needed): loading,
// plots, the threshold slider against core/analysis, head selection, the sample table, layout and
// files (test_exports.cpp has the plot and report exports).
#include "published_log_window.h"
#include "ui_test_support.h"

#include "ui/models/analysis_state.h"
#include "ui/models/feature_ranking_model.h"
#include "ui/panels/heads_panel.h"
#include "ui/panels/live_panel.h"
#include "ui/panels/log_panel.h"
#include "ui/main_window.h"
#include "ui/plots/plot_widget.h"
#include "ui/models/sample_filter_proxy.h"
#include "ui/panels/samples_panel.h"
#include "ui/panels/threshold_panel.h"

#include "core/analysis/cross_validation.h"
#include "core/analysis/method.h"
#include "core/analysis/metrics.h"
#include "core/analysis/redeep_combiner.h"

#include <QAction>
#include <QDialog>
#include <QDockWidget>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QTableWidget>
#include <QApplication>
#include <QMimeData>
#include <QComboBox>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace hs;
using namespace hs::ui;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void loadsPublishedLogAndReproducesPaper();
    void plotsHoldData();
    void headsHeatmapLabelsCellsAndUsesADivergingMapForPearson();
    void sliderMatchesCoreAnalysis();
    void bestF1ButtonPicksCoreBestF1();
    void splitViewShowsHeldOutOnly();
    void headSelectionRescores();
    void learnedScorerShowsHeldOutScores();
    void samplesTableSortsFiltersAndOpens();
    void layoutConveniences();
    void screenshotAndLayoutPersist();
    void badFileIsReportedNotFatal();
    void droppedFilesOpenAndAreRemembered();
    void cleanupTestCase();

private:
    QString label(const char* name) const { return window_->findChild<QLabel*>(name)->text(); }
    std::unique_ptr<MainWindow> window_;
    QTemporaryDir tmp_;
    QString log_;
};

void TestMainWindow::initTestCase()
{
    uitest::openPublishedLogWindow("test_main_window", window_, log_);
}

void TestMainWindow::loadsPublishedLogAndReproducesPaper()
{
    const AnalysisState& a = *window_->analysis();
    QVERIFY(a.hasData());
    QCOMPARE(a.table().responseIds.size(), std::size_t(450));
    QCOMPARE(a.table().rows(), std::size_t(1159));
    QCOMPARE(a.scores().ids.size(), std::size_t(450));
    // The default ReDeEP parameters (3 heads, 4 layers, alpha 0.6) reproduce the published numbers.
    QVERIFY(std::abs(analysis::rocAuc(a.scores().score, a.scores().label) - 0.7472542667509481) < 1e-12);
    QVERIFY(std::abs(analysis::pearson(a.scores().score, a.scores().label) - 0.42072074189229686) < 1e-9);
    QVERIFY(window_->windowTitle().contains("official_llama2_7B_response_chunk.json"));
}

void TestMainWindow::plotsHoldData()
{
    ThresholdPanel* t = window_->thresholdPanel();
    for (PlotWidget* p : {t->rocPlot(), t->prPlot(), t->f1Plot()}) {
        int points = 0;
        for (int i = 0; i < p->plottableCount(); ++i)
            if (auto* c = qobject_cast<QCPCurve*>(p->plottable(i)))
                points += c->dataCount();
            else if (auto* g = qobject_cast<QCPGraph*>(p->plottable(i)))
                points += g->dataCount();
        QVERIFY2(points > 100, qPrintable(QString("plot has %1 points").arg(points)));
    }
    HeadsPanel* h = window_->headsPanel();
    QCOMPARE(h->rankingModel()->rowCount(), 64); // 32 copy heads + 32 layers
    int cells = 0;
    QCPColorMapData* d = h->headMap()->data();
    for (int x = 0; x < d->keySize(); ++x)
        for (int y = 0; y < d->valueSize(); ++y)
            cells += std::isnan(d->cell(x, y)) ? 0 : 1;
    QCOMPARE(cells, 32);
    QCOMPARE(window_->samplesPanel()->view()->model()->rowCount(), 450);
}

void TestMainWindow::headsHeatmapLabelsCellsAndUsesADivergingMapForPearson()
{
    HeadsPanel* h = window_->headsPanel();
    PlotWidget* plot = h->heatmapPlot();
    // Every one of the 32 copy heads carries its value inside its cell.
    int inCells = 0;
    for (int i = 0; i < plot->itemCount(); ++i)
        if (auto* t = qobject_cast<QCPItemText*>(plot->item(i))) {
            const double x = t->position->coords().x(), y = t->position->coords().y();
            QVERIFY(!std::isnan(h->headMap()->data()->data(x, y)));
            QCOMPARE(t->text(), QString::number(h->headMap()->data()->data(x, y), 'g', 2));
            ++inCells;
        }
    QCOMPARE(inCells, 32);
    // The PKS strip has layer labels of its own.
    QVERIFY(plot->axisRect(1)->axis(QCPAxis::atRight)->visible());
    QVERIFY(plot->axisRect(1)->axis(QCPAxis::atRight)->tickLabels());
    // Pearson r: a diverging map, white at 0, over a range symmetric about 0.
    auto* metric = h->findChild<QComboBox*>();
    QVERIFY(metric);
    metric->setCurrentIndex(metric->findText("Pearson r"));
    const QCPRange range = h->headMap()->colorScale()->dataRange();
    QVERIFY(std::abs(range.lower + range.upper) < 1e-12);
    const QRgb mid = h->headMap()->gradient().color(0, QCPRange(-1, 1));
    QVERIFY(qRed(mid) > 240 && qGreen(mid) > 240 && qBlue(mid) > 240);
    metric->setCurrentIndex(0);
    QVERIFY(qGreen(h->headMap()->gradient().color(0.5, QCPRange(0, 1))) < 200); // viridis again
}

void TestMainWindow::sliderMatchesCoreAnalysis()
{
    ThresholdPanel* t = window_->thresholdPanel();
    const auto& s = window_->analysis()->scores();
    for (int pos : {100, 350, 500, 777}) {
        t->slider()->setValue(pos);
        const double thr = t->thresholdAt(pos);
        QCOMPARE(window_->analysis()->threshold(), thr);
        const analysis::Confusion c = analysis::confusionAt(s.score, s.label, thr);
        QCOMPARE(label("confusion.tp").toLong(), c.tp);
        QCOMPARE(label("confusion.fp").toLong(), c.fp);
        QCOMPARE(label("confusion.tn").toLong(), c.tn);
        QCOMPARE(label("confusion.fn").toLong(), c.fn);
        QCOMPARE(label("metric.f1"), QString::number(c.f1, 'f', 3));
        QCOMPARE(label("metric.precision"), QString::number(c.precision, 'f', 3));
        QCOMPARE(label("metric.recall"), QString::number(c.recall, 'f', 3));
        // The F1-plot marker follows the slider.
        QCOMPARE(t->f1Plot()->graph(0)->data()->at(0)->key, thr);
    }
}

void TestMainWindow::bestF1ButtonPicksCoreBestF1()
{
    ThresholdPanel* t = window_->thresholdPanel();
    t->slider()->setValue(0);
    t->bestF1Action()->trigger();
    const auto& s = window_->analysis()->scores();
    const analysis::ThresholdPoint best = analysis::bestF1(s.score, s.label);
    QCOMPARE(window_->analysis()->threshold(), best.threshold);
    QCOMPARE(label("metric.f1"), QString::number(best.f1, 'f', 3));
}

void TestMainWindow::splitViewShowsHeldOutOnly()
{
    ThresholdPanel* t = window_->thresholdPanel();
    t->splitAction()->setChecked(true);
    std::vector<double> score;
    std::vector<int> lab;
    t->shownData(&score, &lab);
    const auto& held = window_->analysis()->heldOut();
    QCOMPARE(score.size(), std::size_t(std::count(held.begin(), held.end(), true)));
    QVERIFY(score.size() > 150 && score.size() < 300);
    t->bestF1Action()->trigger(); // chosen on the training part...
    const analysis::Confusion c = analysis::confusionAt(score, lab, window_->analysis()->threshold());
    QCOMPARE(label("confusion.tp").toLong() + label("confusion.fn").toLong(), c.tp + c.fn); // ...shown on held-out
    QCOMPARE(label("confusion.tp").toLong() + label("confusion.fp").toLong() + label("confusion.tn").toLong()
                 + label("confusion.fn").toLong(), long(score.size()));
    t->splitAction()->setChecked(false);
}

void TestMainWindow::headSelectionRescores()
{
    AnalysisState* a = window_->analysis();
    const std::vector<double> before = a->scores().score;
    HeadsPanel* h = window_->headsPanel();
    QSignalSpy changed(a, &AnalysisState::scoresChanged);
    h->selectFeatures({"(25, 0)", "layer_23", "layer_24"});
    QCOMPARE(h->selectedFeatures().size(), 3);
    h->applySelection();
    QCOMPARE(changed.count(), 1);
    QVERIFY(a->scores().score != before);
    // Exactly what core/analysis gives for that selection.
    const analysis::FeatureTable& t = a->table();
    analysis::Selection sel;
    sel.ecs.push_back(int(std::find(t.ecsNames.begin(), t.ecsNames.end(), "(25, 0)") - t.ecsNames.begin()));
    for (const char* l : {"layer_23", "layer_24"})
        sel.pks.push_back(int(std::find(t.pksNames.begin(), t.pksNames.end(), l) - t.pksNames.begin()));
    std::sort(sel.pks.begin(), sel.pks.end());
    std::vector<int> shownPks = a->selection().pks;
    std::sort(shownPks.begin(), shownPks.end());
    QCOMPARE(shownPks, sel.pks);
    const analysis::ResponseScores expected = analysis::scoreRedeep(t, a->selection(), a->params());
    QCOMPARE(a->scores().score, expected.score);
    // The table marks the features in use, and ReDeEP's rule brings the published scores back.
    const int row = h->rankingModel()->rowOf("(25, 0)");
    QCOMPARE(h->rankingModel()->index(row, FeatureRankingModel::InUse).data().toString(), QString("✓"));
    h->applyRedeepRule();
    QVERIFY(std::abs(analysis::rocAuc(a->scores().score, a->scores().label) - 0.7472542667509481) < 1e-12);
}

void TestMainWindow::learnedScorerShowsHeldOutScores()
{
    AnalysisState* a = window_->analysis();
    ThresholdPanel* t = window_->thresholdPanel();
    const analysis::FeatureTable& table = a->table();
    auto heldOutScores = [&](const analysis::FeatureTable& tab) {
        analysis::MethodOptions o;
        o.name = "chunk-logistic";
        const analysis::CvResult cv = analysis::crossValidate(tab, [&] { return analysis::makeMethod(o); }, 5, 0,
                                                              analysis::ThresholdMode::InSample);
        return analysis::outOfFoldScores(cv, tab.responseIds.size());
    };
    QSignalSpy changed(a, &AnalysisState::scoresChanged);
    QSignalSpy busy(a, &AnalysisState::scoringChanged);
    t->scorerBox()->setCurrentIndex(t->scorerBox()->findData(QStringLiteral("chunk-logistic")));
    QCOMPARE(a->scorer(), QStringLiteral("chunk-logistic"));
    QVERIFY(changed.wait(120000)); // cross-validation runs on a worker thread
    QVERIFY(busy.count() >= 2);
    QVERIFY(!a->isScoring());
    QVERIFY(a->scorerNote().contains("held-out"));
    QCOMPARE(a->scores().score, heldOutScores(table));
    const double auc = analysis::rocAuc(a->scores().score, a->scores().label);
    QVERIFY2(auc > 0.75, qPrintable(QString::number(auc))); // held out, and above ReDeEP's honest 0.726
    QVERIFY(label("metric.f1").toDouble() > 0.6);

    // A hand-picked selection restricts the learned method to those columns.
    changed.clear();
    window_->headsPanel()->selectFeatures({"(25, 0)", "(31, 18)", "layer_23", "layer_24"});
    window_->headsPanel()->applySelection();
    QVERIFY(changed.wait(120000));
    analysis::Selection sel = a->selection();
    QCOMPARE(sel.ecs.size() + sel.pks.size(), std::size_t(4));
    QCOMPARE(a->scores().score, heldOutScores(analysis::selectColumns(table, sel.ecs, sel.pks)));
    QVERIFY(a->scorerNote().contains("selected"));

    // Back to ReDeEP: the published numbers again, at once.
    window_->headsPanel()->applyRedeepRule();
    t->scorerBox()->setCurrentIndex(t->scorerBox()->findData(QStringLiteral("redeep")));
    if (a->isScoring())
        QVERIFY(QSignalSpy(a, &AnalysisState::scoringChanged).wait(120000));
    QCOMPARE(a->scorer(), QStringLiteral("redeep"));
    QVERIFY(std::abs(analysis::rocAuc(a->scores().score, a->scores().label) - 0.7472542667509481) < 1e-12);
}

void TestMainWindow::samplesTableSortsFiltersAndOpens()
{
    SamplesPanel* p = window_->samplesPanel();
    const auto& s = window_->analysis()->scores();
    p->view()->sortByColumn(3, Qt::DescendingOrder); // score
    const QStringList ids = p->visibleIds();
    QCOMPARE(ids.size(), 450);
    const int top = window_->analysis()->indexOf(ids.first());
    QCOMPARE(s.score[top], *std::max_element(s.score.begin(), s.score.end()));
    // "Wrong calls" = false positives + false negatives at the threshold.
    p->outcomeFilter()->setCurrentIndex(int(SampleFilterProxy::Outcome::Errors));
    const analysis::Confusion c = analysis::confusionAt(s.score, s.label, window_->analysis()->threshold());
    QCOMPARE(long(p->visibleIds().size()), c.fp + c.fn);
    p->outcomeFilter()->setCurrentIndex(0);
    p->filterEdit()->setText(ids.at(5));
    QVERIFY(p->visibleIds().contains(ids.at(5)));
    QVERIFY(p->visibleIds().size() < 450);
    p->filterEdit()->clear();
    // Double-click opens the sample in the Live panel.
    QSignalSpy activated(p, &SamplesPanel::sampleActivated);
    const QModelIndex second = p->view()->model()->index(1, 0);
    p->view()->scrollTo(second);
    const QRect r = p->view()->visualRect(second);
    QVERIFY2(p->view()->isVisible() && r.isValid(), "the samples table is on screen");
    QTest::mouseClick(p->view()->viewport(), Qt::LeftButton, {}, r.center());
    QTest::mouseDClick(p->view()->viewport(), Qt::LeftButton, {}, r.center());
    QCOMPARE(activated.count(), 1);
    QCOMPARE(window_->livePanel()->currentSampleId(), activated.first().first().toString());
}

void TestMainWindow::layoutConveniences()
{
    // Ctrl+F from anywhere focuses the Samples filter.
    window_->thresholdPanel()->slider()->setFocus();
    QTest::keyClick(window_.get(), Qt::Key_F, Qt::ControlModifier);
    QTRY_VERIFY(window_->samplesPanel()->filterEdit()->hasFocus());
    // The View menu lists the panels in the order of their shortcuts.
    QMenu* view = nullptr;
    for (QAction* a : window_->menuBar()->actions())
        if (a->text() == "&View")
            view = a->menu();
    QVERIFY(view);
    QStringList keys;
    for (QAction* a : view->actions())
        if (!a->shortcut().isEmpty())
            keys << a->shortcut().toString();
    QCOMPARE(keys, QStringList({"Alt+1", "Alt+2", "Alt+3", "Alt+4", "Alt+5", "Alt+6", "Alt+7"}));
    // Reset Layout takes effect at once: a hidden panel comes back without a restart.
    QDockWidget* heads = window_->findChild<QDockWidget*>("dock.heads");
    heads->hide();
    for (QAction* a : view->actions())
        if (a->text() == "&Reset Layout")
            a->trigger();
    QVERIFY(!heads->isHidden());
    // Help → Keyboard Shortcuts lists the window's shortcuts.
    for (QAction* a : window_->menuBar()->actions())
        if (a->text() == "&Help")
            for (QAction* h : a->menu()->actions())
                if (h->text() == "&Keyboard Shortcuts")
                    h->trigger();
    auto* dialog = window_->findChild<QDialog*>("dialog.shortcuts");
    QVERIFY(dialog);
    auto* table = dialog->findChild<QTableWidget*>();
    QVERIFY(table->rowCount() > 15);
    QVERIFY(!table->findItems(QKeySequence(QKeySequence::Find).toString(QKeySequence::NativeText), Qt::MatchExactly).isEmpty());
    QVERIFY(!table->findItems("Undo", Qt::MatchContains).isEmpty());
    dialog->close();
}

void TestMainWindow::screenshotAndLayoutPersist()
{
    const QString png = tmp_.filePath("main.png");
    QVERIFY(window_->saveScreenshot(png));
    QVERIFY(QImage(png).width() >= 1000);
    window_->close(); // saves geometry, dock state and splitters
    QSettings s;
    QVERIFY(!s.value("mainWindow/state").toByteArray().isEmpty());
    QVERIFY(!s.value("mainWindow/splitter/threshold.plots").toByteArray().isEmpty());
    window_->show();
}

void TestMainWindow::badFileIsReportedNotFatal()
{
    const QString bad = tmp_.filePath("broken.json");
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("[{\"id\": \"1\", \"scores\": [{\"prompt_attention_score\": 7}]");
    f.close();
    const int errors = window_->logPanel()->errorCount();
    QSignalSpy failed(window_.get(), &MainWindow::loadFailed);
    window_->openPath(bad);
    QVERIFY(failed.wait(10000));
    QCOMPARE(window_->logPanel()->errorCount(), errors + 1);
    QVERIFY(window_->analysis()->hasData()); // the loaded log stays
}

void TestMainWindow::droppedFilesOpenAndAreRemembered()
{
    auto* mime = new QMimeData;
    mime->setUrls({QUrl::fromLocalFile(log_)});
    QSignalSpy loaded(window_.get(), &MainWindow::documentLoaded);
    const QPoint centre = window_->rect().center();
    QDragEnterEvent enter(centre, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(window_.get(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(centre), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(window_.get(), &drop);
    QVERIFY(loaded.wait(30000));
    QCOMPARE(loaded.first().first().toString(), log_);
    QCOMPARE(window_->analysis()->scores().ids.size(), std::size_t(450));
    // Opened files lead the "Open Recent" list (QSettings), most recent first.
    QCOMPARE(QSettings().value("recentFiles").toStringList().value(0), QFileInfo(log_).absoluteFilePath());
    delete mime;
}

void TestMainWindow::cleanupTestCase()
{
    window_.reset();
}

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
