#pragma once
// Captures: what a forward pass kept, by name and sequence, as at::Tensor.
// THE ONE PUBLIC core/model HEADER THAT EXPOSES TORCH TYPES: for core/detect, tests and tools only.
// Qt/UI code must never include it (nor llama_model.h's forward()).
//
// Every captured tensor is float32, contiguous, on the model's device. For sequence b:
//   attn_probs.L.H  [rows, cols]  row i = query position rows.begin + i, column j = key position cols.begin + j;
//                                 each full row (over all keys <= query) sums to 1; keys after the query are 0
//   resid_mid.L     [n, D]        positions rows.begin .. rows.end-1 of Probe::residPositions
//   resid_out.L     [n, D]        same positions
//   final_norm      [n, D]        positions of Probe::finalNormPositions
//   logits          [n, V]        positions of Probe::logitPositions
// D = hidden size, V = vocabulary size. rows/cols are the resolved (clamped) ranges.
#include "core/model/probe.h"

#include <ATen/core/Tensor.h>

#include <map>
#include <string>
#include <vector>

namespace hs::model {

struct Capture {
    at::Tensor tensor;
    Range rows;  // token positions along dim 0
    Range cols;  // key positions along dim 1 (attention captures only)
};

class Captures {
public:
    // The capture `name` of sequence `seq`; throws hs::Error naming the capture when it was not kept.
    const Capture& get(const std::string& name, std::size_t seq = 0) const;
    const at::Tensor& tensor(const std::string& name, std::size_t seq = 0) const { return get(name, seq).tensor; }
    bool has(const std::string& name) const { return map_.count(name) != 0; }
    std::vector<std::string> names() const;

    void put(const std::string& name, std::vector<Capture> perSequence) { map_[name] = std::move(perSequence); }

private:
    std::map<std::string, std::vector<Capture>> map_;
};

} // namespace hs::model
