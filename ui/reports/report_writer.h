#pragma once
// Reports of the current analysis: a self-contained HTML file (plots embedded as base64 PNG, and
// the numbers again as a JSON block that tools can read back), the same as PDF, and the per-sample
// scores as CSV or JSON (the file `halluscope-cli export` writes) with per-row scores beside a CSV. Works on the GUI thread from what the panels already hold.
#include "core/detect/detector.h"
#include "core/session/session_export.h"

#include <QJsonObject>
#include <QMap>
#include <QString>

class QTextDocument;

namespace hs::ui {

// "HalluScope report — SOURCE": the HTML <title> and the PDF's title metadata.
QString reportTitle(const QString& source);
// Before printing `doc` (its pageSize set): a heading whose page has less than `keepFraction` of a
// page left below it starts a new page instead. Returns how many headings were moved.
int keepHeadingsWithContent(QTextDocument& doc, double keepFraction = 0.2);

class AnalysisState;
class HeadsPanel;
class ThresholdPanel;

class ReportWriter {
public:
    ReportWriter(const AnalysisState& analysis, ThresholdPanel& threshold, HeadsPanel& heads,
                 detect::RunSettings settings);

    // Format by suffix: .html/.htm, .pdf, .csv, .json. False with a reason when it fails.
    bool write(const QString& path, QString* error = nullptr);

    // The numbers the report shows (also embedded in the HTML as JSON).
    QJsonObject summary();
    // The HTML; images are `data:` URIs, or `name.png` resource names when `forPdf`.
    QString html(bool forPdf, QMap<QString, QByteArray>* images);

private:
    bool writeHtml(const QString& path, QString* error);
    bool writePdf(const QString& path, QString* error);
    // The per-sample score export (score_export.h); CSV adds NAME.rows.csv with ReDeEP's row scores.
    bool writeScores(const QString& path, session::ExportFormat format, QString* error);
    QJsonObject metricsObject();

    const AnalysisState& analysis_;
    ThresholdPanel& threshold_;
    HeadsPanel& heads_;
    detect::RunSettings settings_;
    QJsonObject metricsCache_;
};

} // namespace hs::ui
