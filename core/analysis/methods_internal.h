#pragma once
// Constructors of the concrete methods, used by makeMethod (method.cpp).
#include "core/analysis/method.h"

namespace hs::analysis {

std::unique_ptr<ResponseMethod> makeRedeepMethod(const MethodOptions& o);
std::unique_ptr<ResponseMethod> makeLogisticMethod(const MethodOptions& o);
std::unique_ptr<ResponseMethod> makeEnsembleMethod(const MethodOptions& o);
std::unique_ptr<ResponseMethod> makeChunkLogisticMethod(const MethodOptions& o);
std::unique_ptr<ResponseMethod> makeBoostedMethod(const MethodOptions& o);

// Shared by the learned methods. Columns of x (one vector per sample) ordered by |AUC - 0.5|
// over the samples `idx` with labels y, best first (orientation does not matter to a linear model).
std::vector<int> rankColumnsByAuc(const std::vector<std::vector<double>>& x, const std::vector<std::size_t>& idx,
                                  const std::vector<int>& y);
// Rows `idx` of x restricted to the columns `cols`.
std::vector<std::vector<double>> pickColumns(const std::vector<std::vector<double>>& x,
                                             const std::vector<std::size_t>& idx, const std::vector<int>& cols);
// The penalties tried by inner cross-validation.
const std::vector<double>& l2Grid();

} // namespace hs::analysis
