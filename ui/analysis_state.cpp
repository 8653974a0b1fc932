#include "ui/analysis_state.h"

#include "core/analysis/metrics.h"

#include <QCryptographicHash>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <exception>

namespace hs::ui {

AnalysisState::AnalysisState(QObject* parent) : QObject(parent) {}

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

ScoredTable scoreTable(std::shared_ptr<const analysis::FeatureTable> table, const analysis::RedeepParams& params)
{
    ScoredTable out;
    out.table = std::move(table);
    out.params = params;
    if (!out.table || out.table->rows() == 0)
        return out;
    try {
        out.selection = analysis::selectRedeep(*out.table, params);
        out.scores = analysis::scoreRedeep(*out.table, out.selection, params);
        out.bestThreshold = analysis::bestF1(out.scores.score, out.scores.label).threshold;
        out.rowScores = normalisedRowScores(*out.table, out.selection, params);
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
    setScoredTable(scoreTable(std::move(table), params_), std::move(catalog), sourceName);
}

void AnalysisState::setTableAsync(std::shared_ptr<const analysis::FeatureTable> table, SampleCatalog catalog,
                                  const QString& sourceName)
{
    pending_ = PendingTable{std::move(table), std::move(catalog), sourceName};
    if (!scoring_)
        startAsync();
}

void AnalysisState::startAsync()
{
    PendingTable job = std::move(*pending_);
    pending_.reset();
    scoring_ = true;
    auto* watcher = new QFutureWatcher<ScoredTable>(this);
    connect(watcher, &QFutureWatcher<ScoredTable>::finished, this, [this, watcher, job] {
        watcher->deleteLater();
        scoring_ = false;
        if (pending_) { // a newer table arrived meanwhile: this result is already stale
            startAsync();
            return;
        }
        setScoredTable(watcher->result(), job.catalog, job.name);
    });
    watcher->setFuture(QtConcurrent::run(&scoreTable, job.table, params_));
}

void AnalysisState::setScoredTable(ScoredTable scored, SampleCatalog catalog, const QString& sourceName)
{
    table_ = std::move(scored.table);
    catalog_ = std::move(catalog);
    sourceName_ = sourceName;
    selection_ = std::move(scored.selection);
    scores_ = std::move(scored.scores);
    rowScores_ = std::move(scored.rowScores);
    if (!scored.error.isEmpty())
        Q_EMIT failed(scored.error);
    updateScoreRange();
    computeHeldOut();
    // Start at the best-F1 threshold: the most useful first view.
    threshold_ = hasData() ? scored.bestThreshold : 0.5;
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
    try {
        selection_ = analysis::selectRedeep(*table_, params_);
    } catch (const std::exception& e) {
        Q_EMIT failed(QString::fromStdString(e.what()));
        return;
    }
    rescore();
    Q_EMIT scoresChanged();
}

void AnalysisState::applySelection(const analysis::Selection& selection)
{
    selection_ = selection;
    rescore();
    Q_EMIT scoresChanged();
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
