#include "ui/models/analysis_commands.h"

#include "ui/models/analysis_state.h"

#include <QDateTime>

namespace hs::ui {

namespace {
constexpr qint64 kMergeWindowMs = 800;
}

ThresholdCommand::ThresholdCommand(AnalysisState* state, double before, bool wasChosen, double after, bool dragging)
    : state_(state), before_(before), after_(after), wasChosen_(wasChosen), dragging_(dragging),
      lastMs_(QDateTime::currentMSecsSinceEpoch())
{
    setText(QObject::tr("Threshold %1").arg(after, 0, 'g', 4));
}

void ThresholdCommand::redo()
{
    state_->setThresholdChosen(true);
    state_->setThreshold(after_);
}

void ThresholdCommand::undo()
{
    state_->setThresholdChosen(wasChosen_);
    state_->setThreshold(before_);
}

bool ThresholdCommand::mergeWith(const QUndoCommand* other)
{
    const auto* next = static_cast<const ThresholdCommand*>(other);
    if (!dragging_ || !next->dragging_ || next->lastMs_ - lastMs_ > kMergeWindowMs)
        return false;
    after_ = next->after_;
    lastMs_ = next->lastMs_;
    setText(next->text());
    return true;
}

SelectionCommand::SelectionCommand(AnalysisState* state, SelectionState before, SelectionState after,
                                   const QString& text)
    : state_(state), before_(std::move(before)), after_(std::move(after))
{
    setText(text);
}

void SelectionCommand::apply(const SelectionState& s)
{
    state_->restoreSelection(s.params, s.selection, s.handPicked);
}

void SelectionCommand::redo() { apply(after_); }
void SelectionCommand::undo() { apply(before_); }

} // namespace hs::ui
