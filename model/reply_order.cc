#include "model/reply_order.h"

#include <algorithm>
#include <utility>

#include "model/model_parse.h"

namespace txlab {

using model_internal::FormatDouble;
using model_internal::Lower;

Reply ToResp2(const Reply& r) {
  switch (r.type()) {
    case Reply::Type::kDouble: return Reply::Bulk(FormatDouble(r.dbl()));
    case Reply::Type::kBool: return Reply::Integer(r.integer());
    case Reply::Type::kVerbatim: return Reply::Bulk(r.verbatim_text());
    case Reply::Type::kBigNumber: return Reply::Bulk(r.str());
    case Reply::Type::kSet:
    case Reply::Type::kMap:
    case Reply::Type::kArray: {
      std::vector<Reply> elems;
      for (const Reply& e : r.elems()) elems.push_back(ToResp2(e));
      return Reply::Array(std::move(elems));
    }
    default: return r;
  }
}

namespace {

bool LessByText(const Reply& a, const Reply& b) {
  if (a.type() != b.type()) return a.type() < b.type();
  return a.str() < b.str();
}

bool HasWithScores(const std::vector<std::string>& argv) {
  for (size_t i = 4; i < argv.size(); ++i) {
    if (Lower(argv[i]) == "withscores") return true;
  }
  return false;
}

}  // namespace

Reply CanonicalReply(const std::vector<std::string>& argv, const Reply& r) {
  Reply out = ToResp2(r);
  if (argv.empty() || out.type() != Reply::Type::kArray) return out;
  std::string name = Lower(argv[0]);
  auto& elems = out.mutable_elems();
  if (name == "smembers" || name == "keys" || name == "sinter" || name == "sunion" || name == "sdiff") {
    std::sort(elems.begin(), elems.end(), LessByText);
  } else if (name == "hgetall" && elems.size() % 2 == 0) {
    std::vector<std::pair<Reply, Reply>> pairs;
    for (size_t i = 0; i < elems.size(); i += 2) pairs.emplace_back(elems[i], elems[i + 1]);
    std::sort(pairs.begin(), pairs.end(),
              [](const auto& a, const auto& b) { return LessByText(a.first, b.first); });
    elems.clear();
    for (auto& [k, v] : pairs) {
      elems.push_back(std::move(k));
      elems.push_back(std::move(v));
    }
  } else if (((name == "zrange" || name == "zrangebyscore" || name == "zrevrange") && HasWithScores(argv)) ||
             name == "zpopmin" || name == "zpopmax") {
    // RESP3 answers WITHSCORES (and ZPOPMIN/ZPOPMAX with a count) as
    // [member, score] pairs; RESP2 flattens them.
    std::vector<Reply> flat;
    bool nested = !elems.empty() && elems[0].type() == Reply::Type::kArray;
    if (nested) {
      for (const Reply& pair : elems) {
        for (const Reply& e : pair.elems()) flat.push_back(e);
      }
      elems = std::move(flat);
    }
  }
  return out;
}

Reply CanonicalExecReply(const std::vector<std::vector<std::string>>& queued, const Reply& r) {
  if (r.type() != Reply::Type::kArray || r.elems().size() != queued.size()) return ToResp2(r);
  std::vector<Reply> elems;
  for (size_t i = 0; i < queued.size(); ++i) elems.push_back(CanonicalReply(queued[i], r.elems()[i]));
  return Reply::Array(std::move(elems));
}

}  // namespace txlab
