package main

// A small EDN reader (the subset Jepsen histories use) producing plain Go
// values: nil, bool, int64, float64, string, Keyword, []any (vectors, lists,
// sets) and Map (ordered pairs). It mirrors model/edn_reader.cc so that both
// checkers accept the same files. JSON histories go through encoding/json
// and are converted to the same values.

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

type Keyword string

type Pair struct {
	K, V any
}

type Map []Pair

// Get looks a field up by keyword or string key.
func (m Map) Get(name string) (any, bool) {
	for _, p := range m {
		switch k := p.K.(type) {
		case Keyword:
			if string(k) == name {
				return p.V, true
			}
		case string:
			if k == name {
				return p.V, true
			}
		}
	}
	return nil, false
}

type ParseError struct {
	Line   int
	Reason string
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
	}
	return e.Reason
}

type ednReader struct {
	s    string
	pos  int
	line int
}

func newEdnReader(s string) *ednReader { return &ednReader{s: s, line: 1} }

func (r *ednReader) fail(format string, args ...any) error {
	return &ParseError{Line: r.line, Reason: fmt.Sprintf(format, args...)}
}

func isDelim(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\f', ',', '[', ']', '(', ')', '{', '}', '"', ';':
		return true
	}
	return false
}

func (r *ednReader) skip() {
	for r.pos < len(r.s) {
		c := r.s[r.pos]
		switch {
		case c == '\n':
			r.line++
			r.pos++
		case c == ' ' || c == '\t' || c == '\r' || c == ',' || c == '\f':
			r.pos++
		case c == ';':
			for r.pos < len(r.s) && r.s[r.pos] != '\n' {
				r.pos++
			}
		default:
			return
		}
	}
}

func (r *ednReader) atEnd() bool {
	r.skip()
	return r.pos >= len(r.s)
}

func (r *ednReader) consume(c byte) bool {
	r.skip()
	if r.pos < len(r.s) && r.s[r.pos] == c {
		r.pos++
		return true
	}
	return false
}

