#pragma once
// The user's analysis choices as QUndoCommands (Edit → Undo/Redo): a threshold, a head
// selection. Each command records the state before and after, so undo restores exactly what was
// on screen; the rescoring itself stays in AnalysisState.
#include "core/analysis/redeep_combiner.h"

#include <QUndoCommand>

namespace hs::ui {

class AnalysisState;

class ThresholdCommand : public QUndoCommand {
public:
    ThresholdCommand(AnalysisState* state, double before, bool wasChosen, double after, bool dragging);
    void undo() override;
    void redo() override;
    // Consecutive dragging moves (a slider drag, spin-box steps) within a short time are one undo step.
    int id() const override { return 1; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    AnalysisState* state_;
    double before_, after_;
    bool wasChosen_, dragging_;
    qint64 lastMs_;
};

struct SelectionState {
    analysis::RedeepParams params;
    analysis::Selection selection; // used when handPicked
    bool handPicked = false;       // false: ReDeEP's rule picks by AUC with `params`
};

class SelectionCommand : public QUndoCommand {
public:
    SelectionCommand(AnalysisState* state, SelectionState before, SelectionState after, const QString& text);
    void undo() override;
    void redo() override;

private:
    void apply(const SelectionState& s);
    AnalysisState* state_;
    SelectionState before_, after_;
};

} // namespace hs::ui
