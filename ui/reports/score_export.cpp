#include "ui/reports/score_export.h"

#include "ui/models/analysis_state.h"
#include "ui/models/session_scores.h"

#include <QFileInfo>

#include <sstream>

namespace hs::ui {

std::string shownScoresExport(const AnalysisState& state, const QString& sessionPath, session::ExportFormat format)
{
    const analysis::ResponseScores& s = state.scores();
    std::vector<session::SampleScoreRow> rows;
    nlohmann::json run = nlohmann::json::object();
    if (!sessionPath.isEmpty() && QFileInfo::exists(sessionPath)) {
        std::map<std::string, double> byId;
        for (std::size_t i = 0; i < s.ids.size(); ++i)
            byId[s.ids[i]] = s.score[i];
        const session::SessionStore store = session::SessionStore::openReadOnly(sessionPath.toStdString());
        rows = session::sampleScoreRows(store.loadResults(), byId);
        run = session::runJson(store);
    } else {
        const analysis::FeatureTable& t = state.table();
        std::vector<long long> units(t.responseIds.size(), 0);
        for (int r : t.rowResponse)
            ++units[r];
        for (std::size_t i = 0; i < s.ids.size(); ++i) {
            const SampleInfo info = state.catalog().value(QString::fromStdString(s.ids[i]));
            session::SampleScoreRow row;
            row.id = s.ids[i];
            row.sourceId = info.sourceId.toStdString();
            row.task = info.taskType.toStdString();
            row.label = s.label[i];
            row.score = s.score[i];
            if (i < s.response.size() && s.response[i] >= 0 && std::size_t(s.response[i]) < units.size())
                row.units = units[s.response[i]];
            rows.push_back(std::move(row));
        }
        run["source"] = state.sourceName().toStdString();
    }
    std::ostringstream out;
    session::writeSampleScores(rows, shownScoreOrigin(state), format, out, run);
    return out.str();
}

} // namespace hs::ui
