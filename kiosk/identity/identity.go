// Package identity holds the data read from a resident's identity card and
// the rules for handling it: its masked copy for screens, logs and
// receipts (the masking rules themselves are in kiosk/mask), the GB 11643
// check digit, and wiping it from memory when a session ends.
//
// A *Card lives only inside the resident's session. Everything that leaves
// the session (logs, metrics, receipts kept for reprints) uses the masked
// copy produced by Masked.
package identity

import (
	"time"

	"github.com/henan-county/kiosk/kiosk/mask"
)

// CardType tells which of the four text-block layouts a card uses.
type CardType string

const (
	ResidentID      CardType = "resident"        // 居民身份证
	ResidencePermit CardType = "hmt_permit"      // 港澳台居民居住证 (J)
	ForeignPROld    CardType = "foreign_pr"      // 外国人永久居留身份证, old layout (I)
	ForeignPR2023   CardType = "foreign_pr_2023" // 外国人永久居留身份证, 2023 layout (Y)
)

// Card is one card as read from the reader. Fields that a layout does not
// carry are left empty.
type Card struct {
	Type          CardType
	Name          string // Chinese name (for I cards the Chinese name field)
	EnglishName   string // I and Y cards
	Sex           string // "男" or "女"
	SexCode       string // "1" or "2"
	NationCode    string // resident cards: GB 3304 code
	Nation        string // resident cards: nation name
	Nationality   string // I and Y cards: ISO 3166 alpha-3
	Birth         time.Time
	Address       string
	IDNumber      string
	IDNumberValid bool // check digit verified (always false for I-card PR numbers that fail their own rule)
	Issuer        string
	ValidFrom     time.Time
	ValidTo       time.Time // zero when LongTerm
	LongTerm      bool      // 长期
	PassNumber    string    // J cards: 通行证号码
	IssueCount    string    // J cards: 签发次数
	RenewalCount  string    // Y cards: 换证次数
	CardVersion   string    // I cards
	AuthorityCode string    // I cards
	Photo         []byte    // WLT, opaque
	Fingerprint   []byte    // opaque, when read
}

// Wipe overwrites every field of c so nothing personal remains reachable
// through it. Byte slices are zeroed in place before being dropped.
func (c *Card) Wipe() {
	if c == nil {
		return
	}
	clear(c.Photo)
	clear(c.Fingerprint)
	*c = Card{}
}

// Masked returns a copy safe to show on a screen, print on a receipt or
// write to a log: names, numbers and address masked, photo dropped.
func (c *Card) Masked() Card {
	if c == nil {
		return Card{}
	}
	return Card{
		Type:          c.Type,
		Name:          mask.Name(c.Name),
		EnglishName:   mask.Name(c.EnglishName),
		Sex:           c.Sex,
		SexCode:       c.SexCode,
		NationCode:    c.NationCode,
		Nation:        c.Nation,
		Nationality:   c.Nationality,
		Address:       mask.Address(c.Address),
		IDNumber:      mask.ID(c.IDNumber),
		IDNumberValid: c.IDNumberValid,
		Issuer:        c.Issuer,
		ValidFrom:     c.ValidFrom,
		ValidTo:       c.ValidTo,
		LongTerm:      c.LongTerm,
		PassNumber:    mask.ID(c.PassNumber),
		IssueCount:    c.IssueCount,
		RenewalCount:  c.RenewalCount,
		CardVersion:   c.CardVersion,
		AuthorityCode: c.AuthorityCode,
	}
}

// checkWeights are the GB 11643 (ISO 7064 MOD 11-2) weights.
var checkWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// CheckDigit returns the check character for the first 17 digits of an ID
// number, or 0 when they are not 17 decimal digits.
func CheckDigit(first17 string) byte {
	if len(first17) != 17 {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0
		}
		sum += int(c-'0') * checkWeights[i]
	}
	return "10X98765432"[sum%11]
}

// ValidIDNumber reports whether s is an 18-character number whose last
// character is the right check character (upper-case X only).
func ValidIDNumber(s string) bool {
	if len(s) != 18 {
		return false
	}
	c := CheckDigit(s[:17])
	return c != 0 && s[17] == c
}
