#include "ui/panels/samples_panel.h"

#include "ui/models/analysis_state.h"
#include "ui/models/sample_filter_proxy.h"
#include "ui/models/sample_table_model.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

namespace hs::ui {

SamplesPanel::SamplesPanel(AnalysisState* analysis, QWidget* parent) : QWidget(parent)
{
    model_ = new SampleTableModel(analysis, this);
    proxy_ = new SampleFilterProxy(analysis, this);
    proxy_->setSourceModel(model_);

    filter_ = new QLineEdit(this);
    filter_->setPlaceholderText(tr("Filter by id, task or text (Ctrl+F)"));
    filter_->setClearButtonEnabled(true);
    outcome_ = new QComboBox(this);
    outcome_->addItems({tr("All"), tr("Hallucinated"), tr("Faithful"), tr("Flagged"), tr("Wrong calls")});
    outcome_->setToolTip(tr("Show only some outcomes at the current threshold"));
    count_ = new QLabel(this);

    view_ = new QTableView(this);
    view_->setModel(proxy_);
    view_->setSortingEnabled(true);
    view_->sortByColumn(SampleTableModel::Score, Qt::DescendingOrder);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    view_->setAlternatingRowColors(true);
    view_->verticalHeader()->hide();
    view_->verticalHeader()->setDefaultSectionSize(view_->fontMetrics().height() + 6);
    view_->horizontalHeader()->setStretchLastSection(true);
    view_->horizontalHeader()->setResizeContentsPrecision(64); // sizing from every row would stall big tables
    view_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    view_->setToolTip(tr("Double-click a sample to open it in the Live and Attention panels"));

    auto* bar = new QHBoxLayout;
    bar->addWidget(filter_, 1);
    bar->addWidget(outcome_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(view_, 1);
    layout->addWidget(count_);

    connect(filter_, &QLineEdit::textChanged, proxy_, &SampleFilterProxy::setText);
    connect(outcome_, &QComboBox::currentIndexChanged, this, [this](int i) {
        proxy_->setOutcome(static_cast<SampleFilterProxy::Outcome>(i));
    });
    auto activate = [this](const QModelIndex& index) {
        const QModelIndex source = proxy_->mapToSource(index);
        Q_EMIT sampleActivated(model_->idAt(source.row()));
    };
    // activated = double-click (or single click, per platform style) and Enter on a row.
    connect(view_, &QTableView::activated, this, activate);
    connect(proxy_, &QAbstractItemModel::modelReset, this, [this] {
        view_->sortByColumn(view_->horizontalHeader()->sortIndicatorSection(),
                            view_->horizontalHeader()->sortIndicatorOrder());
        view_->resizeColumnsToContents();
        updateCount();
    });
    connect(proxy_, &QAbstractItemModel::rowsRemoved, this, &SamplesPanel::updateCount);
    connect(proxy_, &QAbstractItemModel::rowsInserted, this, &SamplesPanel::updateCount);
    connect(proxy_, &QAbstractItemModel::layoutChanged, this, &SamplesPanel::updateCount);
    // Outcome filters depend on the threshold: refilter when it moves (cheap for the sizes we show).
    connect(analysis, &AnalysisState::thresholdChanged, this, [this] {
        if (outcome_->currentIndex() >= int(SampleFilterProxy::Outcome::Flagged))
            proxy_->setOutcome(static_cast<SampleFilterProxy::Outcome>(outcome_->currentIndex()));
    });
    updateCount();
}

QStringList SamplesPanel::visibleIds() const
{
    QStringList ids;
    for (int r = 0; r < proxy_->rowCount(); ++r)
        ids << model_->idAt(proxy_->mapToSource(proxy_->index(r, 0)).row());
    return ids;
}

void SamplesPanel::updateCount()
{
    const int pending = model_->pendingCount();
    count_->setText(pending > 0 ? tr("%1 of %2 samples (%3 being scored)").arg(proxy_->rowCount()).arg(model_->rowCount()).arg(pending)
                                : tr("%1 of %2 samples").arg(proxy_->rowCount()).arg(model_->rowCount()));
}

} // namespace hs::ui
