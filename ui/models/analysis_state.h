#pragma once
// The one model every analysis panel observes: the FeatureTable, the ReDeEP parameters and head
// selection, the per-response scores they give, and the decision threshold. Panels change it
// through its setters and redraw on its signals, so they never talk to each other directly.
#include "core/analysis/feature_table.h"
#include "core/analysis/redeep_combiner.h"
#include "ui/models/sample_catalog.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

class QUndoStack;

namespace hs::ui {

// How the response scores that the panels show are made.
//   "redeep": ReDeEP's combiner with the current parameters and selection, fitted on all responses
//             (in-sample, as the published code does; instant).
//   a learned method ("chunk-logistic", "ensemble"; core/analysis/method.h): 5-fold cross-validation
//             grouped by response, so every response's score comes from a model that never saw it
//             (seconds, on a worker thread). It uses every head and layer unless a hand-picked
//             selection was applied, in which case only those columns.
constexpr int kScorerFolds = 5;       // the learned scorers' cross-validation
constexpr std::uint64_t kScorerSeed = 0; // and its fold shuffle
struct ScorerSpec {
    QString method = QStringLiteral("redeep");
    std::optional<analysis::Selection> handPicked;
};
// The scorer names offered in the GUI, ReDeEP first.
QStringList scorerMethods();
// A scorer's name as the GUI shows it, saying whether its scores are in-sample or held out
// ("ReDeEP (in-sample)", "ensemble (5-fold held-out)").
QString scorerTitle(const QString& method);

// A table with its ReDeEP selection and scores, computed off the GUI thread (selection ranks
// every feature by AUC, which takes tens of milliseconds on token-level tables).
struct ScoredTable {
    std::shared_ptr<const analysis::FeatureTable> table;
    analysis::RedeepParams params;
    analysis::Selection selection;
    analysis::ResponseScores scores;
    std::vector<double> rowScores; // ReDeEP's d per table row, mapped to [0, 1] over the table
    double bestThreshold = 0.5;
    QString error; // why scoring failed (e.g. one class only); scores are then empty
    QString method = QStringLiteral("redeep"); // the scorer that made `scores` (ReDeEP when a learned one could not run)
    // What the scores are, in words ("chunk-logistic, 5-fold held-out", or why ReDeEP was used
    // instead: too few responses for cross-validation yet).
    QString scorerNote;
};
// Scores kept in a session (session_scores.h), for its table: shown on reopening instead of being
// computed again.
struct StoredScores {
    QString method;                   // a scorer of scorerMethods()
    analysis::ResponseScores scores;  // every response of the table, in table order; empty when they are not the
                                      // numbers this table gives (fewer samples, another response order)
    QString note;                     // what they are, in words
    bool handPicked = false;          // made from a hand-picked selection (only `features`)
    QStringList features;             // that selection's head and layer names
};
// Pure and thread-safe.
ScoredTable scoreTable(std::shared_ptr<const analysis::FeatureTable> table, const analysis::RedeepParams& params,
                       const ScorerSpec& scorer = {});
// ReDeEP's row score d = m·P~ − α·E~ for every row, mapped to [0, 1] over the whole table (so a
// row's shade compares across samples). Empty when the table or selection cannot be scored.
std::vector<double> normalisedRowScores(const analysis::FeatureTable& table, const analysis::Selection& selection,
                                        const analysis::RedeepParams& params);

class AnalysisState : public QObject {
    Q_OBJECT
public:
    explicit AnalysisState(QObject* parent = nullptr);

    bool hasData() const { return table_ && table_->rows() > 0 && !scores_.ids.empty(); }
    const analysis::FeatureTable& table() const { return *table_; }
    std::shared_ptr<const analysis::FeatureTable> tableHandle() const { return table_; }
    const SampleCatalog& catalog() const { return catalog_; }
    const QString& sourceName() const { return sourceName_; }

    const analysis::RedeepParams& params() const { return params_; }
    const analysis::Selection& selection() const { return selection_; }
    // Per response: ids, ReDeEP score (higher = more likely hallucinated), label.
    const analysis::ResponseScores& scores() const { return scores_; }
    // Index of a response id in scores(), or -1.
    int indexOf(const QString& id) const;
    // The normalised row scores of one response, in row order (empty when unknown).
    std::vector<double> rowScoresOf(const QString& id) const;

    // The scorer the user chose; the one whose scores are on screen (they differ while a learned
    // scorer waits for a run to end or for enough responses, and while it is computing); and
    // what the shown scores are, in words.
    const QString& scorer() const { return scorer_; }
    const QString& shownScorer() const { return shownScorer_; }
    const QString& scorerNote() const { return scorerNote_; }
    bool handPicked() const { return handPicked_; }
    // Switches how response scores are made (see ScorerSpec); learned scorers finish on a worker
    // thread and announce themselves with scoresChanged.
    void setScorer(const QString& method);