func (r *ednReader) next(depth int) (any, error) {
	if depth > 512 {
		return nil, r.fail("nesting deeper than 512 levels")
	}
	r.skip()
	if r.pos >= len(r.s) {
		return nil, r.fail("unexpected end of input, expected a value")
	}
	c := r.s[r.pos]
	switch c {
	case '{':
		r.pos++
		return r.collection('}', true, depth)
	case '[':
		r.pos++
		return r.collection(']', false, depth)
	case '(':
		r.pos++
		return r.collection(')', false, depth)
	case '"':
		return r.str()
	case ':':
		end := r.pos + 1
		for end < len(r.s) && !isDelim(r.s[end]) {
			end++
		}
		if end == r.pos+1 {
			return nil, r.fail("empty keyword")
		}
		k := Keyword(r.s[r.pos+1 : end])
		r.pos = end
		return k, nil
	case '#':
		if r.pos+1 >= len(r.s) {
			return nil, r.fail("unexpected end of input after '#'")
		}
		n := r.s[r.pos+1]
		if n == '{' {
			r.pos += 2
			return r.collection('}', false, depth)
		}
		if n == '_' {
			r.pos += 2
			if _, err := r.next(depth + 1); err != nil {
				return nil, err
			}
			return r.next(depth)
		}
		end := r.pos + 1
		for end < len(r.s) && !isDelim(r.s[end]) {
			end++
		}
		tag := r.s[r.pos+1 : end]
		r.pos = end
		switch tag {
		case "#Inf":
			return math.Inf(1), nil
		case "#-Inf":
			return math.Inf(-1), nil
		case "#NaN":
			return math.NaN(), nil
		}
		return r.next(depth + 1) // tagged literal: keep the value
	case ']', ')', '}':
		return nil, r.fail("unexpected '%c'", c)
	case '\\':
		end := r.pos + 2
		for end < len(r.s) && !isDelim(r.s[end]) {
			end++
		}
		if end > len(r.s) {
			return nil, r.fail("unexpected end of input after '\\'")
		}
		t := r.s[r.pos+1 : end]
		r.pos = end
		switch t {
		case "newline":
			return "\n", nil
		case "space":
			return " ", nil
		case "tab":
			return "\t", nil
		}
		return t, nil
	}
	if c < 0x20 {
		return nil, r.fail("unexpected byte 0x%02x", c)
	}
	end := r.pos
	for end < len(r.s) && !isDelim(r.s[end]) {
		end++
	}
	tok := r.s[r.pos:end]
	r.pos = end
	if (tok[0] >= '0' && tok[0] <= '9') || ((tok[0] == '-' || tok[0] == '+') && len(tok) > 1 && tok[1] >= '0' && tok[1] <= '9') {
		t := strings.TrimSuffix(tok, "N")
		if i, err := strconv.ParseInt(t, 10, 64); err == nil {
			return i, nil
		}
		if strings.IndexAny(t, ".eE") < 0 && !strings.HasSuffix(tok, "M") {
			return nil, r.fail("integer out of range: %s", tok)
		}
		f, err := strconv.ParseFloat(strings.TrimSuffix(tok, "M"), 64)
		if err != nil {
			return nil, r.fail("malformed number: %s", tok)
		}
		return f, nil
	}
	switch tok {
	case "nil", "null":
		return nil, nil
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return tok, nil // a symbol: keep its text
}

func (r *ednReader) collection(close byte, isMap bool, depth int) (any, error) {
	openLine := r.line
	var items []any
	var m Map
	for {
		r.skip()
		if r.pos >= len(r.s) {
			r.line = openLine
			return nil, r.fail("unterminated collection, expected '%c'", close)
		}
		if r.s[r.pos] == close {
			r.pos++
			break
		}
		v, err := r.next(depth + 1)
		if err != nil {
			return nil, err
		}
		if isMap {
			r.skip()
			if r.pos >= len(r.s) {
				r.line = openLine
				return nil, r.fail("unterminated map, expected '}'")
			}
			if r.s[r.pos] == close {
				return nil, r.fail("map has a key without a value")
			}
			val, err := r.next(depth + 1)
			if err != nil {
				return nil, err
			}
			m = append(m, Pair{v, val})
		} else {
			items = append(items, v)
		}
	}
	if isMap {
		if m == nil {
			m = Map{}
		}
		return m, nil
	}
	if items == nil {
		items = []any{}
	}
	return items, nil
}

func (r *ednReader) str() (any, error) {
	r.pos++ // opening quote
	startLine := r.line
	var b strings.Builder
	for {
		if r.pos >= len(r.s) {
			r.line = startLine
			return nil, r.fail("unterminated string")
		}
		c := r.s[r.pos]
		if c == '"' {
			r.pos++
			return b.String(), nil
		}
		if c == '\n' {
			r.line++
		}
		if c != '\\' {
			b.WriteByte(c)
			r.pos++
			continue
		}
		if r.pos+1 >= len(r.s) {
			return nil, r.fail("unterminated string escape")
		}
		e := r.s[r.pos+1]
		r.pos += 2
		switch e {
		case '"':
			b.WriteByte('"')
		case '\\':
			b.WriteByte('\\')
		case '/':
			b.WriteByte('/')
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'u':
			if r.pos+4 > len(r.s) {
				return nil, r.fail("bad \\u escape in string")
			}
			cp, err := strconv.ParseUint(r.s[r.pos:r.pos+4], 16, 32)
			if err != nil {
				return nil, r.fail("bad \\u escape in string")
			}
			r.pos += 4
			b.WriteRune(rune(cp))
		default:
			return nil, r.fail("unknown string escape \\%c", e)
		}
	}
}

// ednText prints a value canonically (as model/edn.cc does), so that equal
// values have equal text: the register model compares values by it.
func ednText(v any) string {
	var b strings.Builder
	writeEdn(&b, v)
	return b.String()
}

func writeEdn(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("nil")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case float64:
		s := strconv.FormatFloat(x, 'g', 17, 64)
		if !strings.ContainsAny(s, ".eE") {
			s += ".0"
		}
		b.WriteString(s)
	case string:
		b.WriteString(strconv.Quote(x))
	case Keyword:
		b.WriteByte(':')
		b.WriteString(string(x))
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(' ')
			}
			writeEdn(b, e)
		}
		b.WriteByte(']')
	case Map:
		b.WriteByte('{')
		for i, p := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writeEdn(b, p.K)
			b.WriteByte(' ')
			writeEdn(b, p.V)
		}
		b.WriteByte('}')
	default:
		fmt.Fprintf(b, "%v", x)
	}
}
