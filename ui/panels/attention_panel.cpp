#include "ui/panels/attention_panel.h"

#include "ui/plots/plot_widget.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSet>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <functional>

namespace hs::ui {

AttentionPanel::AttentionPanel(QWidget* parent) : QWidget(parent)
{
    plot_ = new PlotWidget("attention", this);
    plot_->setInteractions({});
    plot_->xAxis->setLabel(tr("Prompt chunk / token bin"));
    plot_->yAxis->setLabel(tr("Response token"));
    plot_->yAxis->setRangeReversed(true); // first token at the top, like reading order
    map_ = new QCPColorMap(plot_->xAxis, plot_->yAxis);
    map_->setInterpolate(false);
    map_->setVisible(false); // until there is something to show
    scale_ = new QCPColorScale(plot_);
    scale_->axis()->setLabel(tr("Attention mass"));
    plot_->plotLayout()->addElement(0, 1, scale_);
    map_->setColorScale(scale_); // adopts the scale's gradient, so set ours after
    map_->setGradient(QCPColorGradient(QCPColorGradient::gpHot).inverted());
    map_->setDataRange(QCPRange(0, 1));
    auto* margins = new QCPMarginGroup(plot_);
    plot_->axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    scale_->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    connect(plot_, &QCustomPlot::mouseMove, this, &AttentionPanel::showHover);
    connect(plot_->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, &AttentionPanel::updateTokenTicks);
    connect(plot_->yAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, &AttentionPanel::updateTokenTicks);

    layerCombo_ = new QComboBox(this);
    layerCombo_->setToolTip(tr("Layer of the copy head"));
    headCombo_ = new QComboBox(this);
    headCombo_->setToolTip(tr("Copy head (only heads captured during the run are listed)"));
    fixedScale_ = new QCheckBox(tr("Fixed 0–1 scale"), this);
    fixedScale_->setChecked(true);
    fixedScale_->setToolTip(tr("Keep the colour scale fixed so colours compare across samples and heads"));
    info_ = new QLabel(tr("Run detection, then pick a sample: its captured copy heads appear here."), this);
    info_->setWordWrap(true);

    connect(layerCombo_, &QComboBox::currentIndexChanged, this, [this] {
        const int layer = layerCombo_->currentData().toInt();
        headCombo_->blockSignals(true);
        headCombo_->clear();
        for (const results::AttentionSummary& a : result_.attention)
            if (a.layer == layer)
                headCombo_->addItem(tr("head %1").arg(a.head), a.head);
        headCombo_->blockSignals(false);
        drawSelected();
    });
    connect(headCombo_, &QComboBox::currentIndexChanged, this, &AttentionPanel::drawSelected);
    connect(fixedScale_, &QCheckBox::toggled, this, &AttentionPanel::drawSelected);

    otherLayer_ = new QSpinBox(this);
    otherLayer_->setRange(0, 511);
    otherLayer_->setPrefix(tr("L "));
    otherLayer_->setToolTip(tr("Layer of a head to recompute"));
    otherHead_ = new QSpinBox(this);
    otherHead_->setRange(0, 511);
    otherHead_->setPrefix(tr("H "));
    otherHead_->setToolTip(tr("Head to recompute"));
    compute_ = new QPushButton(tr("Compute"), this);
    compute_->setToolTip(tr("Recompute this head's attention for the current sample on the worker thread"));
    // Compute always asks the engine: any head, captured or not, at token resolution.
    connect(compute_, &QPushButton::clicked, this, [this] { requestTokenView(otherLayer_->value(), otherHead_->value()); });

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Layer"), this));
    bar->addWidget(layerCombo_);
    bar->addWidget(new QLabel(tr("Head"), this));
    bar->addWidget(headCombo_);
    bar->addWidget(fixedScale_);
    bar->addStretch(1);
    // A second row, so the panel stays narrow enough to sit beside Live.
    auto* other = new QHBoxLayout;
    other->addWidget(new QLabel(tr("Other head"), this));
    other->addWidget(otherLayer_);
    other->addWidget(otherHead_);
    other->addWidget(compute_);
    other->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addLayout(other);
    layout->addWidget(info_);
    layout->addWidget(plot_, 1);
}

void AttentionPanel::showResult(const results::SampleResult& result)
{
    const int keepLayer = layerCombo_->currentData().toInt();
    const int keepHead = headCombo_->currentData().toInt();
    if (result.sampleId != result_.sampleId)
        leaveTokenMode(); // its token view belonged to the previous sample
    result_ = result;
    rebuildPickers(keepLayer, keepHead);
}

void AttentionPanel::showSample(const QString& sampleId)
{
    results::SampleResult bare;
    bare.sampleId = sampleId.toStdString();
    showResult(bare);
    info_->setText(tr("Sample %1 has no captured attention: choose a layer and head under “Other head” and "
                      "press Compute to see it at token resolution.").arg(sampleId));
}

void AttentionPanel::clear()
{
    result_ = {};
    rebuildPickers(-1, -1);
    info_->setText(tr("Open a sample (double-click it in Samples) to see its attention."));
}

void AttentionPanel::rebuildPickers(int keepLayer, int keepHead)
{
    QList<int> layers;
    for (const results::AttentionSummary& a : result_.attention)
        if (!layers.contains(a.layer))
            layers << a.layer;
    std::sort(layers.begin(), layers.end());
    layerCombo_->blockSignals(true);
    layerCombo_->clear();
    for (int l : layers)
        layerCombo_->addItem(QString::number(l), l);
    layerCombo_->blockSignals(false);
    if (layers.isEmpty()) {
        headCombo_->clear();
        info_->setText(tr("Sample %1 has no captured attention.").arg(QString::fromStdString(result_.sampleId)));
        map_->data()->clear();
        map_->setVisible(false);
        plot_->requestReplot();
        return;
    }
    // Stay on the head the user was looking at when the new sample has it.
    const int li = layerCombo_->findData(keepLayer);
    layerCombo_->setCurrentIndex(li >= 0 ? li : 0);
    Q_EMIT layerCombo_->currentIndexChanged(layerCombo_->currentIndex());
    const int hi = headCombo_->findData(keepHead);
    if (hi >= 0)
        headCombo_->setCurrentIndex(hi);
}

void AttentionPanel::selectHead(int layer, int head)
{
    otherLayer_->setValue(layer);
    otherHead_->setValue(head);
    for (const results::AttentionSummary& a : result_.attention)
        if (a.layer == layer && a.head == head) {
            layerCombo_->setCurrentIndex(layerCombo_->findData(layer));
            headCombo_->setCurrentIndex(headCombo_->findData(head));
            return;
        }
    if (result_.sampleId.empty()) {
        info_->setText(tr("Open a finished sample first (double-click it in the Samples panel)."));
        return;
    }
    requestTokenView(layer, head);
}

void AttentionPanel::requestTokenView(int layer, int head)
{
    if (result_.sampleId.empty()) {
        info_->setText(tr("Open a finished sample first (double-click it in the Samples panel)."));
        return;
    }
    info_->setText(tr("Computing head (%1, %2) for sample %3 at token resolution…")
                       .arg(layer).arg(head).arg(QString::fromStdString(result_.sampleId)));
    Q_EMIT recomputeRequested(QString::fromStdString(result_.sampleId), layer, head);
}

void AttentionPanel::showMessage(const QString& message)
{
    info_->setText(message);
}

void AttentionPanel::leaveTokenMode()
{
    if (!tokenMode_)
        return;
    tokenMode_ = false;
    plot_->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    plot_->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    plot_->xAxis->setTickLabelRotation(0);
    plot_->xAxis->setLabel(tr("Prompt chunk / token bin"));
}

void AttentionPanel::drawSelected()
{
    const int layer = layerCombo_->currentData().toInt(), head = headCombo_->currentData().toInt();
    const results::AttentionSummary* summary = nullptr;
    for (const results::AttentionSummary& a : result_.attention)
        if (a.layer == layer && a.head == head)
            summary = &a;
    if (!summary || summary->rows <= 0 || summary->cols <= 0
        || summary->values.size() < std::size_t(summary->rows) * summary->cols) {
        map_->data()->clear();
        map_->setVisible(false);
        shownRows_ = shownCols_ = 0;
        plot_->requestReplot();
        return;
    }
    // QCPColorMap draws a single row or column with zero width: a lone one is stored twice over
    // half the span, so its cell still covers [-0.5, 0.5].
    const int cols = std::max(summary->cols, 2), rows = std::max(summary->rows, 2);
    const QCPRange keys = summary->cols == 1 ? QCPRange(-0.25, 0.25) : QCPRange(0, summary->cols - 1);
    const QCPRange values = summary->rows == 1 ? QCPRange(-0.25, 0.25) : QCPRange(0, summary->rows - 1);
    QCPColorMapData* d = map_->data();
    d->setSize(cols, rows);
    d->setRange(keys, values);
    float peak = 0;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            const int sr = std::min(r, summary->rows - 1), sc = std::min(c, summary->cols - 1);
            const float v = summary->values[std::size_t(sr) * summary->cols + sc];
            d->setCell(c, r, v);
            peak = std::max(peak, v);
        }
    leaveTokenMode();
    shownRows_ = summary->rows;
    shownCols_ = summary->cols;
    map_->setVisible(true);
    map_->setDataRange(fixedScale_->isChecked() ? QCPRange(0, 1) : QCPRange(0, peak > 0 ? peak : 1));
    plot_->xAxis->setRange(-0.5, summary->cols - 0.5);
    plot_->yAxis->setRange(-0.5, summary->rows - 0.5);
    info_->setText(tr("Sample %1 · head (%2, %3) · %4 response rows × %5 prompt columns")
                       .arg(QString::fromStdString(result_.sampleId)).arg(layer).arg(head)
                       .arg(summary->rows).arg(summary->cols));
    plot_->requestReplot();
}

