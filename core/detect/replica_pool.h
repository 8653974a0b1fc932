#pragma once
// Work items 0..n-1 done by several workers (one thread each, e.g. one per model replica) that take them
// from one queue in order, and handed back to the calling thread in item order — so one writer sees
// exactly the sequence a single worker would produce, whatever the number of workers. Torch-free.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace hs::detect {

template <class Result>
class ReplicaPool {
public:
    // work(worker, item) runs on worker `worker`'s thread; start(worker) first, once, on that thread.
    // At most `ahead` items beyond the one the caller waits for are in flight or buffered.
    ReplicaPool(std::size_t workers, std::size_t items, std::function<Result(std::size_t, std::size_t)> work,
                std::function<void(std::size_t)> start, const std::atomic<bool>& cancelled)
        : items_(items), ahead_(2 * workers), work_(std::move(work)), start_(std::move(start)), cancelled_(cancelled)
    {
        for (std::size_t w = 0; w < workers; ++w) threads_.emplace_back([this, w] { loop(w); });
    }
    ~ReplicaPool()
    {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stopping_ = true;
        }
        changed_.notify_all();
        for (auto& t : threads_) t.join();
    }
    ReplicaPool(const ReplicaPool&) = delete;
    ReplicaPool& operator=(const ReplicaPool&) = delete;

    // Blocks for the next item in order. False once every item is handed out, or when the run was
    // cancelled and the next item was never started. Rethrows the first exception of a worker.
    bool next(Result& out)
    {
        std::unique_lock<std::mutex> lock(mutex_);
        waitFor(lock, [&] { return error_ || done_.count(delivered_) || delivered_ >= items_ || noMoreWork(); });
        if (error_) std::rethrow_exception(error_);
        auto it = done_.find(delivered_);
        if (it == done_.end()) return false;
        out = std::move(it->second);
        done_.erase(it);
        ++delivered_;
        changed_.notify_all();  // a worker may wait for room ahead
        return true;
    }

private:
    // Cancellation is a flag set without the lock: poll it as well as waiting for a notification.
    template <class Pred>
    void waitFor(std::unique_lock<std::mutex>& lock, Pred pred)
    {
        while (!pred()) changed_.wait_for(lock, std::chrono::milliseconds(50));
    }

    // Nothing more will arrive for the item the caller waits for (it was never taken).
    bool noMoreWork() const { return (stopping_ || cancelled_ || error_) && taken_ <= delivered_ && running_ == 0; }

    void loop(std::size_t worker)
    {
        try {
            if (start_) start_(worker);
        } catch (...) {
            fail(std::current_exception());
            return;
        }
        while (true) {
            std::size_t item;
            {
                std::unique_lock<std::mutex> lock(mutex_);
                waitFor(lock, [&] { return stopping_ || error_ || cancelled_ || taken_ >= items_ || taken_ < delivered_ + ahead_; });
                if (stopping_ || error_ || cancelled_ || taken_ >= items_) {
                    changed_.notify_all();
                    return;
                }
                item = taken_++;
                ++running_;
            }
            try {
                Result r = work_(worker, item);
                std::lock_guard<std::mutex> lock(mutex_);
                done_.emplace(item, std::move(r));
                --running_;
            } catch (...) {
                {
                    std::lock_guard<std::mutex> lock(mutex_);
                    --running_;
                }
                fail(std::current_exception());
                return;
            }
            changed_.notify_all();
        }
    }

    void fail(std::exception_ptr e)
    {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!error_) error_ = e;
        }
        changed_.notify_all();
    }

    const std::size_t items_, ahead_;
    std::function<Result(std::size_t, std::size_t)> work_;
    std::function<void(std::size_t)> start_;
    const std::atomic<bool>& cancelled_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::size_t, Result> done_;
    std::size_t taken_ = 0, delivered_ = 0, running_ = 0;
    bool stopping_ = false;
    std::exception_ptr error_;
    std::vector<std::thread> threads_;
};

} // namespace hs::detect
