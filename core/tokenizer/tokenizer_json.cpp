// Reads a Hugging Face tokenizer.json into a TokenizerImpl. Unsupported stage types are rejected by name so that a
// model folder we cannot tokenise exactly fails loudly instead of producing different ids.
#include "core/tokenizer/tokenizer_impl.h"

#include "core/util/error.h"
#include "core/util/json_util.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace hs::tok {

namespace {

using Json = nlohmann::json;

struct Reader {
    std::string path;
    [[noreturn]] void fail(const std::string& what) const { throw InputError(path + ": " + what); }

    static bool flag(const Json& j, const char* key, bool def)
    {
        return j.contains(key) && j[key].is_boolean() ? j[key].get<bool>() : def;
    }
    static std::string str(const Json& j, const char* key, const std::string& def = {})
    {
        return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : def;
    }
    // An integer field (def when absent or null); a float, a string or a value beyond int is refused by name.
    int integer(const Json& j, const char* key, int def) const
    {
        if (!j.contains(key) || j[key].is_null()) return def;
        return jsonInt<int>(j[key], path + ": \"" + key + "\"");
    }
    // A model's vocabulary {token: id}; nlohmann's get<map<string, int>> would convert 4.4e113 or 2^32+1
    // into an int without a word (undefined behaviour for the float).
    std::unordered_map<std::string, int> vocab(const Json& j) const
    {
        const Json& v = j.at("vocab");
        if (!v.is_object()) fail("model vocab is not an object");
        std::unordered_map<std::string, int> out;
        for (auto it = v.begin(); it != v.end(); ++it)
            out[it.key()] = jsonInt<int>(it.value(), path + ": vocab entry '" + it.key().substr(0, 40) + "'");
        return out;
    }
    std::string type(const Json& j) const
    {
        if (!j.is_object()) fail("expected an object, got " + j.dump().substr(0, 80));
        return str(j, "type");
    }
    // {"String": "x"} patterns only (regex patterns are handled where known).
    std::string stringPattern(const Json& j, const char* what) const
    {
        if (j.contains("pattern") && j["pattern"].contains("String")) return j["pattern"]["String"].get<std::string>();
        fail(std::string(what) + " with a non-string pattern is not supported");
    }
    static PrependScheme prependScheme(const Json& j)
    {
        const std::string s = str(j, "prepend_scheme");
        if (s == "first") return PrependScheme::First;
        if (s == "never") return PrependScheme::Never;
        if (s.empty() && j.contains("add_prefix_space")) return flag(j, "add_prefix_space", true) ? PrependScheme::Always : PrependScheme::Never;
        return PrependScheme::Always;
    }

    void normalizer(const Json& j, std::vector<NormalizerStep>& out) const
    {
        if (j.is_null()) return;
        const std::string t = type(j);
        using K = NormalizerStep::Kind;
        if (t == "Sequence") {
            for (const Json& n : j.at("normalizers")) normalizer(n, out);
        } else if (t == "Prepend") {
            out.push_back({K::Prepend, j.at("prepend").get<std::string>(), {}});
        } else if (t == "Replace") {
            out.push_back({K::Replace, stringPattern(j, "Replace normalizer"), j.at("content").get<std::string>()});
        } else if (t == "Lowercase") {
            out.push_back({K::Lowercase, {}, {}});
        } else if (t == "NFD") {
            out.push_back({K::Nfd, {}, {}});
        } else if (t == "StripAccents") {
            out.push_back({K::StripAccents, {}, {}});
        } else if (t == "BertNormalizer") {
            NormalizerStep s{K::Bert, {}, {}};
            s.cleanText = flag(j, "clean_text", true);
            s.chineseChars = flag(j, "handle_chinese_chars", true);
            s.lowercase = flag(j, "lowercase", true);
            s.stripAccents = j.contains("strip_accents") && j["strip_accents"].is_boolean() ? j["strip_accents"].get<bool>()
                                                                                            : s.lowercase;
            out.push_back(s);
        } else {
            fail("normalizer type '" + t + "' is not supported");
        }
    }

    static SplitBehavior behavior(const std::string& b)
    {
        if (b == "Removed") return SplitBehavior::Removed;
        if (b == "MergedWithPrevious") return SplitBehavior::MergedWithPrevious;
        if (b == "MergedWithNext") return SplitBehavior::MergedWithNext;
        if (b == "Contiguous") return SplitBehavior::Contiguous;
        return SplitBehavior::Isolated;
    }

