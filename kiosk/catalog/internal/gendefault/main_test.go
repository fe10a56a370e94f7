package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

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
