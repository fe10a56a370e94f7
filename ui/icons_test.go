package ui

import (
	"image"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/ui/layout"
)

// categoryIcons are the category icons drawIcon draws.
var categoryIcons = []string{"person", "shield", "car", "shop", "house", "home", "coin", "tax", "heart", "hospital",
	"school", "hand", "passport", "wheelchair", "health", "briefcase", "wheat", "utility", "building", "scales"}

// drawnIcon draws one icon as a tile does, 96 px in the primary colour on
// the surface.
func drawnIcon(p *painter, name string) *image.RGBA {
	const n = 96
	th := layout.Normal()
	img := ebiten.NewImage(n, n)
	defer img.Deallocate()
	img.Fill(th.Surface)
	p.icon(img, name, 0, 0, n, th.Primary, th.Surface)
	out := image.NewRGBA(image.Rect(0, 0, n, n))
	img.ReadPixels(out.Pix)
	return out
}

// Every category icon is a picture of its own: no two look alike, none
// is the dot shown for a name the kiosk does not know, and every category
// of the built-in list has one.
func TestCategoryIconsDistinct(t *testing.T) {
	r, err := NewRenderer("")
	if err != nil {
		t.Fatal(err)
	}
	p := r.painter
	dot := drawnIcon(p, "no-such-icon")
	imgs := map[string]*image.RGBA{}
	for _, name := range categoryIcons {
		imgs[name] = drawnIcon(p, name)
		if n, _ := diff(imgs[name], dot); n < 300 {
			t.Errorf("%s is drawn as the unknown-name dot (%d pixels differ)", name, n)
		}
	}
	for i, a := range categoryIcons {
		for _, b := range categoryIcons[i+1:] {
			// 300 of 9216 pixels: a shape of its own, not a detail.
			if n, _ := diff(imgs[a], imgs[b]); n < 300 {
				t.Errorf("%s and %s look alike: %d pixels differ", a, b, n)
			}
		}
	}
	c, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, cat := range c.Categories {
		if _, ok := imgs[cat.Icon]; !ok {
			t.Errorf("category %s (%s): icon %q is not drawn", cat.ID, cat.Name, cat.Icon)
		}
	}
}
