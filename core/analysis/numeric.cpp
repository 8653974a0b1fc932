#include "core/analysis/numeric.h"

#include <cmath>

namespace hs::analysis {

double pairwiseSum(const double* a, std::size_t n)
{
    if (n < 8) {
        double res = 0.0;
        for (std::size_t i = 0; i < n; ++i) res += a[i];
        return res;
    }
    if (n <= 128) {
        double r[8];
        for (int j = 0; j < 8; ++j) r[j] = a[j];
        std::size_t i = 8;
        for (; i < n - (n % 8); i += 8)
            for (int j = 0; j < 8; ++j) r[j] += a[i + j];
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; ++i) res += a[i];
        return res;
    }
    std::size_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwiseSum(a, n2) + pairwiseSum(a + n2, n - n2);
}

double npMean(const std::vector<double>& a)
{
    return a.empty() ? 0.0 : (0.0 + pairwiseSum(a)) / static_cast<double>(a.size());
}

double digamma(double x)
{
    constexpr double kEuler = 0.57721566490153286061;
    if (x <= 0 && x == std::floor(x)) return NAN;
    if (x <= 10 && x == std::floor(x)) { // Cephes: exact harmonic number for small integers
        double y = 0;
        for (int i = 1; i < static_cast<int>(x); ++i) y += 1.0 / i;
        return y - kEuler;
    }
    double shift = 0;
    while (x < 10) { shift -= 1.0 / x; x += 1.0; }
    // Asymptotic expansion: ln x - 1/(2x) - sum B_2k / (2k x^2k)
    double z = 1.0 / (x * x);
    double poly = z * (1.0 / 12 - z * (1.0 / 120 - z * (1.0 / 252 - z * (1.0 / 240 - z * (1.0 / 132 - z * 691.0 / 32760)))));
    return shift + std::log(x) - 0.5 / x - poly;
}

NumpyLegacyNormal::NumpyLegacyNormal(std::uint32_t seed)
{
    mt_[0] = seed;
    for (int i = 1; i < 624; ++i)
        mt_[i] = 1812433253u * (mt_[i - 1] ^ (mt_[i - 1] >> 30)) + static_cast<std::uint32_t>(i);
}

std::uint32_t NumpyLegacyNormal::nextU32()
{
    if (index_ >= 624) {
        for (int i = 0; i < 624; ++i) {
            std::uint32_t y = (mt_[i] & 0x80000000u) | (mt_[(i + 1) % 624] & 0x7fffffffu);
            mt_[i] = mt_[(i + 397) % 624] ^ (y >> 1) ^ ((y & 1u) ? 0x9908b0dfu : 0u);
        }
        index_ = 0;
    }
    std::uint32_t y = mt_[index_++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

double NumpyLegacyNormal::nextUniform()
{
    std::int32_t a = static_cast<std::int32_t>(nextU32() >> 5), b = static_cast<std::int32_t>(nextU32() >> 6);
    return (a * 67108864.0 + b) / 9007199254740992.0;
}

double NumpyLegacyNormal::next()
{
    if (hasGauss_) {
        hasGauss_ = false;
        return gauss_;
    }
    double x1, x2, r2;
    do {
        x1 = 2.0 * nextUniform() - 1.0;
        x2 = 2.0 * nextUniform() - 1.0;
        r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    double f = std::sqrt(-2.0 * std::log(r2) / r2);
    gauss_ = f * x1;
    hasGauss_ = true;
    return f * x2;
}

} // namespace hs::analysis
