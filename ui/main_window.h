#pragma once
// The HalluScope main window: menus, dockable panels, drag and drop, loading documents off the
// GUI thread, and saving the window layout between runs. Panels talk to each other only through
// AnalysisState (scores, threshold) and the DetectionController (live runs).
#include "ui/document_loader.h"

#include <QMainWindow>
#include <QPointer>

class QDockWidget;
class QLabel;
class QMenu;

namespace hs::ui {

class AnalysisState;
class AttentionRecomputer;
class AttentionPanel;
class DetectionController;
class HeadsPanel;
class LivePanel;
class LogPanel;
class RecentFiles;
class RunCollector;
class RunPanel;
class SamplesPanel;
class ThresholdPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens a dataset, model folder, session or feature log. Feature logs and sessions load on a
    // worker thread; documentLoaded or loadFailed follows.
    void openPath(const QString& path);
    bool isLoading() const { return pendingLoads_ > 0; }
    // Prepares a run of the built-in demo (model, dataset, copy heads, a session in the user's data
    // folder) and opens that session when an earlier demo run left one. False when there is no demo.
    bool openDemo();

    // Writes a report; the format follows the suffix (.html, .pdf, .csv, .json).
    bool exportReport(const QString& path, QString* error = nullptr);
    // Brings a panel to the front by its short name ("heads", "attention", ...); false if unknown.
    bool raisePanel(const QString& name);
    // Renders the whole window to a PNG (for --screenshot and the docs).
    bool saveScreenshot(const QString& path);

    AnalysisState* analysis() const { return analysis_; }
    DetectionController* controller() const { return controller_; }
    ThresholdPanel* thresholdPanel() const { return thresholdPanel_; }
    HeadsPanel* headsPanel() const { return headsPanel_; }
    SamplesPanel* samplesPanel() const { return samplesPanel_; }
    RunPanel* runPanel() const { return runPanel_; }
    LivePanel* livePanel() const { return livePanel_; }
    AttentionPanel* attentionPanel() const { return attentionPanel_; }
    LogPanel* logPanel() const { return logPanel_; }
    RunCollector* runCollector() const { return collector_; }
    AttentionRecomputer* attentionRecomputer() const { return recomputer_; }

Q_SIGNALS:
    void documentLoaded(const QString& path);
    void loadFailed(const QString& path, const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createPanels();
    void createMenus();
    void connectDetection();
    QDockWidget* addPanel(QWidget* panel, const QString& title, const QString& objectName,
                          Qt::DockWidgetArea area, const QKeySequence& shortcut);
    void applyDocument(const LoadedDocument& doc);
    void openWithDialog(DocumentKind kind);
    void saveSessionAs();
    void exportReportWithDialog();
    void exportScoresWithDialog();
    void showSample(const QString& id);
    void updateTitleAndStatus();
    void restoreLayout();
    void saveLayout();

    AnalysisState* analysis_ = nullptr;
    DetectionController* controller_ = nullptr;
    RunCollector* collector_ = nullptr;
    AttentionRecomputer* recomputer_ = nullptr;
    ThresholdPanel* thresholdPanel_ = nullptr;
    HeadsPanel* headsPanel_ = nullptr;
    SamplesPanel* samplesPanel_ = nullptr;
    RunPanel* runPanel_ = nullptr;
    LivePanel* livePanel_ = nullptr;
    AttentionPanel* attentionPanel_ = nullptr;
    LogPanel* logPanel_ = nullptr;
    RecentFiles* recent_ = nullptr;
    QMenu* viewMenu_ = nullptr;
    QLabel* statusSummary_ = nullptr;
    QString sessionPath_;
    int pendingLoads_ = 0;
};

} // namespace hs::ui
