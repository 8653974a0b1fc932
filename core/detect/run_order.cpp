#include "core/detect/run_order.h"

namespace hs::detect {

std::vector<std::size_t> progressOrder(std::size_t n)
{
    std::vector<std::size_t> order;
    if (n == 0)
        return order;
    order.reserve(n);
    order.push_back(n - 1);
    const std::size_t rest = n - 1;
    unsigned bits = 0;
    while ((std::size_t(1) << bits) < rest)
        ++bits;
    // Bit-reversal of 0 .. 2^bits-1, keeping what falls inside: at most 2·rest steps.
    for (std::size_t i = 0; i < (std::size_t(1) << bits) && rest > 0; ++i) {
        std::size_t r = 0;
        for (unsigned b = 0; b < bits; ++b)
            if (i & (std::size_t(1) << b))
                r |= std::size_t(1) << (bits - 1 - b);
        if (r < rest)
            order.push_back(r);
    }
    return order;
}

} // namespace hs::detect
