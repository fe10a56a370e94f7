package mask

import (
	"strings"
	"unicode/utf8"
)

// maxStars caps the stars of a name-like or address mask: the number of
// hidden characters is itself a hint.
const maxStars = 8

// ID masks an identity-document number in a field known to hold one (card
// number, permit number, a form field of type id_number). Numbers of 15
// or more characters keep their first six (the issuing county) and last
// four: 410122********1234, GBR410*****0201. Shorter numbers (travel
// permits, H1*****78) keep their first and last quarter.
func ID(s string) string {
	r := []rune(s)
	n := len(r)
	switch {
	case n == 0:
		return ""
	case n >= 15:
		return string(r[:6]) + strings.Repeat("*", n-10) + string(r[n-4:])
	case n <= 2:
		return strings.Repeat("*", n)
	default:
		k := max(n/4, 1)
		return string(r[:k]) + strings.Repeat("*", n-2*k) + string(r[n-k:])
	}
}

// Name masks a person's name. A Chinese name keeps its first character
// (张*, 王**, 欧阳娜娜 → 欧***); a name in Latin letters keeps the first
// letter of each word (S**** J***). Surrounding spaces are dropped. The
// last character of a Chinese name stays hidden too (王**, not 王*兰):
// that is what receipts and the identity confirmation have always shown,
// and a surname with a given-name character narrows a resident down far
// more than a surname alone.
func Name(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if isLatin(s) {
		var b strings.Builder
		for i, w := range strings.Fields(s) {
			if i > 0 {
				b.WriteByte(' ')
			}
			r, size := utf8.DecodeRuneInString(w)
			b.WriteRune(r)
			b.WriteString(strings.Repeat("*", utf8.RuneCountInString(w[size:])))
		}
		return b.String()
	}
	r := []rune(s)
	return string(r[:1]) + strings.Repeat("*", len(r)-1)
}

// NameOnScreen masks a person's name for the resident's own screens (the
// identity confirmation, the form, the confirm screen): a Chinese name
// keeps its first and last characters (王秀兰 → 王*兰, 欧阳娜娜 → 欧**娜,
// 张三 → 张*), a name in Latin letters the first and last letter of each
// word (S***H J**N), so a resident can tell it is her card while someone
// behind her still cannot read the name. Receipts, logs and anything kept
// use Name, which hides more.
func NameOnScreen(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	ends := func(r []rune) string {
		if len(r) <= 2 {
			return string(r[:1]) + strings.Repeat("*", len(r)-1)
		}
		return string(r[:1]) + strings.Repeat("*", len(r)-2) + string(r[len(r)-1:])
	}
	if isLatin(s) {
		words := strings.Fields(s)
		for i, w := range words {
			words[i] = ends([]rune(w))
		}
		return strings.Join(words, " ")
	}
	return ends([]rune(s))
}

// addressKeep is the most an address mask keeps: six characters hold a
// province and city (河南省郑州市) or a city and district (北京市朝阳区).
const addressKeep = 6

// divisionEnds are the characters that end the name of a province, city
// or county (区 also ends 自治区).
const divisionEnds = "省市区县旗盟州"

// Address masks an address. It keeps at most the first six characters
// and cuts them back to the last one that ends a province, city or
// county, so the town, street and house number are never shown:
// 河南省郑州市中牟县城关镇建设路88号 → 河南省郑州市********,
// 中牟县城关镇建设路68号 → 中牟县********. An address with no such
// character in its first six, or of six characters or fewer, is all stars.
func Address(s string) string {
	r := []rune(s)
	n := len(r)
	if n <= addressKeep {
		return strings.Repeat("*", n)
	}
	k := 0
	for i := addressKeep - 1; i >= 0; i-- {
		if strings.ContainsRune(divisionEnds, r[i]) {
			k = i + 1
			break
		}
	}
	// At least seven characters in all, so masking the mask keeps it.
	stars := max(min(n-k, maxStars), addressKeep+1-k)
	return string(r[:k]) + strings.Repeat("*", stars)
}

// Phone masks a phone number. A landline with its area code keeps the
// code and the last four digits (0371-****5678); anything else keeps its
// first three and last four characters (138****5678). Fewer than eight
// characters are all stars.
func Phone(s string) string {
	if area, local, ok := landline(s); ok {
		return area + "-" + strings.Repeat("*", len(local)-4) + local[len(local)-4:]
	}
	r := []rune(s)
	if len(r) < 8 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:3]) + strings.Repeat("*", len(r)-7) + string(r[len(r)-4:])
}

// landline splits a whole-string landline number, area code and hyphen
// first: 0371-62112345, or its masked form 0371-****2345.
func landline(s string) (area, local string, ok bool) {
	area, local, ok = strings.Cut(s, "-")
	if !ok || !areaCode(area) || len(local) < 7 || len(local) > 8 {
		return "", "", false
	}
	for i := 0; i < len(local); i++ {
		if !isDigit(local[i]) && local[i] != '*' {
			return "", "", false
		}
	}
	return area, local, true
}

// areaCode reports whether s is a mainland area code: 010 and 02x, or
// four digits 03xx to 09xx.
func areaCode(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	switch len(s) {
	case 3:
		return s[0] == '0' && (s[1] == '1' || s[1] == '2')
	case 4:
		return s[0] == '0' && s[1] >= '3'
	}
	return false
}

// Value masks one personal value whose kind is not known (a form field
// of type text marked personal, kept in the outbox): a phone number as
// [Phone], other number-like strings as [ID], up to four characters or a
// name in Latin letters as [Name], anything longer as [Address]. When the
// mask would read as another kind (a name starting with a digit), the
// value is all stars, so that masking it again changes nothing.
func Value(s string) string {
	k := valueKind(s)
	out := valueMasks[k](s)
	if valueKind(out) != k {
		return strings.Repeat("*", min(utf8.RuneCountInString(out), maxStars))
	}
	return out
}

// Kinds of value for [Value].
const (
	phoneValue = iota
	idValue
	nameValue
	addressValue
)

var valueMasks = [...]func(string) string{phoneValue: Phone, idValue: ID, nameValue: Name, addressValue: Address}

func valueKind(s string) int {
	if _, _, ok := landline(s); ok {
		return phoneValue
	}
	numeric := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(isDigit(c) || c == 'X' || c == 'x' || c == '-' || c == '+' || c == '*') {
			numeric = false
			break
		}
	}
	switch n := utf8.RuneCountInString(s); {
	case numeric && n == 11:
		return phoneValue
	case numeric:
		return idValue
	case n <= 4 || isLatinName(s):
		return nameValue
	default:
		return addressValue
	}
}

// isLatin reports whether s has no CJK character.
func isLatin(s string) bool {
	for _, r := range s {
		if r >= 0x2E80 {
			return false
		}
	}
	return true
}

// isLatinName reports whether s has neither CJK characters nor digits.
func isLatinName(s string) bool {
	for _, r := range s {
		if r >= 0x2E80 || r >= '0' && r <= '9' {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }
func isUpper(c byte) bool  { return c >= 'A' && c <= 'Z' }
