// ReportWriter::html: the report body, shared by the HTML and PDF outputs.
#include "ui/reports/report_writer.h"

#include "ui/models/analysis_state.h"
#include "ui/models/feature_ranking_model.h"
#include "ui/panels/heads_panel.h"
#include "ui/plots/plot_widget.h"
#include "ui/panels/threshold_panel.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <numeric>

namespace hs::ui {

namespace {
constexpr int kPlotWidth = 560, kPlotHeight = 400;
constexpr int kRankingRows = 20, kConfidentRows = 10;

QString esc(const QString& s) { return s.toHtmlEscaped(); }

QString num(double v, int digits = 4) { return QString::number(v, 'f', digits); }

QString ci(const QJsonObject& i)
{
    return QStringLiteral("%1 <span class='ci'>[%2, %3]</span>")
        .arg(num(i["point"].toDouble()), num(i["lo"].toDouble()), num(i["hi"].toDouble()));
}

const char* kStyle = R"(
body { font-family: sans-serif; margin: 2em; color: #222; max-width: 1200px; }
h1 { font-size: 1.6em; } h2 { font-size: 1.2em; border-bottom: 1px solid #ccc; padding-bottom: 2px; margin-top: 1.6em; }
table { border-collapse: collapse; margin: 0.5em 0; }
td, th { border: 1px solid #ccc; padding: 3px 8px; text-align: left; font-size: 0.9em; }
th { background: #f0f0f0; } td.num { text-align: right; } .ci { color: #666; font-size: 0.9em; }
img { margin: 4px; border: 1px solid #ddd; } .snippet { color: #444; font-size: 0.85em; }
)";
} // namespace

QString ReportWriter::html(bool forPdf, QMap<QString, QByteArray>* images)
{
    const QJsonObject sum = summary();
    const QJsonObject m = sum["metrics"].toObject();
    const QJsonObject settings = sum["settings"].toObject();
    const QJsonObject dataset = sum["dataset"].toObject();

    auto image = [&](PlotWidget* plot, const QString& name, const QString& alt) {
        const QByteArray png = plot->toPngBytes(kPlotWidth, kPlotHeight);
        if (forPdf) {
            if (images)
                images->insert(name, png);
            return QStringLiteral("<img src='%1' width='%2' alt='%3'>").arg(name).arg(kPlotWidth / 2 + 60).arg(esc(alt));
        }
        return QStringLiteral("<img src='data:image/png;base64,%1' width='%2' height='%3' alt='%4'>")
            .arg(QString::fromLatin1(png.toBase64())).arg(kPlotWidth).arg(kPlotHeight).arg(esc(alt));
    };

    QString h;
    h += QStringLiteral("<!DOCTYPE html><html><head><meta charset='utf-8'><title>%1</title>"
                        "<style>%2</style></head><body>")
             .arg(esc(reportTitle(settings["source"].toString())), QString::fromLatin1(kStyle));
    h += QStringLiteral("<h1>HalluScope report</h1><p>%1 · generated %2</p>")
             .arg(esc(settings["source"].toString()), esc(sum["created"].toString()));

    h += QStringLiteral("<h2>Settings</h2><table>");
    for (auto it = settings.begin(); it != settings.end(); ++it) {
        QString v = it.value().isArray()
            ? esc(QString::fromUtf8(QJsonDocument(it.value().toArray()).toJson(QJsonDocument::Compact)))
            : esc(it.value().toVariant().toString());
        h += QStringLiteral("<tr><th>%1</th><td>%2</td></tr>").arg(esc(it.key()), v);
    }
    h += QStringLiteral("</table>");

    h += QStringLiteral("<h2>Dataset</h2><table><tr><th>Responses</th><td class='num'>%1</td></tr>"
                        "<tr><th>Scored rows (chunks / tokens)</th><td class='num'>%2</td></tr>"
                        "<tr><th>Hallucinated rows</th><td class='num'>%3</td></tr>"
                        "<tr><th>Features</th><td>%4 copy heads (ECS), %5 layers (PKS)</td></tr>")
             .arg(dataset["responses"].toInt()).arg(dataset["rows"].toInt()).arg(dataset["positiveRows"].toInt())
             .arg(dataset["ecsFeatures"].toInt()).arg(dataset["pksFeatures"].toInt());
    const QJsonObject tasks = dataset["taskTypes"].toObject();
    for (auto it = tasks.begin(); it != tasks.end(); ++it)
        h += QStringLiteral("<tr><th>Task %1</th><td class='num'>%2</td></tr>").arg(esc(it.key())).arg(it.value().toInt());
    h += QStringLiteral("</table>");

    const QJsonObject c = m["confusion"].toObject();
    h += QStringLiteral("<h2>Metrics</h2><p>Response level, %1 responses (%2 hallucinated). "
                        "Intervals: 95 % percentile bootstrap, %3 resamples.</p><table>"
                        "<tr><th>ROC AUC</th><td class='num'>%4</td></tr>"
                        "<tr><th>Pearson r</th><td class='num'>%5</td></tr>"
                        "<tr><th>F1 at threshold %6%11</th><td class='num'>%7</td></tr>"
                        "<tr><th>Precision / recall / accuracy</th><td class='num'>%8 / %9 / %10</td></tr></table>")
             .arg(m["responses"].toInt()).arg(m["hallucinated"].toInt())
             .arg(m["bootstrap"].toObject()["reps"].toInt())
             .arg(ci(m["auc"].toObject()), ci(m["pearson"].toObject()), num(m["threshold"].toDouble(), 5),
                  ci(m["f1"].toObject()), num(m["precision"].toDouble(), 3), num(m["recall"].toDouble(), 3),
                  num(m["accuracy"].toDouble(), 3),
                  m["thresholdInSample"].toBool()
                      ? QObject::tr(" (in-sample: the threshold was chosen for the best F1 on these same scores)")
                      : QObject::tr(" (chosen by the user)"));
    h += QStringLiteral("<p>Scores: %1 — %2.</p>")
             .arg(esc(scorerTitle(m["scorer"].toString())), esc(m["scores"].toString()));
    h += QStringLiteral("<table><tr><th></th><th>gold hallucinated</th><th>gold faithful</th></tr>"
                        "<tr><th>flagged</th><td class='num'>%1</td><td class='num'>%2</td></tr>"
                        "<tr><th>passed</th><td class='num'>%3</td><td class='num'>%4</td></tr></table>")
             .arg(c["tp"].toInt()).arg(c["fp"].toInt()).arg(c["fn"].toInt()).arg(c["tn"].toInt());

    h += QStringLiteral("<h2>Curves</h2><p>");
    h += image(threshold_.rocPlot(), "roc.png", "ROC curve");
    h += image(threshold_.prPlot(), "pr.png", "Precision-recall curve");
    h += image(threshold_.f1Plot(), "f1.png", "F1 versus threshold");
    h += QStringLiteral("</p>");

    h += QStringLiteral("<h2>Head ranking</h2><p>");
    h += image(heads_.heatmapPlot(), "heads.png", "Layer by head heatmap");
    h += QStringLiteral("</p><table><tr><th>#</th><th>Feature</th><th>Kind</th><th>AUC</th><th>Pearson</th><th>MI</th></tr>");
    const auto& ranking = heads_.rankingModel()->scores();
    for (std::size_t i = 0; i < ranking.size() && int(i) < kRankingRows; ++i) {
        const auto& f = ranking[i];
        h += QStringLiteral("<tr><td class='num'>%1</td><td>%2</td><td>%3</td><td class='num'>%4</td>"
                            "<td class='num'>%5</td><td class='num'>%6</td></tr>")
                 .arg(i + 1).arg(esc(QString::fromStdString(f.name)), f.isEcs ? "ECS head" : "PKS layer",
                                 num(f.auc), num(f.pearson), num(f.mi));
    }
    h += QStringLiteral("</table>");

    // The extremes of the score: the most suspicious responses (likely hallucinated) and the least
    // suspicious ones (likely faithful).
    const auto& s = analysis_.scores();
    std::vector<std::size_t> order(s.ids.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return s.score[a] > s.score[b]; });
    auto sampleTable = [&](const QString& title, auto begin, auto end) {
        h += QStringLiteral("<h2>%1</h2><table><tr><th>ID</th><th>Task</th><th>Gold</th><th>Score</th><th>Response</th></tr>")
                 .arg(title);
        int n = 0;
        for (auto it = begin; it != end && n < kConfidentRows; ++it, ++n) {
            const QString id = QString::fromStdString(s.ids[*it]);
            const SampleInfo info = analysis_.catalog().value(id);
            h += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td class='num'>%4</td><td class='snippet'>%5</td></tr>")
                     .arg(esc(id), esc(info.taskType), s.label[*it] ? "hallucinated" : "faithful", num(s.score[*it]),
                          esc(info.response.left(220)) + (info.response.size() > 220 ? "…" : ""));
        }
        h += QStringLiteral("</table>");
    };
    sampleTable(QObject::tr("Most suspicious: likely hallucinated"), order.begin(), order.end());
    sampleTable(QObject::tr("Least suspicious: likely faithful"), order.rbegin(), order.rend());

    if (!forPdf) // machine-readable copy of the numbers, for tools and tests
        h += QStringLiteral("<script type='application/json' id='halluscope-data'>%1</script>")
                 .arg(QString::fromUtf8(QJsonDocument(sum).toJson(QJsonDocument::Compact)).replace("</", "<\\/"));
    h += QStringLiteral("</body></html>");
    return h;
}

} // namespace hs::ui
