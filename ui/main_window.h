#pragma once
// The HalluScope main window: menus, dockable panels, drag and drop, loading documents off the
// GUI thread, and saving the window layout between runs. Panels talk to each other only through
// AnalysisState (scores, threshold) and the DetectionController (live runs).
#include "ui/utils/document_loader.h"

#include "core/detect/detector.h"

#include <QMainWindow>
#include <QPointer>

#include <functional>
#include <optional>

class QDockWidget;
class QLabel;
class QMenu;
class QSystemTrayIcon;

namespace hs::ui {

class AnalysisState;
class AttentionInspector;
class AttentionPanel;
class DetectionController;
class HeadsPanel;
class LivePanel;
class LogPanel;
class RecentFiles;
class RunCollector;
class RunPanel;
class SamplesPanel;
class SessionScoreKeeper;
class ThresholdPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens a dataset, model folder, session or feature log. Everything loads on a worker thread;
    // documentLoaded or loadFailed follows, unless a later open or a run began a newer document
    // first (the load is then dropped with a note in the log; see overtaken()).
    void openPath(const QString& path);
    bool isLoading() const { return pendingLoads_ > 0; }
    // Prepares a run of the built-in demo (model, dataset, copy heads, a session in the user's data
    // folder) and opens that session when an earlier demo run left one. False when there is no demo.
    bool openDemo();

    // Saves the session of the current document with the view (threshold, scorer, selection; see
    // session_view_state.h): to `target` as a copy, or in place when `target` is empty. When the
    // session file is not the document on screen it asks first (confirm handler). False with a
    // reason when there is nothing to save, a run is writing, the user declined, or writing failed.
    bool saveSession(const QString& target = {}, QString* error = nullptr);
    // Asks a yes/no question; a QMessageBox by default, replaced by tests.
    void setConfirmHandler(std::function<bool(const QString&)> confirm) { confirm_ = std::move(confirm); }

    // Writes a report; the format follows the suffix (.html, .pdf, .csv, .json).
    bool exportReport(const QString& path, QString* error = nullptr);
    // Every plot of every panel into `folder`: NAME.png (2×) and NAME.csv (its data). Returns how
    // many plots were written; -1 with a reason when the folder cannot be written.
    int exportAllPlots(const QString& folder, QString* error = nullptr);
    // Brings a panel to the front by its short name ("heads", "attention", ...); false if unknown.
    bool raisePanel(const QString& name);
    // Renders the whole window to a PNG (for --screenshot and the docs).
    bool saveScreenshot(const QString& path);

    // The current document, as Wireshark has one capture file: the feature log, session or run
    // whose numbers every panel shows (empty before anything was opened or run).
    const QString& documentPath() const { return documentPath_; }
    // The run settings that belong to the current document (a session's or a run's); none for a
    // feature log. Reports list these, never the Run form's unrelated entries.
    const std::optional<detect::RunSettings>& documentSettings() const { return documentSettings_; }

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
    AttentionInspector* attentionInspector() const { return inspector_; }

Q_SIGNALS:
    void documentLoaded(const QString& path);
    void loadFailed(const QString& path, const QString& message);
    // A long run ended while the window was in the background: the user was told (alert, tray).
    void notified(const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    // Extra width goes to the plots: a window resize keeps the left column (Run, Samples) as wide as
    // it was and gives the difference to the plot docks.
    bool eventFilter(QObject* watched, QEvent* event) override;
    void showEvent(QShowEvent* event) override; // the first show lays the default docks out at the window's size
    void resizeEvent(QResizeEvent* event) override;

private:
    void createPanels();
    void createMenus();
    void connectDetection();
    QDockWidget* addPanel(QWidget* panel, const QString& title, const QString& objectName,
                          Qt::DockWidgetArea area, const QKeySequence& shortcut);
    void applyDocument(const LoadedDocument& doc);
    // Replaces every panel's state for a new current document (one signal, no stale panel).
    void beginDocument(const QString& path, std::optional<detect::RunSettings> settings);
    void openWithDialog(DocumentKind kind);
    void saveSessionAs();
    void exportReportWithDialog();
    void exportScoresWithDialog();
    void showSample(const QString& id);
    void notifyIfInBackground(const QString& message, double runSeconds);
    void updateTitleAndStatus();
    void restoreLayout();
    void resetLayout(); // the default dock layout, at once, and forgets the saved one
    void showShortcuts();
    void saveLayout();

    AnalysisState* analysis_ = nullptr;
    DetectionController* controller_ = nullptr;
    RunCollector* collector_ = nullptr;
    AttentionInspector* inspector_ = nullptr;
    SessionScoreKeeper* scoreKeeper_ = nullptr;
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
    QLabel* runState_ = nullptr; // "Run failed" until the next run starts
    QSystemTrayIcon* tray_ = nullptr;
    QDockWidget* leftColumnDock() const; // a docked, shown Run, Samples or Log dock on the left
    QPointer<QDockWidget> heldDock_;      // held at its width during a window resize
    int heldMinimumWidth_ = 0;
    bool layoutRestored_ = false, shown_ = false;
    QByteArray defaultState_; // the dock layout as built, for Reset Layout
    QString sessionPath_;
    QString documentPath_;
    std::function<bool(const QString&)> confirm_;
    std::optional<detect::RunSettings> documentSettings_;
    int pendingLoads_ = 0;
    // The newest intent wins: each open takes a ticket, and a document (an opened one, or a run
    // from nothing) records the ticket it began with. A load that finishes after a later document
    // began was overtaken and must not replace it (a dataset opened just before Run, say).
    quint64 lastTicket_ = 0;
    quint64 documentTicket_ = 0;
    bool overtaken(const LoadedDocument& doc, quint64 ticket);
};

} // namespace hs::ui
