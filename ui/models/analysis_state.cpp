#include "ui/models/analysis_state.h"

#include "ui/models/analysis_commands.h"
#include "ui/run/background_threads.h"

#include "core/analysis/chunk_features.h"
#include "core/analysis/cross_validation.h"
#include "core/analysis/method.h"
#include "core/analysis/metrics.h"
#include "core/analysis/scorer_recipe.h"

#include <QCryptographicHash>
#include <QFutureWatcher>
#include <QUndoStack>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <exception>

namespace hs::ui {

AnalysisState::AnalysisState(QObject* parent) : QObject(parent), undo_(new QUndoStack(this)) {}

void AnalysisState::beginDocument()
{
    ++generation_; // scorings still in flight belong to the previous document
    pending_.reset();
    thresholdChosen_ = false;
    undo_->clear();
    Q_EMIT documentBegun();
}

void AnalysisState::followBestF1()
{
    if (thresholdChosen_)
        return;
    threshold_ = hasData() ? bestThreshold_ : 0.5;
}

void AnalysisState::chooseThreshold(double threshold, bool dragging)
{
    if (threshold == threshold_ && thresholdChosen_)
        return;
    undo_->push(new ThresholdCommand(this, threshold_, thresholdChosen_, threshold, dragging));
}

void AnalysisState::chooseSelection(const analysis::Selection& selection, const analysis::RedeepParams& params)
{
    undo_->push(new SelectionCommand(this, {params_, selection_, handPicked_}, {params, selection, true},
                                     tr("Apply head selection")));
}

void AnalysisState::chooseRedeepRule(const analysis::RedeepParams& params)
{
    undo_->push(new SelectionCommand(this, {params_, selection_, handPicked_}, {params, {}, false},
                                     tr("ReDeEP selection")));
}

void AnalysisState::restoreSelection(const analysis::RedeepParams& params, const analysis::Selection& selection,
                                     bool handPicked)
{
    if (!handPicked) {
        setParams(params);
        return;
    }
    params_ = params; // applySelection rescores with this α
    applySelection(selection);
}

int AnalysisState::indexOf(const QString& id) const
{
    const std::string key = id.toStdString();
    const auto it = std::find(scores_.ids.begin(), scores_.ids.end(), key);
    return it == scores_.ids.end() ? -1 : static_cast<int>(it - scores_.ids.begin());
}

std::vector<double> normalisedRowScores(const analysis::FeatureTable& table, const analysis::Selection& selection,
                                        const analysis::RedeepParams& params)
{
    try {
        std::vector<double> d = analysis::redeepRowScores(table, analysis::fitRedeep(table, selection, params));
        if (d.empty())
            return d;
        const auto [lo, hi] = std::minmax_element(d.begin(), d.end());
        const double a = *lo, span = *hi - *lo;
        for (double& x : d)
            x = span > 0 ? (x - a) / span : 0.5;
        return d;
    } catch (const std::exception&) {
        return {};
    }
}

QStringList scorerMethods()
{
    return {QStringLiteral("redeep"), QStringLiteral("chunk-logistic"), QStringLiteral("ensemble")};
}

QString scorerTitle(const QString& method)
{
    if (method == QLatin1String("redeep"))
        return QObject::tr("ReDeEP (in-sample)");
    return QObject::tr("%1 (%2-fold held-out)").arg(method).arg(kScorerFolds);
}

namespace {

// The response scores of a learned method, each held out (see ScorerSpec). Throws on failure;
// returns false (leaving `scores` alone) when there are too few responses for the folds.
bool learnedScores(const analysis::FeatureTable& table, const ScorerSpec& scorer, analysis::ResponseScores* scores,
                   QString* note)
{
    int pos = 0, neg = 0;
    for (int l : table.responseLabels)
        (l ? pos : neg) += 1;
    if (std::min(pos, neg) < 2 * kScorerFolds) {
        *note = QObject::tr("ReDeEP in-sample: %1 needs at least %2 hallucinated and %2 faithful responses (now %3 and %4)")
                    .arg(scorer.method).arg(2 * kScorerFolds).arg(pos).arg(neg);
        return false;
    }
    analysis::MethodOptions o;
    o.name = scorer.method.toStdString();
    const analysis::FeatureTable sub = scorer.handPicked
        ? analysis::selectColumns(table, scorer.handPicked->ecs, scorer.handPicked->pks)
        : analysis::FeatureTable{};
    const analysis::FeatureTable& t = scorer.handPicked ? sub : table;
    analysis::applyScorerPolicy(o, t); // the response features `halluscope-cli demo` uses
    // In-sample thresholds: the view lets the user choose the threshold, so the inner threshold CV
    // would only cost time.
    *scores = analysis::heldOutScores(t, o, kScorerFolds, kScorerSeed, analysis::ThresholdMode::InSample).scores;
    *note = QObject::tr("%1, %2-fold held-out (grouped by response, seed 0)%3")
                .arg(scorer.method).arg(kScorerFolds)
                .arg(scorer.handPicked ? QObject::tr(", selected heads and layers only") : QString());
    return true;
}

} // namespace

ScoredTable scoreTable(std::shared_ptr<const analysis::FeatureTable> table, const analysis::RedeepParams& params,
                       const ScorerSpec& scorer)
{
    ScoredTable out;
    out.table = std::move(table);
    out.params = params;
    if (!out.table || out.table->rows() == 0)
        return out;
    try {
        out.selection = scorer.handPicked ? *scorer.handPicked : analysis::selectRedeep(*out.table, params);
        out.rowScores = normalisedRowScores(*out.table, out.selection, params);
        const bool learned = scorer.method != QLatin1String("redeep")
                             && learnedScores(*out.table, scorer, &out.scores, &out.scorerNote);
        if (learned)
            out.method = scorer.method;
        if (!learned) {
            out.scores = analysis::scoreRedeep(*out.table, out.selection, params);
            if (out.scorerNote.isEmpty())
                out.scorerNote = QObject::tr("ReDeEP, fitted on all responses (in-sample, as published)");
        }
        out.bestThreshold = analysis::bestF1(out.scores.score, out.scores.label).threshold;
    } catch (const std::exception& e) {
        out.scores = {};
        out.error = QString::fromStdString(e.what());
    }
    return out;
}

std::vector<double> AnalysisState::rowScoresOf(const QString& id) const
{
    std::vector<double> out;
    if (!table_ || rowScores_.size() != table_->rows())
        return out;
    const std::string key = id.toStdString();
    const auto it = std::find(table_->responseIds.begin(), table_->responseIds.end(), key);
    if (it == table_->responseIds.end())
        return out;
    const int response = int(it - table_->responseIds.begin());
    for (std::size_t r = 0; r < table_->rows(); ++r)
        if (table_->rowResponse[r] == response)
            out.push_back(rowScores_[r]);
    return out;
}

void AnalysisState::setTable(std::shared_ptr<const analysis::FeatureTable> table, SampleCatalog catalog,
                             const QString& sourceName)
{
    handPicked_ = false;
    setScoredTable(scoreTable(std::move(table), params_, ScorerSpec{scorer_, std::nullopt}), std::move(catalog),
                   sourceName);
}

void AnalysisState::setTableAsync(std::shared_ptr<const analysis::FeatureTable> table, SampleCatalog catalog,
                                  const QString& sourceName, bool live)
{
    handPicked_ = false;
    ScorerSpec spec{live ? QStringLiteral("redeep") : scorer_, std::nullopt};
    pending_ = PendingTable{std::move(table), std::move(catalog), sourceName, spec, live};
    if (!scoring_)
        startAsync();
}

void AnalysisState::rescoreLearnedAsync()
{
    if (!table_ || table_->rows() == 0)
        return;
    ScorerSpec spec{scorer_, std::nullopt};
    if (handPicked_)
        spec.handPicked = selection_;
    if (pending_ && pending_->live) // a newer live table is waiting: it stays on ReDeEP
        return;
    if (pending_) // a newer table is already waiting: score that one this way
        pending_->scorer = ScorerSpec{scorer_, std::nullopt};
    else
        pending_ = PendingTable{table_, catalog_, sourceName_, spec};
    if (!scoring_)
        startAsync();
}

void AnalysisState::setScorer(const QString& method)
{
    if (method == scorer_ || !scorerMethods().contains(method))
        return;
    scorer_ = method;
    if (!table_ || table_->rows() == 0)
        return;
    if (scoring_) { // the job in flight finishes first, then is redone with this scorer
        if (pending_ && !pending_->live)
            pending_->scorer = ScorerSpec{scorer_, std::nullopt};
        return;
    }
    rescoreWithCurrentScorer();
}

void AnalysisState::startAsync()
{
    PendingTable job = std::move(*pending_);
    pending_.reset();
    if (!scoring_) {
        scoring_ = true;
        Q_EMIT scoringChanged(true);
    }
    auto* watcher = new QFutureWatcher<ScoredTable>(this);
    connect(watcher, &QFutureWatcher<ScoredTable>::finished, this, [this, watcher, job, generation = generation_] {
        watcher->deleteLater();
        if (pending_) { // a newer table or scorer arrived meanwhile: this result is already stale
            startAsync();
            return;
        }
        scoring_ = false;
        if (generation != generation_) { // another document is on screen now
            Q_EMIT scoringChanged(false);
            return;
        }
        ScoredTable result = watcher->result();
        if (job.live && learnedScorer())
            result.scorerNote = tr("ReDeEP, in-sample, while the run goes on; %1 (held-out) when it ends").arg(scorer_);
        // Texts that joined this document while the job ran (updateCatalog) stay.
        SampleCatalog catalog = job.catalog;
        addMissing(catalog, catalog_);
        setScoredTable(std::move(result), std::move(catalog), job.name);
        if (!job.live && job.scorer.method != scorer_) // the scorer was switched while this table was scored
            rescoreWithCurrentScorer();
        if (!scoring_)
            Q_EMIT scoringChanged(false);
    });
    watcher->setFuture(runInBackground(&scoreTable, job.table, params_, job.scorer));
}

void AnalysisState::scoreWithChosenScorer()
{
    if (shownScorer_ != scorer_ && hasData()) // waits behind a scoring in flight (pending_)
        rescoreWithCurrentScorer();
}

void AnalysisState::showStoredScores(const StoredScores& stored)
{
    ++generation_; // what a scoring in flight would bring is what the session already holds
    pending_.reset();
    scorer_ = shownScorer_ = stored.method;
    scores_ = stored.scores;
    scorerNote_ = stored.note;
    bestThreshold_ = analysis::bestF1(scores_.score, scores_.label).threshold;
    updateScoreRange();
    computeHeldOut();
    followBestF1();
    Q_EMIT scoresChanged();
    Q_EMIT thresholdChanged(threshold_);
}

void AnalysisState::rescoreWithCurrentScorer()
{
    if (learnedScorer()) {
        rescoreLearnedAsync();
        return;
    }
    rescore();
    Q_EMIT scoresChanged();
    Q_EMIT thresholdChanged(threshold_);
}

void AnalysisState::setScoredTable(ScoredTable scored, SampleCatalog catalog, const QString& sourceName)
{
    table_ = std::move(scored.table);
    catalog_ = std::move(catalog);
    sourceName_ = sourceName;
    selection_ = std::move(scored.selection);
    scores_ = std::move(scored.scores);
    rowScores_ = std::move(scored.rowScores);
    scorerNote_ = scored.scorerNote;
    shownScorer_ = scored.method;
    bestThreshold_ = scored.bestThreshold;
    if (!scored.error.isEmpty())
        Q_EMIT failed(scored.error);
    updateScoreRange();
    computeHeldOut();
    // A document starts at the best-F1 threshold (the most useful first view); once the user has
    // chosen one, it is theirs and stays.
    followBestF1();
    Q_EMIT tableChanged();
    Q_EMIT scoresChanged();
    Q_EMIT thresholdChanged(threshold_);
}

void AnalysisState::updateCatalog(const SampleCatalog& catalog)
{
    for (auto it = catalog.begin(); it != catalog.end(); ++it)
        catalog_.insert(it.key(), it.value());
}

void AnalysisState::setParams(const analysis::RedeepParams& params)
{
    params_ = params;
    if (!table_ || table_->rows() == 0)
        return;
    const bool wasHandPicked = handPicked_;
    handPicked_ = false;
    try {
        selection_ = analysis::selectRedeep(*table_, params_);
    } catch (const std::exception& e) {
        Q_EMIT failed(QString::fromStdString(e.what()));
        return;
    }
    if (learnedScorer()) {
        // The learned scores do not depend on ReDeEP's parameters; only the row shading does,
        // unless a hand-picked selection (which the learned method used) is being dropped.
        rowScores_ = normalisedRowScores(*table_, selection_, params_);
        if (wasHandPicked)
            rescoreLearnedAsync();
        Q_EMIT scoresChanged();
        return;
    }
    rescore();
    Q_EMIT scoresChanged();
    Q_EMIT thresholdChanged(threshold_);
}

void AnalysisState::applySelection(const analysis::Selection& selection)
{
    selection_ = selection;
    handPicked_ = true;
    if (learnedScorer()) {
        rowScores_ = table_ ? normalisedRowScores(*table_, selection_, params_) : std::vector<double>{};
        rescoreLearnedAsync();
        return;
    }
    rescore();
    Q_EMIT scoresChanged();
    Q_EMIT thresholdChanged(threshold_);
}

void AnalysisState::setThreshold(double threshold)
{
    if (threshold == threshold_)
        return;
    threshold_ = threshold;
    Q_EMIT thresholdChanged(threshold_);
}

void AnalysisState::clear()
{
    setTable(nullptr, {}, QString());
}

void AnalysisState::rescore()
{
    scores_ = {};
    rowScores_.clear();
    updateScoreRange();
    if (!table_ || table_->rows() == 0)
        return;
    try {
        scores_ = analysis::scoreRedeep(*table_, selection_, params_);
        rowScores_ = normalisedRowScores(*table_, selection_, params_);
        scorerNote_ = tr("ReDeEP, fitted on all responses (in-sample, as published)");
        shownScorer_ = QStringLiteral("redeep");
        bestThreshold_ = analysis::bestF1(scores_.score, scores_.label).threshold;
        followBestF1();
    } catch (const std::exception& e) {
        scores_ = {};
        Q_EMIT failed(QString::fromStdString(e.what()));
        return;
    }
    updateScoreRange();
}

void AnalysisState::updateScoreRange()
{
    minScore_ = 0;
    maxScore_ = 1;
    if (!scores_.score.empty()) {
        const auto [lo, hi] = std::minmax_element(scores_.score.begin(), scores_.score.end());
        minScore_ = *lo;
        maxScore_ = *hi > *lo ? *hi : *lo + 1e-9;
    }
}

void AnalysisState::computeHeldOut()
{
    heldOut_.assign(scores_.ids.size(), false);
    bool anySplit = false;
    for (std::size_t i = 0; i < scores_.ids.size(); ++i) {
        const auto it = catalog_.constFind(QString::fromStdString(scores_.ids[i]));
        if (it != catalog_.constEnd() && it->split == "train")
            anySplit = true;
    }
    for (std::size_t i = 0; i < scores_.ids.size(); ++i) {
        const QString id = QString::fromStdString(scores_.ids[i]);
        if (anySplit) {
            heldOut_[i] = catalog_.value(id).split != "train";
        } else {
            // No train split in the data (the published log is all "test"): a stable half by id.
            const QByteArray h = QCryptographicHash::hash(id.toUtf8(), QCryptographicHash::Md5);
            heldOut_[i] = (static_cast<unsigned char>(h[0]) & 1) != 0;
        }
    }
}

} // namespace hs::ui
