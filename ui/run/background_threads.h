#pragma once
// How the GUI keeps its own thread responsive while background work uses the machine: workers
// (detection, inspector, scoring, loading) run at a lower scheduling priority than the GUI thread,
// and the model's CPU threads leave the GUI one core. One place for this policy.
#include <QFuture>
#include <QThreadPool>
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

// The pool that background work runs on: ours, not QThreadPool::globalInstance(). Qt's raster paint
// engine splits large fills and image conversions over the global pool and the GUI thread waits for
// them; when background work had lowered those threads' priority, painting waited on starved threads
// whenever the machine was busy (stalls of 100-600 ms, tests/ui/test_responsiveness.cpp).
QThreadPool* backgroundPool();

// QtConcurrent::run at background priority, on backgroundPool().
template <class F, class... Args>
auto runInBackground(F&& f, Args&&... args)
{
    return QtConcurrent::run(backgroundPool(), [f = std::forward<F>(f)](auto&&... a) {
        lowerCurrentThreadPriority();
        return std::invoke(f, std::forward<decltype(a)>(a)...);
    }, std::forward<Args>(args)...);
}

} // namespace hs::ui
