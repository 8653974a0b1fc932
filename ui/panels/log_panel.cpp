#include "ui/panels/log_panel.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace hs::ui {

namespace {
constexpr int kMaxLines = 5000; // a dataset with thousands of bad records must not eat memory
}

LogPanel::LogPanel(QWidget* parent) : QWidget(parent)
{
    view_ = new QPlainTextEdit(this);
    view_->setReadOnly(true);
    view_->setMaximumBlockCount(kMaxLines);
    view_->setLineWrapMode(QPlainTextEdit::NoWrap);
    view_->setToolTip(tr("Skipped records, run warnings and errors"));
    counts_ = new QLabel(this);
    auto* clearButton = new QPushButton(tr("Clear"), this);
    connect(clearButton, &QPushButton::clicked, this, &LogPanel::clear);

    auto* bar = new QHBoxLayout;
    bar->addWidget(counts_, 1);
    bar->addWidget(clearButton);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(view_);
    updateCounts();
}

QString LogPanel::text() const { return view_->toPlainText(); }

void LogPanel::addInfo(const QString& m) { append(tr("info"), "palette(text)", m); }

void LogPanel::addWarning(const QString& m)
{
    ++warnings_;
    append(tr("warning"), "#b26a00", m);
    updateCounts();
}

void LogPanel::addError(const QString& m)
{
    ++errors_;
    append(tr("error"), "#c62828", m);
    updateCounts();
}

void LogPanel::clear()
{
    view_->clear();
    warnings_ = errors_ = 0;
    updateCounts();
}

void LogPanel::append(const QString& level, const QString& colour, const QString& message)
{
    const QString time = QDateTime::currentDateTime().toString("HH:mm:ss");
    view_->appendHtml(QStringLiteral("<span style='color:gray'>%1</span> <b style='color:%2'>%3</b> %4")
                          .arg(time, colour, level, message.toHtmlEscaped()));
}

void LogPanel::updateCounts()
{
    counts_->setText(tr("%n warning(s)", nullptr, warnings_) + QStringLiteral(" · ") + tr("%n error(s)", nullptr, errors_));
}

} // namespace hs::ui
