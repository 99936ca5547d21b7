// End-to-end BUSY with the real scripting layer (skipped when the engine is
// built with the stub script_commands.cc): a long EVAL past
// busy-reply-threshold makes other sessions get BUSY, SCRIPT KILL stops it,
// and the engine is usable afterwards (SEMANTICS.md S2-S4, T8).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "impl/engine/command.h"
#include "impl/engine/engine_state.h"
#include "impl/engine/engine_test_util.h"
#include "impl/engine/script_commands.h"
#include "impl/lua/lua_scripting.h"

namespace txlab::testing {
namespace {

const char* kBusy = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";

// CONFIG SET busy-reply-threshold (txlab serve) reaches the script monitor.
TEST(ScriptBusy, S2_ThresholdCanBeChangedAtRunTime) {
  if (CommandTable::Get().Find("eval") == nullptr) GTEST_SKIP() << "no scripting layer linked";
  EngineOptions o;
  o.active_expire = false;
  o.busy_reply_threshold_ms = 5000;
  Engine engine(o);
  EXPECT_EQ(ScriptingOf(engine.state()).monitor().threshold_ms(), 5000);
  engine.SetBusyReplyThresholdMs(77);
  EXPECT_EQ(ScriptingOf(engine.state()).monitor().threshold_ms(), 77);
}

TEST(ScriptBusy, S2_S4_LongScriptGivesBusyAndScriptKillStopsIt) {
  if (CommandTable::Get().Find("eval") == nullptr) GTEST_SKIP() << "no scripting layer linked";
  EngineOptions o;
  o.active_expire = false;
  o.busy_reply_threshold_ms = 50;
  Engine engine(o);
  auto runner = engine.Connect();
  auto other = engine.Connect();
  other->Call({"MULTI"});
  EXPECT_EQ(other->Call({"SET", "queued", "1"}), Queued());
  Reply script_reply;
  std::thread t([&] { script_reply = runner->Call({"EVAL", "while true do end", "0"}); });
  // Wait until the scripting layer reports the script as timed out.
  for (int i = 0; i < 1000 && !engine.state().script_timed_out.load(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  Reply r = other->Call({"EXEC"});
  EXPECT_EQ(r, Err(std::string("EXECABORT Transaction discarded because of: ") + kBusy));  // T8
  EXPECT_EQ(other->Call({"GET", "k"}), Err(kBusy));
  EXPECT_EQ(other->Call({"SCRIPT", "KILL"}), Ok());
  t.join();
  EXPECT_TRUE(script_reply.is_error());
  EXPECT_EQ(other->Call({"SET", "k", "v"}), Ok());
  EXPECT_EQ(other->Call({"EXISTS", "queued"}), Int(0));
}

}  // namespace
}  // namespace txlab::testing
