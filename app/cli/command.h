#pragma once
// The CLI's command table. Each app/cli/cmd_*.cpp registers one command with a static
// CommandRegistrar, so a new command touches no shared list.
#include <map>
#include <set>
#include <string>
#include <vector>

namespace hs::cli {

// Parsed command line: `--key value`, `--flag`, and positional arguments.
struct Args {
    std::vector<std::string> positional;
    std::map<std::string, std::string> options;
    std::set<std::string> flags;

    bool flag(const std::string& name) const { return flags.count(name) != 0; }
    bool has(const std::string& name) const { return options.count(name) != 0; }
    std::string get(const std::string& name, const std::string& def = "") const;
    // Throws InputError when missing.
    std::string require(const std::string& name) const;
    int getInt(const std::string& name, int def) const;
    double getDouble(const std::string& name, double def) const;
};

// The options a command accepts are exactly the `--name`s its usage text mentions (plus --json and
// --help): the help text is the one list, so it cannot fall out of date with what is accepted.
struct Command {
    std::string name;
    std::string summary;                 // one line for `--help`
    std::string usage;                   // full usage text for `CMD --help`; names every option
    std::vector<std::string> flagNames;  // options that take no value (`json` is always one)
    int (*run)(const Args&);             // returns the exit code
    int positionals = 0;                 // positional arguments the command takes (e.g. info's MODEL_DIR)
};

constexpr int kAnyPositionals = -1;      // e.g. merge's OUT IN...

std::vector<Command>& commandTable();

struct CommandRegistrar {
    explicit CommandRegistrar(Command c) { commandTable().push_back(std::move(c)); }
};

// Parses argv[first..] for the given command; throws InputError naming the offending text on a
// malformed line: an option its usage does not name, a repeated option, a missing value, a value given
// to a flag, or more positional arguments than it takes.
Args parseArgs(int argc, char** argv, int first, const Command& cmd);

// The method options of `regress` (shared with `tune`, which accepts them too); defined in cmd_regress.cpp.
// An array, not a std::string, so it is constant-initialised before any CommandRegistrar runs.
extern const char kMethodOptionsUsage[];

} // namespace hs::cli
