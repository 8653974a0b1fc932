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

struct Command {
    std::string name;
    std::string summary;                 // one line for `--help`
    std::string usage;                   // full usage text for `CMD --help`
    std::vector<std::string> flagNames;  // options that take no value (`json` is always one)
    int (*run)(const Args&);             // returns the exit code
};

std::vector<Command>& commandTable();

struct CommandRegistrar {
    explicit CommandRegistrar(Command c) { commandTable().push_back(std::move(c)); }
};

// Parses argv[first..] for the given command; throws InputError on a malformed line.
Args parseArgs(int argc, char** argv, int first, const Command& cmd);

} // namespace hs::cli
