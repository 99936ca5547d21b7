package main

// The porcupine model of txlab's histories: the same operations and
// semantics as checkers/linearizability/compile.h (register, cas, counter,
// porcupine's kv strings, list append, mutex, multi-key transactions),
// written the way porcupine models are: an immutable state, a pure Step,
// and a Partition function (union-find over the keys each op touches).
//
// Indeterminate operations (:info, or no completion) follow porcupine's
// maintainer (and Knossos): their return is after every other event, and
// Step applies their effect without checking their output. An effect that
// is impossible in the state (an acquire of a held lock) is taken as "the
// op never happened": Step succeeds and leaves the state alone.

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strconv"
	"strings"

	"github.com/anishathalye/porcupine"
)

type mopCode int

const (
	mRead mopCode = iota
	mWrite
	mCas
	mIncr
	mAppendList
	mAppendString
	mAcquire
	mRelease
)

type keyKind int

const (
	kScalar keyKind = iota
	kString
	kList
)

type mop struct {
	code     mopCode
	key      string // canonical EDN text of the key
	kind     keyKind
	a, b     string // scalar: canonical EDN text; string: raw; list: encoded list
	delta    int64
	expectOk bool // cas outcome
	checked  bool // incr: returned value known (bInt)
	bInt     int64
}

type opInput struct {
	mops          []mop
	indeterminate bool
	process       int64
	index         int64
}

// State: the keys whose value differs from their initial value, sorted.
type entry struct{ key, val string }
type kvState []entry

func initial(kind keyKind) string {
	if kind == kScalar {
		return "nil"
	}
	return "" // empty string / empty list
}

func (s kvState) get(key string, kind keyKind) string {
	for _, e := range s {
		if e.key == key {
			return e.val
		}
	}
	return initial(kind)
}

func (s kvState) set(key string, kind keyKind, val string) kvState {
	out := make(kvState, 0, len(s)+1)
	done := false
	for _, e := range s {
		if e.key == key {
			done = true
			if val != initial(kind) {
				out = append(out, entry{key, val})
			}
			continue
		}
		if !done && e.key > key {
			done = true
			if val != initial(kind) {
				out = append(out, entry{key, val})
			}
		}
		out = append(out, e)
	}
	if !done && val != initial(kind) {
		out = append(out, entry{key, val})
	}
	return out
}

func listElem(text string) string { return text + "\x00" }

func encodeList(v any) string {
	var b strings.Builder
	if xs, ok := v.([]any); ok {
		for _, e := range xs {
			b.WriteString(listElem(ednText(e)))
		}
	}
	return b.String()
}

