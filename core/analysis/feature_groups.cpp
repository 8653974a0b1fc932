#include "core/analysis/feature_groups.h"

#include "core/util/error.h"

#include <sstream>

namespace hs::analysis {

void applyGroupList(const std::string& list, const std::function<bool*(const std::string&)>& flagOf,
                    const std::string& what, const std::string& expected)
{
    std::stringstream ss(list);
    std::string item;
    while (std::getline(ss, item, ',')) {
        if (item.empty()) continue;
        const bool on = item[0] != '-';
        const std::string name = on ? item : item.substr(1);
        bool* flag = flagOf(name);
        if (!flag) throw InputError("unknown " + what + " '" + name + "' (expected " + expected + ")");
        *flag = on;
    }
}

} // namespace hs::analysis
