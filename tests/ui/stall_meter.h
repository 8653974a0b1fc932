#pragma once
// Measures how long the GUI event loop goes without turning: a 5 ms timer records the largest gap
// between its ticks. A gap over 100 ms is a stall a user would feel.
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace hs::uitest {

class StallMeter : public QObject {
public:
    StallMeter()
    {
        timer_.setInterval(5);
        connect(&timer_, &QTimer::timeout, this, [this] {
            const qint64 now = clock_.elapsed();
            worst_ = std::max(worst_, now - last_);
            last_ = now;
            ++ticks_;
        });
    }
    void start()
    {
        worst_ = 0;
        ticks_ = 0;
        clock_.start();
        last_ = 0;
        timer_.start();
    }
    void stop() { timer_.stop(); }
    qint64 worstGapMs() const { return worst_; }
    int ticks() const { return ticks_; }

private:
    QTimer timer_;
    QElapsedTimer clock_;
    qint64 last_ = 0, worst_ = 0;
    int ticks_ = 0;
};

} // namespace hs::uitest
