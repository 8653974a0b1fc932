#include "ui/run/attention_inspector.h"

#include "ui/run/background_threads.h"

#include <QThread>

#include <exception>

namespace hs::ui {

namespace {
// SampleInfo keeps byte offsets for gold spans; the engine needs only the texts.
data::Sample toSample(const SampleInfo& info)
{
    data::Sample s;
    s.id = info.id.toStdString();
    s.taskType = info.taskType.toStdString();
    s.prompt = info.prompt.toStdString();
    s.response = info.response.toStdString();
    return s;
}
} // namespace

AttentionInspector::AttentionInspector(QObject* parent)
    : QObject(parent), thread_(new QThread(this)), worker_(new QObject),
      engine_(std::make_shared<std::unique_ptr<detect::EngineService>>())
{
    qRegisterMetaType<hs::detect::TokenAttention>();
    leaveTheGuiACore();
    thread_->setObjectName("hs-inspector");
    worker_->moveToThread(thread_);
    connect(thread_, &QThread::finished, worker_, &QObject::deleteLater);
    thread_->start();
}

AttentionInspector::~AttentionInspector()
{
    // The engine is released on the worker thread, where it was made.
    QMetaObject::invokeMethod(worker_, [engine = engine_] { engine->reset(); }, Qt::QueuedConnection);
    thread_->quit();
    thread_->wait();
}

bool AttentionInspector::request(const detect::RunSettings& settings, const SampleInfo& sample, int layer, int head)
{
    if (sample.prompt.isEmpty() || sample.response.isEmpty() || settings.modelDir.empty()) {
        Q_EMIT failed(tr("Sample %1 cannot be inspected: its prompt, response or the model is unknown").arg(sample.id));
        return false;
    }
    Request r;
    r.engine.modelDir = settings.modelDir;
    if (!settings.device.empty())
        r.engine.device = settings.device;
    if (!settings.dtype.empty())
        r.engine.dtype = settings.dtype;
    r.sample = toSample(sample);
    r.layer = layer;
    r.head = head;
    if (busy_)
        waiting_ = std::move(r);
    else
        launch(std::move(r));
    return true;
}

void AttentionInspector::launch(Request r)
{
    busy_ = true;
    QMetaObject::invokeMethod(worker_, [this, engine = engine_, r = std::move(r)] {
        lowerCurrentThreadPriority();
        try {
            const auto& o = engine->get() ? (*engine)->options() : detect::EngineOptions{};
            if (!*engine || o.modelDir != r.engine.modelDir || o.device != r.engine.device || o.dtype != r.engine.dtype)
                *engine = std::make_unique<detect::EngineService>(r.engine); // the one load per model
            const detect::TokenAttention a = (*engine)->attention(r.sample, r.layer, r.head, kMaxRows);
            const QString id = QString::fromStdString(r.sample.id);
            QMetaObject::invokeMethod(this, [this, id, a] {
                Q_EMIT ready(id, a);
                onDone();
            }, Qt::QueuedConnection);
        } catch (const std::exception& e) {
            const QString message = QString::fromStdString(e.what());
            QMetaObject::invokeMethod(this, [this, message] {
                Q_EMIT failed(message);
                onDone();
            }, Qt::QueuedConnection);
        }
    }, Qt::QueuedConnection);
}

void AttentionInspector::onDone()
{
    busy_ = false;
    if (waiting_) {
        Request next = std::move(*waiting_);
        waiting_.reset();
        launch(std::move(next));
    }
}

} // namespace hs::ui
