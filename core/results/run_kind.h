#pragma once
// What kind of run produced a result: the level of its scored units and the mode of its formulas. Typed
// from the command line or the GUI's combo box to the extractor; spelled as text only in settings JSON,
// the run hash and messages.
#include <string>

namespace hs::results {

enum class Level { Token, Chunk };       // one unit per response token, or per response chunk
enum class Mode { Reference, Clean };    // the published code with its quirks, or each quirk fixed (docs/detect.md)

const char* levelName(Level l);          // "token" | "chunk"
const char* modeName(Mode m);            // "reference" | "clean"
// Throw hs::InputError naming `what` (e.g. "--level") and the text when it is none of the names.
Level parseLevel(const std::string& text, const std::string& what = "--level");
Mode parseMode(const std::string& text, const std::string& what = "--mode");

} // namespace hs::results
