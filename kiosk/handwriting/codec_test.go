package handwriting

import (
	"errors"
	"strings"
	"testing"
)

func TestAppendCharacter(t *testing.T) {
	got, err := AppendCharacter(nil, "k7", 1000, []Stroke{
		{{100, 500}, {900, 500}},
		{},
		{{-5, 1200}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "(character (value k7) (width 1000) (height 1000) (strokes ((100 500)(900 500)) ((0 1000))))\n"
	if string(got) != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
	for _, bad := range []string{"", "k 7", "k)", "字"} {
		if _, err := AppendCharacter(nil, bad, 1000, []Stroke{{{1, 1}}}); err == nil {
			t.Errorf("id %q accepted", bad)
		}
	}
	if _, err := AppendCharacter(nil, "k1", 1000, nil); !errors.Is(err, ErrNoInk) {
		t.Errorf("no strokes: %v", err)
	}
	if _, err := AppendCharacter(nil, "k1", 0, []Stroke{{{1, 1}}}); err == nil {
		t.Error("zero size accepted")
	}
}

func TestAppendCharacterLimits(t *testing.T) {
	long := make(Stroke, MaxStrokePoints+50)
	many := make([]Stroke, MaxStrokes+5)
	for i := range many {
		many[i] = long
	}
	b, err := AppendCharacter(nil, "k1", 1000, many)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "(0 0)"); n != MaxStrokes*MaxStrokePoints {
		t.Fatalf("%d points sent, want %d", n, MaxStrokes*MaxStrokePoints)
	}
}

func TestParse(t *testing.T) {
	if id, ok := ParseAnswer("Answer: k12\n"); !ok || id != "k12" {
		t.Fatalf("header: %q %v", id, ok)
	}
	if _, ok := ParseAnswer("王 0.5"); ok {
		t.Fatal("a candidate read as a header")
	}
	tests := []struct {
		line string
		want Candidate
		ok   bool
	}{
		{"王 -0.154909", Candidate{"王", -0.154909}, true},
		{"一 0.924806\n", Candidate{"一", 0.924806}, true},
		{"囗 1e-05", Candidate{"囗", 0.00001}, true},
		{"王", Candidate{}, false},
		{" 0.5", Candidate{}, false},
		{"王  0.5", Candidate{}, false},
		{"王 x", Candidate{}, false},
		{"王 NaN", Candidate{}, false},
		{"王 +Inf", Candidate{}, false},
		{"Answer: 0.5", Candidate{}, false},
		{"\x01 0.5", Candidate{}, false},
		{"\xff 0.5", Candidate{}, false},
	}
	for _, tc := range tests {
		c, err := ParseCandidate(tc.line)
		if (err == nil) != tc.ok || c != tc.want {
			t.Errorf("ParseCandidate(%q) = %+v, %v", tc.line, c, err)
		}
	}
}

// FuzzParseCandidate: whatever the process prints, parsing never panics,
// and a line that parses says the same once written back.
func FuzzParseCandidate(f *testing.F) {
	for _, s := range []string{"王 -0.154909", "一 0.924806", "Answer: k1", "囗 1e-05", "", " ", "a b 1", "王 NaN"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if id, ok := ParseAnswer(line); ok && !strings.HasPrefix(line, "Answer: ") {
			t.Fatalf("ParseAnswer(%q) = %q without the answer's header", line, id)
		}
		c, err := ParseCandidate(line)
		if err != nil {
			return
		}
		if c.Text == "" {
			t.Fatalf("%q parsed to an empty character", line)
		}
		again, err := ParseCandidate(c.String())
		if err != nil || again != c {
			t.Fatalf("%q → %+v → %q → %+v, %v", line, c, c.String(), again, err)
		}
	})
}
