// libFuzzer target: opening a session file (any bytes, e.g. a damaged or hostile SQLite database) and reading
// everything the analyses and the GUI read must give values or an hs::InputError / hs::Error, never a crash.
#include "core/session/session_export.h"
#include "core/session/session_store.h"
#include "core/util/error.h"
#include "fuzz/fuzz_input_files.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace hs::fuzz;
    const std::string path = writeInput("session.hsession",
                                        std::string(reinterpret_cast<const char*>(data), size));
    std::remove((path + "-wal").c_str());
    std::remove((path + "-shm").c_str());
    try {
        auto store = hs::session::SessionStore::openReadOnly(path);
        if (store.hasRun()) store.runInfo();
        store.featureTable();
        store.metrics();
        std::ostringstream out;
        hs::session::exportSession(store, hs::session::ExportFormat::Json, hs::session::ExportLevel::Unit, out);
    } catch (const hs::Error&) {
    }
    return 0;
}
