// MainWindow's menus and the file dialogs behind them (the window's layout and loading live in
// main_window.cpp).
#include "ui/main_window.h"

#include "ui/models/analysis_state.h"
#include "ui/run/detection_controller.h"
#include "ui/panels/heads_panel.h"
#include "ui/plots/plot_widget.h"
#include "ui/utils/recent_files.h"
#include "ui/panels/run_panel.h"
#include "ui/panels/samples_panel.h"
#include "ui/models/session_scores.h"
#include "ui/models/session_view_state.h"
#include "ui/panels/threshold_panel.h"

#include <QAction>
#include <QDialog>
#include <QHeaderView>
#include <QLineEdit>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QCursor>
#include <QStatusBar>
#include <QToolBar>
#include <QUndoStack>

namespace hs::ui {

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    auto addOpen = [&](const QString& text, DocumentKind kind, const QKeySequence& key, const QString& tip) {
        QAction* a = file->addAction(text, this, [this, kind] { openWithDialog(kind); });
        a->setShortcut(key);
        a->setStatusTip(tip);
    };
    addOpen(tr("Open &Dataset…"), DocumentKind::Dataset, QKeySequence::Open,
            tr("A RAGTruth folder or file, a Dolly file or the demo dataset"));
    file->addAction(tr("Open Dataset &Folder…"), this, [this] { openWithDialog(DocumentKind::Unknown); })
        ->setStatusTip(tr("A RAGTruth folder (response.jsonl + source_info.jsonl)"));
    addOpen(tr("Open &Model Folder…"), DocumentKind::ModelFolder, QKeySequence("Ctrl+Shift+M"),
            tr("A folder with config.json, *.safetensors and tokenizer.json"));
    addOpen(tr("Open &Session…"), DocumentKind::Session, QKeySequence("Ctrl+Shift+O"),
            tr("A saved HalluScope session: results, and an unfinished run to resume"));
    addOpen(tr("Open &Feature Log…"), DocumentKind::FeatureLog, QKeySequence("Ctrl+L"),
            tr("A published ReDeEP feature log (*.json): analyse without a model"));
    QAction* demo = file->addAction(tr("Open De&mo"), this, [this] {
        if (!openDemo())
            QMessageBox::information(this, tr("Demo"), tr("The built-in demo is not installed."));
    });
    demo->setShortcut(QKeySequence("Ctrl+Shift+D"));
    demo->setStatusTip(tr("The tiny demo model and its dataset: runs on the CPU in seconds"));
    QMenu* recentMenu = file->addMenu(tr("Open &Recent"));
    recent_ = new RecentFiles(recentMenu, this);
    connect(recent_, &RecentFiles::openRequested, this, &MainWindow::openPath);
    file->addSeparator();
    file->addAction(tr("&Save Session"), QKeySequence::Save, this, [this] {
        QString error;
        if (saveSession({}, &error))
            statusBar()->showMessage(tr("Session saved with its threshold, scorer and selection"), 5000);
        else if (!error.isEmpty())
            QMessageBox::information(this, tr("Save session"), error);
    })->setStatusTip(tr("Keep the threshold, scorer and head selection with the session"));
    file->addAction(tr("Save Session &As…"), QKeySequence::SaveAs, this, &MainWindow::saveSessionAs)
        ->setStatusTip(tr("Copy the current session, with its threshold, scorer and selection, to a new place"));
    file->addAction(tr("&Export Report…"), QKeySequence("Ctrl+E"), this, &MainWindow::exportReportWithDialog)
        ->setStatusTip(tr("HTML or PDF report with settings, metrics, plots and head ranking"));
    file->addAction(tr("Export &Scores…"), QKeySequence("Ctrl+Shift+E"), this, &MainWindow::exportScoresWithDialog)
        ->setStatusTip(tr("Per-sample scores as CSV or JSON"));
    // Plots: each one, or all of them at once (images and their data), and the one under the
    // mouse to the clipboard; the same actions sit on the toolbar.
    QMenu* plots = file->addMenu(tr("Export &Plot"));
    for (PlotWidget* plot : findChildren<PlotWidget*>())
        plots->addAction(plot->exportBaseName(), plot, &PlotWidget::exportWithDialog);
    QAction* exportAll = file->addAction(tr("Export &All Plots…"), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Export all plots to"));
        QString error;
        if (!dir.isEmpty() && exportAllPlots(dir, &error) < 0)
            QMessageBox::warning(this, tr("Export plots"), error);
        else if (!dir.isEmpty())
            statusBar()->showMessage(tr("Plots (PNG) and their data (CSV) written to %1").arg(dir), 8000);
    });
    exportAll->setShortcut(QKeySequence("Ctrl+Alt+E"));
    QAction* copyPlot = file->addAction(tr("&Copy Plot Under Mouse"), this, [this] {
        for (PlotWidget* plot : findChildren<PlotWidget*>())
            if (plot->isVisible() && plot->rect().contains(plot->mapFromGlobal(QCursor::pos()))) {
                plot->copyToClipboard();
                statusBar()->showMessage(tr("Copied %1 to the clipboard").arg(plot->exportBaseName()), 4000);
                return;
            }
        statusBar()->showMessage(tr("Point at a plot to copy it"), 4000);
    });
    copyPlot->setShortcut(QKeySequence("Ctrl+Shift+C"));
    QToolBar* bar = addToolBar(tr("Plots"));
    bar->setObjectName("toolbar.plots");
    bar->addAction(exportAll);
    bar->addAction(copyPlot);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = analysis_->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = analysis_->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addActions({undo, redo});
    edit->addSeparator();
    // Ctrl+F from anywhere in the window: the Samples filter, brought to the front.
    QAction* find = edit->addAction(tr("&Find Sample…"), this, [this] {
        raisePanel(QStringLiteral("samples"));
        samplesPanel_->filterEdit()->setFocus(Qt::ShortcutFocusReason);
        samplesPanel_->filterEdit()->selectAll();
    });
    find->setShortcut(QKeySequence::Find);
    find->setShortcutContext(Qt::WindowShortcut);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    run->addActions(runPanel_->actions());

    QMenu* analysisMenu = menuBar()->addMenu(tr("&Analysis"));
    analysisMenu->addActions(thresholdPanel_->actions());
    analysisMenu->addActions(headsPanel_->actions());

    viewMenu_ = menuBar()->addMenu(tr("&View"));
    // In the order of their shortcuts (Alt+1 … Alt+7), not in the order Qt happens to find them.
    QList<QDockWidget*> docks = findChildren<QDockWidget*>();
    std::sort(docks.begin(), docks.end(), [](QDockWidget* a, QDockWidget* b) {
        return a->toggleViewAction()->shortcut().toString() < b->toggleViewAction()->shortcut().toString();
    });
    for (QDockWidget* dock : docks)
        viewMenu_->addAction(dock->toggleViewAction());
    viewMenu_->addSeparator();
    viewMenu_->addAction(tr("&Reset Layout"), this, &MainWindow::resetLayout);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard Shortcuts"), this, &MainWindow::showShortcuts)->setShortcut(QKeySequence("F1"));
    help->addAction(tr("&About HalluScope"), this, [this] {
        QMessageBox::about(this, tr("About HalluScope"),
            tr("<b>HalluScope %1</b><p>Detects hallucinations in retrieval-augmented generation with "
               "ReDeEP's external-context and parametric-knowledge scores.</p>")
                .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::showShortcuts()
{
    auto* dialog = new QDialog(this);
    dialog->setObjectName("dialog.shortcuts");
    dialog->setWindowTitle(tr("Keyboard Shortcuts"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto* table = new QTableWidget(dialog);
    table->setColumnCount(2);
    table->setHorizontalHeaderLabels({tr("Shortcut"), tr("Action")});
    QList<QPair<QString, QString>> rows;
    for (QAction* a : findChildren<QAction*>())
        if (!a->shortcut().isEmpty())
            rows.append({a->shortcut().toString(QKeySequence::NativeText), a->text().remove('&')});
    std::sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) { return x.second < y.second; });
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    table->setRowCount(int(rows.size()));
    for (int i = 0; i < rows.size(); ++i) {
        table->setItem(i, 0, new QTableWidgetItem(rows[i].first));
        table->setItem(i, 1, new QTableWidgetItem(rows[i].second));
    }
    table->horizontalHeader()->setStretchLastSection(true);
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(table);
    dialog->resize(420, 520);
    dialog->show();
}

void MainWindow::openWithDialog(DocumentKind kind)
{
    QSettings settings;
    const QString dir = settings.value("lastOpenDir").toString();
    QString path;
    switch (kind) {
    case DocumentKind::ModelFolder:
        path = QFileDialog::getExistingDirectory(this, tr("Open model folder"), dir);
        break;
    case DocumentKind::Unknown: // a dataset that is a folder (RAGTruth)
        path = QFileDialog::getExistingDirectory(this, tr("Open dataset folder"), dir);
        break;
    case DocumentKind::Session:
        path = QFileDialog::getOpenFileName(this, tr("Open session"), dir,
                                            tr("Sessions (*.hsession *.sqlite *.db);;All files (*)"));
        break;
    case DocumentKind::FeatureLog:
        path = QFileDialog::getOpenFileName(this, tr("Open ReDeEP feature log"), dir,
                                            tr("Feature logs (*.json);;All files (*)"));
        break;
    default:
        path = QFileDialog::getOpenFileName(this, tr("Open dataset"), dir,
                                            tr("Datasets (*.jsonl *.json);;All files (*)"));
        break;
    }
    if (path.isEmpty())
        return;
    settings.setValue("lastOpenDir", QFileInfo(path).absolutePath());
    openPath(path);
}

bool MainWindow::saveSession(const QString& target, QString* error)
{
    auto fail = [error](const QString& why) {
        if (error)
            *error = why;
        return false;
    };
    // The shown document's session; else the Run form's (which may belong to another document).
    const QString source = !sessionPath_.isEmpty() ? sessionPath_
                                                   : QString::fromStdString(runPanel_->currentSettings().sessionPath);
    if (source.isEmpty() || !QFileInfo::exists(source))
        return fail(tr("There is no session file yet: sessions are written by detection runs "
                       "(set the session path in the Run panel)."));
    if (controller_->isBusy())
        return fail(tr("Pause or stop the run first."));
    if (QFileInfo(source).absoluteFilePath() != QFileInfo(documentPath_).absoluteFilePath()) {
        const QString question = tr("The window shows %1, but the session file is %2, which holds other "
                                    "results. Save %2 anyway?")
                                     .arg(documentPath_.isEmpty() ? tr("no document") : QFileInfo(documentPath_).fileName(),
                                          QFileInfo(source).fileName());
        const bool yes = confirm_ ? confirm_(question)
                                  : QMessageBox::question(this, tr("Save session"), question) == QMessageBox::Yes;
        if (!yes)
            return fail(QString());
    }
    QString dest = source;
    if (!target.isEmpty() && QFileInfo(target).absoluteFilePath() != QFileInfo(source).absoluteFilePath()) {
        QFile::remove(target);
        if (!QFile::copy(source, target))
            return fail(tr("Could not write %1").arg(target));
        dest = target;
    }
    // The view belongs to the document on screen; another session gets no view state of it.
    const bool shown = QFileInfo(source).absoluteFilePath() == QFileInfo(documentPath_).absoluteFilePath();
    if (shown && !saveViewState(*analysis_, dest, error))
        return false;
    if (shown) // the scores on screen go into the session's metrics; a session that cannot be written says so in the log
        scoreKeeper_->store(dest);
    if (dest != source) {
        sessionPath_ = dest;
        if (shown) {
            documentPath_ = dest;
            if (documentSettings_) // the document is now the copy: exports read its samples
                documentSettings_->sessionPath = dest.toStdString();
        }
        runPanel_->setSessionPath(dest);
        recent_->add(dest);
    }
    return true;
}

void MainWindow::saveSessionAs()
{
    const QString start = !sessionPath_.isEmpty() ? sessionPath_
                                                  : QString::fromStdString(runPanel_->currentSettings().sessionPath);
    const QString target = QFileDialog::getSaveFileName(this, tr("Save session as"), start,
                                                        tr("Sessions (*.hsession *.sqlite)"));
    if (target.isEmpty())
        return;
    QString error;
    if (!saveSession(target, &error) && !error.isEmpty())
        QMessageBox::warning(this, tr("Save session"), error);
}

void MainWindow::exportReportWithDialog()
{
    if (!analysis_->hasData()) {
        QMessageBox::information(this, tr("Export report"), tr("Open a feature log or session, or run detection first."));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(this, tr("Export report"), "halluscope-report.html",
                                                      tr("HTML report (*.html);;PDF report (*.pdf)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportReport(path, &error))
        QMessageBox::warning(this, tr("Export report"), error);
    else
        statusBar()->showMessage(tr("Report written to %1").arg(path), 8000);
}

void MainWindow::exportScoresWithDialog()
{
    if (!analysis_->hasData())
        return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export scores"), "halluscope-scores.csv",
                                                      tr("CSV (*.csv);;JSON (*.json)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportReport(path, &error))
        QMessageBox::warning(this, tr("Export scores"), error);
}

} // namespace hs::ui
