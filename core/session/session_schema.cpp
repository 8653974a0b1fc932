#include "core/session/session_schema.h"

#include "core/util/error.h"

#include <functional>
#include <string>
#include <vector>

namespace hs::session {

namespace {

const char* kSchemaV1 = R"SQL(
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE run (
    id INTEGER PRIMARY KEY CHECK (id = 1),   -- one run per session file
    settings_json TEXT NOT NULL,
    run_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    status TEXT NOT NULL,
    ecs_names TEXT NOT NULL DEFAULT '[]',     -- JSON list, one per copy head
    pks_names TEXT NOT NULL DEFAULT '[]',     -- JSON list, one per knowledge layer
    metrics_json TEXT
);
CREATE TABLE samples (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- save order
    id TEXT NOT NULL UNIQUE,
    source_id TEXT NOT NULL,
    task_type TEXT NOT NULL,
    model TEXT NOT NULL,
    split TEXT NOT NULL,
    sample_label INTEGER NOT NULL,          -- data::Sample::responseLabel (-1 unknown)
    response_label INTEGER NOT NULL,        -- results::SampleResult::responseLabel
    prompt_tokens INTEGER NOT NULL,
    total_tokens INTEGER NOT NULL,
    seconds REAL NOT NULL,
    prompt TEXT NOT NULL,
    response TEXT NOT NULL,
    hallucinations BLOB NOT NULL,           -- int32 [start, end) byte pairs into response
    response_chunks BLOB NOT NULL,
    prompt_chunks BLOB NOT NULL,
    prompt_chunk_texts BLOB NOT NULL,       -- string list
    token_texts BLOB NOT NULL,              -- string list, one per response token
    token_offsets BLOB NOT NULL,            -- int32 [charStart, charEnd) pairs
    saved_at TEXT NOT NULL
);
CREATE TABLE units (
    sample_seq INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    token_begin INTEGER NOT NULL,
    token_end INTEGER NOT NULL,
    label INTEGER NOT NULL,
    ecs BLOB NOT NULL,                      -- float32 per copy head
    pks BLOB NOT NULL,                      -- float32 per knowledge layer
    PRIMARY KEY (sample_seq, idx)
) WITHOUT ROWID;
CREATE TABLE attention (
    sample_seq INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    layer INTEGER NOT NULL,
    head INTEGER NOT NULL,
    rows INTEGER NOT NULL,
    cols INTEGER NOT NULL,
    vals BLOB NOT NULL,                     -- float32 rows x cols, row-major
    PRIMARY KEY (sample_seq, idx)
) WITHOUT ROWID;
INSERT INTO schema_version (version) VALUES (1);
)SQL";

// migrations[i] upgrades version i+1 to i+2. None yet: version 1 is the first schema.
const std::vector<std::function<void(Database&)>>& migrations()
{
    static const std::vector<std::function<void(Database&)>> m;
    return m;
}

int tableCount(Database& db, const std::string& name)
{
    Statement st = db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'" +
                              std::string(name.empty() ? "" : " AND name = ?1"));
    if (!name.empty()) st.bind(1, name);
    st.step();
    return static_cast<int>(st.getInt(0));
}

} // namespace

int prepareSchema(Database& db, bool readOnly, int target)
{
    if (!readOnly) {
        // WAL: readers (the GUI) never block the writer; NORMAL sync keeps every committed
        // transaction across a process kill (only a power cut may lose the last ones).
        db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
    }
    const bool hasVersion = tableCount(db, "schema_version") > 0;
    if (!hasVersion) {
        if (tableCount(db, "") > 0)
            throw InputError(db.path() + " is not a HalluScope session (no schema_version table)");
        // An empty database: a writer was stopped before it created the schema.
        if (readOnly) throw InputError("session " + db.path() + " is empty (no run was started in it)");
        Transaction tx(db);
        db.exec(kSchemaV1);
        tx.commit();
        return target;
    }
    Statement st = db.prepare("SELECT version FROM schema_version");
    if (!st.step()) throw InputError(db.path() + ": the schema_version table is empty");
    int version = static_cast<int>(st.getInt(0));
    st.reset();
    if (version > target)
        throw InputError(db.path() + " was written with session schema v" + std::to_string(version) +
                         "; this HalluScope reads up to v" + std::to_string(target) + ": update HalluScope");
    if (version < 1) throw InputError(db.path() + ": invalid schema version " + std::to_string(version));
    if (version < target && !readOnly) {
        Transaction tx(db);
        for (int v = version; v < target; ++v) {
            if (v - 1 >= static_cast<int>(migrations().size()))
                throw Error("no migration from session schema v" + std::to_string(v));
            migrations()[v - 1](db);
        }
        db.prepare("UPDATE schema_version SET version = ?1").bind(1, target).run();
        tx.commit();
        version = target;
    }
    return version;
}

} // namespace hs::session
