"""Sends the same commands to redis-server 7.0.15 and to txlab's engine
(through lua_redis_diff_driver) and prints every reply that differs.

Usage: python3 redis_diff.py <path to lua_redis_diff_driver>
"""
import json, os, socket, subprocess, sys, tempfile, time

CASES = [
 # S6 errors
 ["SET","strk","v"], ["LPUSH","lst","a"],
 ["EVAL","return redis.call('get', KEYS[1])","1","lst"],
 ["EVAL","error('boom')","0"],
 ["EVAL","\nerror({err='XCODE y'})","0"],
 ["EVAL","return (","0"],
 ["EVAL","return +","0"],
 ["EVAL","redis.call('nosuch')","0"],
 ["EVAL","redis.call('get')","0"],
 ["EVAL","redis.call()","0"],
 ["EVAL","redis.call('get', {})","0"],
 ["EVAL","redis.call('set', 'k', true)","0"],
 ["EVAL","redis.call('multi')","0"],
 ["EVAL","return redis.call('exec')","0"],
 ["EVAL","return redis.call('watch','x')","0"],
 ["EVAL","return redis.call('eval','return 1','0')","0"],
 ["EVAL","return redis.pcall('lpush','strk','a')","0"],
 ["EVAL","local e = redis.pcall('nosuch') return e['err']","0"],
 ["EVAL","local ok, e = pcall(redis.call, 'nosuch') return e","0"],
 ["EVAL","local ok, e = pcall(error, {err='X'}) return e","0"],
 ["EVAL","return redis.error_reply('MY_ERR x')","0"],
 ["EVAL","return redis.error_reply('')","0"],
 ["EVAL","return redis.error_reply('-X')","0"],
 ["EVAL","return redis.status_reply('FINE')","0"],
 ["EVAL","return redis.error_reply(1)","0"],
 ["EVAL","return {err='plain'}","0"],
 ["EVAL","error()","0"],
 ["EVAL","error(nil)","0"],
 ["EVAL","error(12)","0"],
 ["EVAL","error({err=12})","0"],

 ["EVAL","return redis.call('incr','strk')","0"],
 # S9
 ["EVAL","return 1","2","a"], ["EVAL","return 1","-1"], ["EVAL","return 1","x"], ["EVAL","return 1"],
 ["EVAL","return 1","01"], ["EVAL","return 1"," 1"],
 # S10
 ["EVAL","return 100.5","0"], ["EVAL","return -3.7","0"], ["EVAL","return 3.0","0"], ["EVAL","return 1e20","0"],
 ["EVAL","return 0/0","0"], ["EVAL","return 9007199254740993","0"], ["EVAL","return true","0"], ["EVAL","return false","0"],
 ["EVAL","return nil","0"], ["EVAL","return {1,nil,3}","0"], ["EVAL","return {1,false,3}","0"], ["EVAL","return {ok='x'}","0"],
 ["EVAL","return {a=1}","0"], ["EVAL","return {{1,{2}},'s', {ok='st'}, {err='E x'}}","0"],
 ["EVAL","return -0.9","0"], ["EVAL","return 2^63","0"], ["EVAL","return -2^63","0"],
 # S11
 ["EVAL","return type(redis.call('incr','n'))","0"],
 ["EVAL","return tostring(redis.call('incr','n'))","0"],
 ["EVAL","return redis.call('get','missing') == false","0"],
 ["EVAL","return redis.call('ping')","0"],
 ["EVAL","return redis.call('ping')['ok']","0"],
 ["EVAL","return redis.call('lrange','lst',0,-1)","0"],
 ["EVAL","return redis.call('hgetall','nohash')","0"],
 ["EVAL","redis.setresp(3) return redis.call('get','missing') == nil","0"],
 ["EVAL","redis.setresp(3) return true","0"],
 ["EVAL","redis.setresp(3) return false","0"],
 ["EVAL","redis.setresp(4)","0"],
 # S12
 *[["EVAL","redis.call('set','num',%s) return redis.call('get','num')" % e,"0"] for e in
   ["0.1","1/3","2^53+1","2^63","-0.0","1/0","-1/0","0/0","3.0","42","9007199254740993","1e15","1e16","1e17","-2.5","123456789.125"]],
 # S13
 ["SCRIPT","LOAD","return 'cached'"],
 ["EVALSHA","E1C2A1E7FC2D4B9B9C8C2E0D9F5A35B0F1A7A9C8","0"],
 ["EVALSHA","short","0"],
 ["SCRIPT","EXISTS","8b7e2b4a0dc3b4c6f1e8c5d4c1a2b3c4d5e6f7a8"],
 ["SCRIPT","FLUSH","BAD"], ["SCRIPT","NOPE"], ["SCRIPT","LOAD"], ["SCRIPT","LOAD","x = = 1"],
 # S14
 ["EVAL","return a","0"], ["EVAL","a = 1","0"], ["EVAL","redis = nil","0"], ["EVAL","redis.call = function() end","0"],
 ["EVAL","string.rep = nil","0"], ["EVAL","_G.x = 1","0"], ["EVAL","setmetatable(_G, {})","0"], ["EVAL","rawset(_G, 'x', 1)","0"],
 ["EVAL","return os","0"], ["EVAL","return print","0"], ["EVAL","return debug","0"], ["EVAL","return loadfile","0"],
 ["EVAL","return unpack({1,2})","0"], ["EVAL","return loadstring('return 1 + 1')()","0"],
 ["EVAL","local f, e = loadstring(string.dump(function() return 1 end)) return f == nil","0"],
 ["EVAL","return type(table.unpack)","0"],
 ["EVAL","return tostring(10/2)","0"], ["EVAL","return string.format('%d', 3)","0"],
 # S16
 ["EVAL","return redis.call('blpop','l','0')","0"],
 # S17
 ["EVAL","return redis.replicate_commands()","0"],
 ["EVAL","math.randomseed(7) return {math.random(100), math.random(100), math.random(1,6)}","0"],
 ["EVAL","math.randomseed(7) return tostring(math.random())","0"],
 ["EVAL","return redis.sha1hex('')","0"],
 ["EVAL","return redis.sha1hex()","0"],
 ["EVAL","redis.log(redis.LOG_WARNING)","0"],
 ["EVAL","redis.log('x', 'y')","0"],
 ["EVAL","redis.log(99, 'y')","0"],
 ["EVAL","return redis.set_repl(redis.REPL_ALL)","0"],
 ["EVAL","return redis.set_repl(99)","0"],
 # S19
 ["FUNCTION","LOAD","redis.register_function('f', function() end)"],
 ["FUNCTION","LOAD","#!lua name=lib2\nlocal x = 1\nredis.call('ping')"],
 ["FUNCTION","LOAD","#!lua name=lib2\nreturn math.random()"],
 ["FUNCTION","LOAD","#!lua name=lib2\nlocal x = 1"],
 ["FUNCTION","LOAD","#!js name=lib2\nx"],
 ["FUNCTION","LOAD","#!lua\nx"],
 ["FUNCTION","LOAD","#!lua name=lib2 foo=bar\nx"],
 ["FUNCTION","LOAD","#!lua name=lib-2\nx"],
 ["FUNCTION","LOAD","#!lua name=lib2\nfoo bar"],
 ["FUNCTION","LOAD","#!lua name=lib2\nredis.register_function('f-1', function() end)"],
 ["FUNCTION","LOAD","#!lua name=lib2\nredis.register_function('f')"],
 ["FUNCTION","LOAD","#!lua name=lib2\nredis.register_function{function_name='f', callback=function() end, flags={'bogus'}}"],
 ["FUNCTION","LOAD","#!lua name=lib2\nredis.register_function{function_name='f', callback=function() end, bad=1}"],
 ["FUNCTION","LOAD","#!lua name=lib2\nredis.register_function('f', function() return 1 end) redis.register_function('f', function() return 1 end)"],
 ["FUNCTION","LOAD","#!lua name=mylib\nredis.register_function('setget', function(keys, args) redis.call('set', keys[1], args[1]) return redis.call('get', keys[1]) end)\nredis.register_function{function_name='ro', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}, description='reads'}\nredis.register_function('fail', function(keys, args)\nerror('bad') end)\nredis.register_function('usekeys', function(keys, args) return KEYS end)"],
 ["FUNCTION","LOAD","#!lua name=mylib\nredis.register_function('x', function() end)"],
 ["FUNCTION","LOAD","#!lua name=other\nredis.register_function('setget', function() end)"],
 ["FCALL","setget","1","fk","fv"], ["FCALL","SETGET","1","fk","fw"], ["FCALL_RO","ro","1","fk"],
 ["FCALL_RO","setget","1","fk","v"], ["FCALL","nosuch","0"], ["FCALL","setget","x"], ["FCALL","setget","5","a"],
 ["FCALL","fail","0"], ["FCALL","usekeys","0"],
 ["FUNCTION","LIST"], ["FUNCTION","LIST","WITHCODE","LIBRARYNAME","my*"], ["FUNCTION","LIST","LIBRARYNAME"], ["FUNCTION","LIST","BAD"],
 ["FUNCTION","DELETE","nolib"], ["FUNCTION","DELETE","mylib"], ["FUNCTION","FLUSH","BAD"], ["FUNCTION","FLUSH"], ["FUNCTION","NOPE"],
 ["FUNCTION","LOAD","BAD","#!lua name=x\nredis.register_function('x', function() end)"],
 ["FUNCTION","LOAD","REPLACE"],
 # S20
 ["EVAL","#!lua flags=no-writes\nreturn redis.call('set','k','v')","0"],
 ["EVAL","#!lua flags=bogus\nreturn 1","0"],
 ["EVAL","#!js\nreturn 1","0"],
 ["EVAL","#!lua foo=bar\nreturn 1","0"],
 ["EVAL","#!lua flags=no-writes,allow-oom\nreturn 1","0"],
 ["EVAL_RO","return redis.call('set','k','v')","0"],
 ["EVAL_RO","#!lua\nreturn 1","0"],
 ["EVAL_RO","#!lua flags=no-writes\nreturn redis.call('get','k')","0"],
 # S21
 ["EVAL","return {KEYS[1], KEYS[2], ARGV[1], #ARGV}","2","k1","k2","a1","a2"],

 ["SCRIPT","KILL"], ["FUNCTION","KILL"], ["SCRIPT","KILL","x"], ["SCRIPT","EXISTS"], ["SCRIPT","FLUSH","SYNC","X"],
 ["SCRIPT"], ["FUNCTION"], ["FUNCTION","DELETE"], ["FUNCTION","STATS"], ["EVALSHA","x"], ["FCALL_RO","f"],
 ["SCRIPT","EXISTS","a","b"],
 ["EVAL","return redis.REDIS_VERSION","0"],
 ["EVAL","return getmetatable(_G)","0"],
 ["EVAL","return type(getmetatable(''))","0"],
 ["EVAL","KEYS[1] = 'x' return KEYS[1]","1","k"],
 ["EVAL","return redis.call('SET', 'fk', 1.5)","0"],
 ["EVAL","return redis.call('GET', 'fk')","0"],
 ["EVAL","return redis.call(1)","0"],
 ["EVAL","return redis.pcall('incr', 'fk')","0"],
 ["EVAL","return redis.call('incrbyfloat', 'fk', '1')","0"],
 ["EVAL","return {1, 2, {3, {4, {5}}}}","0"],
 ["EVAL","return {'a', 'b', nil, 'd'}","0"],
 ["EVAL","return string.format('%5.2f', 3.14159)","0"],
 ["EVAL","return #ARGV","0","a","b"],
 ["EVAL","local t = {} for i = 1, 5 do t[#t+1] = i * 2 end return t","0"],
 ["EVAL","return select(2, pcall(error, 'x'))","0"],
 ["EVAL","return select(2, pcall(error, 'x', 0))","0"],
 ["EVAL","local ok, e = pcall(function() local x = nil; return x.y end) return ok","0"],
 ["EVAL","return tostring(nil) .. tostring(true)","0"],
 ["EVAL","return math.huge","0"],
 ["EVAL","return -math.huge","0"],
 ["EVAL","return redis.call('exists', 'a', 'b', 'c')","0"],
 ["EVAL","return redis.call('mget', 'strk', 'missing')","0"],
 ["EVAL","return redis.status_reply('a', 'b')","0"],
 ["EVAL","return redis.setresp()","0"],
 ["EVAL","return collectgarbage('count') > 0","0"],
 ["EVAL","return xpcall(function() error('e') end, function(m) return 'handled: ' .. m end)","0"],
 ["EVAL","return {xpcall(function() error('e') end, function(m) return 'handled: ' .. m end)}","0"],
 ["EVAL","return loadstring('syntax error here')","0"],
 ["EVAL","return {loadstring('syntax error here')}","0"],
 ["EVAL","return redis.acl_check_cmd('get', 'x')","0"],
 ["EVAL","return redis.acl_check_cmd('nosuch')","0"],
 ["EVAL","return string.len(string.rep('ab', 3))","0"],
 ["EVAL","local s = 0 for k, v in pairs({a=1, b=2}) do s = s + v end return s","0"],
 ["EVAL","return #redis","0"],
 ["EVAL","return next({})","0"],
 ["EVAL","return rawequal(KEYS, KEYS)","0"],
 ["EVAL","return type(_G)","0"],
 ["EVAL","return _G.redis ~= nil","0"],
 ["EVAL","redis.call('select', 1) redis.call('set', 'dbk', 'v') return redis.call('get','dbk')","0"],
 ["GET","dbk"],
 # misc conversions
 ["EVAL","return {double=1.5}","0"],
 ["EVAL","return redis.call('echo', 'x\\r\\ny')","0"],
 ["EVAL","return {ok='a\\r\\nb'}","0"],
 ["EVAL","return redis.error_reply('ERR a\\nb')","0"],
 ["EVAL","local t = {} t[1] = t return 1","0"],
 ["EVAL","return redis.call('ping', 'hello')","0"],
 ["EVAL","return #redis.call('time')","0"],
 ["EVAL","return string.rep('x', 3, ',')","0"],
 ["EVAL","return select('#', 1, nil, 3)","0"],
 ["EVAL","return math.floor(3.7)","0"],
 ["EVAL","return tonumber('0x10')","0"],
 ["EVAL","local t = setmetatable({}, {__index=function(t,k) return k..'!' end}) return t.x","0"],
]

