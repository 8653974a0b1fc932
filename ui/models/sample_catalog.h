#pragma once
// What the GUI knows about each response besides its features: text, task type, gold spans.
// Filled from the dataset reader when the file has them and from SampleResults during a run;
// every field may be empty (the published feature logs carry no prompt or task type).
#include <QHash>
#include <QString>
#include <QVector>

namespace hs::ui {

struct GoldSpan {
    int start = 0, end = 0; // byte offsets into the UTF-8 response, end exclusive
};

struct SampleInfo {
    QString id;
    QString sourceId;
    QString taskType;
    QString split;          // "train" / "test" / ""
    QString prompt;
    QString response;
    QVector<GoldSpan> hallucinations;
    // Chunk spans in CODE POINTS, as the dataset files write them (kept to rebuild the sample when
    // an attention head is recomputed); empty when unknown.
    QVector<GoldSpan> responseChunksCp, promptChunksCp;
    int tokenCount = 0;     // response tokens when known, else 0
    int length() const { return tokenCount > 0 ? tokenCount : response.size(); }
};

using SampleCatalog = QHash<QString, SampleInfo>; // keyed by response id

// Adds the entries of `from` that `into` lacks; what `into` knows of a sample wins.
inline void addMissing(SampleCatalog& into, const SampleCatalog& from)
{
    for (auto it = from.cbegin(); it != from.cend(); ++it)
        if (!into.contains(it.key()))
            into.insert(it.key(), it.value());
}

} // namespace hs::ui
