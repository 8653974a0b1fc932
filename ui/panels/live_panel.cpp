#include "ui/panels/live_panel.h"

#include "ui/models/analysis_state.h"

#include "ui/plots/plot_widget.h"

#include <QLabel>
#include <QSplitter>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <numeric>

namespace hs::ui {

namespace {
constexpr int kDrawIntervalMs = 40; // 25 Hz

double mean(const std::vector<float>& v)
{
    return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
}

void minMaxScale(std::vector<double>& v)
{
    if (v.empty())
        return;
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    const double a = *lo, span = *hi - *lo;
    for (double& x : v)
        x = span > 0 ? (x - a) / span : 0.0;
}

// White → red by score in [0, 1].
QString heatColour(double s)
{
    const int gb = int(255 - 190 * std::clamp(s, 0.0, 1.0));
    return QColor(255, gb, gb).name();
}
} // namespace

LivePanel::LivePanel(QWidget* parent) : QWidget(parent)
{
    header_ = new QLabel(tr("No sample yet: run detection, or double-click a sample in the table."), this);
    header_->setWordWrap(true);
    text_ = new QTextBrowser(this);
    text_->setOpenLinks(false);
    text_->setToolTip(tr("Response tokens shaded by hallucination score (red = likely); gold hallucinations underlined"));

    traces_ = new PlotWidget("token-traces", this);
    traces_->xAxis->setLabel(tr("Response token"));
    // Short axis titles (a long one is cut at both ends on a short plot), short legend names (the legend
    // shares the plot's width); the tooltip says what the traces are.
    traces_->yAxis->setLabel(tr("ECS"));
    traces_->yAxis2->setVisible(true);
    traces_->yAxis2->setLabel(tr("PKS"));
    traces_->addGraph(traces_->xAxis, traces_->yAxis)->setPen(QPen(QColor(31, 119, 180), 1.5));
    traces_->graph(0)->setName(tr("ECS (left)"));
    traces_->addGraph(traces_->xAxis, traces_->yAxis2)->setPen(QPen(QColor(255, 127, 14), 1.5));
    traces_->graph(1)->setName(tr("PKS (right)"));
    // The legend sits in a row of its own above the curves, never over them.
    traces_->setToolTip(tr("ECS: mean over the copy heads (left axis); PKS: mean over the knowledge layers "
                           "(right axis), per response token. Drag to pan, wheel to zoom, right-click to export"));
    traces_->legend->setVisible(true);
    traces_->legend->setFont(QFont(font().family(), 8));
    traces_->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    traces_->legend->setBorderPen(Qt::NoPen);
    traces_->axisRect()->insetLayout()->take(traces_->legend);
    traces_->plotLayout()->insertRow(0);
    traces_->plotLayout()->addElement(0, 0, traces_->legend);
    traces_->plotLayout()->setRowStretchFactor(0, 0.001);
    traces_->plotLayout()->setRowSpacing(0);

    auc_ = new PlotWidget("running-auc", this);
    // Live pushes are always scored with ReDeEP (AnalysisState::setTableAsync), so is this trace.
    auc_->plotLayout()->insertRow(0);
    auc_->plotLayout()->addElement(0, 0, new QCPTextElement(auc_, tr("Running AUC\n%1").arg(scorerTitle("redeep")),
                                                            QFont(font().family(), -1, QFont::Bold)));
    auc_->xAxis->setLabel(tr("Samples scored"));
    auc_->yAxis->setLabel(tr("ROC AUC"));
    auc_->yAxis->setRange(0.4, 1.0);
    // A narrow plot: few ticks, or the sample counts run into each other.
    auc_->xAxis->ticker()->setTickCount(3);
    auc_->yAxis->ticker()->setTickCount(3);
    auc_->addGraph()->setPen(QPen(QColor(44, 160, 44), 2));

    auto* plots = new QSplitter(Qt::Horizontal, this);
    plots->setObjectName("live.plots");
    plots->addWidget(traces_);
    plots->addWidget(auc_);
    plots->setStretchFactor(0, 3);
    plots->setStretchFactor(1, 2);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->setObjectName("live.split");
    split->addWidget(text_);
    split->addWidget(plots);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(header_);
    layout->addWidget(split, 1);

    drawTimer_ = new QTimer(this);
    drawTimer_->setInterval(kDrawIntervalMs);
    connect(drawTimer_, &QTimer::timeout, this, &LivePanel::drawPending);
}

void LivePanel::showStreaming(const results::SampleResult& result, const SampleInfo& info)
{
    pending_ = result; // only the newest matters: older ones in the same tick are never drawn
    pendingInfo_ = info;
    hasPending_ = true;
    if (!drawTimer_->isActive())
        drawTimer_->start();
}

void LivePanel::drawPending()
{
    if (!hasPending_) {
        drawTimer_->stop();
        return;
    }
    hasPending_ = false;
    drawResult(pending_, pendingInfo_, {});
}

void LivePanel::showResult(const results::SampleResult& result, const SampleInfo& info,
                           const std::vector<double>& unitShades)
{
    hasPending_ = false;
    drawResult(result, info, unitShades);
}

void LivePanel::drawResult(const results::SampleResult& r, const SampleInfo& info, const std::vector<double>& unitShades)
{
    currentId_ = QString::fromStdString(r.sampleId);
    const int nTok = int(r.responseTokens.size());
    // Per response token: unit means of ECS and PKS, and ReDeEP's direction (more PKS, less ECS).
    std::vector<double> ecs(nTok, 0), pks(nTok, 0), score(nTok, 0);
    std::vector<int> gold(nTok, 0);
    std::vector<double> unitEcs, unitPks;
    for (const results::ScoredUnit& u : r.units) {
        unitEcs.push_back(mean(u.ecs));
        unitPks.push_back(mean(u.pks));
    }
    std::vector<double> e = unitEcs, p = unitPks;
    minMaxScale(e);
    minMaxScale(p);
    // ReDeEP's direction: more parametric knowledge, less copying from the context.
    std::vector<double> d(r.units.size());
    const bool global = unitShades.size() == r.units.size();
    for (std::size_t i = 0; i < d.size(); ++i)
        d[i] = global ? unitShades[i] : p[i] - e[i];
    if (!global)
        minMaxScale(d);
    for (std::size_t i = 0; i < r.units.size(); ++i) {
        const results::ScoredUnit& u = r.units[i];
        for (int t = u.tokenBegin - r.promptTokens; t < u.tokenEnd - r.promptTokens; ++t) {
            if (t < 0 || t >= nTok)
                continue;
            ecs[t] = unitEcs[i];
            pks[t] = unitPks[i];
            score[t] = d[i];
            gold[t] = gold[t] || u.label;
        }
    }

    QString html;
    if (!info.prompt.isEmpty())
        html += QStringLiteral("<p style='color:gray'><b>%1</b> %2</p>").arg(tr("Prompt:"), info.prompt.left(4000).toHtmlEscaped());
    html += QStringLiteral("<p style='line-height:150%'>");
    for (int t = 0; t < nTok; ++t) {
        QString piece = QString::fromStdString(r.responseTokens[t].text).toHtmlEscaped();
        piece.replace('\n', "<br>");
        html += QStringLiteral("<span style='background:%1;%2' title='%3'>%4</span>")
                    .arg(heatColour(score[t]), gold[t] ? "text-decoration:underline;" : "")
                    .arg(tr("score %1").arg(score[t], 0, 'f', 2), piece);
    }
    html += QStringLiteral("</p>");
    text_->setHtml(html);
    header_->setText(tr("<b>Sample %1</b> · %2 · gold: %3 · %4 tokens · %5 s")
                         .arg(currentId_, QString::fromStdString(r.taskType))
                         .arg(r.responseLabel ? tr("hallucinated") : tr("faithful"))
                         .arg(nTok).arg(r.seconds, 0, 'f', 2));

    QVector<double> x(nTok), ye(ecs.begin(), ecs.end()), yp(pks.begin(), pks.end());
    std::iota(x.begin(), x.end(), 0.0);
    traces_->graph(0)->setData(x, ye, true);
    traces_->graph(1)->setData(x, yp, true);
    traces_->xAxis->setRange(0, std::max(1, nTok - 1));
    traces_->graph(0)->rescaleValueAxis(false, true);
    traces_->graph(1)->rescaleValueAxis(false, true);
    traces_->requestReplot();
}

void LivePanel::showSampleInfo(const SampleInfo& info, double score, double threshold)
{
    currentId_ = info.id;
    // No per-token scores for this sample (it came from a log): show the text and gold spans.
    QString html = info.prompt.isEmpty() ? QString()
        : QStringLiteral("<p style='color:gray'><b>%1</b> %2</p>").arg(tr("Prompt:"), info.prompt.left(4000).toHtmlEscaped());
    QString body;
    int pos = 0;
    QVector<GoldSpan> spans = info.hallucinations;
    std::sort(spans.begin(), spans.end(), [](const GoldSpan& a, const GoldSpan& b) { return a.start < b.start; });
    for (const GoldSpan& s : spans) {
        const int a = std::clamp(s.start, pos, int(info.response.size()));
        const int b = std::clamp(s.end, a, int(info.response.size()));
        body += info.response.mid(pos, a - pos).toHtmlEscaped();
        body += QStringLiteral("<span style='text-decoration:underline; background:#ffd6d6'>%1</span>")
                    .arg(info.response.mid(a, b - a).toHtmlEscaped());
        pos = b;
    }
    body += info.response.mid(pos).toHtmlEscaped();
    body.replace('\n', "<br>");
    html += QStringLiteral("<p style='line-height:150%'>%1</p>").arg(body);
    text_->setHtml(html);
    const bool flagged = score >= threshold;
    header_->setText(tr("<b>Sample %1</b> · %2 · gold: %3 · score %4 (%5) — per-token scores need a detection run")
                         .arg(info.id, info.taskType.isEmpty() ? tr("task unknown") : info.taskType)
                         .arg(info.hallucinations.isEmpty() ? tr("faithful") : tr("hallucinated"))
                         .arg(score, 0, 'f', 4)
                         .arg(flagged ? tr("flagged") : tr("passed")));
    traces_->graph(0)->data()->clear();
    traces_->graph(1)->data()->clear();
    traces_->requestReplot();
}

void LivePanel::addRunningAuc(int samples, double auc)
{
    auc_->graph(0)->addData(samples, auc);
    auc_->xAxis->setRange(0, std::max(samples, 1));
    auc_->requestReplot();
}

void LivePanel::clear()
{
    hasPending_ = false;
    currentId_.clear();
    header_->clear();
    text_->clear();
    for (int i = 0; i < traces_->graphCount(); ++i)
        traces_->graph(i)->data()->clear();
    traces_->requestReplot();
    clearRun();
}

void LivePanel::clearRun()
{
    auc_->graph(0)->data()->clear();
    auc_->requestReplot();
}

} // namespace hs::ui
