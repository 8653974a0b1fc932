#pragma once
// What the user chose while looking at a session — threshold, scorer, head selection — kept in a
// small JSON file next to the session (SESSION.view.json), so that Save Session and reopening give
// back the same view. The session's SQLite file holds the run; this file holds only the view.
#include <QJsonObject>
#include <QString>

namespace hs::ui {

class AnalysisState;

QString viewStatePath(const QString& sessionPath);
QJsonObject captureViewState(const AnalysisState& state);
// Writes the view state of `state` next to `sessionPath`; false with a reason on failure.
bool saveViewState(const AnalysisState& state, const QString& sessionPath, QString* error = nullptr);
// The saved view state of a session, or an empty object when there is none (or it is unreadable).
QJsonObject loadViewState(const QString& sessionPath);
// Puts a captured view state back: selection (by feature name), then the chosen threshold.
// Returns the scorer it names, for the caller to select in the Scores box (which drives the state).
QString applyViewState(AnalysisState& state, const QJsonObject& view);

} // namespace hs::ui
