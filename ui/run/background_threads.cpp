#include "ui/run/background_threads.h"

#include <QByteArray>
#include <QThread>
#include <QtGlobal>

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

void leaveTheGuiACore()
{
    if (qEnvironmentVariableIsSet("HS_CPU_THREADS"))
        return;
    qputenv("HS_CPU_THREADS", QByteArray::number(std::max(1, QThread::idealThreadCount() - 1)));
}

} // namespace hs::ui
