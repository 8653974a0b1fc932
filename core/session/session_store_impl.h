#pragma once
// Internal to core/session: SessionStore's state, shared by its two source files.
#include "core/session/session_store.h"
#include "core/session/sqlite_db.h"

#include <mutex>

namespace hs::session {

struct SessionStore::Impl {
    Impl(const std::string& path, bool ro) : db(path, ro), readOnly(ro) {}
    Database db;
    bool readOnly;
    int version = 0;
    // The detector saves from its worker thread while a GUI may query: one connection, serialised.
    mutable std::mutex mutex;

    void requireWritable(const char* what) const;
};

std::string utcNow();   // "YYYY-MM-DDTHH:MM:SSZ"

} // namespace hs::session
