#include "ui/models/session_scores.h"

#include "ui/models/session_view_state.h"
#include "ui/panels/log_panel.h"
#include "ui/run/detection_controller.h"

#include <QCryptographicHash>
#include <QFileInfo>

#include <algorithm>

namespace hs::ui {

namespace {

nlohmann::json featureNames(const std::vector<int>& columns, const std::vector<std::string>& names)
{
    nlohmann::json out = nlohmann::json::array();
    for (int c : columns)
        out.push_back(names[c]);
    return out;
}

QStringList selectedFeatures(const AnalysisState& state)
{
    QStringList out;
    for (int c : state.selection().ecs)
        out << QString::fromStdString(state.table().ecsNames[c]);
    for (int c : state.selection().pks)
        out << QString::fromStdString(state.table().pksNames[c]);
    return out;
}

// The responses of a table in their order: cross-validation folds depend on it, so held-out scores
// are the numbers a table gives only when its responses come in the same order.
std::string responseOrderKey(const analysis::FeatureTable& table)
{
    QByteArray ids;
    for (const std::string& id : table.responseIds)
        ids += QByteArray::fromStdString(id) + '\n';
    return QCryptographicHash::hash(ids, QCryptographicHash::Sha1).toHex().toStdString();
}

// What the Shown note adds to scores shown from a session; not part of how they were made.
QString storedSuffix() { return QObject::tr("; stored in the session"); }

} // namespace

session::ScoreOrigin shownScoreOrigin(const AnalysisState& state)
{
    session::ScoreOrigin o;
    o.method = state.shownScorer().toStdString();
    const bool learned = state.shownScorer() != QLatin1String("redeep");
    o.mode = learned ? "cv" : "in-sample";
    o.threshold = state.threshold();
    QString note = state.scorerNote();
    if (note.endsWith(storedSuffix())) // shown as reopened: the note says how they were made
        note.chop(storedSuffix().size());
    o.details = {{"note", note.toStdString()}, {"hand_picked", state.handPicked()}};
    if (learned) {
        if (state.hasData())
            o.details["response_order"] = responseOrderKey(state.table());
        o.details["folds"] = kScorerFolds;
        o.details["seed"] = kScorerSeed;
        o.details["threshold_mode"] = "in-sample";
    } else {
        const analysis::RedeepParams& p = state.params();
        o.details.update({{"top_n", p.topN}, {"top_k", p.topK}, {"alpha", p.alpha}, {"m", p.m}});
    }
    if (state.hasData() && (!learned || state.handPicked())) {
        o.details["heads"] = featureNames(state.selection().ecs, state.table().ecsNames);
        o.details["layers"] = featureNames(state.selection().pks, state.table().pksNames);
    }
    return o;
}

bool storeShownScores(const AnalysisState& state, const QString& sessionPath, QString* error)
{
    try {
        if (!state.hasData())
            throw std::runtime_error(QObject::tr("no scores are shown").toStdString());
        if (!QFileInfo::exists(sessionPath)) // a read-write open would create it
            throw std::runtime_error(QObject::tr("there is no such file").toStdString());
        session::SessionStore store(sessionPath.toStdString());
        session::storeScores(store, shownScoreOrigin(state), state.scores());
        return true;
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
}

std::optional<StoredScores> storedScoresFor(const nlohmann::json& metrics, const analysis::FeatureTable& table)
{
    const session::ScoreOrigin origin = session::scoreOrigin(metrics);
    const QString method = QString::fromStdString(origin.method);
    if (!scorerMethods().contains(method))
        return std::nullopt;
    StoredScores s;
    s.method = method;
    const nlohmann::json& d = origin.details;
    const std::string note = d.contains("note") && d["note"].is_string() ? d["note"].get<std::string>() : origin.method;
    s.note = QString::fromStdString(note) + storedSuffix();
    s.handPicked = d.value("hand_picked", false);
    for (const char* key : {"heads", "layers"})
        if (d.contains(key) && d[key].is_array())
            for (const auto& name : d[key])
                if (name.is_string())
                    s.features << QString::fromStdString(name.get<std::string>());
    const std::map<std::string, double> byId = session::sampleScores(metrics);
    if (byId.size() != table.responseIds.size())
        return s; // of fewer (or other) samples than the session holds now
    if (method != QLatin1String("redeep") && d.value("response_order", std::string()) != responseOrderKey(table))
        return s; // made on the responses in another order (other folds): not what this table gives
    analysis::ResponseScores scores;
    for (std::size_t i = 0; i < table.responseIds.size(); ++i) {
        const auto it = byId.find(table.responseIds[i]);
        if (it == byId.end())
            return s;
        scores.ids.push_back(it->first);
        scores.score.push_back(it->second);
        scores.label.push_back(table.responseLabels[i]);
        scores.response.push_back(int(i));
    }
    s.scores = std::move(scores);
    return s;
}

QString restoreSessionView(AnalysisState& state, const QString& sessionPath, const std::optional<StoredScores>& stored)
{
    const QString viewScorer = applyViewState(state, loadViewState(sessionPath));
    if (!stored || !(viewScorer.isEmpty() || viewScorer == stored->method))
        return viewScorer; // the view (saved with the scores) names another scorer: it wins
    const bool sameSelection = stored->handPicked == state.handPicked()
                               && (!stored->handPicked || stored->features == selectedFeatures(state));
    if (stored->method != QLatin1String("redeep") && !stored->scores.ids.empty() && sameSelection)
        state.showStoredScores(*stored);
    return stored->method;
}

SessionScoreKeeper::SessionScoreKeeper(AnalysisState* analysis, DetectionController* controller, LogPanel* log,
                                       QObject* parent)
    : QObject(parent), analysis_(analysis), controller_(controller), log_(log)
{
    // Connected after the run collector's end(), which starts the final scoring (with the chosen scorer).
    connect(controller_, &DetectionController::finished, this, [this] {
        pending_ = QString::fromStdString(controller_->settings().sessionPath);
        if (!QFileInfo::exists(pending_)) // a run that wrote no session (a scripted one in tests)
            pending_.clear();
        if (!analysis_->isScoring())
            storePending();
    });
    connect(controller_, &DetectionController::runStarted, this, [this] { pending_.clear(); });
    connect(analysis_, &AnalysisState::documentBegun, this, [this] { pending_.clear(); });
    connect(analysis_, &AnalysisState::scoringChanged, this, [this](bool busy) {
        if (!busy)
            storePending();
    });
}

void SessionScoreKeeper::storePending()
{
    const QString path = pending_;
    pending_.clear();
    if (!path.isEmpty() && analysis_->hasData()) // a run that scored nothing leaves the session as it is
        store(path);
}

bool SessionScoreKeeper::store(const QString& sessionPath)
{
    QString error;
    if (!storeShownScores(*analysis_, sessionPath, &error)) {
        log_->addWarning(tr("The scores were not stored in %1: %2").arg(QFileInfo(sessionPath).fileName(), error));
        return false;
    }
    log_->addInfo(tr("Stored the %1 scores of %2 responses in %3 (export --level sample shows them)")
                      .arg(scorerTitle(analysis_->shownScorer()))
                      .arg(analysis_->scores().ids.size())
                      .arg(QFileInfo(sessionPath).fileName()));
    return true;
}

} // namespace hs::ui
