#include "ui/run/run_collector.h"

#include "ui/models/analysis_state.h"
#include "ui/run/detection_controller.h"

#include "core/analysis/metrics.h"
#include "core/detect/copy_heads.h"
#include "core/results/feature_columns.h"
#include "core/results/result_table.h"
#include "core/session/sample_order.h"

#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>

namespace hs::ui {

namespace {
constexpr int kPushIntervalMs = 1000;
} // namespace

RunCollector::RunCollector(AnalysisState* analysis, QObject* parent)
    : QObject(parent), analysis_(analysis), table_(std::make_shared<analysis::FeatureTable>())
{
    pushTimer_ = new QTimer(this);
    pushTimer_->setInterval(kPushIntervalMs);
    connect(pushTimer_, &QTimer::timeout, this, [this] { flush(true); });
    connect(analysis_, &AnalysisState::tableChanged, this, &RunCollector::onScoresReady);
}

const results::SampleResult* RunCollector::result(const QString& id) const
{
    const auto it = results_.constFind(id);
    return it == results_.constEnd() ? nullptr : &it.value();
}

void RunCollector::adopt(const std::vector<results::SampleResult>& results, const analysis::FeatureTable& table,
                         const SampleCatalog& catalog)
{
    results_.clear();
    order_.clear();
    catalog_ = catalog; // not analysis_->catalog(): the state still holds the previous document's
    table_ = std::make_shared<analysis::FeatureTable>(table);
    for (const results::SampleResult& r : results) {
        const QString id = QString::fromStdString(r.sampleId);
        results_.insert(id, r);
        order_.push_back(id);
    }
    dirty_ = false;
    Q_EMIT cleared();
}

void RunCollector::reset()
{
    results_.clear();
    order_.clear();
    table_ = std::make_shared<analysis::FeatureTable>();
    catalog_ = analysis_->catalog();
    dirty_ = false;
    aucPendingFor_ = -1;
    Q_EMIT cleared();
}

void RunCollector::begin(int, int alreadyDone)
{
    if (auto* controller = qobject_cast<DetectionController*>(sender()))
        settings_ = controller->settings();
    // The copy-head list file names the ECS columns, in the Detector's order (the Detector refuses a bad one).
    if (settings_.copyHeads.empty() && !settings_.copyHeadsFile.empty()) {
        try {
            settings_.copyHeads = detect::loadCopyHeads(settings_.copyHeadsFile);
        } catch (const std::exception&) {
            settings_.copyHeads.clear();
        }
    }
    // A resumed run continues the table it had; a run that starts from nothing (alreadyDone 0)
    // is a new document and replaces whatever was adopted or collected before. The catalog starts
    // as the opened dataset's (prompts, spans), which the pushed tables then carry along.
    if (alreadyDone == 0 || count() == 0)
        reset();
    pushTimer_->start();
}

void RunCollector::join(const std::vector<results::SampleResult>& results, const SampleCatalog& catalog)
{
    addMissing(catalog_, catalog);
    const int before = count();
    for (const results::SampleResult& r : results)
        add(r);
    analysis_->updateCatalog(catalog_); // the texts show at once, before the next push is scored
    if (count() > before && !pushTimer_->isActive()) // the run is over: its final scoring left these out
        end();
}

void RunCollector::add(const results::SampleResult& r)
{
    const QString id = QString::fromStdString(r.sampleId);
    if (results_.contains(id))
        return; // a resumed run never reports a sample twice, but be safe
    results_.insert(id, r);
    order_.push_back(id);
    appendRows(r);

    SampleInfo info = catalog_.contains(id) ? catalog_.value(id) : analysis_->catalog().value(id);
    info.id = id;
    info.sourceId = QString::fromStdString(r.sourceId);
    info.taskType = QString::fromStdString(r.taskType);
    info.tokenCount = static_cast<int>(r.responseTokens.size());
    if (info.response.isEmpty()) {
        QByteArray text;
        for (const results::TokenInfo& t : r.responseTokens)
            text += QByteArray::fromStdString(t.text);
        info.response = QString::fromUtf8(text);
    }
    catalog_.insert(id, info);
    dirty_ = true;
    Q_EMIT added(id);
}

void RunCollector::appendRows(const results::SampleResult& r)
{
    analysis::FeatureTable& t = *table_;
    if (t.rows() == 0 && t.ecsNames.empty() && !r.units.empty()) {
        // The run's own names: its heads and layers, or (all of them) the captured heads and every layer in order.
        const std::size_t nE = r.units.front().ecs.size(), nP = r.units.front().pks.size();
        std::vector<std::pair<int, int>> heads = settings_.copyHeads;
        if (heads.empty())
            for (const results::AttentionSummary& a : r.attention) heads.emplace_back(a.layer, a.head);
        std::vector<int> layers = settings_.layers;
        if (layers.empty())
            for (std::size_t k = 0; k < nP; ++k) layers.push_back(static_cast<int>(k));
        std::vector<std::string> ecs = results::headColumns(heads), pks = results::layerColumns(layers);
        if (ecs.size() != nE) ecs.clear();
        if (pks.size() != nP) pks.clear();
        t.ecsNames = results::ecsColumnsFor(std::move(ecs), nE);
        t.pksNames = results::pksColumnsFor(std::move(pks), nP);
    }
    try {
        results::appendResult(t, r, "live run");
    } catch (const std::exception& e) {
        qWarning("%s", e.what()); // a malformed result would shift every later row: left out
    }
}

bool RunCollector::hasBothClasses() const
{
    bool pos = false, neg = false;
    for (int l : table_->rowLabel)
        (l ? pos : neg) = true;
    return pos && neg;
}

void RunCollector::flush(bool live)
{
    if (!dirty_ || !hasBothClasses())
        return; // ranking features needs both classes
    dirty_ = false;
    // AnalysisState keeps its own immutable copy (scored on a worker); we keep appending to ours.
    // The running AUC trace is ReDeEP's (what live pushes are scored with): a final push scored by a
    // learned method adds no point to it.
    aucPendingFor_ = live || analysis_->scorer() == QLatin1String("redeep") ? count() : -1;
    QElapsedTimer copyTime;
    copyTime.start();
    auto snapshot = std::make_shared<const analysis::FeatureTable>(*table_);
    // Big token-level tables take a while to copy: push less often so the copies stay under ~2 %
    // of the GUI thread's time.
    copyMs_ = copyTime.elapsed();
    pushTimer_->setInterval(std::max<qint64>(kPushIntervalMs, copyMs_ * 50));
    pushClock_.start();
    analysis_->setTableAsync(std::move(snapshot), catalog_, tr("live run"), live);
}

void RunCollector::onScoresReady()
{
    if (pushClock_.isValid() && pushTimer_->isActive()) {
        // ...and their scoring, on a background thread, under a quarter of a core: it competes with
        // the detection for the cores, and back to back it would slow the run down as the table grows.
        const qint64 interval = std::max<qint64>({kPushIntervalMs, copyMs_ * 50, pushClock_.elapsed() * 4});
        if (interval != pushTimer_->interval())
            pushTimer_->setInterval(int(interval));
    }
    pushClock_.invalidate();
    if (aucPendingFor_ < 0)
        return;
    const auto& s = analysis_->scores();
    bool pos = false, neg = false;
    for (int l : s.label)
        (l ? pos : neg) = true;
    if (pos && neg)
        Q_EMIT runningAucChanged(int(s.ids.size()), analysis::rocAucFast(s.score, s.label));
    aucPendingFor_ = -1;
}

void RunCollector::putInScoringOrder()
{
    std::vector<const results::SampleResult*> rs;
    for (const QString& id : order_)
        rs.push_back(&results_[id]);
    const auto before = [](const results::SampleResult* a, const results::SampleResult* b) {
        return session::scoredBefore(std::size_t(a->totalTokens), a->sampleId, std::size_t(b->totalTokens), b->sampleId);
    };
    if (std::is_sorted(rs.begin(), rs.end(), before))
        return;
    std::stable_sort(rs.begin(), rs.end(), before);
    auto t = std::make_shared<analysis::FeatureTable>();
    t->ecsNames = table_->ecsNames;
    t->pksNames = table_->pksNames;
    for (const results::SampleResult* r : rs) {
        try {
            results::appendResult(*t, *r, "live run");
        } catch (const std::exception&) {
            // left out of the live table too (appendRows)
        }
    }
    table_ = std::move(t);
}

void RunCollector::end()
{
    pushTimer_->stop();
    putInScoringOrder();
    // The last push is not live: it is scored with the chosen scorer (a learned one runs its
    // cross-validation now), even when every sample was already pushed.
    dirty_ = dirty_ || (table_ && table_->rows() > 0);
    flush(false);
}

} // namespace hs::ui
