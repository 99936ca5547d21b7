package main

// History files -> Jepsen ops, in the formats model/history_io.h reads:
// EDN (one op map per line, or one vector of them; porcupine's kv EDN with
// :key folded into :value as a [key value] tuple), JSON (elle-cli), and
// Jepsen log lines (porcupine's etcd logs). Structural problems (a
// completion without an invocation, two ops in flight on one process, an
// invocation after :info, a return before its call) are bad input, with
// the line.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
)

type OpType int

const (
	Invoke OpType = iota
	Ok
	Fail
	Info
)

type HOp struct {
	Type    OpType
	Process int64
	F       string
	Value   any
	Index   int64
	Time    int64
	Line    int
}

func parseType(v any) (OpType, bool) {
	var s string
	switch x := v.(type) {
	case Keyword:
		s = string(x)
	case string:
		s = x
	default:
		return 0, false
	}
	switch s {
	case "invoke":
		return Invoke, true
	case "ok":
		return Ok, true
	case "fail":
		return Fail, true
	case "info":
		return Info, true
	}
	return 0, false
}

// opFromMap converts one op map; skip is true for non-client ops (:nemesis).
func opFromMap(v any, position int, line int) (op HOp, skip bool, err error) {
	m, ok := v.(Map)
	if !ok {
		return op, false, &ParseError{line, "expected an op map {:type ..., :process ..., ...}"}
	}
	op.Line = line
	op.Index = int64(position)
	t, ok := m.Get("type")
	if !ok {
		return op, false, &ParseError{line, "op has no :type"}
	}
	if op.Type, ok = parseType(t); !ok {
		return op, false, &ParseError{line, fmt.Sprintf("unknown op type %s (expected :invoke, :ok, :fail or :info)", ednText(t))}
	}
	if p, ok := m.Get("process"); ok && p != nil {
		i, isInt := p.(int64)
		if !isInt {
			return op, true, nil
		}
		op.Process = i
	}
	if f, ok := m.Get("f"); ok && f != nil {
		switch x := f.(type) {
		case Keyword:
			op.F = string(x)
		case string:
			op.F = x
		default:
			return op, false, &ParseError{line, ":f must be a keyword or string, got " + ednText(f)}
		}
	}
	val, _ := m.Get("value")
	if k, ok := m.Get("key"); ok {
		op.Value = []any{k, val}
	} else {
		op.Value = val
	}
	if i, ok := m.Get("index"); ok {
		n, isInt := i.(int64)
		if !isInt {
			return op, false, &ParseError{line, ":index must be an integer, got " + ednText(i)}
		}
		op.Index = n
	}
	if t, ok := m.Get("time"); ok {
		switch x := t.(type) {
		case int64:
			op.Time = x
		case float64:
			op.Time = int64(x)
		default:
			return op, false, &ParseError{line, ":time must be a number, got " + ednText(t)}
		}
	}
	return op, false, nil
}

func readEdnHistory(text string) ([]HOp, error) {
	r := newEdnReader(text)
	var ops []HOp
	wrapped := r.consume('[')
	for {
		if wrapped {
			if r.consume(']') {
				if !r.atEnd() {
					return nil, r.fail("trailing data after the history vector")
				}
				break
			}
			if r.atEnd() {
				return nil, r.fail("unterminated history vector, expected ']'")
			}
		} else if r.atEnd() {
			break
		}
		r.skip()
		line := r.line
		v, err := r.next(0)
		if err != nil {
			return nil, err
		}
		op, skip, err := opFromMap(v, len(ops), line)
		if err != nil {
			return nil, err
		}
		if !skip {
			ops = append(ops, op)
		}
	}
	return ops, validate(ops)
}

// fromJSON converts encoding/json values into the EDN value shapes.
func fromJSON(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = fromJSON(e)
		}
		return out
	case map[string]any:
		m := Map{}
		for k, e := range x {
			m = append(m, Pair{Keyword(k), fromJSON(e)})
		}
		return m
	}
	return v
}

func readJSONHistory(text string) ([]HOp, error) {
	var ops []HOp
	trimmed := strings.TrimSpace(text)
	if strings.HasPrefix(trimmed, "[") {
		d := json.NewDecoder(strings.NewReader(trimmed))
		d.UseNumber()
		var arr []any
		if err := d.Decode(&arr); err != nil {
			return nil, &ParseError{0, "bad JSON: " + err.Error()}
		}
		for i, e := range arr {
			op, skip, err := opFromMap(fromJSON(e), len(ops), i+1)
			if err != nil {
				return nil, err
			}
			if !skip {
				ops = append(ops, op)
			}
		}
		return ops, validate(ops)
	}
	for n, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		d := json.NewDecoder(strings.NewReader(l))
		d.UseNumber()
		var v any
		if err := d.Decode(&v); err != nil {
			return nil, &ParseError{n + 1, "bad JSON: " + err.Error()}
		}
		op, skip, err := opFromMap(fromJSON(v), len(ops), n+1)
		if err != nil {
			return nil, err
		}
		if !skip {
			ops = append(ops, op)
		}
	}
	return ops, validate(ops)
}

