// txlab-porcupine: checks txlab history files for linearizability with
// porcupine (github.com/anishathalye/porcupine), as an independent second
// opinion on checkers/linearizability.
//
//	txlab-porcupine [--model m] [--timeout 60s] [--html out.html] FILE|DIR...
//
// Reads EDN/JSON histories as txlab writes them, porcupine's kv EDN and
// Jepsen etcd logs. One file: prints the verdict and details. Several
// files or a directory (batch mode): one line per file,
// "<file>\t<ok|illegal|unknown|bad-input>\t<seconds>\t<detail>".
// Exit code (worst over all files): 0 ok, 1 illegal, 2 unknown, 3 bad input.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/anishathalye/porcupine"
)

const (
	exitOk       = 0
	exitIllegal  = 1
	exitUnknown  = 2
	exitBadInput = 3
)

// cpuSeconds: user + system CPU of this process so far (wall time is
// meaningless on a loaded machine; porcupine's goroutines use every core).
func cpuSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)*1e-6
}

type result struct {
	code   int
	detail string
}

func checkFile(path string, modelName string, timeout time.Duration, html string, casMismatch string, keyed int) result {
	t0 := time.Now()
	c0 := cpuSeconds()
	h, err := readHistoryFile(path)
	if err != nil {
		return result{exitBadInput, path + ": " + err.Error()}
	}
	mismatch := strings.HasSuffix(path, ".log")
	if casMismatch == "yes" {
		mismatch = true
	} else if casMismatch == "no" {
		mismatch = false
	}
	ops, model, err := buildOperations(h, modelName, mismatch, keyed)
	if err != nil {
		return result{exitBadInput, path + ": " + err.Error()}
	}
	parsed := time.Since(t0)
	t1 := time.Now()
	c1 := cpuSeconds()
	m := newModel()
	var res porcupine.CheckResult
	if html != "" {
		var info porcupine.LinearizationInfo
		res, info = porcupine.CheckOperationsVerbose(m, ops, timeout)
		if err := porcupine.VisualizePath(m, info, html); err != nil {
			fmt.Fprintf(os.Stderr, "txlab-porcupine: writing %s: %v\n", html, err)
		}
	} else {
		res = porcupine.CheckOperationsTimeout(m, ops, timeout)
	}
	checked := time.Since(t1)
	c2 := cpuSeconds()
	detail := fmt.Sprintf("%s model, %d ops\tparse=%.4f check=%.4f parse_cpu=%.4f check_cpu=%.4f", model, len(ops),
		parsed.Seconds(), checked.Seconds(), c1-c0, c2-c1)
	switch res {
	case porcupine.Ok:
		return result{exitOk, detail}
	case porcupine.Illegal:
		return result{exitIllegal, detail}
	}
	return result{exitUnknown, strings.Replace(detail, "\t", fmt.Sprintf(", timed out after %v\t", timeout), 1)}
}

func main() {
	modelName := flag.String("model", "", "register, cas-register, counter, kv, list-append, mutex, txn (default: from the ops' :f)")
	timeout := flag.Duration("timeout", 60*time.Second, "give up with 'unknown' after this long (0: no limit)")
	html := flag.String("html", "", "write porcupine's visualisation to this HTML file (single file only)")
	casMismatch := flag.String("cas-fail-is-mismatch", "auto", "a :fail cas is a failed compare (yes/no/auto: yes for .log)")
	keyed := flag.Int("keyed", -1, "values are [key value] tuples: -1 detect, 0 no, 1 yes")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: txlab-porcupine [flags] FILE|DIR...\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	var files []string
	for _, a := range flag.Args() {
		st, err := os.Stat(a)
		if err == nil && st.IsDir() {
			entries, _ := os.ReadDir(a)
			var names []string
			for _, e := range entries {
				if !e.IsDir() && !strings.HasPrefix(e.Name(), ".") && !strings.HasSuffix(e.Name(), ".tsv") && !strings.HasSuffix(e.Name(), ".md") {
					names = append(names, filepath.Join(a, e.Name()))
				}
			}
			sort.Strings(names)
			files = append(files, names...)
		} else {
			files = append(files, a)
		}
	}
	if len(files) == 0 {
		flag.Usage()
		os.Exit(exitBadInput)
	}
	names := map[int]string{exitOk: "ok", exitIllegal: "illegal", exitUnknown: "unknown", exitBadInput: "bad-input"}
	worst := exitOk
	batch := len(files) > 1
	for _, f := range files {
		t0 := time.Now()
		r := checkFile(f, *modelName, *timeout, *html, *casMismatch, *keyed)
		secs := time.Since(t0).Seconds()
		if r.code > worst {
			worst = r.code
		}
		if batch {
			fmt.Printf("%s\t%s\t%.4f\t%s\n", f, names[r.code], secs, r.detail)
		} else if r.code == exitBadInput {
			fmt.Fprintf(os.Stderr, "txlab-porcupine: bad input: %s\n", r.detail)
		} else {
			fmt.Printf("%s\t%s\t%.4f\t%s\n", f, names[r.code], secs, r.detail)
		}
	}
	os.Exit(worst)
}