    void preTokenizer(const Json& j, std::vector<PreTokenizerStep>& out) const
    {
        if (j.is_null()) return;
        const std::string t = type(j);
        using K = PreTokenizerStep::Kind;
        PreTokenizerStep s{};
        if (t == "Sequence") {
            for (const Json& p : j.at("pretokenizers")) preTokenizer(p, out);
            return;
        } else if (t == "Metaspace") {
            s.kind = K::Metaspace;
            s.replacement = str(j, "replacement", "\xE2\x96\x81");
            s.prependScheme = prependScheme(j);
            s.splitOnReplacement = flag(j, "split", true);
        } else if (t == "ByteLevel") {
            s.kind = K::ByteLevel;
            s.addPrefixSpace = flag(j, "add_prefix_space", true);
            s.useRegex = flag(j, "use_regex", true);
        } else if (t == "Split") {
            const Json& p = j.at("pattern");
            if (p.contains("Regex")) {
                s.kind = K::SplitRegex;
                if (!knownSplitPattern(p["Regex"].get<std::string>(), s.pattern))
                    fail("Split pre-tokenizer regex is not one we implement: " + p["Regex"].get<std::string>());
            } else {
                s.kind = K::SplitLiteral;
                s.literal = p.at("String").get<std::string>();
            }
            s.behavior = behavior(str(j, "behavior", "Isolated"));
            s.invert = flag(j, "invert", false);
        } else if (t == "BertPreTokenizer") {
            s.kind = K::Bert;
        } else if (t == "Whitespace") {
            s.kind = K::Whitespace;
        } else if (t == "WhitespaceSplit") {
            s.kind = K::WhitespaceSplit;
        } else {
            fail("pre_tokenizer type '" + t + "' is not supported");
        }
        out.push_back(s);
    }

    void decoder(const Json& j, std::vector<DecoderStep>& out) const
    {
        if (j.is_null()) return;
        const std::string t = type(j);
        using K = DecoderStep::Kind;
        DecoderStep s{};
        if (t == "Sequence") {
            for (const Json& d : j.at("decoders")) decoder(d, out);
            return;
        } else if (t == "Replace") {
            s.kind = K::Replace;
            s.text = stringPattern(j, "Replace decoder");
            s.content = j.at("content").get<std::string>();
        } else if (t == "ByteFallback") {
            s.kind = K::ByteFallback;
        } else if (t == "Fuse") {
            s.kind = K::Fuse;
        } else if (t == "Strip") {
            s.kind = K::Strip;
            s.content = str(j, "content", " ");
            s.start = integer(j, "start", 0);
            s.stop = integer(j, "stop", 0);
        } else if (t == "ByteLevel") {
            s.kind = K::ByteLevel;
        } else if (t == "WordPiece") {
            s.kind = K::WordPiece;
            s.text = str(j, "prefix", "##");
            s.cleanup = flag(j, "cleanup", true);
        } else if (t == "Metaspace") {
            s.kind = K::Metaspace;
            s.text = str(j, "replacement", "\xE2\x96\x81");
            s.prependScheme = prependScheme(j);
        } else {
            fail("decoder type '" + t + "' is not supported");
        }
        out.push_back(s);
    }

    int specialId(const Json& specials, const std::string& name, const TokenizerImpl& impl) const
    {
        if (specials.contains(name) && specials[name].contains("ids") && specials[name]["ids"].size() == 1)
            return jsonInt<int>(specials[name]["ids"][0], path + ": post_processor special token '" + name + "'");
        if (const AddedToken* a = impl.added.byContent(name)) return a->id;
        fail("post_processor special token '" + name + "' has no id");
    }

    void postProcessor(const Json& j, TokenizerImpl& impl) const
    {
        if (j.is_null()) return;
        const std::string t = type(j);
        if (t == "Sequence") {
            for (const Json& p : j.at("processors")) postProcessor(p, impl);
        } else if (t == "ByteLevel") {
            impl.trimOffsets = flag(j, "trim_offsets", true);
            impl.trimAddPrefixSpace = flag(j, "add_prefix_space", true);
        } else if (t == "TemplateProcessing") {
            bool afterSequence = false;
            for (const Json& piece : j.at("single")) {
                if (piece.contains("Sequence")) {
                    afterSequence = true;
                } else if (piece.contains("SpecialToken")) {
                    const std::string name = piece["SpecialToken"].at("id").get<std::string>();
                    const Json& specials = j.contains("special_tokens") ? j["special_tokens"] : Json::object();
                    if (specials.contains(name) && specials[name].contains("ids")) {
                        for (const Json& id : specials[name]["ids"])
                            (afterSequence ? impl.templateSuffix : impl.templatePrefix)
                                .push_back(jsonInt<int>(id, path + ": post_processor special token '" + name + "'"));
                    } else {
                        (afterSequence ? impl.templateSuffix : impl.templatePrefix).push_back(specialId(specials, name, impl));
                    }
                }
            }
        } else if (t == "BertProcessing" || t == "RobertaProcessing") {
            impl.templatePrefix = {jsonInt<int>(j.at("cls").at(1), path + ": post_processor cls")};
            impl.templateSuffix = {jsonInt<int>(j.at("sep").at(1), path + ": post_processor sep")};
            if (t == "RobertaProcessing") {
                impl.trimOffsets = flag(j, "trim_offsets", true);
                impl.trimAddPrefixSpace = flag(j, "add_prefix_space", true);
            }
        } else {
            fail("post_processor type '" + t + "' is not supported");
        }
    }

