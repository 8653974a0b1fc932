// halluscope-cli: the headless front end on the same engine as the GUI.
// Exit codes: 0 success, 1 runtime failure, 2 bad input (malformed or corrupt files, bad options).
#include "app/cli/command.h"
#include "core/util/error.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <iostream>
#include <new>

namespace hs::cli {

std::vector<Command>& commandTable()
{
    static std::vector<Command> table;
    return table;
}

std::string Args::get(const std::string& name, const std::string& def) const
{
    auto it = options.find(name);
    return it == options.end() ? def : it->second;
}

std::string Args::require(const std::string& name) const
{
    auto it = options.find(name);
    if (it == options.end())
        throw InputError("missing required option --" + name);
    return it->second;
}

// No option of ours is negative (counts, folds, seeds, sizes): "--limit -5" is a mistake, not "all".
int Args::getInt(const std::string& name, int def) const
{
    if (!has(name)) return def;
    const std::string& text = options.at(name);
    try {
        size_t used = 0;
        long long v = std::stoll(text, &used);
        if (used != text.size() || text.empty() || std::isspace(static_cast<unsigned char>(text[0])))
            throw std::invalid_argument("trailing");
        if (v < 0 || v > std::numeric_limits<int>::max()) throw std::out_of_range("range");
        return static_cast<int>(v);
    } catch (const std::exception&) {
        throw InputError("--" + name + " expects a whole number from 0 to " +
                         std::to_string(std::numeric_limits<int>::max()) + ", got '" + text + "'");
    }
}

double Args::getDouble(const std::string& name, double def) const
{
    if (!has(name)) return def;
    const std::string& text = options.at(name);
    try {
        size_t used = 0;
        double v = std::stod(text, &used);
        if (used != text.size() || text.empty() || std::isspace(static_cast<unsigned char>(text[0])))
            throw std::invalid_argument("trailing");
        if (!std::isfinite(v)) throw std::out_of_range("not finite");
        return v;
    } catch (const std::exception&) {
        throw InputError("--" + name + " expects a finite number, got '" + text + "'");
    }
}

namespace {

// The `--name`s that a command's usage text mentions.
std::set<std::string> optionsNamedIn(const std::string& usage)
{
    std::set<std::string> names;
    for (std::size_t at = usage.find("--"); at != std::string::npos; at = usage.find("--", at + 2)) {
        std::size_t end = at + 2;
        while (end < usage.size() && (std::isalnum(static_cast<unsigned char>(usage[end])) || usage[end] == '-'))
            ++end;
        if (end > at + 2) names.insert(usage.substr(at + 2, end - at - 2));
    }
    return names;
}

} // namespace

Args parseArgs(int argc, char** argv, int first, const Command& cmd)
{
    const std::set<std::string> known = optionsNamedIn(cmd.usage);
    const std::string seeHelp = " (see halluscope-cli " + cmd.name + " --help)";
    Args a;
    for (int i = first; i < argc; ++i) {
        std::string s = argv[i];
        if (s.size() > 2 && s.rfind("--", 0) == 0) {
            std::string key = s.substr(2), value;
            auto eq = key.find('=');
            bool inlineValue = eq != std::string::npos;
            if (inlineValue) { value = key.substr(eq + 1); key = key.substr(0, eq); }
            bool isFlag = key == "json" || key == "help" ||
                std::find(cmd.flagNames.begin(), cmd.flagNames.end(), key) != cmd.flagNames.end();
            if (!isFlag && !known.count(key))
                throw InputError("unknown option '--" + key + "' for " + cmd.name + seeHelp);
            if (a.flags.count(key) || a.options.count(key)) throw InputError("--" + key + " is given twice");
            if (isFlag) {
                if (inlineValue) throw InputError("--" + key + " takes no value, got '" + s + "'");
                a.flags.insert(key);
            } else if (inlineValue) {
                a.options[key] = value;
            } else {
                if (i + 1 >= argc) throw InputError("--" + key + " expects a value");
                a.options[key] = argv[++i];
            }
        } else if (cmd.positionals == kAnyPositionals || static_cast<int>(a.positional.size()) < cmd.positionals) {
            a.positional.push_back(s);
        } else {
            throw InputError("unexpected argument '" + s + "'" + seeHelp);
        }
    }
    return a;
}

} // namespace hs::cli

namespace {

void printHelp()
{
    auto cmds = hs::cli::commandTable();
    std::sort(cmds.begin(), cmds.end(), [](auto& x, auto& y) { return x.name < y.name; });
    std::cout << "halluscope-cli " << HS_VERSION
              << " - detect hallucinations in RAG answers by looking inside the model\n\n"
                 "Usage: halluscope-cli COMMAND [options]   (halluscope-cli COMMAND --help for details)\n\n"
                 "Commands:\n";
    for (const auto& c : cmds)
        std::cout << "  " << c.name << std::string(c.name.size() < 12 ? 12 - c.name.size() : 1, ' ')
                  << c.summary << "\n";
    std::cout << "\nEvery command accepts --json: one machine-readable JSON object on stdout.\n"
                 "Exit codes: 0 success, 1 runtime failure, 2 bad input or corrupt files.\n";
}

} // namespace

int main(int argc, char** argv)
{
    using namespace hs::cli;
    if (argc < 2) { printHelp(); return 2; }
    std::string name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") { printHelp(); return 0; }
    if (name == "--version" || name == "-V") { std::cout << "halluscope-cli " << HS_VERSION << "\n"; return 0; }
    const auto& table = commandTable();
    auto it = std::find_if(table.begin(), table.end(), [&](const Command& c) { return c.name == name; });
    if (it == table.end()) {
        std::cerr << "halluscope-cli: unknown command '" << name << "' (see --help)\n";
        return 2;
    }
    try {
        Args args = parseArgs(argc, argv, 2, *it);
        if (args.flag("help")) { std::cout << it->usage << "\n"; return 0; }
        return it->run(args);
    } catch (const hs::InputError& e) {
        std::cerr << "halluscope-cli " << name << ": error: " << e.what() << "\n";
        return 2;
    } catch (const std::bad_alloc&) {
        std::cerr << "halluscope-cli " << name << ": error: out of memory\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "halluscope-cli " << name << ": error: " << e.what() << "\n";
        return 1;
    }
}
