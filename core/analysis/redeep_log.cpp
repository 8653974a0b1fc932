#include "core/analysis/redeep_log.h"

#include "core/util/error.h"
#include "core/util/file_util.h"
#include "core/util/json_util.h"

#include <nlohmann/json.hpp>

#include <unordered_map>

namespace hs::analysis {

namespace {

using Json = nlohmann::ordered_json;

struct Context {
    const std::string& name;
    std::string where(std::size_t resp, std::size_t chunk) const
    {
        return name + ": response " + std::to_string(resp) + ", score entry " + std::to_string(chunk);
    }
};

double number(const Json& v, const std::string& where, const std::string& key)
{
    if (!v.is_number()) throw InputError(where + ": value of '" + key + "' is not a number");
    return v.get<double>();
}

// Reads one dict of features into `out` in the column order fixed by `names` (set from the first
// entry when empty).
void readFeatureDict(const Json& chunk, const char* field, std::vector<std::string>& names,
                     std::unordered_map<std::string, std::size_t>& index, std::vector<double>& out,
                     const std::string& where)
{
    auto it = chunk.find(field);
    if (it == chunk.end()) throw InputError(where + ": missing '" + field + "'");
    if (!it->is_object()) throw InputError(where + ": '" + field + "' is not an object");
    if (names.empty()) {
        if (it->empty()) throw InputError(where + ": '" + field + "' is empty");
        for (auto kv = it->begin(); kv != it->end(); ++kv) {
            index[kv.key()] = names.size();
            names.push_back(kv.key());
        }
    }
    if (it->size() != names.size())
        throw InputError(where + ": '" + field + "' has " + std::to_string(it->size()) + " entries, expected " +
                         std::to_string(names.size()));
    std::size_t base = out.size();
    out.resize(base + names.size());
    for (auto kv = it->begin(); kv != it->end(); ++kv) {
        auto col = index.find(kv.key());
        if (col == index.end()) throw InputError(where + ": unexpected key '" + kv.key() + "' in '" + field + "'");
        out[base + col->second] = number(kv.value(), where, kv.key());
    }
}

int readLabel(const Json& chunk, const std::string& where)
{
    auto it = chunk.find("hallucination_label");
    if (it == chunk.end()) throw InputError(where + ": missing 'hallucination_label'");
    if (it->is_boolean()) return it->get<bool>() ? 1 : 0;
    if (!it->is_number()) throw InputError(where + ": 'hallucination_label' is not 0/1");
    double v = it->get<double>();
    if (v != 0 && v != 1) throw InputError(where + ": 'hallucination_label' is not 0/1");
    return static_cast<int>(v);
}

std::string readId(const Json& resp, std::size_t i)
{
    auto it = resp.find("id");
    if (it == resp.end()) return std::to_string(i);
    if (it->is_string()) return it->get<std::string>();
    return it->dump();
}

} // namespace

FeatureTable parseRedeepLog(const std::string& text, const std::string& name)
{
    const Json root = parseJson<Json>(text, name);
    if (!root.is_array()) throw InputError(name + ": expected a JSON list of responses");
    Context ctx{name};
    FeatureTable t;
    std::unordered_map<std::string, std::size_t> ecsIndex, pksIndex;
    bool anySpan = false, allSpans = true;
    for (std::size_t r = 0; r < root.size(); ++r) {
        const Json& resp = root[r];
        if (!resp.is_object()) throw InputError(name + ": response " + std::to_string(r) + " is not an object");
        auto scores = resp.find("scores");
        if (scores == resp.end()) throw InputError(name + ": response " + std::to_string(r) + " has no 'scores'");
        if (!scores->is_array()) throw InputError(name + ": response " + std::to_string(r) + ": 'scores' is not a list");
        if (scores->empty()) continue;
        int respIndex = static_cast<int>(t.responseIds.size());
        t.responseIds.push_back(readId(resp, r));
        int respLabel = 0;
        for (std::size_t c = 0; c < scores->size(); ++c) {
            const Json& chunk = (*scores)[c];
            std::string where = ctx.where(r, c);
            if (!chunk.is_object()) throw InputError(where + ": not an object");
            readFeatureDict(chunk, "prompt_attention_score", t.ecsNames, ecsIndex, t.ecs, where);
            readFeatureDict(chunk, "parameter_knowledge_scores", t.pksNames, pksIndex, t.pks, where);
            int label = readLabel(chunk, where);
            respLabel = std::max(respLabel, label);
            t.rowLabel.push_back(label);
            t.rowResponse.push_back(respIndex);
            auto span = chunk.find("r_span");
            if (span != chunk.end() && span->is_array() && span->size() == 2 && (*span)[0].is_number() &&
                (*span)[1].is_number()) {
                anySpan = true;
                t.rowTokenBegin.push_back(jsonInt<int>((*span)[0], where + ": r_span"));
                t.rowTokenEnd.push_back(jsonInt<int>((*span)[1], where + ": r_span"));
            } else {
                allSpans = false;
                t.rowTokenBegin.push_back(0);
                t.rowTokenEnd.push_back(0);
            }
        }
        t.responseLabels.push_back(respLabel);
    }
    if (t.rows() == 0) throw InputError(name + ": no scored entries found");
    if (!anySpan || !allSpans) {
        t.rowTokenBegin.clear();
        t.rowTokenEnd.clear();
    }
    requireFiniteFeatures(t, name);
    return t;
}

FeatureTable loadRedeepLog(const std::string& path)
{
    return parseRedeepLog(readTextFile(path), path);
}

} // namespace hs::analysis
