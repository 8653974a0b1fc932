#include "ui/reports/report_writer.h"

#include "ui/models/analysis_state.h"
#include "ui/panels/threshold_panel.h"
#include "ui/reports/score_export.h"

#include "core/analysis/metrics.h"
#include "core/util/csv.h"

#include <QDateTime>
#include <QFile>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QPrinter>
#include <QSaveFile>
#include <QAbstractTextDocumentLayout>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>

namespace hs::ui {

namespace {
constexpr int kBootstrapReps = 1000;
constexpr std::uint64_t kBootstrapSeed = 20240601; // fixed: the same data gives the same report

QJsonObject intervalJson(const analysis::Interval& i)
{
    return QJsonObject{{"point", i.point}, {"lo", i.lo}, {"hi", i.hi}};
}

bool saveBytes(const QString& path, const QByteArray& bytes, QString* error)
{
    QSaveFile file(path); // never leaves a half-written report behind
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = QObject::tr("Could not write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}
} // namespace

ReportWriter::ReportWriter(const AnalysisState& analysis, ThresholdPanel& threshold, HeadsPanel& heads,
                           detect::RunSettings settings)
    : analysis_(analysis), threshold_(threshold), heads_(heads), settings_(std::move(settings))
{
}

bool ReportWriter::write(const QString& path, QString* error)
{
    if (!analysis_.hasData()) {
        if (error)
            *error = QObject::tr("Nothing to report: no scores are loaded.");
        return false;
    }
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == "html" || suffix == "htm")
        return writeHtml(path, error);
    if (suffix == "pdf")
        return writePdf(path, error);
    if (suffix == "csv")
        return writeScores(path, session::ExportFormat::Csv, error);
    if (suffix == "json")
        return writeScores(path, session::ExportFormat::Json, error);
    if (error)
        *error = QObject::tr("Unknown report format '%1': use .html, .pdf, .csv or .json").arg(suffix);
    return false;
}

QJsonObject ReportWriter::metricsObject()
{
    if (!metricsCache_.isEmpty())
        return metricsCache_;
    const auto& s = analysis_.scores();
    const double t = analysis_.threshold();
    const analysis::Confusion c = analysis::confusionAt(s.score, s.label, t);
    metricsCache_ = QJsonObject{
        {"responses", int(s.ids.size())},
        {"hallucinated", int(std::count(s.label.begin(), s.label.end(), 1))},
        {"threshold", t},
        // A threshold that maximises F1 on these very scores flatters its F1: say so.
        {"thresholdInSample", !analysis_.thresholdChosen()
                                  || t == analysis::bestF1(s.score, s.label).threshold},
        {"scorer", analysis_.shownScorer()},
        {"scores", analysis_.scorerNote()},
        {"auc", intervalJson(analysis::bootstrapAuc(s.score, s.label, kBootstrapReps, kBootstrapSeed))},
        {"pearson", intervalJson(analysis::bootstrapPearson(s.score, s.label, kBootstrapReps, kBootstrapSeed))},
        {"f1", intervalJson(analysis::bootstrapF1(s.score, s.label, t, kBootstrapReps, kBootstrapSeed))},
        {"precision", c.precision},
        {"recall", c.recall},
        {"accuracy", c.accuracy},
        {"confusion", QJsonObject{{"tp", int(c.tp)}, {"fp", int(c.fp)}, {"tn", int(c.tn)}, {"fn", int(c.fn)}}},
        {"bootstrap", QJsonObject{{"reps", kBootstrapReps}, {"seed", QString::number(kBootstrapSeed)}, {"level", 0.95}}},
    };
    return metricsCache_;
}

QJsonObject ReportWriter::summary()
{
    const analysis::FeatureTable& t = analysis_.table();
    const analysis::RedeepParams& p = analysis_.params();
    QJsonArray ecs, pks;
    for (int i : analysis_.selection().ecs)
        ecs.append(QString::fromStdString(t.ecsNames[i]));
    for (int i : analysis_.selection().pks)
        pks.append(QString::fromStdString(t.pksNames[i]));
    QJsonObject settings{{"source", analysis_.sourceName()},
                         {"topN", p.topN}, {"topK", p.topK}, {"alpha", p.alpha}, {"m", p.m},
                         {"selectedHeads", ecs}, {"selectedLayers", pks},
                         {"scorer", analysis_.scorer()}, {"scores", analysis_.scorerNote()}};
    if (!settings_.modelDir.empty()) {
        settings.insert("model", QString::fromStdString(settings_.modelDir));
        settings.insert("dataset", QString::fromStdString(settings_.datasetPath));
        settings.insert("profile", QString::fromStdString(settings_.profile));
        settings.insert("level", QString::fromLatin1(results::levelName(settings_.level)));
        settings.insert("mode", QString::fromLatin1(results::modeName(settings_.mode)));
    }
    QMap<QString, int> tasks;
    for (const std::string& id : analysis_.scores().ids) {
        const QString task = analysis_.catalog().value(QString::fromStdString(id)).taskType;
        ++tasks[task.isEmpty() ? QObject::tr("unknown") : task];
    }
    QJsonObject taskCounts;
    for (auto it = tasks.begin(); it != tasks.end(); ++it)
        taskCounts.insert(it.key(), it.value());
    QJsonObject dataset{{"responses", int(t.responseIds.size())}, {"rows", int(t.rows())},
                        {"positiveRows", int(std::count(t.rowLabel.begin(), t.rowLabel.end(), 1))},
                        {"ecsFeatures", int(t.numEcs())}, {"pksFeatures", int(t.numPks())},
                        {"taskTypes", taskCounts}};
    return QJsonObject{{"generator", "HalluScope"},
                       {"created", QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
                       {"settings", settings}, {"dataset", dataset}, {"metrics", metricsObject()}};
}

bool ReportWriter::writeHtml(const QString& path, QString* error)
{
    return saveBytes(path, html(false, nullptr).toUtf8(), error);
}

QString reportTitle(const QString& source)
{
    return QObject::tr("HalluScope report — %1").arg(source);
}

int keepHeadingsWithContent(QTextDocument& doc, double keepFraction)
{
    const double page = doc.pageSize().height();
    if (page <= 0)
        return 0;
    int moved = 0;
    QAbstractTextDocumentLayout* layout = doc.documentLayout();
    for (QTextBlock b = doc.begin(); b.isValid(); b = b.next()) {
        if (b.blockFormat().headingLevel() == 0)
            continue;
        const QRectF r = layout->blockBoundingRect(b);
        const int first = int(r.top() / page);
        if (int((r.bottom() + keepFraction * page) / page) == first)
            continue; // heading and a good share of what follows fit on its page
        QTextCursor c(b);
        QTextBlockFormat f = b.blockFormat();
        f.setPageBreakPolicy(QTextFormat::PageBreak_AlwaysBefore);
        c.setBlockFormat(f); // later blocks move down; their rects are taken after this relayout
        ++moved;
    }
    return moved;
}

bool ReportWriter::writePdf(const QString& path, QString* error)
{
    QMap<QString, QByteArray> images;
    QTextDocument doc;
    const QString text = html(true, &images);
    for (auto it = images.begin(); it != images.end(); ++it) {
        QImage image;
        image.loadFromData(it.value(), "PNG");
        doc.addResource(QTextDocument::ImageResource, QUrl(it.key()), image);
    }
    doc.setHtml(text);
    QPrinter printer(QPrinter::HighResolution);
    printer.setOutputFormat(QPrinter::PdfFormat);
    printer.setOutputFileName(path);
    printer.setPageSize(QPageSize(QPageSize::A4));
    printer.setDocName(reportTitle(summary()["settings"].toObject()["source"].toString())); // the PDF's /Title
    printer.setCreator(QStringLiteral("HalluScope"));
    // Paginate ourselves (the document's own page size, which print() then keeps) so that no
    // heading is left at the foot of a page without its table or plot.
    doc.setPageSize(printer.pageRect(QPrinter::Point).size());
    keepHeadingsWithContent(doc);
    doc.print(&printer);
    if (!QFileInfo::exists(path) || QFileInfo(path).size() == 0) {
        if (error)
            *error = QObject::tr("Could not write %1").arg(path);
        return false;
    }
    return true;
}

bool ReportWriter::writeScores(const QString& path, session::ExportFormat format, QString* error)
{
    std::string text;
    try {
        text = shownScoresExport(analysis_, QString::fromStdString(settings_.sessionPath), format);
    } catch (const std::exception& e) {
        if (error)
            *error = QObject::tr("Could not export the scores: %1").arg(QString::fromStdString(e.what()));
        return false;
    }
    if (!saveBytes(path, QByteArray::fromStdString(text), error))
        return false;
    if (format != session::ExportFormat::Csv)
        return true;
    // Per-row (chunk or token) scores next to it: same base name, ".rows.csv".
    const analysis::FeatureTable& table = analysis_.table();
    const analysis::RedeepModel model = analysis::fitRedeep(table, analysis_.selection(), analysis_.params());
    const std::vector<double> d = analysis::redeepRowScores(table, model);
    std::string rows = hs::csvLine({"response_id", "row", "label", "score"});
    for (std::size_t r = 0; r < table.rows(); ++r)
        rows += hs::csvLine({table.responseIds[table.rowResponse[r]], std::to_string(r), std::to_string(table.rowLabel[r]),
                             hs::csvNumber(d[r])});
    const QFileInfo fi(path);
    return saveBytes(fi.dir().filePath(fi.completeBaseName() + ".rows.csv"), QByteArray::fromStdString(rows), error);
}

} // namespace hs::ui
