#include "core/session/session_merge.h"

#include "core/session/sample_order.h"
#include "core/session/session_store.h"
#include "core/session/sqlite_db.h"
#include "core/util/error.h"
#include "core/util/file_util.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <map>

namespace hs::session {

namespace {

struct Input {
    std::string path;
    SessionStore store;
    RunInfo run;
    nlohmann::json settings;   // without "shard"
    std::string shard;         // "i/N" or "" for an unsharded run
};

nlohmann::json settingsWithoutShard(const std::string& json, std::string& shard)
{
    nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
    if (!j.is_object()) return nlohmann::json::object();
    if (j.contains("shard")) {
        shard = j["shard"].get<std::string>();
        j.erase("shard");
    }
    return j;
}

// What differs between two runs' settings, for the refusal message.
std::string settingsDifference(const nlohmann::json& a, const nlohmann::json& b)
{
    std::string out;
    for (auto it = a.begin(); it != a.end(); ++it) {
        const std::string theirs = b.contains(it.key()) ? b[it.key()].dump() : "(absent)";
        if (theirs != it.value().dump()) out += "\n  " + it.key() + ": " + it.value().dump() + " vs " + theirs;
    }
    for (auto it = b.begin(); it != b.end(); ++it)
        if (!a.contains(it.key())) out += "\n  " + it.key() + ": (absent) vs " + it.value().dump();
    return out.empty() ? "\n  the settings are equal, so the model files or the dataset's content differ" : out;
}

void requireSameRun(const Input& first, const Input& other)
{
    if (other.run.runHash == first.run.runHash) return;
    throw InputError(other.path + " holds another run than " + first.path + " (run hash " + other.run.runHash +
                     " vs " + first.run.runHash + "); only shards of one run can be merged. What differs:" +
                     settingsDifference(first.settings, other.settings));
}

struct Entry {
    std::size_t tokens;
    std::string id;
    std::size_t input;
};

// Every sample's id and token count in one pass over the samples table, without its features.
void listSamples(const Input& in, std::size_t index, std::vector<Entry>& out)
{
    Database db(in.path, true);
    Statement st = db.prepare("SELECT id, total_tokens FROM samples ORDER BY seq");
    while (st.step()) out.push_back({static_cast<std::size_t>(st.getInt(1)), st.getText(0), index});
}

std::pair<int, int> parseShardText(const std::string& text)
{
    int i = 0, n = 0;
    if (std::sscanf(text.c_str(), "%d/%d", &i, &n) != 2 || i < 1 || i > n)
        throw InputError("malformed shard '" + text + "' in a session's settings");
    return {i, n};
}

} // namespace

MergeReport mergeSessions(const std::string& outPath, const std::vector<std::string>& inputs)
{
    if (inputs.empty()) throw InputError("merge needs at least one input session");
    if (fileExists(outPath)) throw InputError(outPath + " exists; merge writes a new session (remove it first)");

    std::vector<Input> in;
    for (const auto& path : inputs) {
        SessionStore store = SessionStore::openReadOnly(path);
        if (!store.hasRun()) throw InputError("session " + path + " holds no run");
        RunInfo run = store.runInfo();
        std::string shard;
        nlohmann::json settings = settingsWithoutShard(run.settingsJson, shard);
        in.push_back({path, std::move(store), std::move(run), std::move(settings), shard});
        requireSameRun(in.front(), in.back());
    }

    MergeReport rep;
    rep.runHash = in.front().run.runHash;
    std::map<int, std::string> byShard;   // shard index -> input path
    bool allFinished = true;
    for (const auto& x : in) {
        allFinished = allFinished && x.run.status == "finished";
        auto [i, n] = x.shard.empty() ? std::pair<int, int>{1, 1} : parseShardText(x.shard);
        if (&x != &in.front() && n != rep.shardCount)
            throw InputError(x.path + " is shard " + x.shard + " but " + in.front().path + " is one of " +
                             std::to_string(rep.shardCount) + " shards; merge the shards of one split");
        rep.shardCount = n;
        if (!byShard.emplace(i, x.path).second)
            throw InputError((x.shard.empty() ? std::string("both hold the whole (unsharded) run: ")
                                              : "shard " + x.shard + " is given twice: ") +
                             byShard[i] + " and " + x.path);
    }
    for (const auto& [i, path] : byShard) rep.shardsPresent.push_back(i);
    rep.complete = allFinished && static_cast<int>(byShard.size()) == rep.shardCount;

    std::vector<Entry> all;
    for (std::size_t k = 0; k < in.size(); ++k) listSamples(in[k], k, all);
    std::map<std::string, std::size_t> owner;
    for (const auto& e : all)
        if (auto [it, fresh] = owner.emplace(e.id, e.input); !fresh)
            throw InputError("sample '" + e.id + "' is in both " + in[it->second].path + " and " + in[e.input].path +
                             "; merge refuses duplicate samples");
    std::sort(all.begin(), all.end(),
              [](const Entry& a, const Entry& b) { return scoredBefore(a.tokens, a.id, b.tokens, b.id); });

    // Written under a temporary name and renamed at the end, so a failed merge leaves no session
    // that looks complete.
    const std::string partial = outPath + ".partial";
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((partial + suffix).c_str());
    {
        SessionStore out(partial);
        out.beginRun(in.front().settings.dump(), rep.runHash);
        out.setFeatureNames(in.front().store.ecsNames(), in.front().store.pksNames());
        for (const auto& e : all) {
            const SessionStore& src = in[e.input].store;
            out.saveSample(src.loadSample(e.id), src.loadResult(e.id));
        }
        if (rep.complete) out.markFinished();
    }
    if (std::rename(partial.c_str(), outPath.c_str()) != 0)
        throw Error("cannot rename " + partial + " to " + outPath);
    rep.samples = static_cast<int>(all.size());
    return rep;
}

} // namespace hs::session
