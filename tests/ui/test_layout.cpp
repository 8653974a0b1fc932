// The window's layout gives the room to the plots: extra width goes to the plot docks, not to the Run
// form; the Live legend sits outside the curves' area; every plot's axis labels fit in the plot.
#include "fake_detection_runner.h"
#include "ui_test_support.h"

#include "ui/run/detection_controller.h"
#include "ui/panels/live_panel.h"
#include "ui/main_window.h"
#include "ui/plots/plot_widget.h"
#include "ui/panels/run_panel.h"

#include <QDockWidget>
#include <QLabel>
#include <QFontMetrics>
#include <QSignalSpy>
#include <QTest>

using namespace hs;
using namespace hs::ui;
using namespace std::chrono_literals;

namespace {
QDockWidget* dock(MainWindow& w, const char* name) { return w.findChild<QDockWidget*>(name); }

} // namespace

class TestLayout : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { uitest::isolateSettings("test_layout"); }
    void extraWidthGoesToThePlots();
    void aWindowSizedBeforeItIsShownGivesThePlotsTheWidth();
    void liveLegendLeavesTheCurvesFree();
    void axisLabelsFitTheirPlots();
    void runFormTextIsNotCut();
};

void TestLayout::extraWidthGoesToThePlots()
{
    MainWindow w;
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QTest::qWait(100);
    QDockWidget* run = dock(w, "dock.run");
    QDockWidget* threshold = dock(w, "dock.threshold");
    QVERIFY(run && threshold);
    const int run0 = run->width(), plots0 = threshold->width();
    QVERIFY2(run0 < plots0, qPrintable(QString("Run %1 px, Threshold %2 px").arg(run0).arg(plots0)));
    w.resize(2000, 900);
    QTRY_VERIFY(w.width() == 2000);
    QTest::qWait(100);
    qInfo("1400 px: Run %d, Threshold %d; 2000 px: Run %d, Threshold %d", run0, plots0, run->width(), threshold->width());
    QVERIFY2(run->width() <= run0 + 10, qPrintable(QString("the Run form took %1 px").arg(run->width() - run0)));
    QVERIFY(threshold->width() >= plots0 + 560);
    // And back: the plots give the width back, the form keeps its own.
    w.resize(1400, 900);
    QTRY_VERIFY(w.width() == 1400);
    QTest::qWait(100);
    QVERIFY(std::abs(run->width() - run0) <= 10);
}

void TestLayout::aWindowSizedBeforeItIsShownGivesThePlotsTheWidth()
{
    MainWindow w; // as `halluscope --screenshot` does: 1600 px before the first show
    w.resize(1600, 1000);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QTest::qWait(100);
    const int run = dock(w, "dock.run")->width(), plots = dock(w, "dock.threshold")->width();
    qInfo("1600 px at the first show: Run %d, Threshold %d", run, plots);
    QVERIFY(run <= 500);
    QVERIFY(plots >= 1050);
}

void TestLayout::liveLegendLeavesTheCurvesFree()
{
    MainWindow w;
    w.setProperty("quietErrors", true);
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto session = std::make_shared<uitest::FakeSession>();
    w.controller()->setRunnerFactory(uitest::fakeFactory(session, 12, 30, 5ms));
    w.runPanel()->setDatasetPath("/tmp/fake-dataset.jsonl");
    w.runPanel()->setModelDir("/tmp/fake-model");
    QSignalSpy finished(w.controller(), &DetectionController::finished);
    w.runPanel()->runAction()->trigger();
    QVERIFY(finished.wait(30000));
    QTest::qWait(200);
    PlotWidget* traces = w.livePanel()->tracePlot();
    QVERIFY(traces->graph(0)->dataCount() > 0);
    traces->replot();
    QVERIFY(traces->legend->visible());
    const QRect legend = traces->legend->outerRect(), curves = traces->axisRect()->rect();
    QVERIFY2(!legend.intersects(curves), qPrintable(QString("legend %1,%2 %3x%4 over the curves %5,%6 %7x%8")
        .arg(legend.x()).arg(legend.y()).arg(legend.width()).arg(legend.height())
        .arg(curves.x()).arg(curves.y()).arg(curves.width()).arg(curves.height())));
    QVERIFY(traces->rect().contains(legend));
    // ...and has the room its entries need (a narrower one cuts their names).
    QVERIFY2(legend.width() >= traces->legend->minimumOuterSizeHint().width(),
             qPrintable(QString("legend %1 px, needs %2").arg(legend.width()).arg(traces->legend->minimumOuterSizeHint().width())));
    // It still names both traces.
    QCOMPARE(traces->legend->itemCount(), 2);
}

