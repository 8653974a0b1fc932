#pragma once
// Export Scores: the scores on screen as core's per-sample score export (session::writeSampleScores),
// the file `halluscope-cli export --level sample` writes, so the two front ends write the same columns,
// names and numbers. Runs on the GUI thread; touches no widget.
#include "core/session/session_export.h"

#include <QString>

#include <string>

namespace hs::ui {

class AnalysisState;

// The export of what `state` shows (scorer, in-sample or held-out, threshold). With a session
// (`sessionPath` names an existing file) the rows are its samples, in its order, with their token
// counts and run; otherwise (a feature log) one row per scored response, token counts empty.
// Throws std::exception when the session cannot be read.
std::string shownScoresExport(const AnalysisState& state, const QString& sessionPath, session::ExportFormat format);

} // namespace hs::ui
