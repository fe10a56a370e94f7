package ime

import (
	"slices"
	"testing"
	"unicode/utf8"
)

func TestCandidatesFront(t *testing.T) {
	e := Default()
	tests := []struct {
		pinyin string
		want   string
		within int // must be among the first within
	}{
		{"zhang", "张", 2},
		{"wang", "王", 1},
		{"li", "李", 2},
		{"ban", "办", 2},
		{"WANG", "王", 1},
		{"shi", "是", 3},
		{"lv", "吕", 3},
		{"shebao", "社保", 1},
		{"laoren", "老人", 1},
		{"bangmang", "帮忙", 1},
		{"zh", "张", 20},
		{"w", "王", 5},
		{"zhangsan", "张", 3}, // first reading of several
	}
	for _, tc := range tests {
		t.Run(tc.pinyin, func(t *testing.T) {
			got := e.Candidates(tc.pinyin, 30)
			i := slices.Index(got, tc.want)
			if i < 0 || i >= tc.within {
				t.Fatalf("Candidates(%q) = %v: %q at %d, want within the first %d", tc.pinyin, got, tc.want, i, tc.within)
			}
		})
	}
}

func TestLookupLen(t *testing.T) {
	e := Default()
	tests := []struct {
		pinyin  string
		wantLen int // Len of the first single character
	}{
		{"zhang", 5},
		{"zhangsan", 5},
		{"xian", 4}, // a whole reading, not xi + an
		{"lia", 3},  // partial: covers what was typed
		{"nihao", 2},
	}
	for _, tc := range tests {
		got := e.Lookup(tc.pinyin, 0)
		var first *Candidate
		for i := range got {
			if utf8.RuneCountInString(got[i].Text) == 1 {
				first = &got[i]
				break
			}
		}
		if first == nil || first.Len != tc.wantLen {
			t.Errorf("Lookup(%q) first character %+v, want Len %d", tc.pinyin, first, tc.wantLen)
		}
	}
}

func TestNoCandidates(t *testing.T) {
	e := Default()
	for _, in := range []string{"", "123", "  ", "iii", "vvvvvvvvvvvvvvvvvvvvv"} {
		if got := e.Lookup(in, 10); in != "iii" && len(got) != 0 && in != "vvvvvvvvvvvvvvvvvvvvv" {
			t.Errorf("Lookup(%q) = %v, want none", in, got)
		}
	}
	if got := e.Candidates("ban", 3); len(got) != 3 {
		t.Fatalf("n=3 gave %d", len(got))
	}
	if got := e.Candidates("zhang", 0); len(got) < 10 {
		t.Fatalf("all for zhang: %d", len(got))
	}
	// No duplicates.
	got := e.Candidates("li", 0)
	seen := map[string]bool{}
	for _, c := range got {
		if seen[c] {
			t.Fatalf("duplicate %q", c)
		}
		seen[c] = true
	}
}

func FuzzLookup(f *testing.F) {
	for _, s := range []string{"zhang", "shebao", "zhangsanli", "v", "", "ÜÜ", "a\x00b"} {
		f.Add(s)
	}
	e := Default()
	f.Fuzz(func(t *testing.T, s string) {
		py := Normalize(s)
		for _, c := range e.Lookup(s, 20) {
			if c.Len < 1 || c.Len > len(py) || c.Text == "" {
				t.Fatalf("Lookup(%q): bad candidate %+v", s, c)
			}
		}
	})
}

func BenchmarkKeystroke(b *testing.B) {
	e := Default()
	inputs := []string{"z", "zh", "zha", "zhan", "zhang", "zhangs", "zhangsa", "zhangsan"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		e.Lookup(inputs[i%len(inputs)], 60)
	}
}

func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		New()
	}
}

// TestCommon: the characters residents write are common; radicals and
// rare look-alikes a recogniser offers are not.
func TestCommon(t *testing.T) {
	e := Default()
	for _, c := range []string{"王", "口", "人", "中", "秀", "兰", "牟"} {
		if !e.Common(c) {
			t.Errorf("%s not common", c)
		}
	}
	for _, c := range []string{"囗", "亻", "忄", "廾", "", "王王", "a"} {
		if e.Common(c) {
			t.Errorf("%q common", c)
		}
	}
}
