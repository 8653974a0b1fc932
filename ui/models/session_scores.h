#pragma once
// The scores on screen and the session they belong to: what the GUI stores in the session's metrics
// (through core's session::storeScores, the writer `halluscope-cli regress --session` uses), when
// (a run's final scores, Save Session), and what it shows again when the session is reopened.
#include "ui/models/analysis_state.h"

#include "core/session/session_scores.h"

#include <QObject>
#include <QString>

#include <optional>

namespace hs::ui {

class DetectionController;
class LogPanel;

// The origin of the scores on screen: the shown scorer, "in-sample" (ReDeEP) or "cv" (a learned
// scorer, kScorerFolds folds, seed kScorerSeed, and a key of the table's response order), the
// threshold on screen, the selection and the note.
session::ScoreOrigin shownScoreOrigin(const AnalysisState& state);
// Stores the scores on screen in the session at `sessionPath` (which must exist). False with the
// reason when it cannot be written (a read-only file or medium, a session without a run); never throws.
bool storeShownScores(const AnalysisState& state, const QString& sessionPath, QString* error = nullptr);
// The scores a session's metrics hold when a GUI scorer made them; nothing for another method. Their
// `scores` are empty unless they cover every response of `table` (a learned scorer's: in the same
// order, so the same folds), i.e. unless they are the numbers this table gives.
std::optional<StoredScores> storedScoresFor(const nlohmann::json& metrics, const analysis::FeatureTable& table);
// A reopened session's view (session_view_state.h) and scores: the stored scores are shown when a
// learned scorer made them, that is the scorer the view names (or no view was saved), they fit the
// table and they used the selection on screen. ReDeEP's are computed again (instant, the same
// numbers). Returns the scorer to select in the Scores box (the view's, else the stored one's).
QString restoreSessionView(AnalysisState& state, const QString& sessionPath, const std::optional<StoredScores>& stored);

// Stores the scores on screen in the run's session when a run's final scores are in, and on request
// (Save Session); says in the log what it stored, or why it could not.
class SessionScoreKeeper : public QObject {
    Q_OBJECT
public:
    SessionScoreKeeper(AnalysisState* analysis, DetectionController* controller, LogPanel* log, QObject* parent);
    // Stores now; false (with a warning in the log) when nothing is shown or the session cannot be written.
    bool store(const QString& sessionPath);

private:
    void storePending();
    AnalysisState* analysis_;
    DetectionController* controller_;
    LogPanel* log_;
    QString pending_; // a finished run's session, waiting for its final scores
};

} // namespace hs::ui
