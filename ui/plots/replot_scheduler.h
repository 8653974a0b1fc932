#pragma once
// Spreads plot repaints over time. Every plot asks for a replot when its data changes; the
// scheduler repaints each dirty plot at most 25 times a second and at most one plot per 8 ms
// tick, so a burst that dirties every plot at once never costs one long event-loop iteration.
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <deque>

class QCustomPlot;

namespace hs::ui {

class ReplotScheduler : public QObject {
public:
    static ReplotScheduler& instance();
    void request(QCustomPlot* plot);

private:
    ReplotScheduler();
    void tick();

    QTimer timer_;
    std::deque<QPointer<QCustomPlot>> queue_;
};

} // namespace hs::ui
