#pragma once
// Creating and upgrading the session schema. Version 1 is the first; `migrations` is where an
// upgrade from version N to N+1 goes when the schema changes.
#include "core/session/sqlite_db.h"

namespace hs::session {

// Brings a fresh or older database to `target` (ReadWrite) or checks it (ReadOnly); returns the
// version found. Throws hs::InputError when the file is not a session or is newer than `target`.
int prepareSchema(Database& db, bool readOnly, int target);

} // namespace hs::session
