package catalog

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	def := string(DefaultJSON())
	first := strings.Index(def, `"name":"居民身份证办理进度查询"`)
	if first < 0 {
		t.Fatal("fixture: first service not found")
	}
	replaceOnce := func(old, new string) string {
		if !strings.Contains(def, old) {
			t.Fatalf("fixture: %q not found", old)
		}
		return strings.Replace(def, old, new, 1)
	}
	tests := []struct {
		name       string
		data       string
		wantPath   string
		wantReason string
	}{
		{"not json", "hello", "$", "invalid JSON"},
		{"truncated", def[:len(def)/2], "$.services[", "invalid JSON"},
		{"array top", "[]", "$", "want an object"},
		{"unknown field", replaceOnce(`"card_field":"name"`, `"card_feild":"name"`), "$.services[0].form[0].card_feild", "unknown field"},
		{"duplicate key", replaceOnce(`"name":"居民身份证办理进度查询"`, `"name":"居民身份证办理进度查询","name":"x"`), "$.services[0].name", "duplicate key"},
		{"wrong type", replaceOnce(`"fee_fen":0`, `"fee_fen":"0"`), "$.services[0].fee_fen", "want an integer"},
		{"fraction", replaceOnce(`"fee_fen":0`, `"fee_fen":1.5`), "$.services[0].fee_fen", "want an integer"},
		{"bool as string", replaceOnce(`"needs_id_card":true`, `"needs_id_card":"yes"`), "$.services[0].needs_id_card", "want true or false"},
		{"bad time", replaceOnce(`"issued_at":"2026-11-20T00:00:00+08:00"`, `"issued_at":"2026-11-20"`), "$.issued_at", "RFC 3339"},
		{"null string", replaceOnce(`"county":"中牟县"`, `"county":null`), "$.county", "want a string"},
		{"null array", replaceOnce(`"materials":["本人居民身份证"]`, `"materials":null`), "$.services[0].materials", "want an array"},
		{"null time", replaceOnce(`"issued_at":"2026-11-20T00:00:00+08:00"`, `"issued_at":"2026-11-20T00:00:00+08:00","effective_at":null`), "$.effective_at", "RFC 3339"},
		{"escaped strings decode", replaceOnce(`"county":"中牟县"`, `"county":"\u4e2d\u725f\ud800"`), "$.county", "surrogate"},
		{"trailing data", def + "{}", "$", "data after"},
		{"deep nesting", `{"halls":` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `}`, "$.halls[0]", "want an object"},
		{"object in unknown place", `{"x":` + strings.Repeat(`{"a":`, 3000) + "1" + strings.Repeat("}", 3000) + `}`, "$.x", "unknown field"},
		{"invalid utf-8 in a name", replaceOnce(`"name":"居民身份证办理进度查询"`, "\"name\":\"居民\xff\xfe身份证\""), "$.services[0].name", "invalid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.data))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a *ParseError", err)
			}
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("not ErrMalformed: %v", err)
			}
			if !strings.HasPrefix(pe.Path, tt.wantPath) || !strings.Contains(pe.Reason, tt.wantReason) {
				t.Fatalf("got %s: %s, want %s: …%s…", pe.Path, pe.Reason, tt.wantPath, tt.wantReason)
			}
		})
	}
}

func TestParseSizeCap(t *testing.T) {
	big := bytes.Repeat([]byte(" "), DefaultMaxSize+1)
	if _, err := Parse(big); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Parse: %v", err)
	}
	// ParseReader stops reading after the cap: an endless reader returns.
	if _, err := ParseReader(endless{}, 1<<20); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("ParseReader: %v", err)
	}
	c, err := ParseReader(bytes.NewReader(DefaultJSON()), DefaultMaxSize)
	if err != nil || kioskMatters(c) != 416 {
		t.Fatalf("ParseReader of the built-in list: %v", err)
	}
	if !bytes.Equal(c.Raw(), DefaultJSON()) {
		t.Fatal("Raw is not the exact input")
	}
}

