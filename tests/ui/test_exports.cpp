// What the real MainWindow writes on the published ReDeEP feature log (no model needed): each plot as
// PNG, SVG and PDF, all plots with their data, the HTML report parsed back against core/analysis, the
// PDF report, and the score exports.
#include "published_log_window.h"
#include "ui_test_support.h"

#include "ui/models/analysis_state.h"
#include "ui/models/feature_ranking_model.h"
#include "ui/panels/heads_panel.h"
#include "ui/main_window.h"
#include "ui/plots/plot_widget.h"
#include "ui/reports/report_writer.h"
#include "ui/panels/samples_panel.h"
#include "ui/panels/threshold_panel.h"

#include "core/analysis/cross_validation.h"
#include "core/analysis/method.h"
#include "core/analysis/metrics.h"
#include "core/analysis/redeep_combiner.h"

#include <QAction>
#include <QClipboard>
#include <QDockWidget>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QApplication>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QAbstractTextDocumentLayout>
#include <QTextBlock>
#include <QTextDocument>

#include <memory>

using namespace hs;
using namespace hs::ui;

class TestExports : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void exportsPlots();
    void exportsAllPlotsWithDataAndTitles();
    void exportsHtmlReportAndParsesBack();
    void exportsPdfCsvJson();
    void cleanupTestCase() { window_.reset(); }

private:
    QString label(const char* name) const { return window_->findChild<QLabel*>(name)->text(); }
    std::unique_ptr<MainWindow> window_;
    QTemporaryDir tmp_;
    QString log_;
};

void TestExports::initTestCase()
{
    uitest::openPublishedLogWindow("test_exports", window_, log_);
}

void TestExports::exportsPlots()
{
    PlotWidget* roc = window_->thresholdPanel()->rocPlot();
    for (const char* suffix : {"png", "svg", "pdf"}) {
        const QString path = tmp_.filePath(QString("roc.%1").arg(suffix));
        QString error;
        QVERIFY2(roc->exportTo(path, &error), qPrintable(error));
        QVERIFY(QFileInfo(path).size() > 1000);
    }
    QFile svg(tmp_.filePath("roc.svg"));
    QVERIFY(svg.open(QIODevice::ReadOnly));
    QVERIFY(svg.readAll().contains("<svg"));
    QVERIFY(QImage(tmp_.filePath("roc.png")).width() > 0);
    QString error;
    QVERIFY(!roc->exportTo(tmp_.filePath("roc.bmpx"), &error));
    QVERIFY(!error.isEmpty());
}

