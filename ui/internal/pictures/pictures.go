// Package pictures keeps the screen's own copies of pictures that come
// with a view, such as the first page of a resident's proof: one copy
// (a GPU texture) for each picture on the screen now, made once, and
// freed as soon as the screen no longer shows that picture. The page
// shows the resident's data; it must not stay in the kiosk's memory,
// CPU or GPU, after the screen has moved on.
//
// It knows nothing of Ebitengine, so it is tested without a display.
package pictures

import (
	"image"
	"reflect"
)

// Key names one copy: the source image, by its identity (the pointer the
// session handed over: the same page is the same pointer for as long as
// it is shown), at the size it is drawn.
type Key struct {
	Src  image.Image
	W, H int
}

// Cache holds the copies.
type Cache[T any] struct {
	conv  func(Key) T
	free  func(T)
	items []item[T]
	next  uint64
}

type item[T any] struct {
	key Key
	val T
	id  uint64
}

// New returns a cache that makes copies with conv and frees them with
// free.
func New[T any](conv func(Key) T, free func(T)) *Cache[T] {
	return &Cache[T]{conv: conv, free: free}
}

// Keepable reports whether src has an identity the cache can key on (a
// pointer, or a comparable value). Others are not drawn.
func Keepable(src image.Image) bool {
	if src == nil {
		return false
	}
	return reflect.TypeOf(src).Comparable()
}

func same(a, b Key) (eq bool) {
	if a.W != b.W || a.H != b.H {
		return false
	}
	defer func() {
		if recover() != nil { // an interface field holding an uncomparable value
			eq = false
		}
	}()
	return a.Src == b.Src
}

// Get returns the copy k names, making it the first time, and an id that
// is different for every copy ever made (so a new picture at the same
// place is never taken for the old one). ok is false when k's source is
// not Keepable or its size is empty.
func (c *Cache[T]) Get(k Key) (val T, id uint64, ok bool) {
	if val, id, ok = c.Lookup(k); ok || !Keepable(k.Src) || k.W <= 0 || k.H <= 0 {
		return val, id, ok
	}
	c.next++
	it := item[T]{key: k, val: c.conv(k), id: c.next}
	c.items = append(c.items, it)
	return it.val, it.id, true
}

// Lookup returns the copy k names if there is one, without making it.
func (c *Cache[T]) Lookup(k Key) (val T, id uint64, ok bool) {
	if !Keepable(k.Src) {
		return val, 0, false
	}
	for _, it := range c.items {
		if same(it.key, k) {
			return it.val, it.id, true
		}
	}
	return val, 0, false
}

// Keep frees every copy that is not among shown, and lets go of its
// source.
func (c *Cache[T]) Keep(shown ...Key) {
	kept := c.items[:0]
	for _, it := range c.items {
		on := false
		for _, s := range shown {
			if Keepable(s.Src) && same(it.key, s) {
				on = true
				break
			}
		}
		if on {
			kept = append(kept, it)
			continue
		}
		c.free(it.val)
	}
	// Clear the tail so the backing array holds no freed entry.
	clear(c.items[len(kept):])
	c.items = kept
}

// Len is how many copies the cache holds.
func (c *Cache[T]) Len() int { return len(c.items) }
