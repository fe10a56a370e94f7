package ui

import (
	"image"
	"math"
	"sync"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/session"
)

// camEvery caps how often the face screen takes the camera's newest
// frame: a 30 fps camera is shown at its rate, a faster one no faster.
const camEvery = time.Second / 30

// camFeed decodes the camera's frames for the face screen off the game
// loop, as they come: the loop only copies the newest decoded frame into
// the texture, and on a software renderer the decoding overlaps the
// previous frame's presenting. Each decoded frame asks for a frame of the
// loop (the loop is paced by the camera while nothing else moves: idle).
type camFeed struct {
	h     *host.Host
	stop  chan struct{}
	done  chan struct{}
	taken chan struct{} // the loop took the newest frame: decode the next

	mu  sync.Mutex
	img *image.RGBA // the newest decoded frame; the feed's back buffer is its own
	seq uint64      // its number
	err error       // the camera went off: the picture must go
}

func startCamFeed(h *host.Host) *camFeed {
	f := &camFeed{h: h, stop: make(chan struct{}), done: make(chan struct{}), taken: make(chan struct{}, 1)}
	go f.run()
	return f
}

func (f *camFeed) run() {
	defer close(f.done)
	var back *image.RGBA // decoded into, then swapped with img
	var seq uint64
	var last time.Time
	defer func() {
		if back != nil {
			clear(back.Pix)
		}
	}()
	t := time.NewTimer(time.Second)
	defer t.Stop()
	wait := func(fresh <-chan struct{}, d time.Duration) bool {
		t.Reset(d)
		select {
		case <-f.stop:
			return false
		case <-fresh: // nil: never
		case <-t.C:
		}
		return true
	}
	for {
		fresh, ok := f.h.CameraFresh() // before looking: a frame from now on closes it
		if !ok {
			if !wait(nil, 100*time.Millisecond) { // not on (yet): look again soon
				return
			}
			continue
		}
		if d := camEvery - time.Since(last); d > 0 && !wait(nil, d) {
			return
		}
		img, n, err := f.h.CameraPreview(back, seq)
		if err == nil {
			back = img // ours, decoded into or not
		}
		if err == nil && n == seq {
			// No newer frame; a stalled camera: the loop still looks
			// once a second.
			if !wait(fresh, time.Second) {
				return
			}
			continue
		}
		last = time.Now()
		f.mu.Lock()
		if err != nil {
			f.err = err
		} else {
			f.err = nil
			back, f.img = f.img, back
			f.seq, seq = n, n
		}
		f.mu.Unlock()
		ebiten.ScheduleFrame()
		if err != nil {
			if !wait(nil, 100*time.Millisecond) {
				return
			}
			continue
		}
		// No more decoding than the screen shows: the next frame once
		// the loop has this one.
		select {
		case <-f.stop:
			return
		case <-f.taken:
		}
	}
}

// halt stops the feed and zeroes its frames.
func (f *camFeed) halt() {
	close(f.stop)
	<-f.done
	f.mu.Lock()
	if f.img != nil {
		clear(f.img.Pix)
		f.img = nil
	}
	f.mu.Unlock()
}

// pumpCamera puts the camera's newest frame on the face screen while the
// journey shows the picture, and wipes it the moment it does not.
func (a *App) pumpCamera(now time.Time) {
	v := a.view
	if a.hv.Tech != nil || v.Screen != session.ScreenFace || v.Face == nil || !v.Face.Preview {
		a.wipeCamera()
		return
	}
	if a.camFeed == nil {
		a.camFeed = startCamFeed(a.h)
	}
	f := a.camFeed
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		a.clearPicture() // the camera went off: nothing of the last face stays
		return
	}
	if f.img == nil || f.seq == a.camSeq {
		return // no newer frame: the screen already shows this one
	}
	a.camSeq = f.seq
	first := a.painter.camera == nil
	a.painter.setCamera(f.img)
	select {
	case f.taken <- struct{}{}:
	default:
	}
	a.camFrames.Add(1)
	if first {
		a.camShown, a.camSince = 0, now
	}
	a.camShown++
	a.dirty = true
	if first {
		a.publishLayout() // the picture is on the screen now
	}
}

// wipeCamera stops the feed, zeroes its frames and clears the texture.
func (a *App) wipeCamera() {
	if a.camFeed != nil {
		a.camFeed.halt()
		a.camFeed = nil
	}
	a.clearPicture()
}

// clearPicture clears and frees the texture.
func (a *App) clearPicture() {
	a.camSeq = 0
	if a.painter.camera == nil {
		return
	}
	// How the picture ran, for technicians and docs/camera.md's figures:
	// a count and a rate, nothing of what it showed.
	if d := time.Since(a.camSince); d > 0 {
		a.log.Info("camera picture off", "frames", a.camShown, "seconds", float64(d.Milliseconds())/1000,
			"fps", math.Round(float64(a.camShown)/d.Seconds()*100)/100)
	}
	a.painter.clearCamera()
	a.dirty = true
	a.publishLayout()
}