func readJepsenLog(text string) ([]HOp, error) {
	var ops []HOp
	for n, l := range strings.Split(text, "\n") {
		line := n + 1
		l = strings.TrimRight(l, "\r")
		if strings.TrimSpace(l) == "" {
			continue
		}
		dash := strings.Index(l, " - ")
		if dash < 0 {
			return nil, &ParseError{line, "expected 'LEVEL logger - process type f value'"}
		}
		fields := strings.Fields(l[dash+3:])
		if len(fields) < 3 {
			return nil, &ParseError{line, "expected 'process :type :f value' after ' - '"}
		}
		p, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			if strings.TrimPrefix(fields[0], ":") == "nemesis" {
				continue
			}
			return nil, &ParseError{line, "process must be an integer, got '" + fields[0] + "'"}
		}
		t, ok := parseType(Keyword(strings.TrimPrefix(fields[1], ":")))
		if !ok || !strings.HasPrefix(fields[1], ":") {
			return nil, &ParseError{line, "unknown op type " + fields[1] + " (expected :invoke, :ok, :fail or :info)"}
		}
		op := HOp{Type: t, Process: p, F: strings.TrimPrefix(fields[2], ":"), Index: int64(len(ops)), Time: int64(len(ops)), Line: line}
		// The value is the rest of the line after the third field.
		rest := l[dash+3:]
		for i := 0; i < 3; i++ {
			rest = strings.TrimLeft(rest, " \t")
			j := strings.IndexAny(rest, " \t")
			if j < 0 {
				rest = ""
			} else {
				rest = rest[j:]
			}
		}
		if rest = strings.TrimSpace(rest); rest != "" {
			r := newEdnReader(rest)
			v, err := r.next(0)
			if err != nil {
				return nil, &ParseError{line, "bad value: " + err.(*ParseError).Reason}
			}
			if !r.atEnd() {
				return nil, &ParseError{line, "bad value: trailing data"}
			}
			op.Value = v
		}
		if _, isKw := op.Value.(Keyword); isKw && (t == Info || t == Fail) {
			op.Value = nil // :timed-out and friends: the reason, not a value
		}
		ops = append(ops, op)
	}
	return ops, validate(ops)
}

func validate(ops []HOp) error {
	type proc struct {
		open    int
		retired int
	}
	procs := map[int64]*proc{}
	for i, op := range ops {
		p := procs[op.Process]
		if p == nil {
			p = &proc{-1, -1}
			procs[op.Process] = p
		}
		name := fmt.Sprintf("process %d", op.Process)
		if op.Type == Invoke {
			if p.retired >= 0 {
				return &ParseError{op.Line, fmt.Sprintf("%s invokes after :info retired it at line %d (an indeterminate op ends its process; use a fresh process id)", name, ops[p.retired].Line)}
			}
			if p.open >= 0 {
				return &ParseError{op.Line, fmt.Sprintf("%s has two operations in flight: its :invoke at line %d has no completion yet", name, ops[p.open].Line)}
			}
			p.open = i
			continue
		}
		if p.open < 0 {
			return &ParseError{op.Line, fmt.Sprintf("completion by %s without an invocation in flight", name)}
		}
		inv := ops[p.open]
		if inv.F != "" && op.F != "" && inv.F != op.F {
			return &ParseError{op.Line, fmt.Sprintf("completion :f :%s does not match its invocation's :f :%s at line %d", op.F, inv.F, inv.Line)}
		}
		if op.Time < inv.Time {
			return &ParseError{op.Line, fmt.Sprintf("returns before its call: completion :time %d < invocation :time %d at line %d", op.Time, inv.Time, inv.Line)}
		}
		p.open = -1
		if op.Type == Info {
			p.retired = i
		}
	}
	return nil
}

// readHistoryFile picks the reader by content (then extension), as
// ReadHistoryFile does in model/history_io.cc.
func readHistoryFile(path string) ([]HOp, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &ParseError{0, err.Error()}
	}
	text := string(data)
	t := bytes.TrimLeft(data, " \t\r\n,")
	for len(t) > 0 && t[0] == ';' {
		if i := bytes.IndexByte(t, '\n'); i >= 0 {
			t = bytes.TrimLeft(t[i:], " \t\r\n,")
		} else {
			t = nil
		}
	}
	if len(t) == 0 {
		return nil, &ParseError{0, path + " holds no operations"}
	}
	if bytes.HasPrefix(t, []byte("INFO ")) || bytes.HasPrefix(t, []byte("WARN ")) || strings.HasSuffix(path, ".log") {
		return readJepsenLog(text)
	}
	u := t
	if u[0] == '[' {
		u = bytes.TrimLeft(u[1:], " \t\r\n")
	}
	if len(u) > 0 && u[0] == '{' {
		u = bytes.TrimLeft(u[1:], " \t\r\n")
		if len(u) > 0 && u[0] == '"' {
			return readJSONHistory(text)
		}
		if len(u) > 0 && u[0] == ':' {
			return readEdnHistory(text)
		}
	}
	if strings.HasSuffix(path, ".json") {
		return readJSONHistory(text)
	}
	return readEdnHistory(text)
}
