package outbox

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/henan-county/kiosk/kiosk/mask"
	"github.com/henan-county/kiosk/kiosk/txn"
)

func maskPerson(p *txn.Person) *txn.Person {
	if p == nil {
		return nil
	}
	return &txn.Person{CardType: p.CardType, Name: mask.Name(p.Name), IDNumber: mask.ID(p.IDNumber)}
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
				v = mask.Value(v)
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

// maskResult masks the personal values a result may repeat: those of the
// transaction itself, and anything shaped like an ID, permit or mobile
// number (mask.ResultText, which keeps hotlines and document numbers
// readable: the result is reprinted for the resident).
func maskResult(res txn.Result, secret secretPart) txn.Result {
	var pairs []string
	add := func(v string) {
		if utf8.RuneCountInString(v) >= 2 {
			pairs = append(pairs, v, mask.Value(v))
		}
	}
	if p := secret.Person; p != nil {
		if p.Name != "" {
			pairs = append(pairs, p.Name, mask.Name(p.Name))
		}
		if p.IDNumber != "" {
			pairs = append(pairs, p.IDNumber, mask.ID(p.IDNumber))
		}
	}
	for _, v := range secret.Fields {
		add(v)
	}
	r := strings.NewReplacer(pairs...)
	m := func(s string) string { return mask.ResultText(r.Replace(s)) }
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
