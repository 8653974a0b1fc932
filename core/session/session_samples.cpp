// SessionStore: saving and reading samples, and the FeatureTable view of their units.
#include "core/session/blob_codec.h"
#include "core/session/session_store.h"
#include "core/session/session_store_impl.h"
#include "core/results/result_table.h"
#include "core/util/error.h"

#include <algorithm>
#include <map>

namespace hs::session {

namespace {

std::string encodeSpans(const std::vector<data::CharSpan>& spans)
{
    std::vector<std::int32_t> v;
    for (const auto& s : spans) {
        v.push_back(s.start);
        v.push_back(s.end);
    }
    return blob::encodeInts(v);
}

std::vector<data::CharSpan> decodeSpans(const std::string& bytes)
{
    const auto v = blob::decodeInts(bytes);
    std::vector<data::CharSpan> out;
    for (std::size_t i = 0; i + 1 < v.size(); i += 2) out.push_back({v[i], v[i + 1]});
    return out;
}

const char* kSampleColumns =
    "seq, id, source_id, task_type, response_label, prompt_tokens, total_tokens, seconds, prompt_chunk_texts, "
    "token_texts, token_offsets";

// Fills the sample-level fields of a result from a row selected with kSampleColumns.
results::SampleResult resultFromRow(const Statement& st)
{
    results::SampleResult r;
    r.sampleId = st.getText(1);
    r.sourceId = st.getText(2);
    r.taskType = st.getText(3);
    r.responseLabel = static_cast<int>(st.getInt(4));
    r.promptTokens = static_cast<int>(st.getInt(5));
    r.totalTokens = static_cast<int>(st.getInt(6));
    r.seconds = st.getDouble(7);
    r.promptChunkTexts = blob::decodeStrings(st.getBlob(8));
    const auto texts = blob::decodeStrings(st.getBlob(9));
    const auto offs = blob::decodeInts(st.getBlob(10));
    if (offs.size() != 2 * texts.size()) throw Error("session: sample " + r.sampleId + " has inconsistent token info");
    for (std::size_t i = 0; i < texts.size(); ++i) r.responseTokens.push_back({texts[i], offs[2 * i], offs[2 * i + 1]});
    return r;
}

// Samples are read in the run's scoring order (shortest first, ties by id: core/session/sample_order.h),
// whatever order they were saved in: batches of shared prompts save out of that order, shards are merged in
// it, and the analyses' folds follow it.
constexpr const char* kScoringOrder = "ORDER BY total_tokens, id";

// Attaches units and attention summaries to results keyed by sample seq. `where` restricts both
// queries to one sample when given.
void attachUnits(Database& db, std::map<std::int64_t, results::SampleResult*>& bySeq, const std::string& where,
                 std::int64_t seq)
{
    Statement u = db.prepare("SELECT sample_seq, token_begin, token_end, label, ecs, pks FROM units " + where +
                             " ORDER BY sample_seq, idx");
    if (!where.empty()) u.bind(1, seq);
    while (u.step()) {
        auto it = bySeq.find(u.getInt(0));
        if (it == bySeq.end()) continue;
        results::ScoredUnit unit;
        unit.tokenBegin = static_cast<int>(u.getInt(1));
        unit.tokenEnd = static_cast<int>(u.getInt(2));
        unit.label = static_cast<int>(u.getInt(3));
        unit.ecs = blob::decodeFloats(u.getBlob(4));
        unit.pks = blob::decodeFloats(u.getBlob(5));
        it->second->units.push_back(std::move(unit));
    }
    Statement a = db.prepare("SELECT sample_seq, layer, head, rows, cols, vals FROM attention " + where +
                             " ORDER BY sample_seq, idx");
    if (!where.empty()) a.bind(1, seq);
    while (a.step()) {
        auto it = bySeq.find(a.getInt(0));
        if (it == bySeq.end()) continue;
        results::AttentionSummary s;
        s.layer = static_cast<int>(a.getInt(1));
        s.head = static_cast<int>(a.getInt(2));
        s.rows = static_cast<int>(a.getInt(3));
        s.cols = static_cast<int>(a.getInt(4));
        s.values = blob::decodeFloats(a.getBlob(5));
        it->second->attention.push_back(std::move(s));
    }
}

} // namespace

std::set<std::string> SessionStore::finishedSampleIds() const
{
    std::lock_guard<std::mutex> lock(d_->mutex);
    std::set<std::string> ids;
    Statement st = d_->db.prepare("SELECT id FROM samples");
    while (st.step()) ids.insert(st.getText(0));
    return ids;
}

std::vector<std::string> SessionStore::sampleIds() const
{
    std::lock_guard<std::mutex> lock(d_->mutex);
    std::vector<std::string> ids;
    Statement st = d_->db.prepare(std::string("SELECT id FROM samples ") + kScoringOrder);
    while (st.step()) ids.push_back(st.getText(0));
    return ids;
}

int SessionStore::sampleCount() const
{
    std::lock_guard<std::mutex> lock(d_->mutex);
    Statement st = d_->db.prepare("SELECT COUNT(*) FROM samples");
    st.step();
    return static_cast<int>(st.getInt(0));
}

void SessionStore::saveSample(const data::Sample& sample, const results::SampleResult& result)
{
    const std::string id = result.sampleId.empty() ? sample.id : result.sampleId;
    if (id.empty()) throw Error("session: cannot save a sample without an id");
    if (!sample.id.empty() && id != sample.id)
        throw Error("session: result for " + id + " saved with sample " + sample.id);
    std::vector<std::string> tokenTexts;
    std::vector<std::int32_t> tokenOffsets;
    for (const auto& t : result.responseTokens) {
        tokenTexts.push_back(t.text);
        tokenOffsets.push_back(t.charStart);
        tokenOffsets.push_back(t.charEnd);
    }

    std::lock_guard<std::mutex> lock(d_->mutex);
    d_->requireWritable("save a sample");
    Database& db = d_->db;
    Transaction tx(db);
    // Replacing, never duplicating: a sample saved again (a resumed run's last sample) overwrites.
    for (const char* table : {"units", "attention"})
        db.prepare(std::string("DELETE FROM ") + table + " WHERE sample_seq IN (SELECT seq FROM samples WHERE id = ?1)")
            .bind(1, id)
            .run();
    db.prepare("DELETE FROM samples WHERE id = ?1").bind(1, id).run();
    db.prepare("INSERT INTO samples (id, source_id, task_type, model, split, sample_label, response_label, "
               "prompt_tokens, total_tokens, seconds, prompt, response, hallucinations, response_chunks, "
               "prompt_chunks, prompt_chunk_texts, token_texts, token_offsets, saved_at) "
               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)")
        .bind(1, id)
        .bind(2, result.sourceId.empty() ? sample.sourceId : result.sourceId)
        .bind(3, result.taskType.empty() ? sample.taskType : result.taskType)
        .bind(4, sample.model)
        .bind(5, sample.split)
        .bind(6, sample.responseLabel)
        .bind(7, result.responseLabel)
        .bind(8, result.promptTokens)
        .bind(9, result.totalTokens)
        .bind(10, result.seconds)
        .bind(11, sample.prompt)
        .bind(12, sample.response)
        .bindBlob(13, encodeSpans(sample.hallucinations))
        .bindBlob(14, encodeSpans(sample.responseChunks))
        .bindBlob(15, encodeSpans(sample.promptChunks))
        .bindBlob(16, blob::encodeStrings(result.promptChunkTexts))
        .bindBlob(17, blob::encodeStrings(tokenTexts))
        .bindBlob(18, blob::encodeInts(tokenOffsets))
        .bind(19, utcNow())
        .run();
    const std::int64_t seq = db.lastInsertRowId();
    Statement unit = db.prepare("INSERT INTO units (sample_seq, idx, token_begin, token_end, label, ecs, pks) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    for (std::size_t i = 0; i < result.units.size(); ++i) {
        const auto& u = result.units[i];
        unit.bind(1, seq).bind(2, static_cast<std::int64_t>(i)).bind(3, u.tokenBegin).bind(4, u.tokenEnd);
        unit.bind(5, u.label).bindBlob(6, blob::encodeFloats(u.ecs)).bindBlob(7, blob::encodeFloats(u.pks));
        unit.run();
    }
    Statement att = db.prepare("INSERT INTO attention (sample_seq, idx, layer, head, rows, cols, vals) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    for (std::size_t i = 0; i < result.attention.size(); ++i) {
        const auto& a = result.attention[i];
        att.bind(1, seq).bind(2, static_cast<std::int64_t>(i)).bind(3, a.layer).bind(4, a.head);
        att.bind(5, a.rows).bind(6, a.cols).bindBlob(7, blob::encodeFloats(a.values));
        att.run();
    }
    tx.commit();
}

std::vector<results::SampleResult> SessionStore::loadResults() const
{
    std::lock_guard<std::mutex> lock(d_->mutex);
    std::vector<results::SampleResult> out;
    std::vector<std::int64_t> seqs;
    Statement st = d_->db.prepare(std::string("SELECT ") + kSampleColumns + " FROM samples " + kScoringOrder);
    while (st.step()) {
        seqs.push_back(st.getInt(0));
        out.push_back(resultFromRow(st));
    }
    std::map<std::int64_t, results::SampleResult*> bySeq;
    for (std::size_t i = 0; i < out.size(); ++i) bySeq[seqs[i]] = &out[i];
    attachUnits(d_->db, bySeq, "", 0);
    return out;
}

results::SampleResult SessionStore::loadResult(const std::string& sampleId) const
{
    std::lock_guard<std::mutex> lock(d_->mutex);
    Statement st = d_->db.prepare(std::string("SELECT ") + kSampleColumns + " FROM samples WHERE id = ?1");
    st.bind(1, sampleId);
    if (!st.step()) throw InputError("session " + path() + " has no sample '" + sampleId + "'");
    const std::int64_t seq = st.getInt(0);
    results::SampleResult r = resultFromRow(st);
    std::map<std::int64_t, results::SampleResult*> bySeq{{seq, &r}};
    attachUnits(d_->db, bySeq, "WHERE sample_seq = ?1", seq);
    return r;
}

data::Sample SessionStore::loadSample(const std::string& sampleId) const
{
    std::lock_guard<std::mutex> lock(d_->mutex);
    Statement st = d_->db.prepare("SELECT id, source_id, task_type, model, split, prompt, response, hallucinations, "
                                  "sample_label, response_chunks, prompt_chunks FROM samples WHERE id = ?1");
    st.bind(1, sampleId);
    if (!st.step()) throw InputError("session " + path() + " has no sample '" + sampleId + "'");
    data::Sample s;
    s.id = st.getText(0);
    s.sourceId = st.getText(1);
    s.taskType = st.getText(2);
    s.model = st.getText(3);
    s.split = st.getText(4);
    s.prompt = st.getText(5);
    s.response = st.getText(6);
    s.hallucinations = decodeSpans(st.getBlob(7));
    s.responseLabel = static_cast<int>(st.getInt(8));
    s.responseChunks = decodeSpans(st.getBlob(9));
    s.promptChunks = decodeSpans(st.getBlob(10));
    return s;
}

analysis::FeatureTable SessionStore::featureTable() const
{
    const std::vector<std::string> ecs = ecsNames(), pks = pksNames();
    std::vector<results::SampleResult> units;   // id, label and units only: what a table row needs
    {
        std::lock_guard<std::mutex> lock(d_->mutex);
        std::map<std::int64_t, std::size_t> sampleOf;   // sample seq -> index into units
        Statement s = d_->db.prepare(std::string("SELECT seq, id, response_label FROM samples ") + kScoringOrder);
        while (s.step()) {
            sampleOf[s.getInt(0)] = units.size();
            results::SampleResult r;
            r.sampleId = s.getText(1);
            r.responseLabel = static_cast<int>(s.getInt(2));
            units.push_back(std::move(r));
        }
        Statement u = d_->db.prepare("SELECT sample_seq, label, ecs, pks, token_begin, token_end FROM units ORDER BY sample_seq, idx");
        while (u.step()) {
            const auto owner = sampleOf.find(u.getInt(0));
            if (owner == sampleOf.end())
                throw InputError("session " + path() + ": a unit belongs to no stored sample (damaged file?)");
            results::ScoredUnit unit;
            unit.label = static_cast<int>(u.getInt(1));
            unit.ecs = blob::decodeFloats(u.getBlob(2));
            unit.pks = blob::decodeFloats(u.getBlob(3));
            unit.tokenBegin = static_cast<int>(u.getInt(4));
            unit.tokenEnd = static_cast<int>(u.getInt(5));
            units[owner->second].units.push_back(std::move(unit));
        }
    }
    // Sessions written without setFeatureNames() still give a usable table ("ecs_k" / "pks_k").
    analysis::FeatureTable t = results::tableOf(units, ecs, pks, "session " + path());
    requireFiniteFeatures(t, "session " + path());
    return t;
}

} // namespace hs::session
