package escpos

import (
	"strings"
	"unicode/utf8"
)

// RuneColumns is how many columns a rune takes on a Chinese receipt
// printer: one for ASCII, two for everything sent as a double-byte
// (GB18030) character.
func RuneColumns(r rune) int {
	if r < 0x80 {
		return 1
	}
	return 2
}

// TextColumns is the display width of s in columns.
func TextColumns(s string) int {
	n := 0
	for _, r := range s {
		n += RuneColumns(r)
	}
	return n
}

// closing punctuation must not begin a line; opening must not end one.
const (
	closingPunct = "，。、；：？！）》」』】〕〉”’…—·%,.;:!?)]}"
	openingPunct = "（《「『【〔〈“‘([{"
)

type token struct {
	s     string
	w     int
	space bool
}

// Sanitize replaces control characters (which would be taken as printer
// commands) and invalid UTF-8 by spaces or U+FFFD, and tabs by a space.
func Sanitize(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			clean = false
			break
		}
	}
	if clean && utf8.ValidString(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// Wrap lays text out in lines of at most cols columns. A Chinese character
// takes two columns and may break anywhere; runs of Latin letters, digits
// and ASCII punctuation (words, numbers, tracking numbers) are kept whole
// unless longer than a line; closing punctuation never starts a line and
// opening punctuation never ends one. Newlines in text start new lines;
// other control characters become spaces. An empty text gives one empty
// line.
func Wrap(text string, cols int) []string {
	if cols < 2 {
		cols = 2
	}
	var out []string
	for _, para := range strings.Split(text, "\n") {
		out = wrapPara(out, Sanitize(strings.TrimRight(para, "\r")), cols)
	}
	return out
}

func tokenize(s string) []token {
	toks := make([]token, 0, len(s)/2+1)
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ':
			j := i
			for j < len(s) && s[j] == ' ' {
				j++
			}
			toks = append(toks, token{s: s[i:j], w: j - i, space: true})
			i = j
		case c < 0x80:
			j := i
			for j < len(s) && s[j] < 0x80 && s[j] != ' ' {
				j++
			}
			toks = append(toks, token{s: s[i:j], w: j - i})
			i = j
		default:
			_, n := utf8.DecodeRuneInString(s[i:])
			toks = append(toks, token{s: s[i : i+n], w: 2})
			i += n
		}
	}
	return toks
}

func isClosing(t token) bool {
	if t.space || t.s == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t.s)
	return strings.ContainsRune(closingPunct, r)
}

func isOpening(t token) bool {
	if t.space || t.s == "" {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(t.s)
	return strings.ContainsRune(openingPunct, r)
}

func wrapPara(out []string, s string, cols int) []string {
	toks := tokenize(s)
	var line []token
	w := 0
	emit := func() {
		for len(line) > 0 && line[len(line)-1].space {
			w -= line[len(line)-1].w
			line = line[:len(line)-1]
		}
		var b strings.Builder
		for _, t := range line {
			b.WriteString(t.s)
		}
		out = append(out, b.String())
		line, w = line[:0], 0
	}
	for k := 0; k < len(toks); k++ {
		t := toks[k]
		if t.w > cols && !t.space {
			// A word longer than a whole line: start it on a line of its
			// own and break it by columns.
			if w > 0 {
				emit()
			}
			for t.w > cols {
				room := cols
				head := t.s[:room]
				line = append(line, token{s: head, w: room})
				w += room
				t = token{s: t.s[room:], w: t.w - room}
				emit()
			}
			if t.w > 0 {
				line = append(line, t)
				w += t.w
			}
			continue
		}
		if w+t.w <= cols {
			if t.space && w == 0 && len(out) > 0 && len(line) == 0 && k > 0 {
				continue // no leading spaces on a wrapped line
			}
			line = append(line, t)
			w += t.w
			continue
		}
		if t.space {
			emit()
			continue
		}
		// t does not fit: break before it.
		var carry []token
		if isClosing(t) && len(line) >= 2 && !line[len(line)-1].space {
			// Take the last character down with the punctuation.
			carry = append(carry, line[len(line)-1])
			line = line[:len(line)-1]
			w -= carry[0].w
		}
		for len(line) >= 2 && isOpening(line[len(line)-1]) {
			carry = append([]token{line[len(line)-1]}, carry...)
			w -= line[len(line)-1].w
			line = line[:len(line)-1]
		}
		emit()
		for _, c := range carry {
			line = append(line, c)
			w += c.w
		}
		if w+t.w > cols { // the carried text and t cannot share a line
			emit()
		}
		line = append(line, t)
		w += t.w
	}
	emit()
	return out
}
