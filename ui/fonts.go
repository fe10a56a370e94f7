package ui

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"github.com/henan-county/kiosk/ui/fontfile"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// DefaultFontPath is the Noto Sans CJK collection from Debian's fonts-noto-cjk.
const DefaultFontPath = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

var fallbackFonts = []string{
	DefaultFontPath,
	"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
	"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
}

// fonts holds the regular and bold faces by size.
type fonts struct {
	regular, bold *text.GoTextFaceSource
	faces         map[faceKey]*text.GoTextFace
}

type faceKey struct {
	size float64
	bold bool
}

// loadFonts loads path (a .ttc collection or .otf/.ttf file), preferring
// the Simplified Chinese face of a collection, and the matching bold file
// when there is one. With no usable CJK font it falls back to Go's fonts
// (Latin only) and reports the problem in the error, which callers log.
func loadFonts(path string) (*fonts, error) {
	f := &fonts{faces: map[faceKey]*text.GoTextFace{}}
	paths := fallbackFonts
	if path != "" {
		paths = append([]string{path}, fallbackFonts...)
	}
	var errs []string
	for _, p := range paths {
		src, err := loadSource(p)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		f.regular, f.bold = src, src
		bp := strings.Replace(p, "Regular", "Bold", 1)
		if bp != p {
			if b, err := loadSource(bp); err == nil {
				f.bold = b
			}
		}
		return f, nil
	}
	r, _ := text.NewGoTextFaceSource(bytes.NewReader(goregular.TTF))
	b, _ := text.NewGoTextFaceSource(bytes.NewReader(gobold.TTF))
	f.regular, f.bold = r, b
	return f, fmt.Errorf("ui: load fonts: no CJK font usable, Chinese will not show: %s", strings.Join(errs, "; "))
}

func loadSource(path string) (*text.GoTextFaceSource, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("ui: load font: %w", err)
	}
	if fontfile.IsCollection(data) {
		// Parse only the face we draw with: the whole collection would
		// cost hundreds of megabytes.
		fams, err := fontfile.Families(data)
		if err != nil {
			return nil, fmt.Errorf("ui: load font %s: %w", path, err)
		}
		pick := 0
		for i, fam := range fams {
			if strings.HasSuffix(fam, " SC") {
				pick = i
				break
			}
		}
		if data, err = fontfile.Extract(data, pick); err != nil {
			return nil, fmt.Errorf("ui: load font %s: %w", path, err)
		}
	}
	s, err := text.NewGoTextFaceSource(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("ui: load font %s: %w", path, err)
	}
	return s, nil
}

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

// Advance implements layout.Measurer (bold, the wider of the two).
func (f *fonts) Advance(s string, size float64) float64 {
	return text.Advance(s, f.face(size, true))
}
