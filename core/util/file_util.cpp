#include "core/util/file_util.h"

#include "core/util/error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace hs {

void requireRegularFile(const std::string& path, std::uint64_t maxBytes)
{
    struct stat st;
    if (::stat(path.c_str(), &st) != 0)
        throw InputError("cannot open '" + path + "': " + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) throw InputError("'" + path + "' is not a regular file");
    if (static_cast<std::uint64_t>(st.st_size) > maxBytes)
        throw InputError("'" + path + "' is " + std::to_string(st.st_size) + " bytes, more than the " +
                         std::to_string(maxBytes) + " this reader accepts");
}

std::string readTextFile(const std::string& path, std::uint64_t maxBytes)
{
    requireRegularFile(path, maxBytes);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError("cannot open '" + path + "'");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool fileExists(const std::string& path)
{
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool pathExists(const std::string& path)
{
    struct stat st;
    return ::lstat(path.c_str(), &st) == 0;
}

bool isDirectory(const std::string& path)
{
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string joinPath(const std::string& a, const std::string& b)
{
    if (a.empty()) return b;
    if (a.back() == '/') return a + b;
    return a + "/" + b;
}

std::uint64_t fileSize(const std::string& path)
{
    struct stat st;
    if (::stat(path.c_str(), &st) != 0)
        throw InputError("cannot stat '" + path + "'");
    return static_cast<std::uint64_t>(st.st_size);
}

std::uint64_t fnv1a64(const void* data, std::size_t n, std::uint64_t h)
{
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

std::string hex64(std::uint64_t v)
{
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

} // namespace hs