void TestExports::exportsAllPlotsWithDataAndTitles()
{
    const QString dir = tmp_.filePath("plots");
    QString error;
    const int n = window_->exportAllPlots(dir, &error);
    QVERIFY2(n >= 7, qPrintable(error)); // ROC, PR, F1, heads, Live traces, running AUC, attention
    for (const char* name : {"roc", "precision-recall", "f1-threshold", "running-auc", "attention"}) {
        QVERIFY2(QImage(QDir(dir).filePath(QString("%1.png").arg(name))).width() > 0, name);
        QVERIFY2(QFileInfo(QDir(dir).filePath(QString("%1.csv").arg(name))).exists(), name);
    }
    // The ROC data round-trips: one CSV row per curve point, and the image names scorer and AUC.
    ThresholdPanel* t = window_->thresholdPanel();
    int points = 0;
    for (int i = 0; i < t->rocPlot()->plottableCount(); ++i)
        if (auto* c = qobject_cast<QCPCurve*>(t->rocPlot()->plottable(i)))
            points += c->dataCount();
    QFile csv(QDir(dir).filePath("roc.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.first(), QString("plot,series,x,y,z"));
    const auto& s = window_->analysis()->scores();
    const QString auc = QString::number(analysis::rocAuc(s.score, s.label), 'f', 4);
    QVERIFY2(lines.filter(QRegularExpression("^roc,ReDeEP \\(in-sample\\) AUC " + auc + ",")).size() == points,
             qPrintable(lines.value(1)));
    auto* title = qobject_cast<QCPTextElement*>(t->rocPlot()->plotLayout()->element(0, 0));
    QVERIFY(title && title->text() == QString("ROC · AUC %1\nReDeEP (in-sample)").arg(auc));
    QVERIFY(t->rocPlot()->legend->visible());
    // Copy to clipboard puts the image there.
    QApplication::clipboard()->clear();
    t->rocPlot()->copyToClipboard();
    QVERIFY(!QApplication::clipboard()->pixmap().isNull());
}

void TestExports::exportsHtmlReportAndParsesBack()
{
    window_->thresholdPanel()->bestF1Action()->trigger(); // a threshold chosen on these same scores
    const QString path = tmp_.filePath("report.html");
    QString error;
    QVERIFY2(window_->exportReport(path, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString html = QString::fromUtf8(file.readAll());
    // Self-contained: every plot is an embedded PNG that decodes.
    const QRegularExpression img("data:image/png;base64,([A-Za-z0-9+/=]+)");
    int images = 0;
    for (auto it = img.globalMatch(html); it.hasNext(); ++images) {
        const QImage decoded = QImage::fromData(QByteArray::fromBase64(it.next().captured(1).toLatin1()), "PNG");
        QVERIFY(!decoded.isNull());
    }
    QCOMPARE(images, 4); // ROC, PR, F1, heads
    QVERIFY(!html.contains("src='http"));
    // The numbers come back from the embedded JSON and agree with core/analysis.
    const QRegularExpression data("<script type='application/json' id='halluscope-data'>(.*)</script>");
    const QRegularExpressionMatch m = data.match(html);
    QVERIFY(m.hasMatch());
    const QJsonObject root = QJsonDocument::fromJson(m.captured(1).replace("<\\/", "</").toUtf8()).object();
    const QJsonObject metrics = root["metrics"].toObject();
    const auto& s = window_->analysis()->scores();
    const double auc = analysis::rocAuc(s.score, s.label);
    QCOMPARE(metrics["auc"].toObject()["point"].toDouble(), auc);
    QVERIFY(metrics["auc"].toObject()["lo"].toDouble() < auc && auc < metrics["auc"].toObject()["hi"].toDouble());
    const analysis::Confusion c = analysis::confusionAt(s.score, s.label, window_->analysis()->threshold());
    QCOMPARE(metrics["confusion"].toObject()["tp"].toInt(), int(c.tp));
    QCOMPARE(root["dataset"].toObject()["responses"].toInt(), 450);
    QCOMPARE(root["settings"].toObject()["selectedHeads"].toArray().size(), 3);
    QVERIFY(html.contains("Head ranking"));
    // Headings and labels that say what the numbers are.
    QVERIFY(html.contains("Most suspicious: likely hallucinated") && html.contains("Least suspicious: likely faithful"));
    QVERIFY(!html.contains("confident"));
    QVERIFY(html.contains("95 % percentile bootstrap") && !html.contains("%%"));
    QVERIFY(html.contains("<title>HalluScope report — official_llama2_7B_response_chunk.json</title>"));
    QVERIFY(html.contains("Scores: ReDeEP (in-sample)"));
    // The threshold here is best F1 on these very scores (chosen by the previous test's button).
    QCOMPARE(window_->analysis()->threshold(), analysis::bestF1(s.score, s.label).threshold);
    QVERIFY(metrics["thresholdInSample"].toBool());
    QVERIFY(html.contains("(in-sample: the threshold was chosen for the best F1 on these same scores)"));
}

void TestExports::exportsPdfCsvJson()
{
    QString error;
    const QString pdf = tmp_.filePath("report.pdf");
    QVERIFY2(window_->exportReport(pdf, &error), qPrintable(error));
    QFile f(pdf);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.read(5) == "%PDF-");
    QVERIFY(f.size() > 20000); // text plus four images
    // The title metadata names the report (Qt writes it as a UTF-16BE string with a byte-order mark).
    const QByteArray pdfBytes = (f.seek(0), f.readAll());
    QByteArray title("/Title (\xfe\xff");
    for (QChar ch : QString("HalluScope report — official_llama2_7B"))
        title += char(ch.unicode() >> 8), title += char(ch.unicode() & 0xff);
    QVERIFY(pdfBytes.contains(title));
    // No heading is left at the foot of a page without its content.
    {
        ReportWriter writer(*window_->analysis(), *window_->thresholdPanel(), *window_->headsPanel(), {});
        QMap<QString, QByteArray> images;
        QTextDocument doc;
        doc.setHtml(writer.html(true, &images));
        doc.setPageSize(QSizeF(595, 842)); // A4 in points
        QVERIFY(keepHeadingsWithContent(doc) >= 0);
        const double page = doc.pageSize().height();
        int headings = 0;
        for (QTextBlock b = doc.begin(); b.isValid(); b = b.next()) {
            if (b.blockFormat().headingLevel() == 0)
                continue;
            ++headings;
            const QRectF r = doc.documentLayout()->blockBoundingRect(b);
            const double leftOnPage = (int(r.top() / page) + 1) * page - r.bottom();
            QVERIFY2(leftOnPage >= 0.2 * page - 1, qPrintable(b.text()));
        }
        QVERIFY(headings >= 6);
    }

    const QString csv = tmp_.filePath("scores.csv");
    QVERIFY2(window_->exportReport(csv, &error), qPrintable(error));
    QFile c(csv);
    QVERIFY(c.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(c.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 451);
    // The per-sample export `halluscope-cli export --level sample` writes (core's writeSampleScores).
    QCOMPARE(lines.first(), QString("id,source_id,task,label,score,units,prompt_tokens,total_tokens,seconds,method,mode,"
                                    "threshold,prediction"));
    const auto& s = window_->analysis()->scores();
    const QStringList first = lines.at(1).split(',');
    QCOMPARE(first.size(), 13);
    QCOMPARE(first.at(0), QString::fromStdString(s.ids[0]));
    QCOMPARE(first.at(4).toDouble(), s.score[0]); // shortest round-trip text: exact
    QCOMPARE(first.at(9), window_->analysis()->shownScorer());
    const QString mode = window_->analysis()->shownScorer() == "redeep" ? "in-sample" : "held-out";
    QCOMPARE(first.at(10), mode);
    QCOMPARE(first.at(11).toDouble(), window_->analysis()->threshold());
    QCOMPARE(first.at(12), QString(s.score[0] >= window_->analysis()->threshold() ? "1" : "0"));
    QVERIFY(first.at(5).toInt() >= 1); // the response's chunks; a feature log has no token counts
    QVERIFY(first.at(6).isEmpty() && first.at(8).isEmpty());
    QFile rows(tmp_.filePath("scores.rows.csv"));
    QVERIFY(rows.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(rows.readAll()).split('\n', Qt::SkipEmptyParts).size(), 1160);

    const QString json = tmp_.filePath("scores.json");
    QVERIFY2(window_->exportReport(json, &error), qPrintable(error));
    QFile j(json);
    QVERIFY(j.open(QIODevice::ReadOnly));
    const QJsonObject root = QJsonDocument::fromJson(j.readAll()).object();
    QCOMPARE(root["level"].toString(), QString("sample"));
    QCOMPARE(root["scores"].toObject()["method"].toString(), window_->analysis()->shownScorer());
    QCOMPARE(root["scores"].toObject()["mode"].toString(), mode);
    QCOMPARE(root["rows"].toArray().size(), 450);
    QCOMPARE(root["rows"].toArray().at(0).toObject()["score"].toDouble(), s.score[0]);
    QVERIFY(root["rows"].toArray().at(0).toObject()["prompt_tokens"].isNull());
}

QTEST_MAIN(TestExports)
#include "test_exports.moc"
