package host

import (
	"context"
	"errors"
	"image"
	"sync/atomic"
	"time"

	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/session"
)

// Camera is the face check's camera and the backend's verdict. Frames
// never leave the adapter except to the backend, once: the host and the
// journey see a verdict, and the screen a preview it clears.
type Camera interface {
	// Start switches the fill light and the stream on and returns once
	// the first frame has come.
	Start(ctx context.Context) error
	// Stop switches them off and wipes the stream's frames.
	Stop(ctx context.Context) error
	// Preview decodes the newest frame into dst (reused when it has the
	// frame's size), for the screen, and returns the frame's number;
	// when the newest is still number after, it returns dst unchanged.
	Preview(dst *image.RGBA, after uint64) (*image.RGBA, uint64, error)
	// Fresh returns a channel closed when a newer frame comes or the
	// stream ends.
	Fresh() <-chan struct{}
	// CheckFace takes a few frames, sends them once with the identity
	// under key (the same key repeats a request whose answer was lost)
	// and wipes them. An error wrapping ErrCameraFault: the camera
	// failed; a *backend.Error that is permanent: refused; anything
	// else: not reached.
	CheckFace(ctx context.Context, key, cardType, idNumber string) (FaceVerdict, error)
}

// FaceVerdict is the backend's decision on a face check.
type FaceVerdict struct {
	Result         string // backend.FaceResult
	Message        string // for the resident
	VerificationID string
}

// ErrCameraFault marks a check that failed at the camera, not the backend.
var ErrCameraFault = errors.New("host: camera fault")

// ErrNoPreview: the camera is not on for a face check.
var ErrNoPreview = errors.New("host: no camera picture now")

// Face check timing.
const (
	cameraStartWait = 15 * time.Second
	faceCheckWait   = 60 * time.Second
)

// cam runs the camera's operations one after another, in the order the
// journey asked for them: a stop asked for while the start is still
// under way comes after it, so the camera is never left on.
type cam struct {
	opQueue
	live atomic.Bool // started and not yet stopped: the screen may preview
}

func (h *Host) camDo(fn func(context.Context)) { h.enqueue(&h.cam.opQueue, fn) }

// performFace carries out the face check's effects; it reports whether
// fx was one.
func (h *Host) performFace(fx session.Effect) bool {
	p := h.o.Ports.Camera
	switch e := fx.(type) {
	case session.StartCamera:
		if p == nil {
			h.Post(session.CameraStarted{Err: errors.New("host: no camera")})
			return true
		}
		h.camDo(func(ctx context.Context) {
			sctx, cancel := context.WithTimeout(ctx, cameraStartWait)
			defer cancel()
			err := p.Start(sctx)
			if err != nil {
				h.log.Warn("camera did not start for the face check", "err", err)
			} else {
				h.cam.live.Store(true)
			}
			h.Post(session.CameraStarted{Err: err})
		})
	case session.StopCamera:
		if p == nil {
			return true
		}
		h.cam.live.Store(false) // the screen stops drawing it at once
		h.camDo(func(ctx context.Context) {
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if err := p.Stop(sctx); err != nil {
				h.log.Warn("camera stop", "err", err)
			}
		})
	case session.CheckFace:
		if p == nil {
			h.Post(session.FaceChecked{Attempt: e.Attempt, Err: session.FaceErrCamera})
			return true
		}
		h.camDo(func(ctx context.Context) { h.Post(h.checkFace(ctx, p, e)) })
	default:
		return false
	}
	return true
}

// checkFace has the adapter take and send the frames, and reads its
// answer for the journey. Nothing of the face, and not the ID number,
// is logged.
func (h *Host) checkFace(ctx context.Context, p Camera, e session.CheckFace) session.FaceChecked {
	ctx, cancel := context.WithTimeout(ctx, faceCheckWait)
	defer cancel()
	out := session.FaceChecked{Attempt: e.Attempt}
	v, err := p.CheckFace(ctx, e.Key, e.CardType, e.IDNumber)
	var be *backend.Error
	switch {
	case err == nil:
		out.Result, out.Message, out.VerificationID = session.FaceResult(v.Result), v.Message, v.VerificationID
		h.log.Info("face check answered", "attempt", e.Attempt, "result", v.Result, "verification", v.VerificationID)
	case errors.Is(err, ErrCameraFault):
		out.Err = session.FaceErrCamera
		h.log.Warn("face check: camera fault", "attempt", e.Attempt, "err", err)
	case errors.As(err, &be) && be.Permanent && be.Err == nil:
		out.Err = session.FaceErrRefused
		h.log.Warn("face check refused by the backend", "attempt", e.Attempt, "err", err)
	default:
		out.Err = session.FaceErrUnreached
		h.log.Warn("face check: backend not reached", "attempt", e.Attempt, "err", err)
	}
	return out
}

// CameraFresh returns a channel closed when the camera has a newer frame
// than any before (or stops), and false while the journey does not have
// the camera on.
func (h *Host) CameraFresh() (<-chan struct{}, bool) {
	p := h.o.Ports.Camera
	if p == nil || !h.cam.live.Load() {
		return nil, false
	}
	return p.Fresh(), true
}

// CameraPreview decodes the camera's newest frame into dst for the face
// screen, only while the journey has the camera on, and returns its
// number (after, with dst unchanged, when no newer frame has come). The
// screen clears its picture when this stops answering.
func (h *Host) CameraPreview(dst *image.RGBA, after uint64) (*image.RGBA, uint64, error) {
	p := h.o.Ports.Camera
	if p == nil || !h.cam.live.Load() {
		return nil, 0, ErrNoPreview
	}
	return p.Preview(dst, after)
}
