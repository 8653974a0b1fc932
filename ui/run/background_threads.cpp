#include "ui/run/background_threads.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QPointer>
#include <QThread>
#include <QtGlobal>

#include <algorithm>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace hs::ui {

namespace {
constexpr int kBackgroundNice = 10;
}

void lowerCurrentThreadPriority()
{
#ifdef Q_OS_LINUX
    // On Linux, setpriority on a thread id sets that thread's nice value (QThread::LowPriority does
    // nothing under the default SCHED_OTHER policy).
    const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    if (::getpriority(PRIO_PROCESS, tid) < kBackgroundNice)
        ::setpriority(PRIO_PROCESS, tid, kBackgroundNice);
#endif
}

QThreadPool* backgroundPool()
{
    // Owned by the application, whose destruction waits for the pool's tasks (as it does for the global
    // pool's), so nothing runs on after the objects it uses are gone.
    static QPointer<QThreadPool> pool;
    if (!pool) {
        pool = new QThreadPool(QCoreApplication::instance());
        pool->setMaxThreadCount(std::max(2, QThread::idealThreadCount()));
    }
    return pool;
}

void leaveTheGuiACore()
{
    if (qEnvironmentVariableIsSet("HS_CPU_THREADS"))
        return;
    qputenv("HS_CPU_THREADS", QByteArray::number(std::max(1, QThread::idealThreadCount() - 1)));
}

} // namespace hs::ui
