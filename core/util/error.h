#pragma once
// Errors carry their context (which file, which line, which tensor) in the message.
// Front ends turn them into a message: the CLI exits with code 2, the GUI shows a dialog.
#include <stdexcept>
#include <string>

namespace hs {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& what) : std::runtime_error(what) {}
};

// Bad user input (a malformed file, an unknown option): the CLI's exit code 2.
class InputError : public Error {
public:
    explicit InputError(const std::string& what) : Error(what) {}
};

} // namespace hs
