#pragma once
// A thin RAII layer over the SQLite C API for the session store: errors become hs::Error with the
// file name and SQLite's message, statements are prepared once per call site and reset on reuse.
#include <cstdint>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace hs::session {

class Statement;

class Database {
public:
    // readOnly: the file must exist and is never written (query_only). Otherwise it is created.
    Database(const std::string& path, bool readOnly);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(const std::string& sql);                 // one or more statements, no results
    Statement prepare(const std::string& sql);
    std::int64_t lastInsertRowId() const;
    const std::string& path() const { return path_; }
    [[noreturn]] void fail(const std::string& what, int rc) const;
    sqlite3* handle() const { return db_; }

private:
    sqlite3* db_ = nullptr;
    std::string path_;
};

// A prepared statement. Bind indices start at 1, column indices at 0, as in SQLite.
class Statement {
public:
    Statement(Database& db, const std::string& sql);
    ~Statement();
    Statement(Statement&& o) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int i, std::int64_t v);
    Statement& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
    Statement& bind(int i, double v);
    Statement& bind(int i, const std::string& v);        // TEXT
    Statement& bindBlob(int i, const std::string& bytes); // BLOB
    Statement& bindNull(int i);

    bool step();   // true while a row is available; throws on error
    void run();    // step to completion (INSERT / UPDATE / DELETE)
    void reset();

    std::int64_t getInt(int col) const;
    double getDouble(int col) const;
    std::string getText(int col) const;
    std::string getBlob(int col) const;
    bool isNull(int col) const;

private:
    Database* db_;
    sqlite3_stmt* st_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back when destroyed without commit() (an exception).
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    void commit();

private:
    Database& db_;
    bool done_ = false;
};

} // namespace hs::session
