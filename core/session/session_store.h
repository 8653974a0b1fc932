#pragma once
// The session file: one SQLite database (WAL) per run holding its settings and identity, every
// finished sample with its per-unit features, labels, token info and attention summaries, and the
// run's metrics. Each sample is saved in one transaction, so a killed run loses at most the sample
// in flight and re-running the same command resumes. Torch-free and Qt-free.
#include "core/analysis/feature_table.h"
#include "core/data/sample.h"
#include "core/results/sample_result.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <set>
#include <string>
#include <vector>

namespace hs::session {

struct RunInfo {
    std::string settingsJson;
    std::string runHash;
    std::string createdAt;   // ISO-8601 UTC, e.g. "2026-11-29T01:02:03Z"
    std::string status;      // "running" | "finished"
};

// "dtype: stored \"f32\", now \"bf16\"; layers: ..." for two run-settings JSON texts: what a user needs to
// see when a session holds another run. Says so when the settings are equal (then files changed).
std::string describeSettingsChange(const std::string& storedJson, const std::string& newJson);

enum class OpenMode { ReadWrite, ReadOnly };

class SessionStore {
public:
    static constexpr int kSchemaVersion = 1;

    // ReadWrite creates the file when absent (WAL journal, schema v1). ReadOnly (the GUI, export)
    // needs an existing session. Throws hs::InputError for a file that is not a session or was
    // written by a newer schema.
    explicit SessionStore(const std::string& path, OpenMode mode = OpenMode::ReadWrite);
    static SessionStore openReadOnly(const std::string& path) { return SessionStore(path, OpenMode::ReadOnly); }
    ~SessionStore();
    SessionStore(SessionStore&&) noexcept;
    SessionStore& operator=(SessionStore&&) noexcept;

    const std::string& path() const;
    bool readOnly() const;
    int schemaVersion() const;

    // Starts or resumes the run. An empty file stores the settings; the same hash resumes (stored
    // samples stay); a different hash throws hs::InputError explaining the clash, unless
    // `overwrite`, which discards every stored sample and metric first.
    RunInfo beginRun(const std::string& settingsJson, const std::string& runHash, bool overwrite = false);
    bool hasRun() const;
    RunInfo runInfo() const;   // throws hs::InputError when no run was begun
    void markFinished();

    // Column names of the ECS (one per copy head) and PKS (one per layer) features, in unit order.
    void setFeatureNames(const std::vector<std::string>& ecsNames, const std::vector<std::string>& pksNames);
    std::vector<std::string> ecsNames() const;
    std::vector<std::string> pksNames() const;

    std::set<std::string> finishedSampleIds() const;
    // Reads list samples in the run's scoring order (shortest first, ties by id; sample_order.h), whatever
    // order they were saved in, so a run, its resumption and its merged shards read alike.
    std::vector<std::string> sampleIds() const;
    int sampleCount() const;

    // One transaction: the sample row (text, spans, labels), its units (features as float32 BLOBs),
    // token info and attention summaries. Saving an id again replaces it (never duplicates).
    void saveSample(const data::Sample& sample, const results::SampleResult& result);

    // Results in scoring order.
    std::vector<results::SampleResult> loadResults() const;
    results::SampleResult loadResult(const std::string& sampleId) const;   // throws InputError if absent
    // The stored sample (prompt, response, spans, labels) for display.
    data::Sample loadSample(const std::string& sampleId) const;           // throws InputError if absent

    // Every stored unit as a FeatureTable row, grouped by sample in scoring order, with the names
    // from setFeatureNames (or "ecs_k" / "pks_k" when none were set).
    analysis::FeatureTable featureTable() const;

    void setMetrics(const nlohmann::json& metrics);
    nlohmann::json metrics() const;   // null when none were set

private:
    struct Impl;
    std::unique_ptr<Impl> d_;
};

} // namespace hs::session
