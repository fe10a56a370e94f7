package catalog

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"
)

// Hit is one search result.
type Hit struct {
	Service *Service
	Score   int    // match quality; higher is better
	Match   string // what matched: "name", "name-initials", "name-pinyin", "keyword:社保" …
}

// Match quality tiers. Within a tier hits are ordered by popularity.
const (
	scoreExact         = 1000
	scoreNamePrefix    = 900
	scoreFullPrefix    = 850 // full pinyin from the start of the name
	scoreInitialPrefix = 800 // pinyin initials from the start of the name
	scoreMixedPrefix   = 780
	scoreKeywordExact  = 760
	scoreKeywordPrefix = 700
	scoreNameInside    = 600
	scoreFullInside    = 560
	scoreInitialInside = 520
	scoreKeywordInside = 400
	// A short name or keyword match is slightly weaker than the same match
	// on the full name.
	penaltyShort = 10
)

type termKind uint8

const (
	termName termKind = iota
	termShort
	termKeyword
)

// term is one searchable string of a matter with its readings precomputed.
type term struct {
	text    string     // lower-case characters
	kind    termKind   // name, short name or keyword
	syl     [][]string // readings of each syllable (a Han character or an ASCII run)
	letters uint64     // bit set of every letter/digit in the readings
	firsts  []uint64   // per syllable: bit set of the first letters of its readings
	runes   uint64     // bloom filter of the characters of text (bit r%64)
	ascii   bool       // text has ASCII letters or digits
}

type entry struct {
	svc   *Service
	terms []int32 // indexes into Index.terms
}

// Index answers searches over one catalog. It is immutable and safe for
// concurrent use; build a new one when the catalog changes.
type Index struct {
	terms       []*term // each distinct (kind, text) once: category keywords are shared
	termEntries [][]int32
	entries     []entry
	// Candidate terms for a fresh query, by its first character: terms
	// with a syllable starting with the letter (or ASCII text holding it),
	// terms whose first syllable starts with it (for one-letter queries),
	// and terms holding a character.
	byLetter    [64][]int32
	startLetter [64][]int32
	byRune      map[rune][]int32
}

// polyphonic characters whose other readings are common in matter names:
// every reading is allowed to match, so 银行 is found by "yh" and by
// "yinhang", 重新 by "chongxin", 长期 by "changqi", 会计 by "kuaiji".
const polyphonic = "行重长乐会调单参还藏传发给解累期朝曾地得都和划假间将降教卷看空量率区曲省识属数似宿校兴应载转种便差处冲当度干更供号还几济结据觉奇强曲任仍散色少舍石似缩佣与中着"

// wordReadings fixes readings in words where the usual reading is wrong;
// they are added to the readings of those characters in that word.
var wordReadings = []struct {
	word     string
	readings []string
}{
	{"银行", []string{"yin", "hang"}}, {"会计", []string{"kuai", "ji"}}, {"重新", []string{"chong", "xin"}},
	{"重复", []string{"chong", "fu"}}, {"长期", []string{"chang", "qi"}}, {"音乐", []string{"yin", "yue"}},
	{"调解", []string{"tiao", "jie"}}, {"单位", []string{"dan", "wei"}}, {"参保", []string{"can", "bao"}},
	{"还款", []string{"huan", "kuan"}}, {"重度", []string{"zhong", "du"}}, {"重大", []string{"zhong", "da"}},
	{"行驶", []string{"xing", "shi"}}, {"补差", []string{"bu", "cha"}}, {"处理", []string{"chu", "li"}},
	{"长护", []string{"chang", "hu"}},
}

// NewIndex precomputes readings for every name, short name and keyword.
func NewIndex(c *Catalog) *Index {
	args := pinyin.NewArgs()
	args.Heteronym = true
	cache := map[rune][]string{}
	terms := map[string]int32{}
	ix := &Index{entries: make([]entry, 0, len(c.Services))}
	for i := range c.Services {
		s := &c.Services[i]
		e := entry{svc: s}
		add := func(text string, kind termKind) {
			if text == "" {
				return
			}
			key := string(rune('0'+kind)) + text
			id, ok := terms[key]
			if !ok {
				id = int32(len(ix.terms))
				ix.terms = append(ix.terms, newTerm(text, kind, args, cache))
				terms[key] = id
			}
			e.terms = append(e.terms, id)
		}
		add(s.Name, termName)
		if s.ShortName != s.Name {
			add(s.ShortName, termShort)
		}
		for _, k := range s.Keywords {
			add(k, termKeyword)
		}
		ix.entries = append(ix.entries, e)
	}
	ix.byRune = map[rune][]int32{}
	for i, t := range ix.terms {
		id := int32(i)
		var any, start uint64
		for k, f := range t.firsts {
			any |= f
			if k == 0 {
				start = f
			}
		}
		seen := map[rune]bool{}
		for _, r := range t.text {
			if !seen[r] {
				seen[r] = true
				ix.byRune[r] = append(ix.byRune[r], id)
			}
			if r < utf8.RuneSelf {
				any |= bit(byte(r))
				start |= bit(byte(r))
			}
		}
		for c := 0; c < 64; c++ {
			if any&(1<<c) != 0 {
				ix.byLetter[c] = append(ix.byLetter[c], id)
			}
			if start&(1<<c) != 0 {
				ix.startLetter[c] = append(ix.startLetter[c], id)
			}
		}
	}
	ix.termEntries = make([][]int32, len(ix.terms))
	for i, e := range ix.entries {
		for _, id := range e.terms {
			ix.termEntries[id] = append(ix.termEntries[id], int32(i))
		}
	}
	return ix
}

