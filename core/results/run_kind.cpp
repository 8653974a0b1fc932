#include "core/results/run_kind.h"

#include "core/util/error.h"

namespace hs::results {

const char* levelName(Level l) { return l == Level::Chunk ? "chunk" : "token"; }
const char* modeName(Mode m) { return m == Mode::Clean ? "clean" : "reference"; }

Level parseLevel(const std::string& text, const std::string& what)
{
    if (text == "token") return Level::Token;
    if (text == "chunk") return Level::Chunk;
    throw InputError(what + " must be token or chunk, not '" + text + "'");
}

Mode parseMode(const std::string& text, const std::string& what)
{
    if (text == "reference") return Mode::Reference;
    if (text == "clean") return Mode::Clean;
    throw InputError(what + " must be reference or clean, not '" + text + "'");
}

} // namespace hs::results
