package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/session"
)

// The checked-in default.json is what the tables generate: run
// `go generate ./kiosk/catalog` after changing them.
func TestDefaultJSONUpToDate(t *testing.T) {
	c, err := build()
	if err != nil {
		t.Fatal(err)
	}
	got, err := encode(c)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../default.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Fatal("kiosk/catalog/default.json is stale: run go generate ./kiosk/catalog")
	}
}

// jargon are words residents stumble on, with what the catalog says
// instead: office words (即办, 办结时限, 帮办代办, 本机需要) and the second
// names of one thing (感应区 for 读卡区, 回执 for 凭条 — except the photo
// studio's 照片回执, which is what that paper is called).
var jargon = []string{"即办", "办结时限", "办结", "帮办代办", "本机需要", "感应区", "回执"}

// TestWordsForResidents: everything a resident reads from the catalog —
// names, descriptions, materials, form labels and hints, choices, receipt
// titles, lines and notes, halls — is plain Chinese: no English word, no
// internal id, no office jargon.
func TestWordsForResidents(t *testing.T) {
	c, err := build()
	if err != nil {
		t.Fatal(err)
	}
	check := func(where, s string) {
		t.Helper()
		if w := session.LatinWords(s); len(w) > 0 {
			t.Errorf("%s: %q has %q", where, s, w)
		}
		plain := strings.NewReplacer("照片回执", "", "相片采集回执", "", "证件照回执", "").Replace(s)
		for _, j := range jargon {
			if strings.Contains(plain, j) {
				t.Errorf("%s: %q says %s", where, s, j)
			}
		}
	}
	for _, h := range c.Halls {
		check("hall "+h.ID, h.Name)
		check("hall "+h.ID, h.Address)
	}
	for _, cat := range c.Categories {
		check("category "+cat.ID, cat.Name)
	}
	for _, s := range c.Services {
		for _, v := range append([]string{s.Name, s.ShortName, s.Department, s.Description, s.FeeNote, s.StatusMessage,
			s.Receipt.Title, s.Receipt.Note}, s.Materials...) {
			check(s.ID, v)
		}
		for _, f := range s.Form {
			check(s.ID+"."+f.ID, f.Label)
			check(s.ID+"."+f.ID, f.Hint)
			for _, ch := range f.Choices {
				check(s.ID+"."+f.ID, ch.Label)
			}
		}
		for _, l := range s.Receipt.Lines {
			check(s.ID+" receipt", l.Label)
		}
	}
}

