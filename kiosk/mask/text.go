package mask

import "strings"

// Text masks every personal number in free text meant for logs, events,
// error messages and the technician's screen: ID and permit numbers,
// mobile and landline numbers, and any run of 15 or more digits. See the
// package documentation for the shapes. Text is the last line of defence
// in the log handler; callers still mask what they know to be personal.
func Text(s string) string { return scan(s, true) }

// ResultText masks the personal numbers in a backend's answer kept for
// reprints: ID and permit numbers and mobile numbers, as [Text] does, but
// not landline numbers (the departments' hotlines a resident needs to
// read) nor digit runs that are not ID-shaped (document and accept
// numbers). A 15-digit run is masked only when it reads as an old ID
// number (province code, month and day).
func ResultText(s string) string { return scan(s, false) }

// minDigits is the fewest digits any shape has (a travel permit).
const minDigits = 8

// scan masks the shapes of the package documentation in s; all adds the
// shapes only [Text] masks.
func scan(s string, all bool) string {
	digits := 0
	for i := 0; i < len(s) && digits < minDigits; i++ {
		if isDigit(s[i]) {
			digits++
		}
	}
	if digits < minDigits {
		return s
	}
	var b []byte // nil until something is masked
	last := 0    // s[:last] is in b
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		j := runEnd(s, i)
		end, masked := match(s, i, j, all)
		if end == 0 {
			i = j
			continue
		}
		if b == nil {
			b = make([]byte, 0, len(s))
		}
		b = append(b, s[last:i]...)
		b = append(b, masked...)
		last, i = end, end
	}
	if b == nil {
		return s
	}
	return string(append(b, s[last:]...))
}

// runEnd returns the end of the run of ASCII digits starting at i.
func runEnd(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// match decides whether the maximal digit run s[i:j] (with what stands
// around it) is a personal number. It returns where the number ends and
// its mask, or 0 when the run is left alone. Masks keep the letters
// before a run as they are and replace digits only by stars, so masking a
// mask finds nothing more: every digit run a mask leaves is shorter than
// any shape below, and the context rules read no digits.
func match(s string, i, j int, all bool) (int, string) {
	run := s[i:j]
	n := len(run)
	switch {
	case n == 17 && j < len(s) && (s[j] == 'X' || s[j] == 'x'):
		return j + 1, ID(s[i : j+1]) // ID number with check character X
	case n == 18:
		return j, ID(run) // ID number, 2023 PR ID, HK/Macau/Taiwan residence permit
	case n == 15 && (all || oldID(run)):
		return j, ID(run) // first-generation ID number
	case n >= 15 && all:
		return j, ID(run) // bank card, or an ID number run together with other digits
	case n == 13 && run[:2] == "86" && mobile(run[2:]):
		return j, "86" + Phone(run[2:])
	case n == 12 && i >= 3 && isUpper(s[i-3]) && isUpper(s[i-2]) && isUpper(s[i-1]):
		return j, run[:3] + "*****" + run[8:] // old PR ID: USA330*****0001
	case n == 11 && mobile(run):
		return j, Phone(run)
	case n == 3 && mobile(run+"00000000"):
		if end, ok := splitMobile(s, j); ok {
			return end, run + s[j:j+1] + "****" + s[end-5:end]
		}
	case all && (n == 3 || n == 4) && areaCode(run):
		if end, ok := landlineAt(s, i, j); ok {
			local := s[j+1 : end]
			return end, run + "-" + strings.Repeat("*", len(local)-4) + local[len(local)-4:]
		}
	case (n == 8 || n == 10) && i >= 1 && (s[i-1] == 'H' || s[i-1] == 'M') && (i < 2 || !isLetter(s[i-2])):
		return j, run[:1] + strings.Repeat("*", n-3) + run[n-2:] // HK/Macau travel permit: H1*****78
	case (n == 8 || n == 10) && taiwanPermitContext(s[:i]):
		return j, ID(run) // Taiwan travel permit
	}
	return 0, ""
}

// mobile reports whether s is a mainland mobile number.
func mobile(s string) bool {
	return len(s) == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9'
}

// splitMobile matches the rest of a mobile number written 138-1234-5678
// or 138 1234 5678, whose first three digits end at j.
func splitMobile(s string, j int) (int, bool) {
	if j+10 > len(s) || (s[j] != '-' && s[j] != ' ') || s[j+5] != s[j] {
		return 0, false
	}
	if runEnd(s, j+1) != j+5 || runEnd(s, j+6) != j+10 {
		return 0, false
	}
	return j + 10, true
}

// landlineAt matches a landline number whose area code is s[i:j]: a
// hyphen and seven or eight digits, the first not 0 or 1. An area code
// right after a letter, digit, hyphen or star is part of something else
// (or of a mask).
func landlineAt(s string, i, j int) (int, bool) {
	if i > 0 {
		if c := s[i-1]; isLetter(c) || c == '-' || c == '*' || c == '_' {
			return 0, false
		}
	}
	if j+1 >= len(s) || s[j] != '-' || s[j+1] < '2' || s[j+1] > '9' {
		return 0, false
	}
	end := runEnd(s, j+1)
	if n := end - j - 1; n != 7 && n != 8 {
		return 0, false
	}
	return end, true
}

// taiwanPermitContext reports whether before (the text up to a number)
// ends by naming a travel permit: 台胞证, 台湾居民来往大陆通行证号码：.
func taiwanPermitContext(before string) bool {
	const seps = " \t:：=#"
	t := strings.TrimRight(before, seps)
	if u, ok := strings.CutSuffix(t, "号码"); ok {
		t = strings.TrimRight(u, seps)
	} else if u, ok := strings.CutSuffix(t, "号"); ok {
		t = strings.TrimRight(u, seps)
	}
	return strings.HasSuffix(t, "台胞证") || strings.HasSuffix(t, "通行证")
}

// provinces are the first two digits of a mainland ID number.
var provinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true, "83": true,
}

// oldID reports whether a 15-digit run reads as a first-generation ID
// number: province, county, YYMMDD, sequence.
func oldID(s string) bool {
	if !provinces[s[:2]] {
		return false
	}
	month := int(s[8]-'0')*10 + int(s[9]-'0')
	day := int(s[10]-'0')*10 + int(s[11]-'0')
	return month >= 1 && month <= 12 && day >= 1 && day <= 31
}