func decodeList(s string) string {
	parts := strings.Split(strings.TrimSuffix(s, "\x00"), "\x00")
	if s == "" {
		parts = nil
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func step(state any, in any) (bool, any) {
	st := state.(kvState)
	op := in.(*opInput)
	check := !op.indeterminate
	cur := st
	for _, m := range op.mops {
		v := cur.get(m.key, m.kind)
		ok := true
		switch m.code {
		case mRead:
			ok = !check || v == m.a
		case mWrite:
			cur = cur.set(m.key, m.kind, m.a)
		case mCas:
			match := v == m.a
			if check && match != m.expectOk {
				ok = false
			} else if match {
				cur = cur.set(m.key, m.kind, m.b)
			}
		case mIncr:
			n := int64(0)
			if v != "nil" {
				var err error
				if n, err = strconv.ParseInt(v, 10, 64); err != nil {
					ok = false
					break
				}
			}
			n += m.delta
			if check && m.checked && n != m.bInt {
				ok = false
				break
			}
			cur = cur.set(m.key, m.kind, strconv.FormatInt(n, 10))
		case mAppendList:
			cur = cur.set(m.key, m.kind, v+m.a)
		case mAppendString:
			cur = cur.set(m.key, m.kind, v+m.a)
		case mAcquire:
			if v != "nil" {
				ok = false
			} else {
				cur = cur.set(m.key, m.kind, "1")
			}
		case mRelease:
			if v != "1" {
				ok = false
			} else {
				cur = cur.set(m.key, m.kind, "nil")
			}
		}
		if !ok {
			if op.indeterminate {
				return true, st // it never took effect
			}
			return false, st
		}
	}
	return true, cur
}

func describeMop(m mop, indeterminate bool) string {
	k := ""
	if m.key != "nil" {
		k = m.key + " "
	}
	val := func(s string) string {
		switch m.kind {
		case kString:
			return strconv.Quote(s)
		case kList:
			return decodeList(s)
		}
		return s
	}
	switch m.code {
	case mRead:
		if indeterminate {
			return "read " + k + "-> ?"
		}
		return "read " + k + "-> " + val(m.a)
	case mWrite:
		return "write " + k + val(m.a)
	case mCas:
		r := "failed"
		if m.expectOk {
			r = "ok"
		}
		if indeterminate {
			r = "?"
		}
		return fmt.Sprintf("cas %s%s -> %s : %s", k, m.a, m.b, r)
	case mIncr:
		if m.checked && !indeterminate {
			return fmt.Sprintf("incr %s-> %d", k, m.bInt)
		}
		return fmt.Sprintf("add %s%d", k, m.delta)
	case mAppendList:
		return "append " + k + strings.TrimSuffix(m.a, "\x00")
	case mAppendString:
		return "append " + k + strconv.Quote(m.a)
	case mAcquire:
		return "acquire " + k
	case mRelease:
		return "release " + k
	}
	return "?"
}

func describeState(state any) string {
	st := state.(kvState)
	if len(st) == 0 {
		return "{}"
	}
	parts := make([]string, len(st))
	for i, e := range st {
		v := e.val
		if strings.Contains(v, "\x00") {
			v = decodeList(v)
		}
		parts[i] = e.key + " " + v
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func newModel() porcupine.Model {
	return porcupine.Model{
		Partition: partition,
		Init:      func() any { return kvState{} },
		Step: func(state, input, output any) (bool, any) {
			return step(state, input)
		},
		Equal: func(a, b any) bool {
			x, y := a.(kvState), b.(kvState)
			if len(x) != len(y) {
				return false
			}
			for i := range x {
				if x[i] != y[i] {
					return false
				}
			}
			return true
		},
		Hash: func(state any) uint64 {
			h := fnv.New64a()
			for _, e := range state.(kvState) {
				h.Write([]byte(e.key))
				h.Write([]byte{0xff})
				h.Write([]byte(e.val))
				h.Write([]byte{0xfe})
			}
			return h.Sum64()
		},
		DescribeOperation: func(input, output any) string {
			op := input.(*opInput)
			parts := make([]string, len(op.mops))
			for i, m := range op.mops {
				parts[i] = describeMop(m, op.indeterminate)
			}
			s := strings.Join(parts, "; ")
			if op.indeterminate {
				s += " [indeterminate]"
			}
			return s
		},
		DescribeState: describeState,
	}
}

// partition splits by key with union-find over each op's keys.
func partition(history []porcupine.Operation) [][]porcupine.Operation {
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		p, ok := parent[x]
		if !ok {
			parent[x] = x
			return x
		}
		if p == x {
			return x
		}
		r := find(p)
		parent[x] = r
		return r
	}
	for _, op := range history {
		ms := op.Input.(*opInput).mops
		for i := range ms {
			a, b := find(ms[0].key), find(ms[i].key)
			if a != b {
				parent[b] = a
			}
		}
	}
	groups := map[string]int{}
	var out [][]porcupine.Operation
	for _, op := range history {
		root := find(op.Input.(*opInput).mops[0].key)
		g, ok := groups[root]
		if !ok {
			g = len(out)
			groups[root] = g
			out = append(out, nil)
		}
		out[g] = append(out[g], op)
	}
	return out
}

// looksLikeTxn: [[:append k v] [:r k nil] ...] (Elle's examples omit :f).
func looksLikeTxn(v any) bool {
	xs, ok := v.([]any)
	if !ok || len(xs) == 0 {
		return false
	}
	for _, m := range xs {
		mv, ok := m.([]any)
		if !ok || len(mv) != 3 {
			return false
		}
		if _, kw := mv[0].(Keyword); !kw {
			return false
		}
	}
	return true
}

func isPair(v any) bool {
	xs, ok := v.([]any)
	return ok && len(xs) == 2
}

func detectModel(h []HOp) string {
	var txn, kv, mutex, counter, cas, appendL, appendS bool
	for _, op := range h {
		f := op.F
		if f == "" && looksLikeTxn(op.Value) {
			f = "txn"
		}
		switch f {
		case "txn":
			txn = true
		case "get", "put":
			kv = true
		case "acquire", "release":
			mutex = true
		case "incr", "add":
			counter = true
		case "cas":
			cas = true
		case "append":
			appendL = true
			if xs, ok := op.Value.([]any); ok && len(xs) == 2 {
				if _, s := xs[1].(string); s {
					appendS = true
				}
			} else if _, s := op.Value.(string); s {
				appendS = true
			}
		}
	}
	switch {
	case txn:
		return "txn"
	case kv || appendS:
		return "kv"
	case mutex:
		return "mutex"
	case counter:
		return "counter"
	case appendL:
		return "list-append"
	case cas:
		return "cas-register"
	}
	return "register"
}

func decideKeyed(h []HOp, model string, keyed int) bool {
	if keyed >= 0 {
		return keyed == 1
	}
	if model == "kv" || model == "list-append" {
		return true
	}
	if model == "txn" {
		return false
	}
	anyOp := false
	for _, op := range h {
		if op.Type != Invoke {
			continue
		}
		anyOp = true
		if !isPair(op.Value) {
			return false
		}
		if op.F == "cas" && !isPair(op.Value.([]any)[1]) {
			return false
		}
	}
	return anyOp
}

type absMop struct {
	m   mop
	x   any // the value as written, encoded once the key's kind is known
	y   any
	isR bool
}

// buildOperations pairs invocations with completions and compiles each op
// to micro-ops; :fail ops are dropped (a :fail cas is kept as a failed
// compare when casFailIsMismatch), indeterminate ones return after every
// other event.
func buildOperations(h []HOp, modelName string, casFailIsMismatch bool, keyed int) ([]porcupine.Operation, string, error) {
	model := modelName
	if model == "" {
		model = detectModel(h)
	}
	isKeyed := decideKeyed(h, model, keyed)
	kv := func(v any) (any, any, bool) {
		if !isKeyed {
			return nil, v, true
		}
		xs, ok := v.([]any)
		if !ok || len(xs) != 2 {
			return nil, nil, false
		}
		return xs[0], xs[1], true
	}
	type built struct {
		call, ret     int64
		process       int64
		index         int64
		indeterminate bool
		mops          []absMop
	}
	var ops []built
	open := map[int64]int{}
	kinds := map[string]keyKind{}
	build := func(inv int, done int, outcome OpType) error {
		in := h[inv]
		indeterminate := outcome != Ok && !(outcome == Fail && in.F == "cas")
		b := built{call: int64(inv), process: in.Process, index: in.Index, indeterminate: indeterminate}
		if !indeterminate {
			b.ret = int64(done)
		}
		result := in.Value
		if done >= 0 && outcome == Ok {
			result = h[done].Value
		}
		where := fmt.Sprintf("op %d (:f :%s)", in.Index, in.F)
		bad := func(v any) error { return fmt.Errorf("%s: expected a [key value] tuple, got %s", where, ednText(v)) }
		f := in.F
		if f == "" && looksLikeTxn(in.Value) {
			f = "txn"
		}
		switch f {
		case "txn":
			xs, ok := result.([]any)
			if !ok {
				return fmt.Errorf("%s: a txn's :value must be a vector of micro-ops", where)
			}
			for _, m := range xs {
				mv, ok := m.([]any)
				if !ok || len(mv) != 3 {
					return fmt.Errorf("%s: micro-op %s is not [f k v]", where, ednText(m))
				}
				name := ""
				switch n := mv[0].(type) {
				case Keyword:
					name = string(n)
				case string:
					name = n
				}
				am := absMop{m: mop{key: ednText(mv[1])}, x: mv[2]}
				switch name {
				case "r":
					if indeterminate {
						continue
					}
					am.m.code, am.isR = mRead, true
				case "w":
					am.m.code = mWrite
				case "append":
					am.m.code = mAppendList
					kinds[am.m.key] = kList
				case "incr":
					am.m.code, am.m.delta = mIncr, 1
					if n, ok := mv[2].(int64); ok && !indeterminate {
						am.m.checked, am.m.bInt = true, n
					}
				default:
					return fmt.Errorf("%s: unknown micro-op %s (expected :r, :w, :append, :incr)", where, ednText(m))
				}
				b.mops = append(b.mops, am)
			}
		case "read", "get":
			if indeterminate {
				return nil
			}
			k, v, ok := kv(result)
			if !ok {
				return bad(result)
			}
			am := absMop{m: mop{code: mRead, key: ednText(k)}, x: v, isR: true}
			if f == "get" {
				kinds[am.m.key] = kString
			}
			b.mops = append(b.mops, am)
		case "write", "put":
			k, v, ok := kv(in.Value)
			if !ok {
				return bad(in.Value)
			}
			b.mops = append(b.mops, absMop{m: mop{code: mWrite, key: ednText(k)}, x: v})
		case "cas":
			k, v, ok := kv(in.Value)
			if !ok || !isPair(v) {
				return fmt.Errorf("%s: a cas takes [old new], got %s", where, ednText(in.Value))
			}
			xs := v.([]any)
			b.mops = append(b.mops, absMop{m: mop{code: mCas, key: ednText(k), a: ednText(xs[0]), b: ednText(xs[1]), expectOk: outcome == Ok}})
		case "incr", "add":
			k, d, ok := kv(in.Value)
			if !ok {
				return bad(in.Value)
			}
			m := mop{code: mIncr, key: ednText(k), delta: 1}
			if f == "add" {
				n, isInt := d.(int64)
				if !isInt {
					return fmt.Errorf("%s: an add takes an integer delta, got %s", where, ednText(d))
				}
				m.delta = n
			} else if !indeterminate {
				_, rv, ok := kv(result)
				if !ok {
					return bad(result)
				}
				if n, isInt := rv.(int64); isInt {
					m.checked, m.bInt = true, n
				}
			}
			b.mops = append(b.mops, absMop{m: m})
		case "append":
			k, v, ok := kv(in.Value)
			if !ok {
				return bad(in.Value)
			}
			am := absMop{m: mop{key: ednText(k)}, x: v}
			if s, isStr := v.(string); isStr {
				am.m.code, am.m.a = mAppendString, s
				kinds[am.m.key] = kString
			} else {
				am.m.code, am.m.a = mAppendList, listElem(ednText(v))
				kinds[am.m.key] = kList
			}
			b.mops = append(b.mops, am)
		case "acquire", "release":
			var k any
			if isKeyed {
				kk, _, ok := kv(in.Value)
				if !ok {
					return bad(in.Value)
				}
				k = kk
			}
			code := mAcquire
			if f == "release" {
				code = mRelease
			}
			b.mops = append(b.mops, absMop{m: mop{code: code, key: ednText(k)}})
		default:
			return fmt.Errorf("%s: unknown operation :%s for the linearizability checker", where, in.F)
		}
		if len(b.mops) > 0 {
			ops = append(ops, b)
		}
		return nil
	}
	for i, op := range h {
		if op.Type == Invoke {
			open[op.Process] = i
			continue
		}
		inv, ok := open[op.Process]
		if !ok {
			return nil, model, fmt.Errorf("op %d: completion without an invocation", op.Index)
		}
		delete(open, op.Process)
		if op.Type == Fail && !(casFailIsMismatch && h[inv].F == "cas") {
			continue
		}
		if err := build(inv, i, op.Type); err != nil {
			return nil, model, err
		}
	}
	pending := make([]int, 0, len(open))
	for _, inv := range open {
		pending = append(pending, inv)
	}
	sort.Ints(pending)
	for _, inv := range pending {
		if err := build(inv, -1, Info); err != nil {
			return nil, model, err
		}
	}
	// Encode values now that every key's kind is known; indeterminate ops
	// return after every other event.
	never := int64(len(h)) + 1
	out := make([]porcupine.Operation, 0, len(ops))
	clients := map[int64]int{}
	for _, b := range ops {
		in := &opInput{indeterminate: b.indeterminate, process: b.process, index: b.index}
		for _, am := range b.mops {
			m := am.m
			m.kind = kinds[m.key]
			switch m.code {
			case mRead, mWrite:
				switch m.kind {
				case kString:
					if s, ok := am.x.(string); ok {
						m.a = s
					} else if am.x == nil {
						m.a = ""
					} else {
						m.a = ednText(am.x)
					}
				case kList:
					m.a = encodeList(am.x)
				default:
					m.a = ednText(am.x)
				}
			}
			in.mops = append(in.mops, m)
		}
		ret := b.ret
		if b.indeterminate {
			ret = never
		}
		// Visualisation wants small client ids; processes can be large.
		c, ok := clients[b.process]
		if !ok {
			c = len(clients)
			clients[b.process] = c
		}
		out = append(out, porcupine.Operation{ClientId: c, Input: in, Call: b.call, Output: nil, Return: ret})
	}
	return out, model, nil
}
