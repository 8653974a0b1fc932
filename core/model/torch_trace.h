#pragma once
// A Chrome trace of what libtorch ran (operators on the host, kernels on the GPU), through its own
// profiler, for finding where a run's time goes: `detect --trace FILE`. Open the file in
// chrome://tracing or Perfetto, or summarise it with bench/summarise_trace.py.
#include <memory>
#include <string>

namespace hs::model {

class TorchTrace {
public:
    // Starts recording; throws InputError when this libtorch cannot profile.
    explicit TorchTrace(std::string path);
    // Stops and writes the trace (errors while writing go to stderr: a trace never fails a run).
    ~TorchTrace();
    TorchTrace(const TorchTrace&) = delete;
    TorchTrace& operator=(const TorchTrace&) = delete;

private:
    std::string path_;
};

// A named span inside a trace (a no-op when none is recording): forward stages, extraction, saving.
class TraceScope {
public:
    explicit TraceScope(const char* name);
    ~TraceScope();
    TraceScope(const TraceScope&) = delete;
    TraceScope& operator=(const TraceScope&) = delete;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace hs::model
