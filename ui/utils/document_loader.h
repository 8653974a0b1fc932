#pragma once
// Opens whatever the user points at and says what it was. Runs on a worker thread (through
// QtConcurrent) because a feature log or session can take a second to parse; it touches no
// widget and no torch.
#include "core/analysis/feature_table.h"
#include "core/results/sample_result.h"
#include "ui/models/analysis_state.h"
#include "ui/models/sample_catalog.h"

#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace hs::ui {

enum class DocumentKind { Unknown, FeatureLog, Session, Dataset, ModelFolder };

struct LoadedDocument {
    QString path;
    DocumentKind kind = DocumentKind::Unknown;
    std::shared_ptr<const analysis::FeatureTable> table; // FeatureLog and Session
    ScoredTable scored;                                   // the table scored with the given parameters
    SampleCatalog catalog;                                // whatever per-sample text we found
    std::vector<results::SampleResult> results;            // Session: every stored result
    QString runSettingsJson;                              // Session: the run's settings, to resume it
    bool runFinished = false;                             // Session: false when the run can be resumed
    std::optional<StoredScores> storedScores;             // Session: the scores its metrics keep (session_scores.h)
    QStringList warnings;                                 // skipped records, with file:line
    QString error;                                        // non-empty when loading failed
    bool ok() const { return error.isEmpty(); }
};

// Guesses the kind from the path alone (suffix, folder contents); cheap, GUI-thread safe.
DocumentKind classifyPath(const QString& path);
QString describeKind(DocumentKind kind);

// Loads the document and scores its table with `params`; never throws (errors land in
// LoadedDocument::error).
LoadedDocument loadDocument(const QString& path, const analysis::RedeepParams& params);

} // namespace hs::ui
