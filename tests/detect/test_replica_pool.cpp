// ReplicaPool: items done by several workers come back in item order, each once; a worker's exception
// reaches the caller; cancellation stops taking items but hands back every item already started, in order.
#include "core/detect/replica_pool.h"

#include <doctest/doctest.h>

#include <chrono>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

using hs::detect::ReplicaPool;

namespace {
struct Done {
    std::size_t item = 0, worker = 0;
};
} // namespace

TEST_CASE("items come back in order, each once, whichever worker finishes first")
{
    std::atomic<bool> cancelled{false};
    std::set<std::size_t> started;
    std::mutex m;
    // Item 0 waits until another worker has finished a later item, so results do arrive out of order.
    std::atomic<int> laterDone{0};
    std::size_t expected = 0;
    std::set<std::size_t> workers;
    {
    ReplicaPool<Done> pool(
        3, 30,
        [&](std::size_t w, std::size_t i) {
            const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
            while (i == 0 && laterDone == 0 && std::chrono::steady_clock::now() < give_up)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            if (i > 0) ++laterDone;
            return Done{i, w};
        },
        [&](std::size_t w) { std::lock_guard<std::mutex> lock(m); started.insert(w); }, cancelled);
    Done d;
    while (pool.next(d)) {
        CHECK(d.item == expected++);
        workers.insert(d.worker);
    }
    }  // the pool joins its threads: a worker that found no item left has still run its start hook
    CHECK(expected == 30);
    CHECK(started.size() == 3);  // every worker ran its start hook
    CHECK(laterDone > 0);
    CHECK(workers.size() > 1);   // the work was shared: item 0's worker was busy while item 1 was done
}

TEST_CASE("a worker's exception reaches the caller")
{
    std::atomic<bool> cancelled{false};
    ReplicaPool<int> pool(
        2, 10,
        [](std::size_t, std::size_t i) {
            if (i == 4) throw std::runtime_error("replica failed on item 4");
            return static_cast<int>(i);
        },
        {}, cancelled);
    int v = 0, got = 0;
    CHECK_THROWS_WITH_AS(
        [&] {
            while (pool.next(v)) ++got;
        }(),
        "replica failed on item 4", std::runtime_error);
    CHECK(got <= 4);
}

TEST_CASE("cancelled: no new items start, the started ones are handed back in order")
{
    std::atomic<bool> cancelled{false};
    ReplicaPool<std::size_t> pool(
        2, 1000,
        [&](std::size_t, std::size_t i) {
            if (i == 5) cancelled = true;
            return i;
        },
        {}, cancelled);
    std::size_t v = 0, expected = 0;
    while (pool.next(v)) CHECK(v == expected++);
    CHECK(expected >= 6);      // item 5 and everything before it
    CHECK(expected < 1000);    // stopped long before the end
}

TEST_CASE("no items: next() is false at once")
{
    std::atomic<bool> cancelled{false};
    ReplicaPool<int> pool(2, 0, [](std::size_t, std::size_t) { return 0; }, {}, cancelled);
    int v = 0;
    CHECK_FALSE(pool.next(v));
}
