#pragma once
// Our own safetensors reader (torch-free). The file is memory-mapped and its header is validated in full
// before anything is allocated for tensors: header length, JSON shape, dtypes, shape × dtype size = byte
// length, offsets inside the data section, no overlaps. Every failure is an hs::InputError naming the
// file and, where there is one, the tensor.
//
// Format: [u64 little-endian N][N bytes of JSON header][data section]. The header maps tensor names to
// {"dtype", "shape", "data_offsets": [begin, end]} (offsets relative to the data section) and may hold a
// "__metadata__" object of string → string.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace hs::model {

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL, F8_E4M3, F8_E5M2 };

std::size_t dtypeSize(DType t);
const char* dtypeName(DType t);             // the safetensors spelling, e.g. "BF16"
bool parseDType(const std::string& s, DType& out);

struct TensorInfo {
    std::string name;
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    std::uint64_t begin = 0, end = 0;  // byte offsets relative to the data section

    std::uint64_t numel() const;       // validated not to overflow by the parser
    std::uint64_t byteSize() const { return end - begin; }
};

struct SafetensorsHeader {
    std::uint64_t headerLength = 0;    // N
    std::uint64_t dataOffset = 0;      // 8 + N: where the data section starts in the file
    std::uint64_t dataSize = 0;        // bytes after the header
    std::vector<TensorInfo> tensors;   // sorted by begin offset
    std::map<std::string, std::string> metadata;

    const TensorInfo* find(const std::string& name) const;  // nullptr when absent
};

// Limits the parser enforces (exposed for tests and docs).
constexpr std::uint64_t kMaxHeaderBytes = 100ull * 1024 * 1024;
constexpr int kMaxHeaderJsonDepth = 8; // a valid header nests three levels

// Validates and parses the header of a whole safetensors file held in [data, data + size).
// Pure: touches nothing outside the buffer; the fuzz target calls it directly.
// Throws hs::InputError naming fileName (and the tensor) on any violation.
SafetensorsHeader parseSafetensorsHeader(const std::uint8_t* data, std::size_t size, const std::string& fileName);

// Read-only memory map of a whole file (RAII).
class MappedFile {
public:
    explicit MappedFile(const std::string& path);  // throws InputError when it cannot be opened
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const std::uint8_t* data() const { return data_; }
    std::size_t size() const { return size_; }
    const std::string& path() const { return path_; }

private:
    std::string path_;
    const std::uint8_t* data_ = nullptr;
    std::size_t size_ = 0;
};

// One mapped .safetensors file with its validated header.
class SafetensorsFile {
public:
    explicit SafetensorsFile(const std::string& path);
    const std::string& path() const { return map_.path(); }
    std::size_t fileSize() const { return map_.size(); }
    const SafetensorsHeader& header() const { return header_; }
    // Start of the tensor's bytes inside the map (valid while this object lives).
    const std::uint8_t* bytes(const TensorInfo& t) const { return map_.data() + header_.dataOffset + t.begin; }

private:
    MappedFile map_;
    SafetensorsHeader header_;
};

// Every tensor of a model folder: `model.safetensors`, or the shards named by
// `model.safetensors.index.json`. Pickle checkpoints (.bin/.pt/.pth) are refused, never read.
class WeightFiles {
public:
    explicit WeightFiles(const std::string& dir);

    struct Entry {
        const SafetensorsFile* file;
        const TensorInfo* info;
    };
    const Entry* find(const std::string& name) const;       // nullptr when absent
    const std::map<std::string, Entry>& entries() const { return entries_; }
    const std::vector<std::unique_ptr<SafetensorsFile>>& files() const { return files_; }
    const std::string& dir() const { return dir_; }
    bool sharded() const { return sharded_; }

private:
    std::string dir_;
    bool sharded_ = false;
    std::vector<std::unique_ptr<SafetensorsFile>> files_;
    std::map<std::string, Entry> entries_;
};

// Throws the "convert to safetensors" InputError when path is a pickle checkpoint (by extension).
void refusePickleCheckpoint(const std::string& path);

} // namespace hs::model