def resp_encode(argv):
    out = b"*%d\r\n" % len(argv)
    for a in argv:
        b = a.encode()
        out += b"$%d\r\n%s\r\n" % (len(b), b)
    return out

class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port)); self.buf = b""
    def line(self):
        while b"\r\n" not in self.buf:
            d = self.s.recv(65536)
            if not d: raise ConnectionError("closed")
            self.buf += d
        l, self.buf = self.buf.split(b"\r\n", 1); return l
    def n(self, k):
        while len(self.buf) < k:
            d = self.s.recv(65536)
            if not d: raise ConnectionError("closed")
            self.buf += d
        d, self.buf = self.buf[:k], self.buf[k:]; return d
    def read(self):
        l = self.line(); t, r = l[:1], l[1:].decode()
        if t == b"+": return {"status": r}
        if t == b"-": return {"error": r}
        if t == b":": return int(r)
        if t == b"$":
            k = int(r)
            if k < 0: return None
            d = self.n(k + 2)[:-2]; return d.decode(errors="replace")
        if t == b"*":
            k = int(r)
            if k < 0: return None
            return [self.read() for _ in range(k)]
        raise Exception("bad " + repr(l))
    def call(self, argv):
        self.s.sendall(resp_encode(argv)); return self.read()

tmp = tempfile.mkdtemp()
port = 7599
srv = subprocess.Popen(["redis-server", "--port", str(port), "--save", "", "--appendonly", "no", "--dir", tmp],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(100):
        try: c = Conn(port); break
        except OSError: time.sleep(0.05)
    real = []
    for a in CASES:
        try:
            real.append(json.loads(json.dumps(c.call(a))))
        except ConnectionError:
            print("REDIS DIED ON:", a); raise
finally:
    srv.terminate(); srv.wait()
inp = "\n".join(json.dumps(a) for a in CASES) + "\n"
ours = [json.loads(l) for l in subprocess.run([sys.argv[1]], input=inp, capture_output=True, text=True).stdout.splitlines()]
same = 0
for a, r, o in zip(CASES, real, ours):
    if r == o: same += 1; continue
    print("CMD :", json.dumps(a)[:160]); print("  redis:", json.dumps(r)[:300]); print("  ours :", json.dumps(o)[:300])
print(f"{same}/{len(CASES)} identical")
