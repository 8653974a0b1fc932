#include "core/detect/eta_estimate.h"

#include <numeric>

namespace hs::detect {

EtaEstimate::EtaEstimate(std::vector<double> batchCosts)
    : cost_(std::move(batchCosts)), total_(std::accumulate(cost_.begin(), cost_.end(), 0.0))
{
}

void EtaEstimate::batchDone(std::size_t batch)
{
    if (batch < cost_.size()) done_ += cost_[batch];
}

double EtaEstimate::secondsLeft(double elapsed) const
{
    return done_ > 0 ? elapsed * (total_ - done_) / done_ : 0.0;
}

} // namespace hs::detect
