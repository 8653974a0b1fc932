#pragma once
// Gathers the SampleResults of a live run into a FeatureTable and hands it to AnalysisState at
// most once a second (rescoring per sample would make the GUI thread do analysis per event).
// Keeps every result so that a finished sample can be reopened in the Live and Attention panels.
#include "ui/run/detection_types.h"
#include "ui/models/sample_catalog.h"

#include "core/analysis/feature_table.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>

#include <memory>

class QTimer;

namespace hs::ui {

class AnalysisState;

class RunCollector : public QObject {
    Q_OBJECT
public:
    explicit RunCollector(AnalysisState* analysis, QObject* parent = nullptr);

    // The result for a response id, or nullptr when this run did not produce it.
    const results::SampleResult* result(const QString& id) const;
    int count() const { return static_cast<int>(order_.size()); }
    const std::vector<QString>& ids() const { return order_; } // in the order they finished
    const analysis::FeatureTable& table() const { return *table_; }

public Q_SLOTS:
    // The results of an opened session: a later Run resumes it and keeps appending.
    // `catalog`: the opened document's texts and task types, which a resumed run's tables carry on.
    void adopt(const std::vector<hs::results::SampleResult>& results, const hs::analysis::FeatureTable& table,
               const SampleCatalog& catalog);
    // What arrives late for this run (its dataset or session was still loading as the run began):
    // the texts of `catalog` where the run has none of its own, and the results an earlier run left
    // in the session it resumes, added where missing and scored again if the run has already ended.
    void join(const std::vector<hs::results::SampleResult>& results, const SampleCatalog& catalog);
    // alreadyDone > 0: a resumed run, appending to the adopted results; 0: a new run, which replaces them.
    void begin(int total, int alreadyDone);
    void reset(); // forgets every result (a new current document)
    void add(const hs::results::SampleResult& result);
    // Pushes what is pending at once, the table in the session's scoring order (session/sample_order.h)
    // rather than as the results finished: the learned scorers' folds follow the order, so a run's final
    // scores are those its session gives when reopened (and to `regress --session`).
    void end();
    void flush(bool live = true); // live: scored with ReDeEP whatever the scorer (AnalysisState::setTableAsync)

Q_SIGNALS:
    // Response-level ROC AUC of the current scores after `samples` results (for the Live trace).
    void runningAucChanged(int samples, double auc);
    // A result was added (the Samples table lists it at once, before its score is pushed).
    void added(const QString& id);
    // Every result was forgotten or replaced (a new document, an adopted session).
    void cleared();

private:
    void appendRows(const results::SampleResult& r);
    void putInScoringOrder();
    bool hasBothClasses() const;
    void onScoresReady();

    AnalysisState* analysis_;
    QTimer* pushTimer_ = nullptr;
    std::shared_ptr<analysis::FeatureTable> table_;
    QHash<QString, results::SampleResult> results_;
    std::vector<QString> order_;
    SampleCatalog catalog_;
    detect::RunSettings settings_;
    bool dirty_ = false;
    int aucPendingFor_ = -1; // a pushed table whose scores have not come back yet
    QElapsedTimer pushClock_; // since the last push: how long its scoring took
    qint64 copyMs_ = 0;
};

} // namespace hs::ui
