#include "ui/plots/replot_scheduler.h"

#include "ui/plots/qcustomplot_include.h"

#include <QDateTime>

namespace hs::ui {

namespace {
constexpr int kTickMs = 8;
constexpr qint64 kMinIntervalMs = 40; // 25 Hz per plot
constexpr const char* kLastReplot = "hsLastReplotMs";
} // namespace

ReplotScheduler& ReplotScheduler::instance()
{
    static ReplotScheduler* scheduler = new ReplotScheduler; // lives as long as the GUI thread
    return *scheduler;
}

ReplotScheduler::ReplotScheduler()
{
    timer_.setInterval(kTickMs);
    connect(&timer_, &QTimer::timeout, this, &ReplotScheduler::tick);
}

void ReplotScheduler::request(QCustomPlot* plot)
{
    for (const QPointer<QCustomPlot>& p : queue_)
        if (p == plot)
            return; // already waiting: bursts collapse into one replot
    queue_.emplace_back(plot);
    if (!timer_.isActive())
        timer_.start();
}

void ReplotScheduler::tick()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (auto it = queue_.begin(); it != queue_.end(); ++it) {
        QCustomPlot* plot = *it;
        if (!plot) {
            queue_.erase(it);
            return;
        }
        if (now - plot->property(kLastReplot).toLongLong() < kMinIntervalMs)
            continue;
        queue_.erase(it);
        plot->setProperty(kLastReplot, now);
        plot->replot(QCustomPlot::rpQueuedRefresh);
        return; // one plot per tick
    }
    if (queue_.empty())
        timer_.stop();
}

} // namespace hs::ui
