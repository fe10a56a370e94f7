package layout

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Measurer measures text. Advance is the width in pixels of s set at size.
type Measurer interface {
	Advance(s string, size float64) float64
}

// noStart are characters that must not begin a line (closing punctuation).
const noStart = "，。、；：？！）》」』】〕〉”’,.;:?!)]}%·…—"

// noEnd are characters that must not end a line (opening punctuation).
const noEnd = "（《「『【〔〈“‘([{"

// Wrap breaks text into lines no wider than width. Chinese may break
// between any two characters; Latin words and numbers stay whole (unless
// one alone is wider than a line); closing punctuation never starts a
// line and opening punctuation never ends one. "\n" always breaks.
func Wrap(text string, width, size float64, m Measurer) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		out = append(out, wrapPara(para, width, size, m)...)
	}
	return out
}

// tokens splits a paragraph into unbreakable pieces.
func tokens(s string) []string { return glue(split(s), true) }

// split cuts text into words (Latin words and numbers whole) and single
// characters.
func split(s string) []string {
	var toks []string
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		switch {
		case isWordRune(r):
			i := n
			for i < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[i:])
				if !isWordRune(r2) {
					break
				}
				i += n2
			}
			toks = append(toks, s[:i])
			s = s[i:]
		default:
			toks = append(toks, s[:n])
			s = s[n:]
		}
	}
	return toks
}

// glue joins closing punctuation to the token before and opening
// punctuation to the token after; with groups, a short bracketed group
// stays whole.
func glue(toks []string, groups bool) []string {
	var glued []string
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if len(glued) > 0 && strings.Contains(noStart, t) {
			glued[len(glued)-1] += t
			continue
		}
		if j := groupEnd(toks, i); groups && j > i {
			t = strings.Join(toks[i:j+1], "")
			i = j
		}
		for strings.Contains(noEnd, t) && i+1 < len(toks) {
			i++
			t += toks[i]
		}
		glued = append(glued, t)
	}
	return glued
}

// isGroup reports whether a token is a bracketed group kept whole.
func isGroup(t string) bool {
	r, n := utf8.DecodeRuneInString(t)
	closing, ok := brackets[string(r)]
	return ok && strings.Contains(t[n:], closing)
}

// brackets pairs each opening bracket with its closing one.
var brackets = map[string]string{"（": "）", "《": "》", "「": "」", "『": "』", "【": "】", "〔": "〕", "〈": "〉", "(": ")", "[": "]"}

// maxGroup is the longest bracketed group, in characters, kept on one
// line: （原件） and 《营业执照》 stay whole; a long aside may still break.
const maxGroup = 10

// groupEnd returns the index of the token that closes the bracket opening
// at toks[i], when the group is short and on one line; else i.
func groupEnd(toks []string, i int) int {
	closing, ok := brackets[toks[i]]
	if !ok {
		return i
	}
	n := 0
	for j := i; j < len(toks); j++ {
		n += utf8.RuneCountInString(toks[j])
		if n > maxGroup || toks[j] == " " {
			return i
		}
		if j > i && toks[j] == closing {
			return j
		}
	}
	return i
}

func isWordRune(r rune) bool {
	return r < 0x2E80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '@' || r == '/' || r == '*' || r == '.')
}

func wrapPara(p string, width, size float64, m Measurer) []string {
	if p == "" {
		return []string{""}
	}
	var lines []string
	var cur strings.Builder
	curW := 0.0
	flush := func() {
		lines = append(lines, strings.TrimRight(cur.String(), " "))
		cur.Reset()
		curW = 0
	}
	toks := tokens(p)
	for k := 0; k < len(toks); k++ {
		t := toks[k]
		w := m.Advance(t, size)
		if w > width && isGroup(t) {
			// A group wider than a whole line breaks where punctuation
			// allows, like any other text.
			sub := glue(split(t), false)
			toks = append(toks[:k:k], append(sub, toks[k+1:]...)...)
			t = toks[k]
			w = m.Advance(t, size)
		}
		if curW+w <= width || cur.Len() == 0 && w <= width {
			if cur.Len() == 0 && t == " " {
				continue
			}
			cur.WriteString(t)
			curW += w
			continue
		}
		if cur.Len() > 0 {
			flush()
		}
		if t == " " {
			continue
		}
		if w <= width {
			cur.WriteString(t)
			curW = w
			continue
		}
		// A single piece wider than the line: break it by characters.
		for _, r := range t {
			rw := m.Advance(string(r), size)
			if curW+rw > width && cur.Len() > 0 {
				flush()
			}
			cur.WriteRune(r)
			curW += rw
		}
	}
	if cur.Len() > 0 || len(lines) == 0 {
		flush()
	}
	return lines
}

// ApproxMeasurer measures with fixed advances: CJK and full-width
// characters one em, other characters 0.55 em. It is used in tests and as
// a fallback when no font can be loaded.
type ApproxMeasurer struct{}

// Advance implements Measurer.
func (ApproxMeasurer) Advance(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		if r >= 0x2E80 {
			w += size
		} else {
			w += 0.55 * size
		}
	}
	return w
}
