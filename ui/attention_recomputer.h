#pragma once
// Recomputes one attention head for one finished sample, on a worker thread, when the head was not
// captured during the run. It writes the sample back out as a one-record RAGTruth dataset (prompt,
// response, labels, chunk spans), and runs the Detector on it with that head as the only copy head
// (same model, level and mode), through its own DetectionController. The GUI thread never touches
// the model.
#include "ui/detection_controller.h"
#include "ui/sample_catalog.h"

#include <QObject>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace hs::ui {

class AttentionRecomputer : public QObject {
    Q_OBJECT
public:
    explicit AttentionRecomputer(QObject* parent = nullptr, DetectionRunnerFactory factory = &makeDetectorRunner);

    bool isBusy() const { return controller_->isBusy(); }
    // `base` supplies model, level, mode, profile. False (with `failed`) when the sample lacks the
    // text needed to rebuild it or the head is outside the model. While one recomputation runs, the
    // newest request waits and starts after it (older waiting ones are dropped).
    bool request(const detect::RunSettings& base, const SampleInfo& sample, int layer, int head);

Q_SIGNALS:
    void ready(const QString& sampleId, const hs::detect::AttentionSummary& summary);
    void failed(const QString& message);

private:
    struct Request {
        detect::RunSettings base;
        SampleInfo sample;
        int layer = -1, head = -1;
    };
    bool validate(const Request& r);
    void launch(const Request& r);
    bool writeDataset(const SampleInfo& sample, const QString& folder, QString* error) const;

    DetectionController* controller_;
    std::unique_ptr<QTemporaryDir> work_;
    QString sampleId_;
    int layer_ = -1, head_ = -1;
    bool gotIt_ = false;
    std::optional<Request> waiting_;
};

} // namespace hs::ui
