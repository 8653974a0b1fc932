// SessionStore: opening, the run row (identity, status, feature names, metrics).
#include "core/session/session_store.h"

#include "core/session/session_schema.h"
#include "core/session/session_store_impl.h"
#include "core/util/error.h"
#include "core/util/file_util.h"
#include "core/util/json_util.h"

#include <ctime>
#include <set>

namespace hs::session {

std::string utcNow()
{
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

void SessionStore::Impl::requireWritable(const char* what) const
{
    if (readOnly) throw Error(std::string("session ") + db.path() + " is open read-only; cannot " + what);
}

SessionStore::SessionStore(const std::string& path, OpenMode mode)
{
    const bool ro = mode == OpenMode::ReadOnly;
    if (ro && !fileExists(path)) throw InputError("session file not found: " + path);
    d_ = std::make_unique<Impl>(path, ro);
    d_->version = prepareSchema(d_->db, ro, kSchemaVersion);
}

SessionStore::~SessionStore() = default;
SessionStore::SessionStore(SessionStore&&) noexcept = default;
SessionStore& SessionStore::operator=(SessionStore&&) noexcept = default;

const std::string& SessionStore::path() const { return d_->db.path(); }
bool SessionStore::readOnly() const { return d_->readOnly; }
int SessionStore::schemaVersion() const { return d_->version; }

namespace {

bool readRun(Database& db, RunInfo& out)
{
    Statement st = db.prepare("SELECT settings_json, run_hash, created_at, status FROM run WHERE id = 1");
    if (!st.step()) return false;
    out = {st.getText(0), st.getText(1), st.getText(2), st.getText(3)};
    return true;
}

void clearResults(Database& db) { db.exec("DELETE FROM attention; DELETE FROM units; DELETE FROM samples;"); }

std::vector<std::string> namesFrom(const std::string& json)
{
    try {
        return parseJson(json, "session feature names").get<std::vector<std::string>>();
    } catch (const nlohmann::json::exception&) {
        return {};
    } catch (const InputError&) {
        return {};
    }
}

std::string shortText(const nlohmann::json& v)
{
    if (v.is_null()) return "(none)";
    const std::string s = v.dump();
    return s.size() <= 60 ? s : s.substr(0, 57) + "...";
}

} // namespace

std::string describeSettingsChange(const std::string& storedJson, const std::string& newJson)
{
    nlohmann::json a, b;
    try {
        a = parseJson(storedJson, "stored run settings");
        b = parseJson(newJson, "run settings");
    } catch (const InputError&) {
        return "the stored settings cannot be read";
    }
    if (!a.is_object() || !b.is_object()) return "the stored settings cannot be read";
    std::string out;
    std::set<std::string> keys;
    for (auto it = a.begin(); it != a.end(); ++it) keys.insert(it.key());
    for (auto it = b.begin(); it != b.end(); ++it) keys.insert(it.key());
    for (const auto& k : keys) {
        const nlohmann::json va = a.contains(k) ? a[k] : nlohmann::json(), vb = b.contains(k) ? b[k] : nlohmann::json();
        if (va != vb) out += (out.empty() ? "" : "; ") + k + ": stored " + shortText(va) + ", now " + shortText(vb);
    }
    return out.empty() ? "the settings are the same, so the model files or the dataset's contents changed" : out;
}

RunInfo SessionStore::beginRun(const std::string& settingsJson, const std::string& runHash, bool overwrite)
{
    std::lock_guard<std::mutex> lock(d_->mutex);
    d_->requireWritable("begin a run");
    Transaction tx(d_->db);
    RunInfo existing;
    const std::string now = utcNow();
    if (readRun(d_->db, existing)) {
        if (existing.runHash == runHash) {
            // Resume: finished samples stay; the caller skips them via finishedSampleIds().
            d_->db.prepare("UPDATE run SET status = 'running', updated_at = ?1 WHERE id = 1").bind(1, now).run();
            tx.commit();
            existing.status = "running";
            return existing;
        }
        if (!overwrite)
            throw InputError("session " + path() + " holds another run (hash " + existing.runHash + ", created " +
                             existing.createdAt + "); this run's hash is " + runHash + ". What differs: " +
                             describeSettingsChange(existing.settingsJson, settingsJson) +
                             ". Use a new session file to keep both, or overwrite to discard the stored results.");
        clearResults(d_->db);
        d_->db.exec("DELETE FROM run");
    }
    d_->db.prepare("INSERT INTO run (id, settings_json, run_hash, created_at, updated_at, status) "
                   "VALUES (1, ?1, ?2, ?3, ?3, 'running')")
        .bind(1, settingsJson)
        .bind(2, runHash)
        .bind(3, now)
        .run();
    tx.commit();
    return {settingsJson, runHash, now, "running"};
}

bool SessionStore::hasRun() const
{
    std::lock_guard<std::mutex> lock(d_->mutex);
    RunInfo r;
    return readRun(d_->db, r);
}

RunInfo SessionStore::runInfo() const
{
    std::lock_guard<std::mutex> lock(d_->mutex);
    RunInfo r;
    if (!readRun(d_->db, r)) throw InputError("session " + path() + " has no run yet");
    return r;
}

void SessionStore::markFinished()
{
    std::lock_guard<std::mutex> lock(d_->mutex);
    d_->requireWritable("mark the run finished");
    d_->db.prepare("UPDATE run SET status = 'finished', updated_at = ?1 WHERE id = 1").bind(1, utcNow()).run();
}

void SessionStore::setFeatureNames(const std::vector<std::string>& ecsNames, const std::vector<std::string>& pksNames)
{
    std::lock_guard<std::mutex> lock(d_->mutex);
    d_->requireWritable("set feature names");
    RunInfo r;
    if (!readRun(d_->db, r)) throw Error("session " + path() + ": setFeatureNames() before beginRun()");
    d_->db.prepare("UPDATE run SET ecs_names = ?1, pks_names = ?2 WHERE id = 1")
        .bind(1, nlohmann::json(ecsNames).dump())
        .bind(2, nlohmann::json(pksNames).dump())
        .run();
}

std::vector<std::string> SessionStore::ecsNames() const
{
    std::lock_guard<std::mutex> lock(d_->mutex);
    Statement st = d_->db.prepare("SELECT ecs_names FROM run WHERE id = 1");
    return st.step() ? namesFrom(st.getText(0)) : std::vector<std::string>{};
}

std::vector<std::string> SessionStore::pksNames() const
{
    std::lock_guard<std::mutex> lock(d_->mutex);
    Statement st = d_->db.prepare("SELECT pks_names FROM run WHERE id = 1");
    return st.step() ? namesFrom(st.getText(0)) : std::vector<std::string>{};
}

void SessionStore::setMetrics(const nlohmann::json& metrics)
{
    std::lock_guard<std::mutex> lock(d_->mutex);
    d_->requireWritable("store metrics");
    RunInfo r;
    if (!readRun(d_->db, r)) throw Error("session " + path() + ": setMetrics() before beginRun()");
    d_->db.prepare("UPDATE run SET metrics_json = ?1 WHERE id = 1").bind(1, metrics.dump()).run();
}

nlohmann::json SessionStore::metrics() const
{
    std::lock_guard<std::mutex> lock(d_->mutex);
    Statement st = d_->db.prepare("SELECT metrics_json FROM run WHERE id = 1");
    if (!st.step() || st.isNull(0)) return nullptr;
    return parseJson(st.getText(0), "session metrics");
}

} // namespace hs::session
