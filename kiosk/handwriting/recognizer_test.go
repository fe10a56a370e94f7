package handwriting

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// line draws a polyline through the corners as a pen would sample it:
// a point every 20 units.
func line(corners ...Point) Stroke {
	var s Stroke
	for i := 0; i+1 < len(corners); i++ {
		a, b := corners[i], corners[i+1]
		n := max(1, int(math.Hypot(float64(b.X-a.X), float64(b.Y-a.Y))/20))
		for k := range n {
			t := float64(k) / float64(n)
			s = append(s, Point{a.X + int(math.Round(t*float64(b.X-a.X))), a.Y + int(math.Round(t*float64(b.Y-a.Y)))})
		}
	}
	return append(s, corners[len(corners)-1])
}

// written are a few simple characters as a resident would write them in
// a 1000×1000 box, stroke by stroke in the standard order.
var written = []struct {
	char    string
	strokes []Stroke
}{
	{"一", []Stroke{line(Point{150, 500}, Point{850, 500})}},
	{"十", []Stroke{line(Point{150, 450}, Point{850, 450}), line(Point{500, 120}, Point{500, 880})}},
	{"人", []Stroke{line(Point{500, 150}, Point{450, 450}, Point{180, 850}), line(Point{480, 450}, Point{850, 850})}},
	{"口", []Stroke{ // smaller than the box, as 口 is written
		line(Point{320, 330}, Point{320, 680}),
		line(Point{320, 330}, Point{680, 330}, Point{680, 680}),
		line(Point{320, 670}, Point{680, 670})}},
	{"王", []Stroke{
		line(Point{220, 200}, Point{780, 200}),
		line(Point{250, 500}, Point{750, 500}),
		line(Point{500, 200}, Point{500, 820}),
		line(Point{150, 820}, Point{850, 820})}},
}

// newReal returns a Recognizer on the installed model. Without zinnia
// the test is skipped on a developer's machine and fails in CI, where
// .ci/setup.sh installs it.
func newReal(t testing.TB) *Recognizer {
	t.Helper()
	r, err := New(nil)
	if errors.Is(err, ErrNotInstalled) {
		if os.Getenv("CI") != "" {
			t.Fatalf("%v: .ci/setup.sh should have installed it", err)
		}
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func TestRecognizeSimpleCharacters(t *testing.T) {
	r := newReal(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, w := range written {
		t.Run(w.char, func(t *testing.T) {
			cs, err := r.Recognize(ctx, w.strokes)
			if err != nil {
				t.Fatal(err)
			}
			if len(cs) != DefaultOpts.Candidates {
				t.Fatalf("%d candidates, want %d", len(cs), DefaultOpts.Candidates)
			}
			var top []string
			for _, c := range cs[:5] {
				top = append(top, c.Text)
			}
			if !slices.Contains(top, w.char) {
				t.Fatalf("%s not among the top 5: %v", w.char, top)
			}
			if !sort.SliceIsSorted(cs, func(i, j int) bool { return cs[i].Score > cs[j].Score }) {
				t.Fatalf("candidates not best first: %v", cs)
			}
		})
	}
}

// TestOneProcessAndConcurrentUse: requests from many goroutines share
// one process and each gets its own answer.
func TestOneProcessAndConcurrentUse(t *testing.T) {
	r := newReal(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		w := written[i%len(written)]
		wg.Go(func() {
			cs, err := r.Recognize(ctx, w.strokes)
			if err == nil && !slices.ContainsFunc(cs[:5], func(c Candidate) bool { return c.Text == w.char }) {
				err = errors.New(w.char + " lost")
			}
			if err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	r.mu.Lock()
	p := r.p
	r.mu.Unlock()
	if p == nil {
		t.Fatal("no process kept running")
	}
}

func TestNotInstalled(t *testing.T) {
	_, err := New(&Opts{Command: "zinnia-that-is-not-there"})
	if !errors.Is(err, ErrNotInstalled) || !strings.Contains(err.Error(), "zinnia-utils") {
		t.Fatalf("missing command: %v", err)
	}
	_, err = New(&Opts{Command: "sh", Model: filepath.Join(t.TempDir(), "none.model")})
	if !errors.Is(err, ErrNotInstalled) || !strings.Contains(err.Error(), "tegaki-zinnia-simplified-chinese") {
		t.Fatalf("missing model: %v", err)
	}
}

// fakeZinnia writes a shell script standing in for zinnia: it answers
// every request with body (a shell snippet run once per input line).
func fakeZinnia(t *testing.T, body string) *Recognizer {
	t.Helper()
	dir := t.TempDir()
	cmd := filepath.Join(dir, "zinnia")
	script := "#!/bin/sh\nwhile IFS= read -r line; do\n" + body + "\ndone\n"
	if err := os.WriteFile(cmd, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(dir, "m.model")
	if err := os.WriteFile(model, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := New(&Opts{Command: cmd, Model: model, Candidates: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// TestRestartAfterFailure: a process that dies, answers out of turn or
// never answers costs one request; the next one gets a new process.
func TestRestartAfterFailure(t *testing.T) {
	one := []Stroke{{{1, 1}, {9, 9}}}
	ctx := context.Background()

	// Answers the first request, then exits (as zinnia does on bad input).
	r := fakeZinnia(t, `id=$(echo "$line" | sed 's/.*(value \([a-z0-9]*\)).*/\1/')
echo "Answer: $id"; echo "一 0.5"; echo "二 0.1"; exit 1`)
	if cs, err := r.Recognize(ctx, one); err != nil || len(cs) != 2 || cs[0].Text != "一" {
		t.Fatalf("first: %v %v", cs, err)
	}
	if _, err := r.Recognize(ctx, one); err == nil {
		t.Fatal("a dead process answered")
	}
	if cs, err := r.Recognize(ctx, one); err != nil || cs[0].Text != "一" {
		t.Fatalf("after restart: %v %v", cs, err)
	}

	// Echoes the wrong request id.
	r = fakeZinnia(t, `echo "Answer: k999"; echo "一 0.5"; echo "二 0.1"`)
	if _, err := r.Recognize(ctx, one); err == nil || !strings.Contains(err.Error(), "header") {
		t.Fatalf("wrong id: %v", err)
	}

	// Never answers: the deadline ends the request and the process.
	r = fakeZinnia(t, `sleep 60`)
	cctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if _, err := r.Recognize(cctx, one); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("silent process: %v", err)
	}
	r.mu.Lock()
	p := r.p
	r.mu.Unlock()
	if p != nil {
		t.Fatal("a silent process was kept")
	}
}

func TestNoInk(t *testing.T) {
	r := fakeZinnia(t, `exit 1`)
	if _, err := r.Recognize(context.Background(), []Stroke{{}, nil}); !errors.Is(err, ErrNoInk) {
		t.Fatalf("empty strokes: %v", err)
	}
}

// BenchmarkRecognize is one recognition of 王 (4 strokes) by the running
// process, request to answer; docs/ime.md reports its median.
func BenchmarkRecognize(b *testing.B) {
	r := newReal(b)
	ctx := context.Background()
	w := written[len(written)-1]
	if _, err := r.Recognize(ctx, w.strokes); err != nil { // start the process
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := r.Recognize(ctx, w.strokes); err != nil {
			b.Fatal(err)
		}
	}
}
