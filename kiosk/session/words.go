package session

import "strings"

// The kiosk's words for residents. One word for each thing, everywhere:
// the screens, the voice and the slip say the same.
const (
	// WordReader is where the card goes: 读卡区 (never 感应区).
	WordReader = "读卡区"
	// WordSlip is the paper the printer gives: 凭条 (never 回执).
	WordSlip = "凭条"
	// WordTracking names the tracking number: 办理编号.
	WordTracking = "办理编号"
	// WordOptional marks a field the resident may leave empty.
	WordOptional = "选填"
	// SearchExample is the pinyin initials the search screen shows as an
	// example: the keys of the pinyin keyboard are the one place Latin
	// letters are the resident's own (LatinWords callers allow it there).
	SearchExample = "sb"
)

// LatinWords returns the words in Latin letters that resident-facing text
// s holds, other than codes: a run of capital letters and digits (and
// hyphens) with at least one digit (K7QH, ZM-K03, WJ2M4X), a number with a
// unit of length or weight (58mm, 5kg), or one of allowed (a tracking
// code's groups, say). Residents read Chinese; English words, internal ids
// ("sb-jfjl-print") and abbreviations ("Tel.", "QR") are what it finds.
// Layout, session and receipt tests share it so the rule is one.
func LatinWords(s string, allowed ...string) []string {
	var out []string
	for _, tok := range strings.FieldsFunc(s, func(r rune) bool { return !isCodeRune(r) }) {
		tok = strings.Trim(tok, "-.")
		if !hasLatin(tok) || isCode(tok) || isMeasure(tok) {
			continue
		}
		if !allowedWord(tok, allowed) {
			out = append(out, tok)
		}
	}
	return out
}

// allowedWord: tok is one of allowed or one of their space-separated
// groups (K7QH of "K7QH 2M4X").
func allowedWord(tok string, allowed []string) bool {
	for _, a := range allowed {
		for _, f := range strings.Fields(a) {
			if tok == f {
				return true
			}
		}
	}
	return false
}

func isCodeRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.'
}

func hasLatin(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			return true
		}
	}
	return false
}

// isCode: capitals, digits and hyphens, with a digit.
func isCode(s string) bool {
	digit := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'A' && c <= 'Z', c == '-':
		default:
			return false
		}
	}
	return digit
}

// isMeasure: a number with a unit (58mm, 1.5kg).
func isMeasure(s string) bool {
	for _, u := range []string{"mm", "cm", "km", "kg", "m", "g"} {
		if n, ok := strings.CutSuffix(s, u); ok && n != "" && strings.Trim(n, "0123456789.") == "" {
			return true
		}
	}
	return false
}
