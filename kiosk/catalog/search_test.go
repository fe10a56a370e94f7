package catalog

import (
	"strings"
	"testing"
)

func TestSearch(t *testing.T) {
	ix := NewIndex(mustDefault(t))
	tests := []struct {
		q       string
		wantTop string // id of the first hit, or "" to only check wantAny
		wantAny string // an id that must be among the first 5 hits
		match   string // substring of the top hit's Match
	}{
		{"sbjf", "sb-jfjl-print", "", "initials"},
		{"SBJF", "sb-jfjl-print", "", "initials"},
		{"shebaojiaofei", "sb-jfjl-print", "", "pinyin"},
		{"she bao jiao fei", "sb-jfjl-print", "", "pinyin"},
		{"shebjf", "sb-jfjl-print", "", "mixed"},
		{"社保缴费", "sb-jfjl-print", "", "name"},
		{"gjj", "", "gjj-jcmx", ""},
		{"gongjijin", "", "gjj-jcmx", ""},
		{"公积金", "", "gjj-jcmx", ""},
		{"yyzz", "sc-yyzz-print", "", "initials"},
		{"营业执照打印", "sc-yyzz-print", "", "name"},
		{"bbdb", "bm-bbdb", "", "initials"},
		{"帮办", "bm-bbdb", "", ""},
		{"找人帮忙", "bm-bbdb", "", "short"},
		{"违章", "", "jg-wf-cx", "keyword"},
		{"weizhang", "", "jg-wf-cx", "keyword"},
		{"jtwf", "", "jg-wf-cl", "initials"},
		{"良民证", "hz-wfzjl", "", "keyword"},
		{"yanglaorenzheng", "sb-cx-rz", "", ""},
		{"12345", "bm-rx", "", "name"},
		// Polyphonic characters: either reading finds the matter.
		{"yinhang", "", "gjj-yhk", ""},
		{"zhongda", "gjj-tq-jb", "", "pinyin"},
		{"changqi", "yb-cqhl", "", "pinyin"},
		{"xingshizheng", "", "jg-xsz-bl", ""},
		{"hangshizheng", "", "jg-xsz-bl", ""},
		{"canbao", "", "sb-cbzm-print", ""},
		{"jzzqz", "hz-jzz-qz", "", "initials"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			hits := ix.Search(tt.q, 5)
			if len(hits) == 0 {
				t.Fatal("no hits")
			}
			if tt.wantTop != "" && hits[0].Service.ID != tt.wantTop {
				t.Fatalf("top %s (%s %d), want %s", hits[0].Service.ID, hits[0].Match, hits[0].Score, tt.wantTop)
			}
			if tt.match != "" && !strings.Contains(hits[0].Match, tt.match) {
				t.Fatalf("top match %q, want …%s…", hits[0].Match, tt.match)
			}
			if tt.wantAny != "" {
				for _, h := range hits {
					if h.Service.ID == tt.wantAny {
						return
					}
				}
				t.Fatalf("%s not in %v", tt.wantAny, ids(hits))
			}
		})
	}
}

func TestSearchRanking(t *testing.T) {
	ix := NewIndex(mustDefault(t))
	hits := ix.Search("sb", 0)
	for i := 1; i < len(hits); i++ {
		a, b := hits[i-1], hits[i]
		if a.Score < b.Score || (a.Score == b.Score && a.Service.Popularity < b.Service.Popularity) {
			t.Fatalf("not ordered at %d: %v then %v", i, a, b)
		}
	}
	if len(ix.Search("sb", 3)) != 3 {
		t.Fatal("limit")
	}
	for _, q := range []string{"", "   ", "zzzzzz", "qqqq", strings.Repeat("a", 100), "\xff\xfe"} {
		if h := ix.Search(q, 5); len(h) != 0 {
			t.Errorf("%q: %d hits", q, len(h))
		}
	}
}

func ids(h []Hit) []string {
	var out []string
	for _, x := range h {
		out = append(out, x.Service.ID)
	}
	return out
}

// Typing into a Searcher gives exactly what a fresh search gives.
func TestSearcherMatchesFreshSearch(t *testing.T) {
	ix := NewIndex(mustDefault(t))
	for _, q := range append(queries, "sb jf", "gjj", "s", "sh", "shb", "社", "社保", "公积金 ") {
		s := ix.NewSearcher()
		r := []rune(q)
		for i := 1; i <= len(r); i++ {
			p := string(r[:i])
			got, want := s.Search(p, 0), ix.Search(p, 0)
			if len(got) != len(want) {
				t.Fatalf("%q after typing: %d hits, fresh %d", p, len(got), len(want))
			}
			for j := range got {
				if got[j] != want[j] {
					t.Fatalf("%q hit %d: %+v vs %+v", p, j, got[j], want[j])
				}
			}
		}
		// Backspace and retype.
		if got, want := s.Search("g", 5), ix.Search("g", 5); len(got) != len(want) {
			t.Fatal("after backspace")
		}
	}
}
