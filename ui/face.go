package ui

import (
	"time"

	"github.com/henan-county/kiosk/kiosk/session"
)

// camEvery caps how often the face screen takes the camera's newest
// frame: a 30 fps camera is shown at its rate, a faster one no faster.
const camEvery = time.Second / 30

// pumpCamera puts the camera's newest frame on the face screen while the
// journey shows the picture, and wipes it the moment it does not.
func (a *App) pumpCamera(now time.Time) {
	v := a.view
	if a.hv.Tech != nil || v.Screen != session.ScreenFace || v.Face == nil || !v.Face.Preview {
		a.wipeCamera()
		return
	}
	if now.Sub(a.camAt) < camEvery {
		return
	}
	a.camAt = now
	img, seq, err := a.h.CameraPreview(a.camBuf, a.camSeq)
	if err != nil {
		a.wipeCamera() // the camera went off: nothing of the last face stays
		return
	}
	if seq == a.camSeq && a.painter.camera != nil {
		return // no newer frame: the screen already shows this one
	}
	a.camBuf, a.camSeq = img, seq
	first := a.painter.camera == nil
	a.painter.setCamera(img)
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

// wipeCamera zeroes the decoded frame and clears the texture.
func (a *App) wipeCamera() {
	if a.camBuf != nil {
		clear(a.camBuf.Pix)
		a.camBuf = nil
	}
	a.camSeq = 0
	if a.painter.camera != nil {
		// How the picture ran, for technicians and docs/camera.md's
		// figures: a count and a rate, nothing of what it showed.
		if d := time.Since(a.camSince); d > 0 {
			a.log.Info("camera picture off", "frames", a.camShown, "seconds", d.Round(time.Millisecond).Seconds(),
				"fps", float64(int(float64(a.camShown)/d.Seconds()*10))/10)
		}
		a.painter.clearCamera()
		a.dirty = true
		a.publishLayout()
	}
}