func readingsOf(r rune, args pinyin.Args, cache map[rune][]string) []string {
	if rs, ok := cache[r]; ok {
		return rs
	}
	all := pinyin.SinglePinyin(r, args)
	var rs []string
	if len(all) > 0 {
		rs = append(rs, all[0])
		if strings.ContainsRune(polyphonic, r) {
			for _, x := range all[1:] {
				if !contains(rs, x) {
					rs = append(rs, x)
				}
			}
		}
	}
	cache[r] = rs
	return rs
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func newTerm(text string, kind termKind, args pinyin.Args, cache map[rune][]string) *term {
	t := &term{text: strings.ToLower(text), kind: kind}
	runes := []rune(text)
	for _, r := range t.text {
		t.runes |= 1 << (uint32(r) % 64)
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			t.ascii = true
		}
	}
	han := make([]int, 0, len(runes)) // rune index of each Han syllable
	for i := 0; i < len(runes); {
		r := runes[i]
		switch {
		case unicode.Is(unicode.Han, r):
			rs := readingsOf(r, args, cache)
			if len(rs) > 0 {
				t.syl = append(t.syl, rs[:len(rs):len(rs)]) // appends below copy
				han = append(han, i)
			}
			i++
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			j := i
			for j < len(runes) && runes[j] < utf8.RuneSelf && (unicode.IsLetter(runes[j]) || unicode.IsDigit(runes[j])) {
				j++
			}
			t.syl = append(t.syl, []string{strings.ToLower(string(runes[i:j]))})
			han = append(han, -1)
			i = j
		default:
			i++
		}
	}
	// Word-level readings.
	for _, wr := range wordReadings {
		word, rs := wr.word, wr.readings
		if !strings.Contains(text, word) {
			continue
		}
		wr := []rune(word)
		for k := 0; k+len(wr) <= len(han); k++ {
			ok := true
			for m := range wr {
				if han[k+m] < 0 || runes[han[k+m]] != wr[m] {
					ok = false
					break
				}
			}
			if ok {
				for m := range wr {
					if !contains(t.syl[k+m], rs[m]) {
						t.syl[k+m] = append(t.syl[k+m], rs[m])
					}
				}
			}
		}
	}
	t.firsts = make([]uint64, len(t.syl))
	for k, rs := range t.syl {
		for _, r := range rs {
			for i := 0; i < len(r); i++ {
				t.letters |= bit(r[i])
			}
			t.firsts[k] |= bit(r[0])
		}
	}
	return t
}

func bit(c byte) uint64 { return 1 << bitIndex(c) }

// bitIndex maps a-z to 0..25, 0-9 to 26..35 and anything else to 63.
func bitIndex(c byte) int {
	switch {
	case c >= 'a' && c <= 'z':
		return int(c - 'a')
	case c >= '0' && c <= '9':
		return int(26 + c - '0')
	}
	return 63
}

// normalize lower-cases q and drops spaces and apostrophes ("xi'an").
func normalize(q string) (string, bool) {
	var b strings.Builder
	ascii := true
	for _, r := range strings.ToLower(strings.TrimSpace(q)) {
		switch {
		case r == ' ' || r == '\'' || r == '\u3000':
			continue
		case r >= utf8.RuneSelf:
			ascii = false
		}
		b.WriteRune(r)
	}
	return b.String(), ascii
}

// Search finds matters by characters, pinyin initials (sbjf), full pinyin
// (shebao, "she bao"), mixed (shebjf), keyword or synonym. Results are
// ordered by match quality, then popularity; at most limit (all if
// limit <= 0). For a search box, NewSearcher is faster: it narrows the
// previous keystroke's results instead of starting again.
func (ix *Index) Search(q string, limit int) []Hit {
	return ix.NewSearcher().Search(q, limit)
}

