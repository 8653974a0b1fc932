#pragma once
// The Attention panel's inspector: any (layer, head) of the current sample at token resolution,
// computed on demand on a worker thread by one long-lived detect::EngineService. The model is
// loaded at the first request and kept for every later one (reloaded only when another model,
// device or dtype is asked for). The GUI thread never touches the model.
#include "ui/run/detection_types.h"
#include "ui/models/sample_catalog.h"

#include "core/detect/engine_service.h"

#include <QObject>

#include <optional>

class QThread;

namespace hs::ui {

class AttentionInspector : public QObject {
    Q_OBJECT
public:
    explicit AttentionInspector(QObject* parent = nullptr);
    ~AttentionInspector() override; // waits for a request in flight

    // `settings` supplies model folder, device and dtype. False (with `failed`) when the sample
    // lacks prompt or response or there is no model. While a request runs, the newest waits and
    // starts after it (older waiting ones are dropped).
    bool request(const detect::RunSettings& settings, const SampleInfo& sample, int layer, int head);
    bool isBusy() const { return busy_; }
    // Rows asked for per request (the first response tokens); the panel says so when it cuts.
    static constexpr int kMaxRows = 512;

Q_SIGNALS:
    void ready(const QString& sampleId, const hs::detect::TokenAttention& attention);
    void failed(const QString& message);

private:
    struct Request {
        detect::EngineOptions engine;
        data::Sample sample;
        int layer = -1, head = -1;
    };
    void launch(Request r);
    void onDone();

    QThread* thread_;
    QObject* worker_; // lives on thread_; owns the EngineService through its context
    std::shared_ptr<std::unique_ptr<detect::EngineService>> engine_; // touched only on thread_
    std::optional<Request> waiting_;
    bool busy_ = false;
};

} // namespace hs::ui
