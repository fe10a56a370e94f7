package ui

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	glanguage "github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/henan-county/kiosk/ui/fontfile"
)

// DefaultFontPath is the Noto Sans CJK collection from Debian's fonts-noto-cjk.
const DefaultFontPath = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

var fallbackFonts = []string{
	DefaultFontPath,
	"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
	"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
}

// fullFaceIdle is how long a whole face, loaded for a string the thinned
// face does not cover, stays in memory after its last use.
const fullFaceIdle = 2 * time.Minute

// fonts holds the regular and bold faces by size.
//
// A CJK face is kept thinned (see fontfile.Thin): outlines only for the
// characters in covered (ASCII, GB 2312 with its 6,763 common characters,
// CJK and full-width punctuation), about 4 MB per face instead of 17 MB.
// Metrics and glyph ids are those of the whole face, so measuring never
// changes. A string with a character outside that set (a rare character
// in a resident's name or address) is drawn with the whole face, read
// from disk on first need and dropped again after fullFaceIdle unused.
type fonts struct {
	regular, bold *text.GoTextFaceSource
	faces         map[faceKey]*text.GoTextFace
	// covered is nil when the faces are whole (no thinning possible).
	covered map[rune]bool

	mu         sync.Mutex // guards the whole faces (loaded by the game loop, dropped by trim)
	paths      [2]string  // regular, bold files of the thinned faces
	full       [2]*text.GoTextFaceSource
	fullFaces  map[faceKey]*text.GoTextFace
	fullUsed   time.Time
	fullLoads  int
	fullFailed bool
}

type loaded struct {
	src  *text.GoTextFaceSource
	thin bool
	err  error
}

type faceKey struct {
	size float64
	bold bool
}

// loadFonts loads path (a .ttc collection or .otf/.ttf file), preferring
// the Simplified Chinese face of a collection, and the matching bold file
// when there is one. With no usable CJK font it falls back to Go's fonts
// (Latin only) and reports the problem in the error, which callers log.
func loadFonts(path, cacheDir string) (*fonts, error) {
	f := &fonts{faces: map[faceKey]*text.GoTextFace{}, fullFaces: map[faceKey]*text.GoTextFace{}}
	paths := fallbackFonts
	if path != "" {
		paths = append([]string{path}, fallbackFonts...)
	}
	covered := coveredRunes()
	var errs []string
	for _, p := range paths {
		// The bold face loads alongside the regular one (two cores).
		var boldDone chan loaded
		if bp := strings.Replace(p, "Regular", "Bold", 1); bp != p {
			boldDone = make(chan loaded, 1)
			go func() {
				src, thin, err := loadSource(bp, covered, cacheDir)
				boldDone <- loaded{src, thin, err}
			}()
		}
		src, thin, err := loadSource(p, covered, cacheDir)
		if err != nil {
			if boldDone != nil {
				<-boldDone
			}
			errs = append(errs, err.Error())
			continue
		}
		f.regular, f.bold = src, src
		f.paths = [2]string{p, p}
		bold := thin
		if bp := strings.Replace(p, "Regular", "Bold", 1); bp != p {
			if b := <-boldDone; b.err == nil {
				f.bold, f.paths[1], bold = b.src, bp, b.thin
			}
		}
		if thin && bold {
			f.covered = covered
		} else if thin || bold {
			// One face thinned, the other whole: keep it simple and
			// correct by loading both whole.
			f.regular, _, _ = loadSource(f.paths[0], nil, "")
			f.bold, _, _ = loadSource(f.paths[1], nil, "")
		}
		return f, nil
	}
	r, _ := text.NewGoTextFaceSource(bytes.NewReader(goregular.TTF))
	b, _ := text.NewGoTextFaceSource(bytes.NewReader(gobold.TTF))
	f.regular, f.bold = r, b
	return f, fmt.Errorf("ui: load fonts: no CJK font usable, Chinese will not show: %s", strings.Join(errs, "; "))
}

