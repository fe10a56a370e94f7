package fontfile

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
)

// scFace returns Noto Sans CJK SC (Regular or Bold) as a standalone font.
func scFace(t testing.TB, path string) []byte {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skip("fonts-noto-cjk not installed:", err)
	}
	fams, err := Families(data)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range fams {
		if strings.HasSuffix(f, " SC") {
			one, err := Extract(data, i)
			if err != nil {
				t.Fatal(err)
			}
			return one
		}
	}
	t.Fatalf("no SC face in %q", fams)
	return nil
}

func parse(t testing.TB, data []byte) *font.Face {
	ld, err := ot.NewLoader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	f, err := font.NewFont(ld)
	if err != nil {
		t.Fatal(err)
	}
	return font.NewFace(f)
}

func outline(f *font.Face, g font.GID) []font.Segment {
	d, ok := f.GlyphData(g).(font.GlyphOutline)
	if !ok {
		return nil
	}
	return d.Segments
}

func TestThinNoto(t *testing.T) {
	for _, path := range []string{noto, strings.Replace(noto, "Regular", "Bold", 1)} {
		full := scFace(t, path)
		text := "开始办理 社会保障卡 ABCxyz 0123456789，。！？（）《》帮助 長"
		ff := parse(t, full)
		keep := map[int]bool{}
		for _, r := range text {
			if g, ok := ff.NominalGlyph(r); ok && r != '長' {
				keep[int(g)] = true
			}
		}
		thin, err := Thin(full, func(g int) bool { return keep[g] })
		if err != nil {
			t.Fatal(err)
		}
		if len(thin) > len(full)/5 {
			t.Errorf("%s: thinned to %d bytes from %d", path, len(thin), len(full))
		}
		t.Logf("%s: %d → %d bytes", path, len(full), len(thin))
		tf := parse(t, thin)
		if tf.Upem() != ff.Upem() {
			t.Fatalf("upem %d, want %d", tf.Upem(), ff.Upem())
		}
		for _, r := range text {
			g, _ := ff.NominalGlyph(r)
			g2, _ := tf.NominalGlyph(r)
			if g != g2 {
				t.Fatalf("%q: glyph %d, want %d", r, g2, g)
			}
			if tf.HorizontalAdvance(g) != ff.HorizontalAdvance(g) {
				t.Errorf("%q: advance differs", r)
			}
			a, b := outline(ff, g), outline(tf, g)
			if r == ' ' {
				continue
			}
			if r == '長' { // not kept: empty
				if len(b) != 0 || len(a) == 0 {
					t.Errorf("%q: %d segments kept (full %d)", r, len(b), len(a))
				}
				continue
			}
			if len(a) == 0 || len(a) != len(b) {
				t.Fatalf("%q: %d segments, want %d", r, len(b), len(a))
			}
			for i := range a {
				if a[i] != b[i] {
					t.Fatalf("%q: segment %d differs", r, i)
				}
			}
		}
	}
}

func TestThinRejects(t *testing.T) {
	keepAll := func(int) bool { return true }
	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrFormat},
		{"collection", []byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x00"), ErrFormat},
		{"no CFF", []byte("\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"), ErrNoCFF},
	} {
		if _, err := Thin(tc.data, keepAll); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
}

// FuzzThin: malformed fonts give an error, never a panic.
func FuzzThin(f *testing.F) {
	f.Add([]byte("OTTO\x00\x01\x00\x00\x00\x00\x00\x00CFF \x00\x00\x00\x00\x00\x00\x00\x1c\x00\x00\x00\x08\x01\x00\x04\x01\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := Thin(data, func(g int) bool { return g%2 == 0 })
		if err == nil && len(out) == 0 {
			t.Fatal("no error and no font")
		}
	})
}
