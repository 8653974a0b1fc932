#include "core/session/sqlite_db.h"

#include "core/util/error.h"

#include <cstdio>

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hs::session {

namespace {

// Percent-encodes what a SQLite URI path may not hold literally.
std::string uriEscaped(const std::string& path)
{
    std::string out;
    for (unsigned char c : path) {
        if (c == '%' || c == '?' || c == '#' || c < 0x20 || c >= 0x7F) {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

bool nonEmptyFile(const std::string& path)
{
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 && st.st_size > 0;
}

} // namespace

Database::Database(const std::string& path, bool readOnly) : path_(path)
{
    // A reader of a WAL file whose writer was killed must rebuild the WAL index, which a
    // SQLITE_OPEN_READONLY connection cannot do. So a "read-only" open of a writable file opens it
    // read-write without create and sets query_only; only truly read-only files use READONLY.
    const bool writable = ::access(path.c_str(), W_OK) == 0;
    // A file we cannot write, with no write-ahead log left beside it, is opened immutable: reading a
    // WAL-mode database otherwise needs its -shm file created, which read-only media refuse
    // ("attempt to write a readonly database"). With a -wal left over the latest samples live there.
    const bool immutable = readOnly && !writable && !nonEmptyFile(path + "-wal");
    const int flags = !readOnly ? (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
                                : (writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY);
    const std::string name = immutable ? "file:" + uriEscaped(path) + "?immutable=1" : path;
    const int rc = sqlite3_open_v2(name.c_str(), &db_, flags | SQLITE_OPEN_FULLMUTEX | (immutable ? SQLITE_OPEN_URI : 0), nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close(db_);
        db_ = nullptr;
        throw InputError("cannot open session " + path + ": " + msg);
    }
    // Another connection (the GUI reading while the CLI writes) may hold a lock briefly.
    sqlite3_busy_timeout(db_, 10000);
    if (readOnly && writable) exec("PRAGMA query_only = ON");
}

Database::~Database() { sqlite3_close_v2(db_); }

void Database::fail(const std::string& what, int rc) const
{
    const std::string msg = path_ + ": " + what + ": " + sqlite3_errmsg(db_);
    // A file that is not SQLite (or is damaged) is bad input, not a program failure.
    if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT) throw InputError(msg + " (not a HalluScope session file?)");
    throw Error(msg);
}

void Database::exec(const std::string& sql)
{
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT)
            throw InputError(path_ + ": " + msg + " (not a HalluScope session file?)");
        throw Error(path_ + ": " + msg + " in: " + sql.substr(0, 80));
    }
}

Statement Database::prepare(const std::string& sql) { return Statement(*this, sql); }

std::int64_t Database::lastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

Statement::Statement(Database& db, const std::string& sql) : db_(&db)
{
    const int rc = sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &st_, nullptr);
    if (rc != SQLITE_OK) db.fail("prepare '" + sql.substr(0, 60) + "'", rc);
}

Statement::~Statement() { sqlite3_finalize(st_); }

Statement::Statement(Statement&& o) noexcept : db_(o.db_), st_(o.st_) { o.st_ = nullptr; }

Statement& Statement::bind(int i, std::int64_t v)
{
    if (sqlite3_bind_int64(st_, i, v) != SQLITE_OK) db_->fail("bind", SQLITE_ERROR);
    return *this;
}

Statement& Statement::bind(int i, double v)
{
    if (sqlite3_bind_double(st_, i, v) != SQLITE_OK) db_->fail("bind", SQLITE_ERROR);
    return *this;
}

Statement& Statement::bind(int i, const std::string& v)
{
    if (sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT) != SQLITE_OK)
        db_->fail("bind", SQLITE_ERROR);
    return *this;
}

Statement& Statement::bindBlob(int i, const std::string& bytes)
{
    // A zero-length blob must not be bound from a null pointer (it would read as NULL).
    static const char empty = 0;
    const char* p = bytes.empty() ? &empty : bytes.data();
    if (sqlite3_bind_blob(st_, i, p, static_cast<int>(bytes.size()), SQLITE_TRANSIENT) != SQLITE_OK)
        db_->fail("bind", SQLITE_ERROR);
    return *this;
}

Statement& Statement::bindNull(int i)
{
    sqlite3_bind_null(st_, i);
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    db_->fail("step", rc);
}

void Statement::run()
{
    while (step()) {
    }
    reset();
}

void Statement::reset()
{
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
}

std::int64_t Statement::getInt(int col) const { return sqlite3_column_int64(st_, col); }
double Statement::getDouble(int col) const { return sqlite3_column_double(st_, col); }
bool Statement::isNull(int col) const { return sqlite3_column_type(st_, col) == SQLITE_NULL; }

std::string Statement::getText(int col) const
{
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st_, col));
    return p ? std::string(p, sqlite3_column_bytes(st_, col)) : std::string();
}

std::string Statement::getBlob(int col) const
{
    const auto* p = static_cast<const char*>(sqlite3_column_blob(st_, col));
    return p ? std::string(p, sqlite3_column_bytes(st_, col)) : std::string();
}

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction()
{
    if (done_) return;
    try {
        db_.exec("ROLLBACK");
    } catch (...) {
        // Nothing sensible to do in a destructor; SQLite rolls back on close anyway.
    }
}

void Transaction::commit()
{
    db_.exec("COMMIT");
    done_ = true;
}

} // namespace hs::session