type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

func TestValidateProblems(t *testing.T) {
	tests := []struct {
		name     string
		change   func(c *Catalog)
		wantPath string
		want     string
	}{
		{"duplicate id", func(c *Catalog) { c.Services[12].ID = c.Services[3].ID }, "$.services[12].id", "duplicate id"},
		{"bad id", func(c *Catalog) { c.Services[2].ID = "Bad Id" }, "$.services[2].id", "lower-case"},
		{"unknown category", func(c *Catalog) { c.Services[5].Category = "zz" }, "$.services[5].category", "unknown category"},
		{"pattern does not compile", func(c *Catalog) {
			c.Services[12].Form = append(c.Services[12].Form, Field{ID: "x", Label: "x", Type: FieldText, Pattern: "[a-"})
		}, "$.services[12].form[", "does not compile"},
		{"choice without choices", func(c *Catalog) {
			c.Services[7].Form = append(c.Services[7].Form, Field{ID: "c", Label: "c", Type: FieldChoice})
		}, "$.services[7].form[", "needs choices"},
		{"receipt names a missing field", func(c *Catalog) {
			c.Services[1].Receipt.Lines = append(c.Services[1].Receipt.Lines, ReceiptLine{Label: "x", Field: "nothing", Mask: "none"})
		}, "$.services[1].receipt.lines[", "names no form field"},
		{"receipt unknown card field", func(c *Catalog) {
			c.Services[1].Receipt.Lines[0].Field = "card.shoe_size"
		}, "$.services[1].receipt.lines[0].field", "unknown card field"},
		{"unknown mask", func(c *Catalog) { c.Services[1].Receipt.Lines[0].Mask = "blur" }, "$.services[1].receipt.lines[0].mask", "unknown mask"},
		{"bad time", func(c *Catalog) {
			c.Services[0].Hours = Hours{Windows: []Window{{Days: []int{1}, From: "8:30", To: "17:00"}}}
		}, "$.services[0].hours.windows[0].from", "HH:MM"},
		{"bad day", func(c *Catalog) {
			c.Services[0].Hours = Hours{Windows: []Window{{Days: []int{0, 8}, From: "08:30", To: "17:00"}}}
		}, "$.services[0].hours.windows[0].days[0]", "day 0"},
		{"no hotline", func(c *Catalog) { c.Hotline = "" }, "$.hotline", "required"},
		{"unknown kind", func(c *Catalog) { c.Services[9].Kind = "dance" }, "$.services[9].kind", "unknown kind"},
		{"unknown offline", func(c *Catalog) { c.Services[9].Offline = "maybe" }, "$.services[9].offline", "unknown offline"},
		{"expires before issued", func(c *Catalog) { c.ExpiresAt = c.IssuedAt.Add(-1) }, "$.expires_at", "after issued_at"},
		{"schema version", func(c *Catalog) { c.SchemaVersion = 99 }, "$.schema_version", "unknown schema"},
		{"unknown icon", func(c *Catalog) { c.Categories[0].Icon = "rocket" }, "$.categories[0].icon", "unknown icon"},
		{"suspended without message", func(c *Catalog) { c.Services[4].Status = StatusSuspended; c.Services[4].StatusMessage = "" }, "$.services[4].status_message", "needs a message"},
		{"track url", func(c *Catalog) { c.TrackURL = "http://x/{tracking}" }, "$.track_url", "https"},
		{"huge name", func(c *Catalog) { c.Services[3].Name = strings.Repeat("长", 100000) }, "$.services[3].name", "longer than"},
		{"unknown card field", func(c *Catalog) { c.Services[3].Form[0].CardField = "photo" }, "$.services[3].form[0].card_field", "unknown card field"},
		{"nearby unknown hall", func(c *Catalog) { c.Halls[0].Nearby[0].ID = "nowhere" }, "$.halls[0].nearby[0].id", "unknown hall"},
		{"nearby itself", func(c *Catalog) { c.Halls[1].Nearby[0].ID = c.Halls[1].ID }, "$.halls[1].nearby[0].id", "not near itself"},
		{"nearby twice", func(c *Catalog) { c.Halls[2].Nearby[1] = c.Halls[2].Nearby[0] }, "$.halls[2].nearby[1].id", "twice"},
		{"identity code without the card", func(c *Catalog) { c.Services[4].NeedsIDCard = false; c.Services[4].IdentityCode = true }, "$.services[4].identity_code", "needs the ID card"},
		{"face check without the card", func(c *Catalog) { c.Services[4].NeedsIDCard = false; c.Services[4].FaceCheck = true }, "$.services[4].face_check", "must need the card"},
		{"face check with an identity code", func(c *Catalog) {
			c.Services[4].NeedsIDCard, c.Services[4].FaceCheck, c.Services[4].IdentityCode = true, true, true
		}, "$.services[4].face_check", "cannot take an electronic ID code"},
		{"nearby distance", func(c *Catalog) { c.Halls[0].Nearby[0].Meters = -1 }, "$.halls[0].nearby[0].meters", "between"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustDefault(t)
			tt.change(c)
			probs := Validate(c)
			for _, p := range probs {
				if strings.HasPrefix(p.Path, tt.wantPath) && strings.Contains(p.Reason, tt.want) {
					return
				}
			}
			t.Fatalf("no problem %s: …%s…; got %v", tt.wantPath, tt.want, probs)
		})
	}
}

