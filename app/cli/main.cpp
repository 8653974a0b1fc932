// halluscope-cli: the headless front end on the same engine as the GUI.
// Exit codes: 0 success, 1 runtime failure, 2 bad input (malformed or corrupt files, bad options).
#include "app/cli/command.h"
#include "core/util/error.h"

#include <algorithm>
#include <cstdlib>
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

int Args::getInt(const std::string& name, int def) const
{
    if (!has(name)) return def;
    try {
        size_t used = 0;
        int v = std::stoi(get(name), &used);
        if (used != get(name).size()) throw std::invalid_argument("trailing");
        return v;
    } catch (const std::exception&) {
        throw InputError("--" + name + " expects an integer, got '" + get(name) + "'");
    }
}

double Args::getDouble(const std::string& name, double def) const
{
    if (!has(name)) return def;
    try {
        size_t used = 0;
        double v = std::stod(get(name), &used);
        if (used != get(name).size()) throw std::invalid_argument("trailing");
        return v;
    } catch (const std::exception&) {
        throw InputError("--" + name + " expects a number, got '" + get(name) + "'");
    }
}

Args parseArgs(int argc, char** argv, int first, const Command& cmd)
{
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
            if (isFlag) {
                if (inlineValue) throw InputError("--" + key + " takes no value");
                a.flags.insert(key);
            } else if (inlineValue) {
                a.options[key] = value;
            } else {
                if (i + 1 >= argc) throw InputError("--" + key + " expects a value");
                a.options[key] = argv[++i];
            }
        } else {
            a.positional.push_back(s);
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
