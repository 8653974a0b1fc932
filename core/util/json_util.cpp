#include "core/util/json_util.h"

namespace hs {

void checkJsonDepth(const char* text, std::size_t n, const std::string& what, int maxDepth)
{
    int depth = 0;
    bool inString = false;
    for (std::size_t i = 0; i < n; ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\') ++i; // the escaped character cannot end the string
            else if (c == '"') inString = false;
            continue;
        }
        if (c == '"') inString = true;
        else if (c == '[' || c == '{') {
            if (++depth > maxDepth)
                throw InputError(what + ": JSON nested deeper than " + std::to_string(maxDepth) +
                                 " levels (at byte " + std::to_string(i) + "); refusing to read it");
        } else if (c == ']' || c == '}') {
            --depth; // unbalanced text is the parser's to report
        }
    }
}

} // namespace hs