    double threshold() const { return threshold_; }
    double minScore() const { return minScore_; }
    double maxScore() const { return maxScore_; }
    // Per response: true for the held-out half (split "test" when the data has splits, else a
    // deterministic hash of the id), used to pick a threshold on one part and judge it on the other.
    const std::vector<bool>& heldOut() const { return heldOut_; }

    // A new current document (opened file or new run): the next scores start at their best-F1
    // threshold, and the undo history of the previous document is dropped.
    void beginDocument();
    // Replaces the data; selects heads/layers with the current parameters and rescores.
    void setTable(std::shared_ptr<const analysis::FeatureTable> table, SampleCatalog catalog,
                  const QString& sourceName);
    // The same, with the scoring already done (by scoreTable on a worker thread).
    void setScoredTable(ScoredTable scored, SampleCatalog catalog, const QString& sourceName);
    // The same, scoring on a worker thread; tableChanged follows. While one is in flight a newer
    // call replaces any waiting one (live runs push a growing table every second). `live` tables
    // are scored with ReDeEP whatever the scorer: re-running a cross-validation every second would
    // take the cores from the detection; the run's final push (live = false) uses the scorer.
    void setTableAsync(std::shared_ptr<const analysis::FeatureTable> table, SampleCatalog catalog,
                       const QString& sourceName, bool live = false);
    bool isScoring() const { return scoring_; }
    // An opened document arrives scored by ReDeEP (in its loader): this starts the chosen learned
    // scorer on it, if that is what the user chose.
    void scoreWithChosenScorer();
    // Shows scores a session kept (when reopening it) as those of their scorer, which becomes the
    // chosen one; a scoring still in flight for this document is dropped.
    void showStoredScores(const StoredScores& stored);
    void updateCatalog(const SampleCatalog& catalog); // merges, keeps scores
    // New parameters: reselects by AUC (ReDeEP's rule) and rescores.
    void setParams(const analysis::RedeepParams& params);
    // A hand-picked set of heads/layers: rescores at once with the current parameters.
    void applySelection(const analysis::Selection& selection);
    void setThreshold(double threshold);
    void clear();

    // What the user does, undoably (QUndoStack). The user's threshold then stays where it is when
    // the scores change (another scorer, selection or finished run); before the first choice of a
    // document it follows the best-F1 threshold of the scores shown.
    QUndoStack* undoStack() const { return undo_; }
    // `dragging`: a step of a slider drag or spin-box run; consecutive steps are one undo step.
    void chooseThreshold(double threshold, bool dragging = false);
    // A hand-picked selection, scored with `params` (the Heads panel's α).
    void chooseSelection(const analysis::Selection& selection, const analysis::RedeepParams& params);
    void chooseRedeepRule(const analysis::RedeepParams& params); // back to ReDeEP's rule with these N, K, α
    bool thresholdChosen() const { return thresholdChosen_; }
    void setThresholdChosen(bool chosen) { thresholdChosen_ = chosen; } // for the undo commands
    // Puts back a selection state recorded by chooseSelection/chooseRedeepRule (undo/redo).
    void restoreSelection(const analysis::RedeepParams& params, const analysis::Selection& selection, bool handPicked);

Q_SIGNALS:
    void documentBegun();     // beginDocument: what is shown next belongs to another document
    void tableChanged();      // new data (and therefore new scores)
    void scoresChanged();     // selection or parameters changed the scores
    void thresholdChanged(double threshold);
    void failed(const QString& message); // a rescoring error, with its reason
    void scoringChanged(bool busy);      // a worker-thread scoring started / the last one finished

private:
    void startAsync();
    void rescore();
    void updateScoreRange();
    void computeHeldOut();
    bool learnedScorer() const { return scorer_ != QLatin1String("redeep"); }
    void rescoreLearnedAsync();
    void rescoreWithCurrentScorer();
    void followBestF1(); // unless the user chose a threshold

    std::shared_ptr<const analysis::FeatureTable> table_;
    SampleCatalog catalog_;
    QString sourceName_;
    analysis::RedeepParams params_;
    analysis::Selection selection_;
    analysis::ResponseScores scores_;
    std::vector<double> rowScores_;
    std::vector<bool> heldOut_;
    QString scorer_ = QStringLiteral("redeep"), shownScorer_ = QStringLiteral("redeep"), scorerNote_;
    QUndoStack* undo_ = nullptr;
    bool thresholdChosen_ = false; // the user set the threshold in this document
    double bestThreshold_ = 0.5;
    bool handPicked_ = false; // the selection was applied by hand (learned scorers then use only it)
    double threshold_ = 0.5, minScore_ = 0, maxScore_ = 1;
    struct PendingTable {
        std::shared_ptr<const analysis::FeatureTable> table;
        SampleCatalog catalog;
        QString name;
        ScorerSpec scorer;
        bool live = false;
    };
    std::optional<PendingTable> pending_;
    bool scoring_ = false;
    int generation_ = 0; // bumped by beginDocument; async results of an older one are dropped
};

} // namespace hs::ui
