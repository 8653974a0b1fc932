#pragma once
// The Run panel: dataset / model / session paths, hardware profile and method settings, the
// Run / Pause / Stop actions, and live progress (done/total, samples/min, ETA, memory).
#include "ui/run/detection_controller.h"
#include "ui/run/hardware_catalog.h"

#include <QList>
#include <QWidget>

class QAction;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QProgressBar;
class QDoubleSpinBox;
class QSpinBox;

namespace hs::ui {

class RunPanel : public QWidget {
    Q_OBJECT
public:
    explicit RunPanel(DetectionController* controller, QWidget* parent = nullptr);

    detect::RunSettings currentSettings() const;
    void setDatasetPath(const QString& path);
    void setModelDir(const QString& path);
    void setSessionPath(const QString& path);
    void setCopyHeadsFile(const QString& path);
    void setLimit(int samples); // 0 = all
    void setLevel(const QString& level); // "token" | "chunk"
    void setMode(const QString& mode);   // "reference" | "clean"
    // Fills the fields from a session's stored run settings (JSON), so Run resumes that run.
    void applySessionSettings(const QString& settingsJson);
    void saveSettings() const; // remembered between runs (QSettings)

    QAction* runAction() const { return runAction_; }
    QAction* pauseAction() const { return pauseAction_; }
    QAction* stopAction() const { return stopAction_; }
    QProgressBar* progressBar() const { return progressBar_; }
    QString progressText() const;

private:
    QWidget* createPathsBox();
    QWidget* createMethodBox();
    QWidget* createProgressBox();
    QLineEdit* pathRow(QFormLayout* form, const QString& label, const QString& tip, bool folder,
                       const QString& filter);
    void startRun();
    void onStateChanged(DetectionController::State state);
    void onProgress(const detect::Progress& p);
    void updatePlan();           // the planner's placement, budget and predicted peak for the form
    void updateCustomFields();   // GPU count and memory: editable for the custom profile, when idle
    HardwareChoice hardwareChoice() const;
    void loadSettings();
    void detectGpusInBackground();

    DetectionController* controller_;
    std::vector<std::pair<int, int>> sessionCopyHeads_; // from a session, when no copy-head file is given
    int promptCharLimit_ = -1;                          // from a session; -1: by mode (RunSettings)
    QLineEdit* dataset_ = nullptr;
    QLineEdit* model_ = nullptr;
    QLineEdit* session_ = nullptr;
    QLineEdit* copyHeads_ = nullptr;
    QLineEdit* layers_ = nullptr;
    QComboBox* profile_ = nullptr;
    QSpinBox* customGpus_ = nullptr;          // profile "custom": GPU count
    QDoubleSpinBox* customMemory_ = nullptr;  // profile "custom": GB per GPU
    QComboBox* quant_ = nullptr;              // weight format; "" = the profile's
    QComboBox* level_ = nullptr;
    QComboBox* mode_ = nullptr;
    QSpinBox* limit_ = nullptr;
    QLabel* gpus_ = nullptr;
    QLabel* plan_ = nullptr;
    QProgressBar* progressBar_ = nullptr;
    QLabel* rate_ = nullptr;
    QLabel* eta_ = nullptr;
    QLabel* memory_ = nullptr;
    QAction* runAction_ = nullptr;
    QAction* pauseAction_ = nullptr;
    QAction* stopAction_ = nullptr;
};

} // namespace hs::ui