// Searcher serves one search box: each call that extends the previous
// query only re-checks the terms that matched it. Not safe for concurrent
// use; the Index behind it is.
type Searcher struct {
	ix     *Index
	lastQ  string
	lastOK bool    // cand holds the matches of lastQ
	cand   []int32 // terms that matched lastQ
	scores []int32 // per term, for the current query
	ways   []int8
	best   []int32 // per entry: best term+1, 0 for none
}

// NewSearcher returns a searcher over ix.
func (ix *Index) NewSearcher() *Searcher {
	return &Searcher{ix: ix}
}

// Search is Index.Search, narrowing the previous query's matches when q
// extends it.
func (s *Searcher) Search(q string, limit int) []Hit {
	ix := s.ix
	q, ascii := normalize(q)
	if q == "" || len(q) > 64 {
		s.lastOK = false
		return nil
	}
	var qmask, qrunes uint64
	if ascii {
		for i := 0; i < len(q); i++ {
			qmask |= bit(q[i])
		}
	}
	for _, r := range q {
		qrunes |= 1 << (uint32(r) % 64)
	}
	// Matching is monotonic: whatever matches "sbj" matched "sb". One
	// ASCII letter is the exception (it only matches from the start).
	narrow := s.lastOK && strings.HasPrefix(q, s.lastQ) && !(ascii && len(s.lastQ) == 1)
	if s.scores == nil {
		s.scores = make([]int32, len(ix.terms))
		s.ways = make([]int8, len(ix.terms))
		s.best = make([]int32, len(ix.entries))
	}
	score := func(i int32) {
		t := ix.terms[i]
		sc, way := 0, wayChars
		if t.runes&qrunes == qrunes && (!ascii || t.ascii) {
			sc = charScore(t, q)
		}
		if ascii && t.letters&qmask == qmask {
			if ps, pw := pinyinScore(t, q); ps > sc {
				sc, way = ps, pw
			}
		}
		s.scores[i], s.ways[i] = int32(sc), int8(way)
	}
	var next []int32
	if narrow {
		for _, i := range s.cand {
			score(i)
			if s.scores[i] > 0 {
				next = append(next, i)
			}
		}
	} else {
		var from []int32
		switch {
		case ascii && len(q) == 1:
			from = ix.startLetter[bitIndex(q[0])]
		case ascii:
			from = ix.byLetter[bitIndex(q[0])]
		default:
			r, _ := utf8.DecodeRuneInString(q)
			from = ix.byRune[r]
		}
		for _, i := range from {
			score(i)
			if s.scores[i] > 0 {
				next = append(next, i)
			}
		}
	}
	s.lastQ, s.lastOK, s.cand = q, true, next

	// Each matter takes its best matching term.
	var touched []int32
	for _, id := range next {
		for _, e := range ix.termEntries[id] {
			cur := s.best[e]
			if cur == 0 {
				touched = append(touched, e)
			}
			if cur == 0 || s.scores[id] > s.scores[cur-1] {
				s.best[e] = id + 1
			}
		}
	}
	type hit struct {
		svc   *Service
		score int32
		term  int32
	}
	hs := make([]hit, 0, len(touched))
	for _, e := range touched {
		id := s.best[e] - 1
		s.best[e] = 0
		hs = append(hs, hit{svc: ix.entries[e].svc, score: s.scores[id], term: id})
	}
	cmp := func(a, b hit) int {
		if a.score != b.score {
			return int(b.score - a.score)
		}
		if a.svc.Popularity != b.svc.Popularity {
			return b.svc.Popularity - a.svc.Popularity
		}
		return strings.Compare(a.svc.ID, b.svc.ID)
	}
	if limit > 0 && len(hs) > 2*limit {
		// Keep the best limit hits without sorting them all.
		top := make([]hit, 0, limit+1)
		for _, h := range hs {
			if len(top) == limit && cmp(h, top[limit-1]) >= 0 {
				continue
			}
			i, _ := slices.BinarySearchFunc(top, h, cmp)
			top = slices.Insert(top, i, h)
			if len(top) > limit {
				top = top[:limit]
			}
		}
		hs = top
	} else {
		slices.SortFunc(hs, cmp)
		if limit > 0 && len(hs) > limit {
			hs = hs[:limit]
		}
	}
	hits := make([]Hit, len(hs))
	for i, h := range hs {
		hits[i] = Hit{Service: h.svc, Score: int(h.score), Match: label(ix.terms[h.term], s.ways[h.term])}
	}
	return hits
}

var wayNames = [...]string{wayChars: "", wayInitials: "initials", wayFull: "pinyin", wayMixed: "mixed"}

func label(t *term, way int8) string {
	what := wayNames[way]
	switch t.kind {
	case termKeyword:
		if what == "" {
			return "keyword:" + t.text
		}
		return "keyword-" + what + ":" + t.text
	case termShort:
		if what == "" {
			return "short"
		}
		return "short-" + what
	}
	if what == "" {
		return "name"
	}
	return "name-" + what
}

