package ui

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"github.com/henan-county/kiosk/ui/layout"
	"github.com/henan-county/kiosk/ui/scenes"
)

// inked counts the non-transparent pixels of s drawn with face.
func inked(face *text.GoTextFace, s string) int {
	img := ebiten.NewImage(200, 100)
	defer img.Deallocate()
	text.Draw(img, s, face, &text.DrawOptions{})
	px := make([]byte, 4*200*100)
	img.ReadPixels(px)
	n := 0
	for i := 3; i < len(px); i += 4 {
		if px[i] != 0 {
			n++
		}
	}
	return n
}

func TestThinFacesAndRareCharacters(t *testing.T) {
	f, err := loadFonts("", "")
	if err != nil {
		t.Skip("no CJK font:", err)
	}
	if f.covered == nil {
		t.Skip("the installed CJK font has no CFF outlines to thin")
	}
	for _, tc := range []struct {
		s       string
		covered bool
	}{
		{"开始办理 社保缴费记录打印 0371-62112345", true},
		{"ABC xyz 123 ，。！？（）《》：；", true},
		{"张堃", false}, // 堃 is in many names but not in GB 2312
		{"長", false},
	} {
		if got := f.covers(tc.s); got != tc.covered {
			t.Errorf("covers(%q) = %v, want %v", tc.s, got, tc.covered)
		}
		for _, bold := range []bool{false, true} {
			if n := inked(f.drawFace(tc.s, 40, bold), tc.s); n < 50 {
				t.Errorf("%q (bold %v) drew %d pixels", tc.s, bold, n)
			}
			// Measuring never needs the whole face: the thinned face has
			// the same advances.
			thin := text.Advance(tc.s, f.face(40, bold))
			whole := text.Advance(tc.s, f.drawFace(tc.s, 40, bold))
			if thin != whole {
				t.Errorf("%q: advance %v thinned, %v whole", tc.s, thin, whole)
			}
		}
	}
	// The thinned face has no outline for 堃: that is why the whole one is used.
	if n := inked(f.face(40, false), "堃"); n != 0 {
		t.Errorf("thinned face drew 堃 with %d pixels", n)
	}
	if f.fullLoads != 2 {
		t.Errorf("whole faces loaded %d times, want 2 (regular and bold, once)", f.fullLoads)
	}
	if f.trim(time.Now()) {
		t.Error("whole faces dropped while in use")
	}
	if !f.trim(time.Now().Add(fullFaceIdle + time.Second)) {
		t.Error("whole faces kept after being idle")
	}
	if f.full[0] != nil || f.full[1] != nil {
		t.Error("whole faces still held")
	}
}

func TestCoveredRunes(t *testing.T) {
	c := coveredRunes()
	if len(c) < 9000 || len(c) > 10000 { // GB 2312 (7,445) and the symbol blocks
		t.Errorf("%d characters covered", len(c))
	}
	for _, r := range "中牟县郑州河南啊齄0aZ￥·—“”…、" {
		if !c[r] {
			t.Errorf("%q not covered", r)
		}
	}
}

// TestScenesCovered: every text of every screen is drawn with the thinned
// faces (a missing character would load the whole face on that screen).
func TestScenesCovered(t *testing.T) {
	f, err := loadFonts("", "")
	if err != nil || f.covered == nil {
		t.Skip("no thinned CJK font")
	}
	for _, elder := range []bool{false, true} {
		for _, sc := range scenes.All(elder) {
			scr := layout.Build(&sc.View, layout.Portrait, f, nil)
			for _, w := range scr.Widgets {
				for _, l := range append(append([]string(nil), w.Lines...), w.Sub...) {
					if !f.covers(l) {
						t.Errorf("%s: %q has a character outside the thinned faces", sc.Name, l)
					}
				}
			}
		}
	}
}

// Ligatures and other substitutions must not reach glyphs the thinning
// emptied: "field" and "office" keep every letter.
func TestThinnedFaceDrawsLigatures(t *testing.T) {
	f, err := loadFonts("", "")
	if err != nil || f.covered == nil {
		t.Skip("no thinnable CJK font")
	}
	whole, _, err := loadSource(f.paths[0], nil, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"field", "office", "flow", "affix", "Remedy: refill paper", "「打印」——完成。"} {
		thin := inked(f.face(40, false), s)
		full := inked(&text.GoTextFace{Source: whole, Size: 40, Language: langZH}, s)
		if thin < full*9/10 {
			t.Errorf("%q: thinned face inks %d pixels, the whole face %d: glyphs are missing", s, thin, full)
		}
	}
}

// TestThinFaceCache: the first start keeps the thinned faces in the cache
// directory, the next reads them back (the same face: the same advances,
// covered characters drawn), and a changed font file is thinned afresh.
func TestThinFaceCache(t *testing.T) {
	if _, err := os.Stat(DefaultFontPath); err != nil {
		t.Skip("no CJK font")
	}
	dir := t.TempDir()
	first, err := loadFonts("", dir)
	if err != nil || first.covered == nil {
		t.Skip("the installed CJK font has no CFF outlines to thin")
	}
	cached, _ := filepath.Glob(filepath.Join(dir, "face-*.otf"))
	if len(cached) != 2 {
		t.Fatalf("cached faces %v, want the regular and the bold", cached)
	}
	again, err := loadFonts("", dir)
	if err != nil || again.covered == nil {
		t.Fatalf("second load: %v (thinned %v)", err, again.covered != nil)
	}
	const s = "开始办理 社保缴费记录打印 0371-62112345"
	for _, bold := range []bool{false, true} {
		if a, b := text.Advance(s, first.face(40, bold)), text.Advance(s, again.face(40, bold)); a != b {
			t.Errorf("bold %v: advance %v first, %v from the cache", bold, a, b)
		}
		if n := inked(again.drawFace(s, 40, bold), s); n < 50 {
			t.Errorf("bold %v: the cached face drew %d pixels", bold, n)
		}
	}
	// A cache entry that is not a font is thinned again and replaced.
	for _, c := range cached {
		if err := os.WriteFile(c, []byte("not a font"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if f, err := loadFonts("", dir); err != nil || f.covered == nil {
		t.Fatalf("after a damaged cache: %v", err)
	}
	for _, c := range cached {
		if b, _ := os.ReadFile(c); string(b) == "not a font" {
			t.Errorf("%s was not replaced", c)
		}
	}
	// Another font file (or this one changed) is another name.
	st, _ := os.Stat(DefaultFontPath)
	if thinCacheName(DefaultFontPath, st) == thinCacheName("/other/NotoSansCJK-Regular.ttc", st) {
		t.Error("two font files share a cache name")
	}
}

// BenchmarkFontLoadCached: loading the faces at a start that finds them
// in the cache, against BenchmarkFontLoad (no cache: extract and thin).
func BenchmarkFontLoadCached(b *testing.B) {
	dir := b.TempDir()
	if _, err := loadFonts("", dir); err != nil {
		b.Skip(err)
	}
	for b.Loop() {
		if _, err := loadFonts("", dir); err != nil {
			b.Fatal(err)
		}
	}
}