void TestLayout::axisLabelsFitTheirPlots()
{
    // At the default size every plot's axes get the room their tick labels and titles need, and no
    // axis title is longer than its axis.
    MainWindow w;
    w.setProperty("quietErrors", true);
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto session = std::make_shared<uitest::FakeSession>();
    w.controller()->setRunnerFactory(uitest::fakeFactory(session, 40, 30, 2ms));
    w.runPanel()->setDatasetPath("/tmp/fake-dataset.jsonl");
    w.runPanel()->setModelDir("/tmp/fake-model");
    QSignalSpy finished(w.controller(), &DetectionController::finished);
    w.runPanel()->runAction()->trigger();
    QVERIFY(finished.wait(30000));
    QTest::qWait(300);
    int checked = 0;
    for (PlotWidget* plot : w.findChildren<PlotWidget*>()) {
        if (!plot->isVisibleTo(&w) || plot->visibleRegion().isEmpty())
            continue; // a tab in the background
        plot->replot();
        // Titles fit their plot's width (a wider one is cut at both ends).
        for (int i = 0; i < plot->plotLayout()->elementCount(); ++i)
            if (auto* title = qobject_cast<QCPTextElement*>(plot->plotLayout()->elementAt(i))) {
                const int need = QFontMetrics(title->font()).boundingRect(QRect(0, 0, 100000, 100000), Qt::AlignCenter, title->text()).width();
                QVERIFY2(need <= plot->width(), qPrintable(QString("%1: title '%2' is %3 px in a %4 px plot")
                                                             .arg(plot->exportBaseName(), title->text()).arg(need).arg(plot->width())));
            }
        for (QCPAxisRect* rect : plot->axisRects()) {
            QVERIFY2(plot->rect().contains(rect->outerRect()), qPrintable(plot->exportBaseName()));
            for (QCPAxis* axis : rect->axes()) {
                if (!axis->visible())
                    continue;
                // QCustomPlot sizes that side for the tick labels and the title (no fixed margin)...
                const QCP::MarginSide side = axis->axisType() == QCPAxis::atLeft ? QCP::msLeft
                    : axis->axisType() == QCPAxis::atRight ? QCP::msRight
                    : axis->axisType() == QCPAxis::atTop ? QCP::msTop : QCP::msBottom;
                QVERIFY2(rect->autoMargins() & side, qPrintable(plot->exportBaseName()));
                // ...and the title is no longer than the axis it runs along (a longer one is cut at both ends).
                if (!axis->label().isEmpty()) {
                    const int text = QFontMetrics(axis->labelFont()).horizontalAdvance(axis->label());
                    const int along = axis->orientation() == Qt::Vertical ? rect->height() : rect->width();
                    QVERIFY2(text <= along, qPrintable(QString("%1: axis title '%2' is %3 px along a %4 px axis")
                                                           .arg(plot->exportBaseName(), axis->label()).arg(text).arg(along)));
                }
                ++checked;
            }
        }
    }
    qInfo("%d axes checked", checked);
    QVERIFY(checked >= 8);
}

QTEST_MAIN(TestLayout)
#include "test_layout.moc"

void TestLayout::runFormTextIsNotCut()
{
    // The Run form's wrapped texts (the plan, the GPU line) get the height their width needs, at the
    // default size and the screenshots' size, with a plan as long as a real one; the form scrolls when
    // the dock is shorter than the form.
    for (const QSize size : {QSize(1400, 900), QSize(1600, 1000)}) {
        MainWindow w;
        w.setProperty("quietErrors", true);
        w.resize(size);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* plan = w.runPanel()->findChild<QLabel*>("plan");
        QVERIFY(plan);
        plan->setText(QStringLiteral("Running with cpu (CPU only): single on cpu, f32, weights none, 2048 tokens/batch, "
                                     "predicted peak 30.6 MiB"));
        QTest::qWait(200);
        int checked = 0;
        for (QLabel* label : w.runPanel()->findChildren<QLabel*>()) {
            if (!label->wordWrap() || !label->isVisibleTo(&w) || label->text().isEmpty())
                continue;
            const int need = label->heightForWidth(label->width());
            QVERIFY2(label->height() >= need, qPrintable(QString("%1 x %2: '%3' is %4 px high, needs %5 at %6 px")
                                                             .arg(size.width()).arg(size.height()).arg(label->text())
                                                             .arg(label->height()).arg(need).arg(label->width())));
            ++checked;
        }
        QVERIFY(checked >= 2);
    }
}
