package pictures

import (
	"image"
	"image/color"
	"runtime"
	"testing"
	"weak"
)

type tex struct {
	src   image.Image
	freed bool
}

func newCache() (*Cache[*tex], *int, *int) {
	made, freed := 0, 0
	c := New(func(k Key) *tex { made++; return &tex{src: k.Src} }, func(t *tex) { freed++; t.freed = true; t.src = nil })
	return c, &made, &freed
}

// A page shown on several frames is copied once; a different page (even
// with the same pixels) is another copy with another id, and so is the
// same page at another size.
func TestOneCopyPerPicture(t *testing.T) {
	c, made, _ := newCache()
	a := image.NewRGBA(image.Rect(0, 0, 10, 14))
	b := image.NewRGBA(image.Rect(0, 0, 10, 14))
	ka, kb := Key{a, 100, 140}, Key{b, 100, 140}
	ta, ida, ok := c.Get(ka)
	if !ok || ta.src != a {
		t.Fatalf("get: %v %v", ta, ok)
	}
	for range 5 {
		c.Keep(ka)
		if tx, id, _ := c.Get(ka); tx != ta || id != ida {
			t.Fatal("a second copy of the same page")
		}
	}
	if _, idb, _ := c.Get(kb); idb == ida {
		t.Fatal("two pages share an id")
	}
	if _, ids, _ := c.Get(Key{a, 50, 70}); ids == ida {
		t.Fatal("two sizes share an id")
	}
	if *made != 3 || c.Len() != 3 {
		t.Fatalf("made %d, holds %d; want 3", *made, c.Len())
	}
	c.Keep(ka, kb) // the elder-mode size is no longer shown
	if c.Len() != 2 {
		t.Fatalf("holds %d after a size went; want 2", c.Len())
	}
	if _, _, ok := c.Lookup(Key{image.NewRGBA(image.Rect(0, 0, 1, 1)), 1, 1}); ok {
		t.Fatal("lookup of a page never shown")
	}
	if _, _, ok := c.Get(Key{a, 0, 0}); ok {
		t.Fatal("a copy of no size")
	}
}

// When the screen no longer shows a page its copy is freed and the cache
// lets go of the page itself: nothing of it is left for the collector
// to find from the cache.
func TestDroppedWhenNotShown(t *testing.T) {
	c, _, freed := newCache()
	page := image.NewRGBA(image.Rect(0, 0, 840, 1188))
	other := image.NewRGBA(image.Rect(0, 0, 10, 10))
	tx, _, _ := c.Get(Key{page, 84, 118})
	c.Get(Key{other, 10, 10})
	c.Keep(Key{other, 10, 10}) // the screen moved on to something else
	if !tx.freed || *freed != 1 || c.Len() != 1 {
		t.Fatalf("freed %v (%d), holds %d", tx.freed, *freed, c.Len())
	}
	if _, _, ok := c.Lookup(Key{page, 84, 118}); ok {
		t.Fatal("the page is still in the cache")
	}
	c.Keep() // a screen with no picture
	if *freed != 2 || c.Len() != 0 {
		t.Fatalf("freed %d, holds %d", *freed, c.Len())
	}
	w := weak.Make(page)
	page, tx = nil, nil
	runtime.GC()
	runtime.GC()
	if w.Value() != nil {
		t.Fatal("the page is still reachable after the cache let it go")
	}
	runtime.KeepAlive(c)
}

// An image without an identity is not kept (and not drawn) rather than
// copied on every frame.
func TestUnkeepable(t *testing.T) {
	c, made, _ := newCache()
	if _, _, ok := c.Get(Key{nil, 1, 1}); ok || *made != 0 {
		t.Fatal("nil kept")
	}
	if _, _, ok := c.Get(Key{valueImage{pix: []byte{1}}, 1, 1}); ok || *made != 0 {
		t.Fatal("an uncomparable image kept")
	}
}

type valueImage struct{ pix []byte }

func (valueImage) ColorModel() color.Model { return color.GrayModel }
func (valueImage) Bounds() image.Rectangle { return image.Rect(0, 0, 1, 1) }
func (valueImage) At(int, int) color.Color { return color.Gray{} }
