#pragma once
// Runs a shell command line and returns its exit code and standard output (tests that drive the CLI).
#include <cstdio>
#include <string>
#include <sys/wait.h>

namespace hs::test {

struct CommandOutput {
    int exitCode = -1;  // -1: did not exit normally
    std::string out;
};

inline CommandOutput runCommand(const std::string& commandLine)
{
    CommandOutput o;
    if (FILE* p = ::popen(commandLine.c_str(), "r")) {
        char buf[4096];
        std::size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) o.out.append(buf, n);
        const int st = ::pclose(p);
        o.exitCode = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    }
    return o;
}

} // namespace hs::test