void AttentionPanel::showHover(QMouseEvent* event)
{
    if (map_->data()->isEmpty())
        return;
    const int col = int(std::lround(plot_->xAxis->pixelToCoord(event->pos().x())));
    const int row = int(std::lround(plot_->yAxis->pixelToCoord(event->pos().y())));
    const QString text = hoverText(col, row);
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), text, plot_);
}

QString AttentionPanel::infoText() const { return info_->text(); }

namespace {
// A token as an axis label: whitespace made visible, so " the" and "the" differ on screen.
QString tokenLabel(const std::string& token)
{
    QString t = QString::fromStdString(token);
    t.replace('\n', QStringLiteral("⏎")).replace('\t', QStringLiteral("⇥"));
    if (t.startsWith(' '))
        t = QStringLiteral("␣") + t.mid(1);
    return t.isEmpty() ? QStringLiteral("·") : t.left(24);
}
} // namespace

void AttentionPanel::showTokenAttention(const QString& sampleId, const detect::TokenAttention& attention)
{
    if (sampleId != QString::fromStdString(result_.sampleId))
        return; // another sample is on screen by now
    token_ = attention;
    tokenMode_ = true;
    drawToken();
}

void AttentionPanel::drawToken()
{
    const detect::TokenAttention& a = token_;
    const int rows = a.rows();
    binSize_ = std::max(1, (a.cols() + kMaxTokenColumns - 1) / kMaxTokenColumns);
    const int cols = (a.cols() + binSize_ - 1) / binSize_;
    if (rows <= 0 || cols <= 0) {
        info_->setText(tr("Head (%1, %2) has no response rows for this sample.").arg(a.layer).arg(a.head));
        return;
    }
    QCPColorMapData* d = map_->data();
    d->setSize(std::max(cols, 2), std::max(rows, 2));
    d->setRange(QCPRange(0, std::max(cols - 1, 1)), QCPRange(0, std::max(rows - 1, 1)));
    d->fill(0);
    float peak = 0;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < a.cols(); ++c) {
            const int bin = c / binSize_;
            const double v = d->cell(bin, r) + a.values[std::size_t(r) * a.cols() + c];
            d->setCell(bin, r, v);
            peak = std::max(peak, float(v));
        }
    shownRows_ = rows;
    shownCols_ = cols;
    map_->setVisible(true);
    map_->setDataRange(fixedScale_->isChecked() ? QCPRange(0, 1) : QCPRange(0, peak > 0 ? peak : 1));
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom); // zoom into a token range, drag to pan
    plot_->xAxis->setLabel(binSize_ > 1 ? tr("Prompt tokens (bins of %1)").arg(binSize_) : tr("Prompt token"));
    plot_->xAxis->setRange(-0.5, cols - 0.5);
    plot_->yAxis->setRange(-0.5, rows - 0.5);
    updateTokenTicks();
    QString text = tr("Sample %1 · head (%2, %3) at token resolution · %4 response tokens × %5 prompt tokens")
                       .arg(QString::fromStdString(result_.sampleId.empty() ? std::string("?") : result_.sampleId))
                       .arg(a.layer).arg(a.head).arg(rows).arg(a.cols());
    if (binSize_ > 1)
        text += tr(" · more than %1 prompt tokens: shown as %2 bins of %3 tokens (zoom in for their labels; "
                   "each cell sums its tokens)").arg(kMaxTokenColumns).arg(cols).arg(binSize_);
    if (a.totalRows > rows)
        text += tr(" · the first %1 of %2 response tokens (rows are capped at %1 so a request stays quick on a CPU)")
                    .arg(rows).arg(a.totalRows);
    info_->setText(text);
    plot_->requestReplot();
}

