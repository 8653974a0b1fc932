// Memory-mapped safetensors files and model folders (single file or sharded with an index).
#include "core/model/safetensors.h"

#include "core/util/error.h"
#include "core/util/file_util.h"
#include "core/util/json_util.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <set>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hs::model {

namespace {

struct DTypeRow {
    DType type;
    const char* name;
    std::size_t size;
};

constexpr DTypeRow kDTypes[] = {
    {DType::F64, "F64", 8},   {DType::F32, "F32", 4},         {DType::F16, "F16", 2},
    {DType::BF16, "BF16", 2}, {DType::I64, "I64", 8},         {DType::I32, "I32", 4},
    {DType::I16, "I16", 2},   {DType::I8, "I8", 1},           {DType::U64, "U64", 8},
    {DType::U32, "U32", 4},   {DType::U16, "U16", 2},         {DType::U8, "U8", 1},
    {DType::BOOL, "BOOL", 1}, {DType::F8_E4M3, "F8_E4M3", 1}, {DType::F8_E5M2, "F8_E5M2", 1},
};

const DTypeRow& row(DType t)
{
    for (const auto& r : kDTypes)
        if (r.type == t) return r;
    return kDTypes[1];
}

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

bool endsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

const char* const kPickleExtensions[] = {".bin", ".pt", ".pth", ".ckpt", ".pkl"};

bool isPickleName(const std::string& path)
{
    std::string l = lower(path);
    for (const char* ext : kPickleExtensions)
        if (endsWith(l, ext)) return true;
    return false;
}

// Shard names come from a JSON file: accept plain file names only (no path traversal).
void checkShardName(const std::string& index, const std::string& shard)
{
    if (shard.empty() || shard.find('/') != std::string::npos || shard.find('\\') != std::string::npos ||
        shard == "." || shard == ".." || !endsWith(lower(shard), ".safetensors"))
        throw InputError(index + ": shard name '" + shard + "' is not a plain *.safetensors file name");
}

} // namespace

std::size_t dtypeSize(DType t) { return row(t).size; }
const char* dtypeName(DType t) { return row(t).name; }

bool parseDType(const std::string& s, DType& out)
{
    for (const auto& r : kDTypes)
        if (s == r.name) {
            out = r.type;
            return true;
        }
    return false;
}

std::uint64_t TensorInfo::numel() const
{
    std::uint64_t n = 1;
    for (auto d : shape) n *= static_cast<std::uint64_t>(d);
    return n;
}

const TensorInfo* SafetensorsHeader::find(const std::string& name) const
{
    for (const auto& t : tensors)
        if (t.name == name) return &t;
    return nullptr;
}

MappedFile::MappedFile(const std::string& path) : path_(path)
{
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw InputError("cannot open '" + path + "': " + std::strerror(errno));
    struct stat st;
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw InputError("'" + path + "' is not a regular file");
    }
    size_ = static_cast<std::size_t>(st.st_size);
    if (size_ > 0) {
        void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            int err = errno;
            ::close(fd);
            throw InputError("cannot map '" + path + "': " + std::strerror(err));
        }
        data_ = static_cast<const std::uint8_t*>(p);
    }
    ::close(fd);  // the mapping keeps the file alive
}

MappedFile::~MappedFile()
{
    if (data_) ::munmap(const_cast<std::uint8_t*>(data_), size_);
}

SafetensorsFile::SafetensorsFile(const std::string& path)
    : map_(path), header_(parseSafetensorsHeader(map_.data(), map_.size(), path))
{
}

void refusePickleCheckpoint(const std::string& path)
{
    if (isPickleName(path))
        throw InputError("'" + path +
                         "' is a PyTorch pickle checkpoint. HalluScope never unpickles files (loading a pickle "
                         "can run arbitrary code). Convert it to safetensors first, e.g. in Python: "
                         "AutoModelForCausalLM.from_pretrained(DIR).save_pretrained(OUT, safe_serialization=True)");
}

WeightFiles::WeightFiles(const std::string& dir) : dir_(dir)
{
    if (!isDirectory(dir)) {
        refusePickleCheckpoint(dir);
        throw InputError("'" + dir + "' is not a model folder (expected a folder holding config.json and "
                         "model.safetensors or model.safetensors.index.json)");
    }
    const std::string index = joinPath(dir, "model.safetensors.index.json");
    const std::string single = joinPath(dir, "model.safetensors");

    if (pathExists(index)) { // present: a loop or unreadable file is reported by name below
        sharded_ = true;
        nlohmann::json j = parseJson(readTextFile(index), index);
        if (!j.is_object() || !j.contains("weight_map") || !j["weight_map"].is_object())
            throw InputError(index + ": no \"weight_map\" object");
        std::map<std::string, std::string> wanted;  // tensor → shard
        std::set<std::string> shards;
        for (auto it = j["weight_map"].begin(); it != j["weight_map"].end(); ++it) {
            if (!it->is_string()) throw InputError(index + ": weight_map entry '" + it.key() + "' is not a string");
            std::string shard = it->get<std::string>();
            checkShardName(index, shard);
            wanted[it.key()] = shard;
            shards.insert(shard);
        }
        std::map<std::string, const SafetensorsFile*> byName;
        for (const auto& s : shards) {
            std::string p = joinPath(dir, s);
            if (!pathExists(p)) throw InputError(index + ": shard '" + s + "' is missing from " + dir);
            files_.push_back(std::make_unique<SafetensorsFile>(p));
            byName[s] = files_.back().get();
        }
        for (const auto& [tensor, shard] : wanted) {
            const SafetensorsFile* f = byName[shard];
            const TensorInfo* t = f->header().find(tensor);
            if (!t)
                throw InputError(index + ": maps tensor '" + tensor + "' to shard '" + shard +
                                 "', which does not contain it");
            entries_[tensor] = Entry{f, t};
        }
        return;
    }
    if (pathExists(single)) {
        files_.push_back(std::make_unique<SafetensorsFile>(single));
        for (const auto& t : files_.back()->header().tensors) entries_[t.name] = Entry{files_.back().get(), &t};
        return;
    }

    // Nothing we can read: say why.
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    for (const auto& n : names) refusePickleCheckpoint(joinPath(dir, n));
    for (const auto& n : names)
        if (endsWith(lower(n), ".safetensors"))
            throw InputError(dir + ": holds '" + n + "' but neither model.safetensors nor "
                             "model.safetensors.index.json (only Hugging Face folder layouts are read)");
    throw InputError(dir + ": no model.safetensors or model.safetensors.index.json");
}

const WeightFiles::Entry* WeightFiles::find(const std::string& name) const
{
    auto it = entries_.find(name);
    return it == entries_.end() ? nullptr : &it->second;
}

} // namespace hs::model