func FuzzParseValidate(f *testing.F) {
	f.Add(DefaultJSON())
	small := mustDefault(f)
	small.Halls, small.Categories = small.Halls[:1], small.Categories[:1]
	small.Services = []Service{*small.Service("hz-sfz-bl")}
	sb, _ := json.Marshal(small)
	f.Add(sb)
	f.Add([]byte(`{"schema_version":1,"version":1,"services":[{"id":"a","form":[{"id":"x","pattern":"(a"}]}]}`))
	f.Add([]byte(`{"halls":[[[[[]]]]]}`))
	f.Add([]byte("{\"county\":\"\xff\"}"))
	f.Add([]byte(`{"version":1,"version":2}`))
	f.Add([]byte(`{"version":1,"rollout":{"halls":["zwzx","cgz"]},"halls":[{"id":"zwzx"}]}`))
	f.Add([]byte(`{"rollout":{"all":true,"halls":[]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error without a sentinel: %v", err)
			}
			return
		}
		// Whatever the strict decoder accepts, encoding/json reads the same
		// (a version 1 list upgraded the same way).
		var std Catalog
		if err := json.Unmarshal(data, &std); err != nil {
			t.Fatalf("accepted, but encoding/json says %v", err)
		}
		upgrade(&std)
		a, _ := json.Marshal(c)
		b, _ := json.Marshal(&std)
		if !bytes.Equal(a, b) {
			t.Fatalf("decoded differently from encoding/json:\n%s\n%s", a, b)
		}
		probs := Validate(c)
		for _, p := range probs {
			if !strings.HasPrefix(p.Path, "$") || p.Reason == "" {
				t.Fatalf("bad problem %+v", p)
			}
		}
		if len(probs) == 0 {
			ix := NewIndex(c)
			ix.Search("sb", 5)
			for i := range c.Services {
				c.Services[i].OpenAt(testNow)
			}
		}
	})
}

func TestParseEscapes(t *testing.T) {
	data := strings.Replace(string(DefaultJSON()), `"county":"中牟县"`, `"county":"\u4e2d\u725f\u53bf \"\\\/\t\ud83d\ude00"`, 1)
	c, err := Parse([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if c.County != "中牟县 \"\\/\t😀" {
		t.Fatalf("county %q", c.County)
	}
}
