// MainWindow's docks: which panels there are and where they start, the saved layout, and the rule that
// extra width goes to the plots rather than to the left column.
#include "ui/main_window.h"

#include "ui/models/analysis_state.h"
#include "ui/models/sample_table_model.h"
#include "ui/panels/attention_panel.h"
#include "ui/panels/heads_panel.h"
#include "ui/panels/live_panel.h"
#include "ui/panels/log_panel.h"
#include "ui/panels/run_panel.h"
#include "ui/panels/samples_panel.h"
#include "ui/panels/threshold_panel.h"
#include "ui/run/attention_inspector.h"
#include "ui/run/run_collector.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>

namespace hs::ui {

namespace {
constexpr int kLayoutVersion = 2; // bump when the set of docks changes, to drop stale layouts
constexpr int kLeftColumnWidth = 480; // Run, Samples, Log
} // namespace

QDockWidget* MainWindow::leftColumnDock() const
{
    for (const char* name : {"dock.run", "dock.samples", "dock.log"})
        if (auto* d = findChild<QDockWidget*>(name); d && d->isVisible() && !d->isFloating()
                                                      && dockWidgetArea(d) == Qt::LeftDockWidgetArea)
            return d;
    return nullptr;
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event)
{
    // The window is about to be resized: hold the left column at its width while the dock layout
    // shares the new width out (it would share it evenly), so the difference goes to or comes from
    // the plots.
    // (An application filter: it sees the resize before the window's layout does.)
    if (watched == this && event->type() == QEvent::Resize)
        if (QDockWidget* d = leftColumnDock(); d && !heldDock_) {
            heldDock_ = d;
            heldMinimumWidth_ = d->minimumWidth();
            d->setFixedWidth(d->width());
        }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    if (shown_)
        return;
    shown_ = true;
    // Resized before it was shown (say to 1600 px for a screenshot), the dock layout would share the
    // width evenly at its first layout: the default column width, the rest to the plots.
    QDockWidget* run = findChild<QDockWidget*>("dock.run");
    QDockWidget* threshold = findChild<QDockWidget*>("dock.threshold");
    if (!layoutRestored_ && run && threshold && width() > 900)
        resizeDocks({run, threshold}, {kLeftColumnWidth, width() - kLeftColumnWidth}, Qt::Horizontal);
}

void MainWindow::resizeEvent(QResizeEvent* event)
{
    QMainWindow::resizeEvent(event);
    if (heldDock_) { // laid out: the user may drag it wider or narrower again
        heldDock_->setMinimumWidth(heldMinimumWidth_);
        heldDock_->setMaximumWidth(QWIDGETSIZE_MAX);
    }
    heldDock_ = nullptr;
}

QDockWidget* MainWindow::addPanel(QWidget* panel, const QString& title, const QString& objectName,
                                  Qt::DockWidgetArea area, const QKeySequence& shortcut)
{
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(objectName); // saveState() keys docks by object name
    dock->setWidget(panel);
    addDockWidget(area, dock);
    QAction* toggle = dock->toggleViewAction();
    toggle->setShortcut(shortcut);
    toggle->setStatusTip(tr("Show or hide the %1 panel").arg(title));
    return dock;
}

void MainWindow::createPanels()
{
    runPanel_ = new RunPanel(controller_, this);
    samplesPanel_ = new SamplesPanel(analysis_, this);
    thresholdPanel_ = new ThresholdPanel(analysis_, this);
    headsPanel_ = new HeadsPanel(analysis_, this);
    livePanel_ = new LivePanel(this);
    attentionPanel_ = new AttentionPanel(this);
    logPanel_ = new LogPanel(this);

    // No central widget: every panel is a dock, so users can arrange all of them.
    auto* placeholder = new QWidget(this);
    placeholder->setMaximumSize(0, 0);
    setCentralWidget(placeholder);

    // The Run form scrolls rather than squeezing its rows when its dock is short (a squeezed wrapped
    // label, such as the plan, lost its last line).
    auto* runScroll = new QScrollArea(this);
    runScroll->setWidget(runPanel_);
    runScroll->setWidgetResizable(true);
    runScroll->setFrameShape(QFrame::NoFrame);
    runScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    QDockWidget* run = addPanel(runScroll, tr("Run"), "dock.run", Qt::LeftDockWidgetArea, QKeySequence("Alt+1"));
    QDockWidget* samples = addPanel(samplesPanel_, tr("Samples"), "dock.samples", Qt::LeftDockWidgetArea, QKeySequence("Alt+2"));
    QDockWidget* threshold = addPanel(thresholdPanel_, tr("Threshold"), "dock.threshold", Qt::RightDockWidgetArea, QKeySequence("Alt+3"));
    QDockWidget* heads = addPanel(headsPanel_, tr("Heads"), "dock.heads", Qt::RightDockWidgetArea, QKeySequence("Alt+4"));
    QDockWidget* live = addPanel(livePanel_, tr("Live"), "dock.live", Qt::RightDockWidgetArea, QKeySequence("Alt+5"));
    QDockWidget* attention = addPanel(attentionPanel_, tr("Attention"), "dock.attention", Qt::RightDockWidgetArea, QKeySequence("Alt+6"));
    QDockWidget* log = addPanel(logPanel_, tr("Log"), "dock.log", Qt::LeftDockWidgetArea, QKeySequence("Alt+7"));

    splitDockWidget(run, samples, Qt::Vertical);
    tabifyDockWidget(samples, log);
    samples->raise();
    splitDockWidget(threshold, live, Qt::Vertical);
    tabifyDockWidget(threshold, heads);
    splitDockWidget(live, attention, Qt::Horizontal);
    threshold->raise();
    resizeDocks({run, threshold}, {kLeftColumnWidth, 920}, Qt::Horizontal);
    resizeDocks({run, samples}, {runPanel_->sizeHint().height(), 300}, Qt::Vertical); // the whole form if it fits
    resizeDocks({threshold, live}, {540, 360}, Qt::Vertical);
    resizeDocks({live, attention}, {560, 360}, Qt::Horizontal);

    samplesPanel_->model()->setRunCollector(collector_); // finished responses are listed before they are scored
    connect(samplesPanel_, &SamplesPanel::sampleActivated, this, &MainWindow::showSample);
    connect(headsPanel_, &HeadsPanel::headActivated, attentionPanel_, &AttentionPanel::selectHead);
    connect(attentionPanel_, &AttentionPanel::recomputeRequested, this, [this](const QString& id, int layer, int head) {
        // The current document's model when it has one (a session's run), else the Run form's.
        const detect::RunSettings s = documentSettings_ && !documentSettings_->modelDir.empty()
            ? *documentSettings_ : runPanel_->currentSettings();
        inspector_->request(s, analysis_->catalog().value(id), layer, head);
    });
}

void MainWindow::restoreLayout()
{
    defaultState_ = saveState(kLayoutVersion);
    QSettings s;
    s.beginGroup("mainWindow");
    if (s.value("version").toInt() == kLayoutVersion) {
        restoreGeometry(s.value("geometry").toByteArray());
        layoutRestored_ = restoreState(s.value("state").toByteArray(), kLayoutVersion);
        for (QSplitter* splitter : findChildren<QSplitter*>())
            if (!splitter->objectName().isEmpty())
                splitter->restoreState(s.value("splitter/" + splitter->objectName()).toByteArray());
    }
    s.endGroup();
}

void MainWindow::resetLayout()
{
    QSettings().remove("mainWindow");
    restoreState(defaultState_, kLayoutVersion); // docks, their sizes and which are shown
    statusBar()->showMessage(tr("Default layout restored"), 4000);
}

void MainWindow::saveLayout()
{
    QSettings s;
    s.beginGroup("mainWindow");
    s.setValue("version", kLayoutVersion);
    s.setValue("geometry", saveGeometry());
    s.setValue("state", saveState(kLayoutVersion));
    for (QSplitter* splitter : findChildren<QSplitter*>())
        if (!splitter->objectName().isEmpty())
            s.setValue("splitter/" + splitter->objectName(), splitter->saveState());
    s.endGroup();
}

} // namespace hs::ui
