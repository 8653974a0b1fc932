#include "core/model/captures.h"

#include "core/util/error.h"

namespace hs::model {

const Capture& Captures::get(const std::string& name, std::size_t seq) const
{
    auto it = map_.find(name);
    if (it == map_.end()) throw Error("capture '" + name + "' was not requested by the probe");
    if (seq >= it->second.size())
        throw Error("capture '" + name + "': sequence " + std::to_string(seq) + " is outside the batch of " +
                    std::to_string(it->second.size()));
    return it->second[seq];
}

std::vector<std::string> Captures::names() const
{
    std::vector<std::string> n;
    for (const auto& kv : map_) n.push_back(kv.first);
    return n;
}

} // namespace hs::model