    static void fillIdToToken(const std::unordered_map<std::string, int>& vocab, std::vector<std::string>& out)
    {
        int maxId = -1;
        for (const auto& [tok, id] : vocab) maxId = std::max(maxId, id);
        out.assign(std::size_t(maxId + 1), std::string());
        for (const auto& [tok, id] : vocab)
            if (id >= 0) out[id] = tok;
    }

    void model(const Json& j, TokenizerImpl& impl) const
    {
        const std::string t = str(j, "type", j.contains("merges") ? "BPE" : "");
        if (t == "WordPiece") {
            impl.wordPiece = true;
            WordPieceModel& m = impl.wordpiece;
            m.vocab = vocab(j);
            m.unkToken = str(j, "unk_token", "[UNK]");
            m.continuingSubwordPrefix = str(j, "continuing_subword_prefix", "##");
            m.maxInputCharsPerWord = static_cast<std::size_t>(std::max(0, integer(j, "max_input_chars_per_word", 100)));
            fillIdToToken(m.vocab, m.idToToken);
            return;
        }
        if (t != "BPE") fail("model type '" + t + "' is not supported");
        if (j.contains("dropout") && j["dropout"].is_number() && j["dropout"].get<double>() > 0)
            fail("BPE dropout is not supported");
        BpeModel& m = impl.bpe;
        m.vocab = vocab(j);
        fillIdToToken(m.vocab, m.idToToken);
        const std::string unk = str(j, "unk_token");
        if (!unk.empty() && m.vocab.count(unk)) m.unkId = m.vocab[unk];
        m.byteFallback = flag(j, "byte_fallback", false);
        m.fuseUnk = flag(j, "fuse_unk", false);
        m.ignoreMerges = flag(j, "ignore_merges", false);
        m.continuingSubwordPrefix = str(j, "continuing_subword_prefix");
        m.endOfWordSuffix = str(j, "end_of_word_suffix");
        int rank = 0;
        for (const Json& merge : j.at("merges")) {
            std::string a, b;
            if (merge.is_string()) {
                const std::string s = merge.get<std::string>();
                const auto space = s.find(' ');
                if (space == std::string::npos || s.find(' ', space + 1) != std::string::npos)
                    fail("bad merge '" + s + "'");
                a = s.substr(0, space);
                b = s.substr(space + 1);
            } else {
                a = merge.at(0).get<std::string>();
                b = merge.at(1).get<std::string>();
            }
            auto ia = m.vocab.find(a), ib = m.vocab.find(b), im = m.vocab.find(a + b);
            if (ia == m.vocab.end() || ib == m.vocab.end() || im == m.vocab.end())
                fail("merge '" + a + " " + b + "' uses a token missing from the vocabulary");
            m.addMerge(ia->second, ib->second, rank++, im->second);
        }
        m.finalize();
    }
};

} // namespace

std::shared_ptr<TokenizerImpl> loadTokenizerJson(const std::string& text, const std::string& path)
{
    Reader r{path};
    const Json j = parseJson<Json>(text, path);
    if (!j.is_object() || !j.contains("model")) r.fail("not a tokenizer.json (no \"model\")");
    auto impl = std::make_shared<TokenizerImpl>();
    try {
        r.model(j["model"], *impl);
        if (j.contains("added_tokens")) {
            for (const Json& a : j["added_tokens"]) {
                AddedToken t;
                t.id = jsonInt<int>(a.at("id"), path + ": added token id");
                t.content = a.at("content").get<std::string>();
                t.singleWord = Reader::flag(a, "single_word", false);
                t.lstrip = Reader::flag(a, "lstrip", false);
                t.rstrip = Reader::flag(a, "rstrip", false);
                t.special = Reader::flag(a, "special", false);
                t.normalized = Reader::flag(a, "normalized", !t.special);
                impl->added.add(t);
            }
        }
        r.normalizer(j.value("normalizer", Json()), impl->normalizers);
        r.preTokenizer(j.value("pre_tokenizer", Json()), impl->preTokenizers);
        r.postProcessor(j.value("post_processor", Json()), *impl);
        const Json dec = j.value("decoder", Json());
        impl->hasDecoder = !dec.is_null();
        r.decoder(dec, impl->decoders);
    } catch (const Json::exception& e) {
        r.fail(std::string("unexpected structure: ") + e.what());
    }
    bool byteLevel = false;
    for (const auto& p : impl->preTokenizers) byteLevel |= p.kind == PreTokenizerStep::Kind::ByteLevel;
    impl->kind = impl->wordPiece ? "wordpiece" : byteLevel ? "bpe-bytelevel" : "bpe-metaspace";
    impl->finish();
    return impl;
}

} // namespace hs::tok
