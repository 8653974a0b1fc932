#include "ui/models/session_view_state.h"

#include "ui/models/analysis_state.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <algorithm>

namespace hs::ui {

namespace {
QJsonArray names(const std::vector<int>& columns, const std::vector<std::string>& all)
{
    QJsonArray out;
    for (int c : columns)
        out.append(QString::fromStdString(all[c]));
    return out;
}

std::vector<int> columnsOf(const QJsonArray& wanted, const std::vector<std::string>& all)
{
    std::vector<int> out;
    for (const QJsonValue& v : wanted) {
        const auto it = std::find(all.begin(), all.end(), v.toString().toStdString());
        if (it != all.end())
            out.push_back(int(it - all.begin()));
    }
    return out;
}
} // namespace

QString viewStatePath(const QString& sessionPath) { return sessionPath + QStringLiteral(".view.json"); }

QJsonObject captureViewState(const AnalysisState& state)
{
    const analysis::RedeepParams& p = state.params();
    QJsonObject view{{"scorer", state.scorer()},
                     {"thresholdChosen", state.thresholdChosen()},
                     {"threshold", state.threshold()},
                     {"handPicked", state.handPicked()},
                     {"topN", p.topN}, {"topK", p.topK}, {"alpha", p.alpha}};
    if (state.hasData()) {
        view.insert("heads", names(state.selection().ecs, state.table().ecsNames));
        view.insert("layers", names(state.selection().pks, state.table().pksNames));
    }
    return view;
}

bool saveViewState(const AnalysisState& state, const QString& sessionPath, QString* error)
{
    QSaveFile file(viewStatePath(sessionPath));
    const QByteArray bytes = QJsonDocument(captureViewState(state)).toJson();
    if (file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit())
        return true;
    if (error)
        *error = QObject::tr("Could not write %1: %2").arg(file.fileName(), file.errorString());
    return false;
}

QJsonObject loadViewState(const QString& sessionPath)
{
    QFile file(viewStatePath(sessionPath));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

QString applyViewState(AnalysisState& state, const QJsonObject& view)
{
    if (view.isEmpty() || !state.hasData())
        return {};
    analysis::RedeepParams p = state.params();
    p.topN = view.value("topN").toInt(p.topN);
    p.topK = view.value("topK").toInt(p.topK);
    p.alpha = view.value("alpha").toDouble(p.alpha);
    analysis::Selection sel;
    sel.ecs = columnsOf(view.value("heads").toArray(), state.table().ecsNames);
    sel.pks = columnsOf(view.value("layers").toArray(), state.table().pksNames);
    const bool handPicked = view.value("handPicked").toBool() && !(sel.ecs.empty() && sel.pks.empty());
    state.restoreSelection(p, sel, handPicked);
    if (view.value("thresholdChosen").toBool()) {
        state.setThresholdChosen(true);
        state.setThreshold(view.value("threshold").toDouble(state.threshold()));
    }
    return view.value("scorer").toString();
}

} // namespace hs::ui
