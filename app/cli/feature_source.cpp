#include "app/cli/feature_source.h"

#include "core/analysis/redeep_log.h"
#include "core/session/session_store.h"
#include "core/util/error.h"

namespace hs::cli {

analysis::FeatureTable loadFeatureSource(const Args& a)
{
    if (a.has("session") && a.has("features"))
        throw InputError("give either --features or --session, not both");
    if (a.has("session")) {
        session::SessionStore store = session::SessionStore::openReadOnly(a.get("session"));
        analysis::FeatureTable t = store.featureTable();
        if (t.responseIds.empty()) throw InputError("session " + a.get("session") + " holds no scored samples");
        return t;
    }
    return analysis::loadRedeepLog(a.require("features"));
}

std::string featureSourceName(const Args& a) { return a.has("session") ? a.get("session") : a.get("features"); }

} // namespace hs::cli
