#include "ui/run/run_collector.h"

#include "ui/models/analysis_state.h"
#include "ui/run/detection_controller.h"

#include "core/analysis/metrics.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

#include <algorithm>

namespace hs::ui {

namespace {
constexpr int kPushIntervalMs = 1000;

// The copy-head list file ([[layer, head], ...]) names the ECS columns, in the Detector's order.
std::vector<std::pair<int, int>> readCopyHeads(const QString& path)
{
    std::vector<std::pair<int, int>> heads;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return heads;
    for (const QJsonValue& v : QJsonDocument::fromJson(file.readAll()).array())
        heads.emplace_back(v.toArray().at(0).toInt(), v.toArray().at(1).toInt());
    return heads;
}
} // namespace

RunCollector::RunCollector(AnalysisState* analysis, QObject* parent)
    : QObject(parent), analysis_(analysis), table_(std::make_shared<analysis::FeatureTable>())
{
    pushTimer_ = new QTimer(this);
    pushTimer_->setInterval(kPushIntervalMs);
    connect(pushTimer_, &QTimer::timeout, this, [this] { flush(true); });
    connect(analysis_, &AnalysisState::tableChanged, this, &RunCollector::onScoresReady);
}

const detect::SampleResult* RunCollector::result(const QString& id) const
{
    const auto it = results_.constFind(id);
    return it == results_.constEnd() ? nullptr : &it.value();
}

void RunCollector::adopt(const std::vector<detect::SampleResult>& results, const analysis::FeatureTable& table)
{
    results_.clear();
    order_.clear();
    catalog_ = analysis_->catalog();
    table_ = std::make_shared<analysis::FeatureTable>(table);
    for (const detect::SampleResult& r : results) {
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
    if (settings_.copyHeads.empty() && !settings_.copyHeadsFile.empty())
        settings_.copyHeads = readCopyHeads(QString::fromStdString(settings_.copyHeadsFile));
    // A resumed run continues the table it had; a run that starts from nothing (alreadyDone 0)
    // is a new document and replaces whatever was adopted or collected before. The catalog starts
    // as the opened dataset's (prompts, spans), which the pushed tables then carry along.
    if (alreadyDone == 0 || count() == 0)
        reset();
    pushTimer_->start();
}

void RunCollector::add(const detect::SampleResult& r)
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
        for (const detect::TokenInfo& t : r.responseTokens)
            text += QByteArray::fromStdString(t.text);
        info.response = QString::fromUtf8(text);
    }
    catalog_.insert(id, info);
    dirty_ = true;
    Q_EMIT added(id);
}

void RunCollector::appendRows(const detect::SampleResult& r)
{
    analysis::FeatureTable& t = *table_;
    if (t.ecsNames.empty() && !r.units.empty()) {
        const std::size_t nE = r.units.front().ecs.size(), nP = r.units.front().pks.size();
        for (std::size_t k = 0; k < nE; ++k)
            t.ecsNames.push_back(k < settings_.copyHeads.size()
                ? "(" + std::to_string(settings_.copyHeads[k].first) + ", " + std::to_string(settings_.copyHeads[k].second) + ")"
                : (k < r.attention.size()
                    ? "(" + std::to_string(r.attention[k].layer) + ", " + std::to_string(r.attention[k].head) + ")"
                    : "ecs_" + std::to_string(k)));
        for (std::size_t k = 0; k < nP; ++k)
            t.pksNames.push_back("layer_" + std::to_string(k < settings_.layers.size() ? settings_.layers[k] : int(k)));
    }
    const int response = static_cast<int>(t.responseIds.size());
    t.responseIds.push_back(r.sampleId);
    t.responseLabels.push_back(r.responseLabel);
    for (const detect::ScoredUnit& u : r.units) {
        if (u.ecs.size() != t.numEcs() || u.pks.size() != t.numPks())
            continue; // a malformed unit would shift every later row
        t.rowResponse.push_back(response);
        t.rowLabel.push_back(u.label);
        t.ecs.insert(t.ecs.end(), u.ecs.begin(), u.ecs.end());
        t.pks.insert(t.pks.end(), u.pks.begin(), u.pks.end());
        t.rowTokenBegin.push_back(u.tokenBegin);
        t.rowTokenEnd.push_back(u.tokenEnd);
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

void RunCollector::end()
{
    pushTimer_->stop();
    // The last push is not live: it is scored with the chosen scorer (a learned one runs its
    // cross-validation now), even when every sample was already pushed.
    dirty_ = dirty_ || (table_ && table_->rows() > 0);
    flush(false);
}

} // namespace hs::ui