func charScore(t *term, q string) int {
	pos := strings.Index(t.text, q)
	if pos < 0 {
		return 0
	}
	var sc int
	switch t.kind {
	case termKeyword:
		switch {
		case t.text == q:
			sc = scoreKeywordExact
		case pos == 0:
			sc = scoreKeywordPrefix
		default:
			sc = scoreKeywordInside
		}
	default:
		switch {
		case t.text == q:
			sc = scoreExact
		case pos == 0:
			sc = scoreNamePrefix
		default:
			sc = scoreNameInside
		}
		if t.kind == termShort {
			sc -= penaltyShort
		}
	}
	return sc
}

// Ways a query can cover syllables.
const (
	wayChars    = iota // the characters themselves
	wayInitials        // one letter per syllable
	wayFull            // whole readings, the last one possibly partial
	wayMixed           // any prefix of each reading
)

func pinyinScore(t *term, q string) (int, int) {
	bestWay, bestStart := -1, -1
	n := len(t.syl)
	if len(q) == 1 {
		n = min(n, 1) // one letter only counts from the start
	}
	for k := range n {
		if t.firsts[k]&bit(q[0]) == 0 {
			continue
		}
		way := matchAt(t, k, q)
		if way < 0 {
			continue
		}
		if bestWay < 0 || way < bestWay {
			bestWay, bestStart = way, k
		}
		// A match from the first syllable beats any match inside, and
		// the first match inside is good enough.
		if k == 0 || bestWay == wayInitials {
			break
		}
		if len(q) == 1 {
			break
		}
	}
	if bestWay < 0 {
		return 0, wayChars
	}
	prefix := bestStart == 0
	var sc int
	switch bestWay {
	case wayInitials:
		sc = pick(prefix, scoreInitialPrefix, scoreInitialInside)
	case wayFull:
		sc = pick(prefix, scoreFullPrefix, scoreFullInside)
	default:
		sc = pick(prefix, scoreMixedPrefix, scoreInitialInside-10)
	}
	if len(q) == 1 && !prefix {
		return 0, wayChars // one letter inside a word matches nearly everything
	}
	switch t.kind {
	case termKeyword:
		if prefix && bestWay == wayFull && fullLen(t) == len(q) {
			sc = scoreKeywordExact
		} else if prefix {
			sc = scoreKeywordPrefix - 20
		} else {
			sc = scoreKeywordInside - 20
		}
	case termShort:
		sc -= penaltyShort
	}
	return sc, bestWay
}

func pick(prefix bool, a, b int) int {
	if prefix {
		return a
	}
	return b
}

// fullLen is the length of the term's first readings joined.
func fullLen(t *term) int {
	n := 0
	for _, rs := range t.syl {
		n += len(rs[0])
	}
	return n
}

// matchAt reports how q covers syllables from k: wayInitials, wayFull,
// wayMixed, or -1.
func matchAt(t *term, k int, q string) int {
	if len(q) <= len(t.syl)-k {
		ok := true
		for i := 0; i < len(q); i++ {
			if t.firsts[k+i]&bit(q[i]) == 0 {
				ok = false
				break
			}
		}
		if ok && initialsMatch(t, k, q) {
			return wayInitials
		}
	}
	if coverFull(t, k, q) {
		return wayFull
	}
	if coverMixed(t, k, q, 0) {
		return wayMixed
	}
	return -1
}

func initialsMatch(t *term, k int, q string) bool {
	for i := 0; i < len(q); i++ {
		ok := false
		for _, r := range t.syl[k+i] {
			if r[0] == q[i] {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// coverFull: q is whole readings of syllables k, k+1, …, the last one
// possibly typed only in part.
func coverFull(t *term, k int, q string) bool {
	if q == "" {
		return true
	}
	if k >= len(t.syl) {
		return false
	}
	for _, r := range t.syl[k] {
		if strings.HasPrefix(q, r) {
			if coverFull(t, k+1, q[len(r):]) {
				return true
			}
		} else if strings.HasPrefix(r, q) {
			return true
		}
	}
	return false
}

// coverMixed: q is a prefix of a reading of each syllable k, k+1, …
// (shebjf, zfgjj).
func coverMixed(t *term, k int, q string, depth int) bool {
	if q == "" {
		return true
	}
	if k >= len(t.syl) || depth > 24 {
		return false
	}
	for _, r := range t.syl[k] {
		n := 0
		for n < len(r) && n < len(q) && r[n] == q[n] {
			n++
		}
		for l := n; l >= 1; l-- {
			if coverMixed(t, k+1, q[l:], depth+1) {
				return true
			}
		}
	}
	return false
}
