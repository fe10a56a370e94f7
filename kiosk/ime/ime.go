package ime

import (
	_ "embed"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:generate go run ./internal/gen ../..

//go:embed readings.txt
var readingsTxt string

//go:embed rank.txt
var rankTxt string

//go:embed words.txt
var wordsTxt string

// maxPrefix caps the characters kept for a partial reading ("zh").
const maxPrefix = 150

// MaxLetters is the longest pinyin looked up; letters beyond are ignored.
const MaxLetters = 32

// Candidate is one choice for typed pinyin.
type Candidate struct {
	Text string // a character or a word
	// Len is how many letters of the pinyin the candidate covers, from the
	// start: after picking it, the remaining letters stay to be converted.
	Len int
}

// Engine converts pinyin to candidates. Build it with New or share
// Default; it is immutable.
type Engine struct {
	exact  map[string][]string // full reading → characters, most common first
	prefix map[string][]string // partial reading → characters of every reading it starts
	words  map[string][]string // pinyin → words
	maxSyl int
	rank   map[rune]int // place in the merged character order (rank.txt)
}

// Default returns an Engine built once and shared.
var Default = sync.OnceValue(New)

// New builds an Engine from the embedded tables (a few milliseconds).
func New() *Engine {
	e := &Engine{exact: map[string][]string{}, prefix: map[string][]string{}, words: map[string][]string{}}
	rank := map[rune]int{}
	for _, line := range lines(rankTxt) {
		for _, r := range line {
			if _, ok := rank[r]; !ok {
				rank[r] = len(rank)
			}
		}
	}
	e.rank = rank
	rankOf := func(r rune) int {
		if i, ok := rank[r]; ok {
			return i
		}
		return len(rank) + int(r)
	}
	ranks := map[string][]int{} // rank of each character of each reading
	for _, line := range lines(readingsTxt) {
		syl, chars, ok := strings.Cut(line, "\t")
		if !ok || syl == "" {
			continue
		}
		cs := make([]string, 0, len(chars)/3)
		rs := make([]int, 0, len(chars)/3)
		for _, r := range chars {
			cs = append(cs, string(r))
			rs = append(rs, rankOf(r))
		}
		e.exact[syl] = cs
		ranks[syl] = rs
		e.maxSyl = max(e.maxSyl, len(syl))
	}
	// Partial readings: every proper prefix of a reading, its characters
	// merged from the readings it starts (each already in order).
	starts := map[string][]string{}
	for syl := range e.exact {
		for n := 1; n < len(syl); n++ {
			starts[syl[:n]] = append(starts[syl[:n]], syl)
		}
	}
	for p, syls := range starts {
		pos := make([]int, len(syls))
		seen := map[string]bool{}
		var out []string
		for len(out) < maxPrefix {
			best := -1
			for i, s := range syls {
				if pos[i] < len(ranks[s]) && (best < 0 || ranks[s][pos[i]] < ranks[syls[best]][pos[best]]) {
					best = i
				}
			}
			if best < 0 {
				break
			}
			c := e.exact[syls[best]][pos[best]]
			pos[best]++
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
		e.prefix[p] = slices.Clip(out)
	}
	for _, line := range lines(wordsTxt) {
		k, w, ok := strings.Cut(line, "\t")
		if ok && k != "" && w != "" {
			e.words[k] = append(e.words[k], w)
		}
	}
	return e
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// Candidates returns up to n (n ≤ 0: all) candidate texts for pinyin,
// using Default.
func Candidates(pinyin string, n int) []string {
	return Default().Candidates(pinyin, n)
}

// Candidates returns up to n (n ≤ 0: all) candidate texts for pinyin.
func (e *Engine) Candidates(pinyin string, n int) []string {
	cs := e.Lookup(pinyin, n)
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Text
	}
	return out
}

// Normalize keeps the letters a–z of s, lower-cased (ü may be typed as v).
func Normalize(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + 'a' - 'A')
		case r == 'ü' || r == 'Ü':
			b.WriteByte('v')
		}
	}
	return b.String()
}

// Common reports whether s is one character of the merged character
// order (rank.txt: common characters, surnames and the catalog's own,
// about 3,000): what residents write. The writing pad puts these first
// among a recogniser's candidates.
func (e *Engine) Common(s string) bool {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || n != len(s) {
		return false
	}
	_, ok := e.rank[r]
	return ok
}

// IsReading reports whether s is a complete pinyin reading (without tone).
func (e *Engine) IsReading(s string) bool { _, ok := e.exact[s]; return ok }

// Lookup returns up to n (n ≤ 0: all) candidates for pinyin, best first:
// words spelled by the whole input; then, if the input is one reading or
// the start of one, its characters (a complete reading's own characters
// before those of longer readings it starts); otherwise the characters
// of the input's first reading, covering only its letters.
func (e *Engine) Lookup(pinyin string, n int) []Candidate {
	py := Normalize(pinyin)
	if len(py) > MaxLetters {
		py = py[:MaxLetters]
	}
	if py == "" {
		return nil
	}
	var out []Candidate
	seen := map[string]bool{}
	full := func() bool { return n > 0 && len(out) >= n }
	add := func(list []string, l int) {
		for _, t := range list {
			if full() {
				return
			}
			if !seen[t] {
				seen[t] = true
				out = append(out, Candidate{Text: t, Len: l})
			}
		}
	}
	add(e.words[py], len(py))
	ex, isSyl := e.exact[py]
	pre, isPre := e.prefix[py]
	switch {
	case isSyl || isPre:
		add(ex, len(py))
		add(pre, len(py))
	default:
		// Several readings typed together: offer the first.
		for l := min(len(py)-1, e.maxSyl); l >= 1; l-- {
			if cs, ok := e.exact[py[:l]]; ok && e.segments(py[l:]) {
				add(e.words[py[:l]], l)
				add(cs, l)
				break
			}
		}
		if len(out) == 0 {
			// No clean split: take the longest leading reading.
			for l := min(len(py)-1, e.maxSyl); l >= 1; l-- {
				if cs, ok := e.exact[py[:l]]; ok {
					add(cs, l)
					break
				}
			}
		}
	}
	return out
}

// segments reports whether s splits into readings, the last of which may
// be partial (the resident is still typing it).
func (e *Engine) segments(s string) bool {
	// ok[i]: s[i:] splits.
	ok := make([]bool, len(s)+1)
	ok[len(s)] = true
	for i := len(s) - 1; i >= 0; i-- {
		if _, p := e.prefix[s[i:]]; p {
			ok[i] = true
			continue
		}
		for l := 1; l <= e.maxSyl && i+l <= len(s); l++ {
			if _, r := e.exact[s[i:i+l]]; r && ok[i+l] {
				ok[i] = true
				break
			}
		}
	}
	return ok[0]
}