func built(t *testing.T) *catalog.Catalog {
	t.Helper()
	c, err := build()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func find(t *testing.T, c *catalog.Catalog, id string) *catalog.Service {
	t.Helper()
	s := c.Service(id)
	if s == nil {
		t.Fatalf("no matter %s", id)
	}
	return s
}

func asks(s *catalog.Service, word string) bool {
	for _, m := range s.Materials {
		if strings.Contains(m, word) {
			return true
		}
	}
	return false
}

// Materials are the matter's own: no one is asked for the card or licence
// the matter is about when they have none or lost it, nor for what the
// matter has nothing to do with, nor for anything twice.
func TestMaterialsPerMatter(t *testing.T) {
	c := built(t)
	never := []struct {
		ids  []string
		word string
	}{
		{[]string{"sb-sbk-sl", "sb-sbk-bh", "sb-sbk-gs"}, "社会保障卡"},
		{[]string{"jg-jsz-bl", "jg-ks-yy", "jg-xc-yy", "jg-ls-hp", "jg-zcdj"}, "驾驶证"},
		{[]string{"jg-xsz-bl", "jg-ks-yy", "jg-xc-yy", "jg-ls-hp", "jg-zcdj", "jg-jsz-bl"}, "行驶证"},
		{[]string{"jy-jszg", "jy-khfw"}, "房产证明"},
		{[]string{"jy-jszg", "jy-khfw"}, "居住证"},
		{[]string{"ny-nj", "ny-fy"}, "土地承包经营权证"},
	}
	for _, n := range never {
		for _, id := range n.ids {
			if s := find(t, c, id); asks(s, n.word) {
				t.Errorf("%s %s asks for %s: %v", id, s.Name, n.word, s.Materials)
			}
		}
	}
	for i := range c.Services {
		s := &c.Services[i]
		seen, cards := map[string]bool{}, 0
		for _, m := range s.Materials {
			if seen[m] {
				t.Errorf("%s lists %q twice", s.ID, m)
			}
			seen[m] = true
			if strings.Contains(m, "身份证") && !strings.Contains(m, "监护人") {
				cards++
			}
		}
		if cards > 1 {
			t.Errorf("%s asks for the ID card %d times: %v", s.ID, cards, s.Materials)
		}
	}
}

// Fees follow the national schedule: 补领 (lost or damaged) ¥40, 换领 on
// expiry ¥20, and the fee note says which.
func TestFees(t *testing.T) {
	c := built(t)
	tests := []struct {
		id   string
		fen  int64
		note string
	}{
		{"hz-sfz-bl", 4000, "40元"},
		{"hz-sfz-hl", 2000, "有效期满"},
		{"hz-lssfz", 1000, ""},
		{"jg-jsz-bl", 1000, ""},
		{"jg-jsz-hz", 1000, ""},
		{"jg-xsz-bl", 1000, ""},
		{"crj-ga-qz", 1500, ""},
		{"crj-tw-qz", 1500, ""},
	}
	for _, tt := range tests {
		s := find(t, c, tt.id)
		if s.FeeFen != tt.fen || !strings.Contains(s.FeeNote, tt.note) {
			t.Errorf("%s: %d fen, %q; want %d, …%s…", tt.id, s.FeeFen, s.FeeNote, tt.fen, tt.note)
		}
	}
	if s := find(t, c, "hz-sfz-bl"); !strings.Contains(s.FeeNote, "丢失") || !strings.Contains(s.FeeNote, "损坏") {
		t.Errorf("补领's note does not say lost or damaged: %q", s.FeeNote)
	}
}

func TestDepartmentsAndRules(t *testing.T) {
	c := built(t)
	if d := find(t, c, "rs-zc-sq").Department; d != "中牟县劳动人事争议仲裁院" {
		t.Errorf("劳动仲裁: %s", d)
	}
	for _, id := range []string{"ny-zjd", "ny-jfsp"} {
		if d := find(t, c, id).Department; !strings.Contains(d, "乡（镇）人民政府") {
			t.Errorf("%s approved by %s, not the township", id, d)
		}
	}
	for i := range c.Services {
		s := &c.Services[i]
		for _, text := range []string{s.Name, s.ShortName, s.Description} {
			if strings.Contains(text, "六年免检") {
				t.Errorf("%s still says 六年免检: %q", s.ID, text)
			}
		}
	}
	mj := find(t, c, "jg-mj-sl")
	if !strings.Contains(mj.Description, "10年内") || !strings.Contains(mj.Description, "第6年、第10年") {
		t.Errorf("免检: %q", mj.Description)
	}
}

// The hotline and the team's name are written once, at the top; the
// other levels, places and home visits are there.
func TestCountyLevels(t *testing.T) {
	c := built(t)
	if c.Hotline != "0371-62112345" || c.AssistName != "小牟帮办" {
		t.Fatalf("hotline %q, assist %q", c.Hotline, c.AssistName)
	}
	raw, err := os.ReadFile("../../default.json")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(raw), c.Hotline); n != 1 {
		t.Errorf("the hotline is written %d times", n)
	}
	if n := strings.Count(string(raw), c.AssistName); n != 1 {
		t.Errorf("%s is written %d times", c.AssistName, n)
	}
	if bytes.Contains(bytes.ToLower(raw), []byte("zhongmou")) {
		t.Error("中牟 is zhōngmù: default.json spells zhongmou")
	}
	levels := map[string]int{}
	home := map[string]bool{}
	cats := map[string]bool{}
	for i := range c.Services {
		s := &c.Services[i]
		if !s.AtKiosk() {
			cats[s.Category] = true
			for _, w := range s.Where {
				levels[w]++
			}
		}
		if s.HomeVisit {
			home[s.ID] = true
		}
	}
	if n := len(c.Services) - Total; n < 30 || n > 40 {
		t.Errorf("%d matters not at the kiosk, want about 30–40", n)
	}
	if len(cats) < 15 {
		t.Errorf("matters not at the kiosk in only %d categories", len(cats))
	}
	for _, w := range []string{catalog.WhereTownship, catalog.WhereVillage, catalog.WhereCounty, catalog.WhereOnline, catalog.WhereApp} {
		if levels[w] == 0 {
			t.Errorf("no matter off the kiosk at %s", w)
		}
	}
	for _, id := range []string{"sb-cx-rz", "sb-qy-rz", "cl-kn-bt", "cl-hl-bt", "mz-gl", "sb-sbk-sl"} {
		if !home[id] {
			t.Errorf("%s: no home visit", id)
		}
	}
	for _, id := range []string{"hz-hjzm", "jg-wf-cx", "sc-yyzz-print"} {
		if home[id] {
			t.Errorf("%s: a home visit", id)
		}
	}
	// A kiosk matter usually is at the township centre or the county's
	// windows, and online, too.
	elsewhere := 0
	for i := range c.Services {
		s := &c.Services[i]
		if s.AtKiosk() && len(s.Where) > 1 {
			elsewhere++
		}
	}
	if elsewhere != Total {
		t.Errorf("%d of %d kiosk matters say where else they are done", elsewhere, Total)
	}
	icons := map[string]string{}
	for _, cat := range c.Categories {
		if other, ok := icons[cat.Icon]; ok {
			t.Errorf("categories %s and %s share icon %s", other, cat.ID, cat.Icon)
		}
		icons[cat.Icon] = cat.ID
	}
}
