#include "ui/run/detection_controller.h"

#include "ui/run/background_threads.h"
#include "ui/run/detection_worker.h"

#include <QThread>

namespace hs::ui {

void registerDetectionMetaTypes()
{
    qRegisterMetaType<hs::results::SampleResult>();
    qRegisterMetaType<std::vector<hs::results::SampleResult>>();
    qRegisterMetaType<hs::results::AttentionSummary>();
    qRegisterMetaType<hs::detect::Progress>();
    qRegisterMetaType<hs::detect::RunSummary>();
    qRegisterMetaType<hs::detect::RunSettings>();
    qRegisterMetaType<hs::ui::DetectionController::State>();
}

DetectionController::DetectionController(QObject* parent, DetectionRunnerFactory factory)
    : QObject(parent), factory_(std::move(factory))
{
    registerDetectionMetaTypes();
    leaveTheGuiACore();
    thread_ = new QThread(this);
    thread_->setObjectName("hs-detection");
    worker_ = new DetectionWorker;
    worker_->moveToThread(thread_);
    connect(thread_, &QThread::finished, worker_, &QObject::deleteLater);

    // Worker → controller: queued because the two live on different threads.
    connect(worker_, &DetectionWorker::planned, this, &DetectionController::planned);
    connect(worker_, &DetectionWorker::runStarted, this, &DetectionController::runStarted);
    connect(worker_, &DetectionWorker::samplesDone, this, [this](const std::vector<results::SampleResult>& batch) {
        Q_EMIT samplesDone(batch);
        for (const results::SampleResult& r : batch)
            Q_EMIT sampleDone(r);
    });
    connect(worker_, &DetectionWorker::progress, this, [this](const detect::Progress& p) {
        lastProgress_ = p;
        Q_EMIT progress(p);
    });
    connect(worker_, &DetectionWorker::warning, this, &DetectionController::warning);
    connect(worker_, &DetectionWorker::error, this, &DetectionController::error);
    connect(worker_, &DetectionWorker::failed, this, [this](const QString& m) { failure_ = m; });
    connect(worker_, &DetectionWorker::finished, this, &DetectionController::onWorkerFinished);
    thread_->start();
}

DetectionController::~DetectionController()
{
    if (runner_)
        runner_->cancel();
    thread_->quit();
    thread_->wait();
}

void DetectionController::start(const detect::RunSettings& settings)
{
    if (isBusy())
        return;
    settings_ = settings;
    launch();
}

void DetectionController::launch()
{
    lastProgress_ = {};
    failure_.clear();
    runner_ = std::shared_ptr<DetectionRunner>(factory_(settings_));
    setState(State::Running);
    std::shared_ptr<DetectionRunner> runner = runner_;
    QMetaObject::invokeMethod(worker_, [w = worker_, runner] { w->run(runner); }, Qt::QueuedConnection);
}

void DetectionController::pause()
{
    if (state_ != State::Running)
        return;
    setState(State::Pausing);
    runner_->cancel();
}

void DetectionController::resume()
{
    if (state_ != State::Paused)
        return;
    launch();
}

void DetectionController::stop()
{
    if (state_ == State::Paused) { // nothing in flight: forget the paused run
        setState(State::Idle);
        return;
    }
    if (state_ != State::Running && state_ != State::Pausing)
        return;
    setState(State::Stopping);
    runner_->cancel();
}

void DetectionController::onWorkerFinished(const detect::RunSummary& summary)
{
    runner_.reset();
    setState(state_ == State::Pausing && failure_.isEmpty() ? State::Paused : State::Idle);
    if (!failure_.isEmpty())
        Q_EMIT runFailed(failure_);
    Q_EMIT finished(summary);
}

void DetectionController::setState(State s)
{
    if (s == state_)
        return;
    state_ = s;
    Q_EMIT stateChanged(s);
}

} // namespace hs::ui
