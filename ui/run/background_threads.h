#pragma once
// How the GUI keeps its own thread responsive while background work uses the machine: workers
// (detection, inspector, scoring, loading) run at a lower scheduling priority than the GUI thread,
// and the model's CPU threads leave the GUI one core. One place for this policy.
#include <QFuture>
#include <QtConcurrent/QtConcurrentRun>

#include <functional>
#include <utility>

namespace hs::ui {

// Lowers the calling thread's priority (Linux: nice +10 for this thread only; threads it starts
// later, such as torch's CPU pool, inherit it). Idempotent; a no-op where unsupported.
void lowerCurrentThreadPriority();

// Sets $HS_CPU_THREADS (the model's CPU threads, core/model LoadOptions) to one less than the
// cores, unless the user set it. Call before the first model is loaded.
void leaveTheGuiACore();

// QtConcurrent::run at background priority.
template <class F, class... Args>
auto runInBackground(F&& f, Args&&... args)
{
    return QtConcurrent::run([f = std::forward<F>(f)](auto&&... a) {
        lowerCurrentThreadPriority();
        return std::invoke(f, std::forward<decltype(a)>(a)...);
    }, std::forward<Args>(args)...);
}

} // namespace hs::ui
