package escpos

import (
	"os"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
)

// DefaultFont is the CJK font collection characters the printer has no
// glyph for are drawn with (Debian fonts-noto-cjk), and the simulated
// printer's font.
const DefaultFont = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

// LoadFace loads the Simplified Chinese face of a CJK font collection (or
// a single font file) sized for the printer's 24-dot cells. It falls back
// to basicfont when path is empty or unreadable; the second result says
// whether the real font was loaded.
func LoadFace(path string) (font.Face, bool) {
	if path == "" {
		return basicfont.Face7x13, false
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return basicfont.Face7x13, false
	}
	var f *sfnt.Font
	if coll, err := opentype.ParseCollection(data); err == nil {
		for i := 0; i < coll.NumFonts(); i++ {
			fi, err := coll.Font(i)
			if err != nil {
				continue
			}
			if f == nil {
				f = fi
			}
			if name, err := fi.Name(nil, sfnt.NameIDFamily); err == nil && strings.Contains(name, " SC") {
				f = fi
				break
			}
		}
	} else if fi, err := opentype.Parse(data); err == nil {
		f = fi
	}
	if f == nil {
		return basicfont.Face7x13, false
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 22, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return basicfont.Face7x13, false
	}
	return face, true
}