// coveredRunes is the character set kept in thinned faces: printable
// ASCII, Latin-1, and every character of GB 2312 (symbols, punctuation,
// full-width forms and the 6,763 common hanzi), plus the blocks from
// general punctuation to dingbats (arrows, shapes, ⚠, ✓) and CJK symbols.
func coveredRunes() map[rune]bool {
	m := make(map[rune]bool, 9000)
	for r := rune(0x20); r < 0x7f; r++ {
		m[r] = true
	}
	for r := rune(0xa0); r <= 0xff; r++ {
		m[r] = true
	}
	for r := rune(0x2000); r <= 0x27bf; r++ { // punctuation, letterlike, arrows, shapes, symbols (⚠), dingbats
		m[r] = true
	}
	for r := rune(0x3000); r <= 0x303f; r++ {
		m[r] = true
	}
	for r := rune(0xff01); r <= 0xff5e; r++ {
		m[r] = true
	}
	dec := simplifiedchinese.GBK.NewDecoder()
	var buf [8]byte
	for hi := 0xa1; hi <= 0xf7; hi++ {
		for lo := 0xa1; lo <= 0xfe; lo++ {
			n, _, err := dec.Transform(buf[:], []byte{byte(hi), byte(lo)}, true)
			dec.Reset()
			if err != nil || n == 0 {
				continue
			}
			r := []rune(string(buf[:n]))
			if len(r) == 1 && r[0] != 0xfffd {
				m[r[0]] = true
			}
		}
	}
	return m
}

// loadSource reads one face. With covered set and CFF outlines (Noto Sans
// CJK) it keeps only the outlines of covered characters and reports thin.
// Taking the face out of the collection and thinning it costs most of the
// kiosk's start-up (about a CPU-second here, several on an ARM board), so
// with cacheDir set the thinned face is kept there and read back at the
// next start, as long as the font file is the one it was made from.
func loadSource(path string, covered map[rune]bool, cacheDir string) (src *text.GoTextFaceSource, thin bool, err error) {
	var cached string
	if covered != nil && cacheDir != "" {
		if st, err := os.Stat(path); err == nil {
			cached = filepath.Join(cacheDir, thinCacheName(path, st))
			if data, err := os.ReadFile(cached); err == nil {
				if s, err := text.NewGoTextFaceSource(bytes.NewReader(data)); err == nil {
					return s, true, nil
				}
			}
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, false, fmt.Errorf("ui: load font: %w", err)
	}
	if fontfile.IsCollection(data) {
		// Parse only the face we draw with: the whole collection would
		// cost hundreds of megabytes.
		fams, err := fontfile.Families(data)
		if err != nil {
			return nil, false, fmt.Errorf("ui: load font %s: %w", path, err)
		}
		pick := 0
		for i, fam := range fams {
			if strings.HasSuffix(fam, " SC") {
				pick = i
				break
			}
		}
		if data, err = fontfile.Extract(data, pick); err != nil {
			return nil, false, fmt.Errorf("ui: load font %s: %w", path, err)
		}
	}
	if covered != nil {
		if t, err := thinFace(data, covered); err == nil {
			data, thin = t, true
		}
	}
	s, err := text.NewGoTextFaceSource(bytes.NewReader(data))
	if err != nil {
		return nil, false, fmt.Errorf("ui: load font %s: %w", path, err)
	}
	if thin && cached != "" {
		writeCache(cached, data) // best effort: the next start thins again
	}
	return s, thin, nil
}

// thinCacheVersion changes whenever thinning keeps other glyphs, so an
// older cached face is not used.
const thinCacheVersion = "thin-1"

// thinCacheName names the thinned face of the font at path as it is now
// (its size and modification time): another font file, or this one
// changed, gets another name.
func thinCacheName(path string, st os.FileInfo) string {
	h := sha256.Sum256(fmt.Appendf(nil, "%s\x00%s\x00%d\x00%d", thinCacheVersion, path, st.Size(), st.ModTime().UnixNano()))
	return "face-" + hex.EncodeToString(h[:12]) + ".otf"
}

// writeCache writes data to path whole or not at all.
func writeCache(path string, data []byte) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".face-*")
	if err != nil {
		return
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if werr != nil || cerr != nil || os.Rename(f.Name(), path) != nil {
		os.Remove(f.Name())
	}
}

// thinFace keeps the outlines of the covered characters' glyphs. The
// character-to-glyph map is read from a first, empty thinning (cheap to
// parse: the cmap is intact, the outlines are gone).
func thinFace(data []byte, covered map[rune]bool) ([]byte, error) {
	bare, err := fontfile.Thin(data, func(int) bool { return false })
	if err != nil {
		return nil, err
	}
	ld, err := ot.NewLoader(bytes.NewReader(bare))
	if err != nil {
		return nil, err
	}
	fnt, err := font.NewFont(ld)
	if err != nil {
		return nil, err
	}
	keep := make(map[int]bool, len(covered))
	for r := range covered {
		if g, ok := fnt.NominalGlyph(r); ok {
			keep[int(g)] = true
		}
	}
	keepSubstitutes(font.NewFace(fnt), covered, keep)
	return fontfile.Thin(data, func(g int) bool { return keep[g] })
}

