// libtorch's Kineto profiler behind TorchTrace; user scopes through RecordFunction.
#include "core/model/torch_trace.h"

#include "core/util/error.h"

#include <ATen/Context.h>
#include <ATen/record_function.h>
#include <c10/util/Exception.h>
#include <torch/csrc/autograd/profiler_kineto.h>

#include <iostream>
#include <set>

namespace hs::model {

namespace prof = torch::autograd::profiler;
namespace pimpl = torch::profiler::impl;

TorchTrace::TorchTrace(std::string path) : path_(std::move(path))
{
    std::set<pimpl::ActivityType> activities{pimpl::ActivityType::CPU};
    if (at::hasCUDA()) activities.insert(pimpl::ActivityType::CUDA);
    const pimpl::ProfilerConfig config(pimpl::ProfilerState::KINETO);
    try {
        prof::prepareProfiler(config, activities);
        prof::enableProfiler(config, activities);
    } catch (const std::exception& e) {
        throw InputError("--trace: this libtorch cannot profile (" + std::string(e.what()) + ")");
    }
}

TorchTrace::~TorchTrace()
{
    try {
        prof::disableProfiler()->save(path_);
    } catch (const std::exception& e) {
        // Debian's libtorch 1.13 has no Kineto: its profiler records, but cannot save a trace.
        const auto* c10error = dynamic_cast<const c10::Error*>(&e);
        std::string why = c10error ? c10error->what_without_backtrace() : e.what();
        std::cerr << "warning: no trace written to " << path_ << ": " << why.substr(0, why.find('\n')) << "\n";
    }
}

struct TraceScope::Impl {
    at::RecordFunction guard{at::RecordScope::USER_SCOPE};
};

TraceScope::TraceScope(const char* name)
{
    if (!at::hasCallbacks()) return;  // nothing records: no cost beyond this test
    impl_ = std::make_unique<Impl>();
    if (impl_->guard.isActive()) impl_->guard.before(name);
}

TraceScope::~TraceScope() = default;

} // namespace hs::model
