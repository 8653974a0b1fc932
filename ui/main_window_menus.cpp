// MainWindow's menus and the file dialogs behind them (the window's layout and loading live in
// main_window.cpp).
#include "ui/main_window.h"

#include "ui/analysis_state.h"
#include "ui/detection_controller.h"
#include "ui/heads_panel.h"
#include "ui/recent_files.h"
#include "ui/run_panel.h"
#include "ui/session_view_state.h"
#include "ui/threshold_panel.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
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
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = analysis_->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = analysis_->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addActions({undo, redo});

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    run->addActions(runPanel_->actions());

    QMenu* analysisMenu = menuBar()->addMenu(tr("&Analysis"));
    analysisMenu->addActions(thresholdPanel_->actions());
    analysisMenu->addActions(headsPanel_->actions());

    viewMenu_ = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        viewMenu_->addAction(dock->toggleViewAction());
    viewMenu_->addSeparator();
    viewMenu_->addAction(tr("&Reset Layout"), this, [this] {
        QSettings().remove("mainWindow");
        QMessageBox::information(this, tr("Layout"), tr("The default layout is used at the next start."));
    });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About HalluScope"), this, [this] {
        QMessageBox::about(this, tr("About HalluScope"),
            tr("<b>HalluScope %1</b><p>Detects hallucinations in retrieval-augmented generation with "
               "ReDeEP's external-context and parametric-knowledge scores.</p>")
                .arg(QApplication::applicationVersion()));
    });
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
    if (dest != source) {
        sessionPath_ = dest;
        if (shown)
            documentPath_ = dest;
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