void AttentionPanel::updateTokenTicks()
{
    if (!tokenMode_)
        return;
    // Label every token that fits (about one per 14 px), so zooming in shows them all.
    auto ticker = [](QCPAxis* axis, int count, int pixels, const std::function<QString(int)>& label) {
        const QCPRange r = axis->range();
        const int lo = std::max(0, int(std::ceil(r.lower))), hi = std::min(count - 1, int(std::floor(r.upper)));
        const int visible = std::max(1, hi - lo + 1);
        const int step = std::max(1, int(std::ceil(visible * 14.0 / std::max(pixels, 1))));
        QSharedPointer<QCPAxisTickerText> t(new QCPAxisTickerText);
        for (int i = lo - lo % step; i <= hi; i += step)
            if (i >= 0)
                t->addTick(i, label(i));
        axis->setTicker(t);
        axis->setSubTicks(false);
    };
    const detect::TokenAttention& a = token_;
    ticker(plot_->yAxis, a.rows(), plot_->axisRect()->height(),
           [&](int r) { return tokenLabel(a.rowTokens[r]); });
    ticker(plot_->xAxis, shownCols_, plot_->axisRect()->width(), [&](int c) {
        return binSize_ > 1 ? QString::number(c * binSize_) : tokenLabel(a.colTokens[c]);
    });
    plot_->xAxis->setTickLabelRotation(binSize_ > 1 ? 0 : 60);
}

