#include "workloads/workload.h"

namespace txlab {

const std::vector<std::string>& WorkloadNames() {
  static const std::vector<std::string> names = {"bank", "counter", "list-append", "rw-register", "ycsb"};
  return names;
}

std::unique_ptr<Workload> MakeWorkload(std::string_view name, const WorkloadOptions& o) {
  if (name == "bank") return MakeBankWorkload(o);
  if (name == "counter") return MakeCounterWorkload(o);
  if (name == "list-append") return MakeListAppendWorkload(o);
  if (name == "rw-register") return MakeRwRegisterWorkload(o);
  if (name == "ycsb") return MakeYcsbWorkload(o);
  return nullptr;
}

}  // namespace txlab