// keepSubstitutes adds the glyphs substitutions reach: ligatures such as
// fi and fl, contextual and localised forms. No character maps to them,
// so they are found the way the screen finds them, by shaping text with
// the same language and script segmentation Ebitengine uses.
func keepSubstitutes(face *font.Face, covered map[rune]bool, keep map[int]bool) {
	var samples []string
	const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	var pairs strings.Builder
	for _, a := range alnum {
		for _, b := range alnum {
			pairs.WriteRune(a)
			pairs.WriteRune(b)
			pairs.WriteByte(' ')
		}
	}
	pairs.WriteString("ffi ffl ffj fft ")
	samples = append(samples, pairs.String())
	runes := make([]rune, 0, len(covered))
	for r := range covered {
		if r >= 0x20 {
			runes = append(runes, r)
		}
	}
	slices.Sort(runes)
	for i := 0; i < len(runes); i += 512 {
		samples = append(samples, string(runes[i:min(i+512, len(runes))]))
	}
	script, err := glanguage.ParseScript("Hans")
	if err != nil {
		return
	}
	var (
		shaper shaping.HarfbuzzShaper
		seg    shaping.Segmenter
	)
	for _, s := range samples {
		rs := []rune(s)
		in := shaping.Input{Text: rs, RunEnd: len(rs), Direction: di.DirectionLTR, Face: face,
			Size: fixed.I(40), Script: script, Language: glanguage.NewLanguage("zh")}
		for _, part := range seg.Split(in, singleFace{face}) {
			for _, g := range shaper.Shape(part).Glyphs {
				keep[int(g.GlyphID)] = true
			}
		}
	}
}

// singleFace is the segmenter's font map: one face for every rune.
type singleFace struct{ f *font.Face }

func (s singleFace) ResolveFace(rune) *font.Face { return s.f }

// covers reports whether the thinned faces draw every character of s.
func (f *fonts) covers(s string) bool {
	if f.covered == nil {
		return true
	}
	for _, r := range s {
		if !f.covered[r] && r >= 0x20 {
			return false
		}
	}
	return true
}

// face returns the face for measuring (thinned faces measure exactly
// like whole ones).
func (f *fonts) face(size float64, bold bool) *text.GoTextFace {
	k := faceKey{size, bold}
	if fc, ok := f.faces[k]; ok {
		return fc
	}
	src := f.regular
	if bold {
		src = f.bold
	}
	fc := &text.GoTextFace{Source: src, Size: size, Language: langZH}
	f.faces[k] = fc
	return fc
}

// drawFace returns the face to draw s with: the thinned face when it
// covers s, otherwise the whole face (loaded now if needed).
func (f *fonts) drawFace(s string, size float64, bold bool) *text.GoTextFace {
	if f.covers(s) {
		return f.face(size, bold)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	i := 0
	if bold {
		i = 1
	}
	if f.full[i] == nil && !f.fullFailed {
		src, _, err := loadSource(f.paths[i], nil, "")
		if err != nil {
			f.fullFailed = true
		} else {
			f.full[i] = src
			f.fullLoads++
		}
	}
	if f.full[i] == nil {
		return f.face(size, bold)
	}
	f.fullUsed = time.Now()
	k := faceKey{size, bold}
	fc, ok := f.fullFaces[k]
	if !ok {
		fc = &text.GoTextFace{Source: f.full[i], Size: size, Language: langZH}
		f.fullFaces[k] = fc
	}
	return fc
}

// trim drops whole faces unused for fullFaceIdle; it reports whether it
// dropped any.
func (f *fonts) trim(now time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.full == [2]*text.GoTextFaceSource{} || now.Sub(f.fullUsed) < fullFaceIdle {
		return false
	}
	f.full = [2]*text.GoTextFaceSource{}
	clear(f.fullFaces)
	return true
}

// Advance implements layout.Measurer (bold, the wider of the two).
func (f *fonts) Advance(s string, size float64) float64 {
	return text.Advance(s, f.face(size, true))
}
