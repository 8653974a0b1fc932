#include "core/detect/copy_heads.h"

#include "core/util/error.h"
#include "core/util/file_util.h"
#include "core/util/json_util.h"

#include <fstream>
#include <nlohmann/json.hpp>

namespace hs::detect {

std::vector<std::pair<int, int>> loadCopyHeads(const std::string& path, int numLayers, int numHeads)
{
    const nlohmann::json j = parseJson(readTextFile(path), path);
    if (!j.is_array()) throw InputError(path + ": expected a list of [layer, head] pairs");
    std::vector<std::pair<int, int>> heads;
    for (std::size_t i = 0; i < j.size(); ++i) {
        const auto& e = j[i];
        if (!e.is_array() || e.size() != 2 || !e[0].is_number_integer() || !e[1].is_number_integer())
            throw InputError(path + ": entry " + std::to_string(i) + " is not [layer, head]");
        const std::string where = path + ": entry " + std::to_string(i);
        const int l = jsonInt<int>(e[0], where), h = jsonInt<int>(e[1], where);
        if (l < 0 || h < 0 || (numLayers > 0 && l >= numLayers) || (numHeads > 0 && h >= numHeads))
            throw InputError(path + ": head [" + std::to_string(l) + ", " + std::to_string(h) +
                             "] is outside the model (" + std::to_string(numLayers) + " layers x " +
                             std::to_string(numHeads) + " heads)");
        heads.push_back({l, h});
    }
    if (heads.empty()) throw InputError(path + ": the copy-head list is empty");
    return heads;
}

void saveCopyHeads(const std::string& path, const std::vector<std::pair<int, int>>& heads)
{
    nlohmann::json j = nlohmann::json::array();
    for (auto [l, h] : heads) j.push_back({l, h});
    std::ofstream out(path);
    if (!out) throw InputError("cannot write '" + path + "'");
    out << j.dump() << "\n";
}

std::vector<std::pair<int, int>> allHeads(int numLayers, int numHeads)
{
    std::vector<std::pair<int, int>> v;
    for (int l = 0; l < numLayers; ++l)
        for (int h = 0; h < numHeads; ++h) v.push_back({l, h});
    return v;
}

} // namespace hs::detect
