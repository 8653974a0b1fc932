#pragma once
// Copy-head finder: ranks every (layer, head) of a model by how strongly its attention at response
// positions lands on the prompt tokens being copied (docs/demo.md §3; the C++ port of
// tools/demo/train_demo_model.py --find-copy-heads). Torch-free interface.
//
// Copy score of head (l, h): over the response positions i (last prompt token .. second-to-last
// response token) of the faithful samples whose next token y = ids[i+1] also occurs in the prompt,
// the mean attention mass A[l,h,i,j] on the prompt positions j >= 1 (BOS excluded) holding y. The
// "previous-token" variant puts the mass on j-1 (the positions whose next token is y), for comparison.
// No labels are needed beyond skipping hallucinated samples; any Llama-family model works.
#include <cstdint>
#include <string>
#include <vector>

namespace hs::detect {

struct CopyHeadFinderOptions {
    std::string modelDir;
    std::string datasetPath;
    std::string device = "cpu";
    std::string dtype = "f32";
    int limit = -1;            // first N samples of the dataset (as detect --limit); faithful ones are used
    int tokenBudget = 4096;    // padded tokens per forward
    int maxBatch = 8;
};

struct HeadCopyScore {
    int layer = 0, head = 0;
    double target = 0;         // the copy score
    double prev = 0;           // previous-token variant
};

struct CopyHeadScores {
    int numLayers = 0, numHeads = 0;
    long positions = 0;        // copyable response positions averaged over
    int samples = 0;           // faithful samples used
    std::vector<HeadCopyScore> ranked; // best first (ties: higher layer, then higher head first, as the Python)
};

// Throws hs::InputError when the dataset has no faithful sample or no copyable position.
CopyHeadScores findCopyHeads(const CopyHeadFinderOptions& opt);

// The default list length: a quarter of all heads, at least 1 and at most 32 (ReDeEP's 7B list).
int defaultCopyHeadCount(int numLayers, int numHeads);

} // namespace hs::detect