QString AttentionPanel::hoverText(int col, int row) const
{
    if (col < 0 || row < 0 || col >= shownCols_ || row >= shownRows_)
        return {};
    const double weight = map_->data()->data(col, row);
    if (tokenMode_) {
        const detect::TokenAttention& a = token_;
        const QString from = QString::fromStdString(a.rowTokens[row]);
        if (binSize_ > 1) {
            const int first = col * binSize_, last = std::min(a.cols(), first + binSize_) - 1;
            return tr("response token %1 “%2” → prompt tokens %3–%4\nattention %5 (summed)")
                .arg(row).arg(from).arg(first).arg(last).arg(weight, 0, 'f', 4);
        }
        return tr("response token %1 “%2” → prompt token %3 “%4”\nattention %5")
            .arg(row).arg(from).arg(col).arg(QString::fromStdString(a.colTokens[col])).arg(weight, 0, 'f', 4);
    }
    const QString token = row < int(result_.responseTokens.size())
        ? QString::fromStdString(result_.responseTokens[row].text).trimmed() : tr("row %1").arg(row);
    const QString column = col < int(result_.promptChunkTexts.size())
        ? QString::fromStdString(result_.promptChunkTexts[col]).left(120) : tr("prompt bin %1").arg(col);
    return tr("token “%1” → %2\nattention %3").arg(token, column).arg(weight, 0, 'f', 4);
}

} // namespace hs::ui
