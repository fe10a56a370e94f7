package outbox

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// maskValue masks one personal value of unknown kind: digit strings as
// numbers (phones keep 3+4, others as ID numbers), short text as a name,
// longer text as an address.
func maskValue(s string) string {
	if s == "" {
		return ""
	}
	digits := true
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r == 'X' || r == 'x' || r == '-' || r == '+') {
			digits = false
			break
		}
	}
	switch {
	case digits && utf8.RuneCountInString(s) == 11:
		return identity.MaskPhone(s)
	case digits:
		return identity.MaskIDNumber(s)
	case utf8.RuneCountInString(s) <= 4 || isLatinName(s):
		return identity.MaskName(s)
	default:
		return identity.MaskAddress(s)
	}
}

func isLatinName(s string) bool {
	for _, r := range s {
		if r >= 0x2E80 || r >= '0' && r <= '9' {
			return false
		}
	}
	return true
}

func maskPerson(p *txn.Person) *txn.Person {
	if p == nil {
		return nil
	}
	return &txn.Person{CardType: p.CardType, Name: identity.MaskName(p.Name), IDNumber: identity.MaskIDNumber(p.IDNumber)}
}

// split separates tx into its public part (personal values masked, person
// masked) and its secret part (the person and the personal fields).
func split(tx txn.Transaction) (public txn.Transaction, secret secretPart) {
	public = tx
	public.Person = maskPerson(tx.Person)
	secret.Person = tx.Person
	if len(tx.Personal) > 0 {
		public.Fields = make(map[string]string, len(tx.Fields))
		for k, v := range tx.Fields {
			if slices.Contains(tx.Personal, k) {
				if secret.Fields == nil {
					secret.Fields = map[string]string{}
				}
				secret.Fields[k] = v
				v = maskValue(v)
			}
			public.Fields[k] = v
		}
	}
	return public, secret
}

// join restores the full transaction from its two parts.
func join(public txn.Transaction, secret secretPart) txn.Transaction {
	tx := public
	tx.Person = secret.Person
	if len(secret.Fields) > 0 {
		tx.Fields = make(map[string]string, len(public.Fields))
		for k, v := range public.Fields {
			tx.Fields[k] = v
		}
		for k, v := range secret.Fields {
			tx.Fields[k] = v
		}
	}
	return tx
}

var idNumberRE = regexp.MustCompile(`\b[0-9]{17}[0-9Xx]\b|\b1[3-9][0-9]{9}\b`)

// maskResult masks the personal values a result may repeat: those of the
// transaction itself and anything shaped like an ID or phone number.
func maskResult(res txn.Result, secret secretPart) txn.Result {
	var pairs []string
	add := func(v string) {
		if utf8.RuneCountInString(v) >= 2 {
			pairs = append(pairs, v, maskValue(v))
		}
	}
	if p := secret.Person; p != nil {
		if p.Name != "" {
			pairs = append(pairs, p.Name, identity.MaskName(p.Name))
		}
		if p.IDNumber != "" {
			pairs = append(pairs, p.IDNumber, identity.MaskIDNumber(p.IDNumber))
		}
	}
	for _, v := range secret.Fields {
		add(v)
	}
	r := strings.NewReplacer(pairs...)
	m := func(s string) string {
		s = r.Replace(s)
		return idNumberRE.ReplaceAllStringFunc(s, func(x string) string {
			if len(x) == 11 {
				return identity.MaskPhone(x)
			}
			return identity.MaskIDNumber(x)
		})
	}
	out := res
	out.Message = m(res.Message)
	if res.Lines != nil {
		out.Lines = make([]txn.ResultLine, len(res.Lines))
		for i, l := range res.Lines {
			out.Lines[i] = txn.ResultLine{Label: l.Label, Value: m(l.Value)}
		}
	}
	if res.Document != nil {
		out.Document = make([]string, len(res.Document))
		for i, l := range res.Document {
			out.Document[i] = m(l)
		}
	}
	return out
}
