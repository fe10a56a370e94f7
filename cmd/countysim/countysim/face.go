package countysim

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/henan-county/kiosk/drivers/camera"
	"github.com/henan-county/kiosk/drivers/camera/camerasim"
	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/mask"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// faceState is the face verification side: the verdicts by (kiosk,
// Idempotency-Key), kept in memory for the simulator's lifetime, and the
// counters. No frame is ever kept, logged or counted by its content.
type faceState struct {
	mu      sync.Mutex
	secret  []byte
	answers map[string]faceAnswer
	stats   FaceStats
}

type faceAnswer struct {
	print string // keyed hash of the request: a repeat must be the same request
	v     backend.FaceVerification
}

// FaceStats is GET /sim/v1/face-verifications.
type FaceStats struct {
	Requests      int            `json:"requests"`
	Replayed      int            `json:"replayed"`
	KeyReused     int            `json:"key_reused"`
	ByResult      map[string]int `json:"by_result"`
	Verifications []FaceRecord   `json:"verifications"`
}

// FaceRecord is one verdict as the simulator shows it: the ID number
// masked, the frames counted, never kept.
type FaceRecord struct {
	KioskID        string    `json:"kiosk_id"`
	VerificationID string    `json:"verification_id"`
	IDNumber       string    `json:"id_number"` // masked
	Frames         int       `json:"frames"`
	Scene          string    `json:"scene,omitempty"`
	Result         string    `json:"result"`
	At             time.Time `json:"at"`
}

// maxFaceBody bounds a request: five frames of 512 KiB in base64 and the
// rest.
const maxFaceBody = backend.MaxFaceFrames*(backend.MaxFaceFrame*4/3+8) + 4096

func (s *Server) faceRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /v1/face-verifications", s.kiosk(s.verifyFace))
	mux.HandleFunc("GET /sim/v1/face-verifications", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, s.FaceStats())
	})
}

// FaceStats returns the face verification counters and verdicts.
func (s *Server) FaceStats() FaceStats {
	f := &s.face
	f.mu.Lock()
	defer f.mu.Unlock()
	st := f.stats
	st.ByResult = map[string]int{}
	for k, v := range f.stats.ByResult {
		st.ByResult[k] = v
	}
	st.Verifications = append([]FaceRecord{}, f.stats.Verifications...)
	return st
}

func (s *Server) verifyFace(w http.ResponseWriter, r *http.Request, kioskID string) {
	f := &s.face
	f.mu.Lock()
	f.stats.Requests++
	if f.secret == nil {
		f.secret = make([]byte, 32)
		_, _ = rand.Read(f.secret)
	}
	secret := f.secret
	f.mu.Unlock()
	key := r.Header.Get("Idempotency-Key")
	if key == "" || len(key) > 128 {
		problem(w, 400, "validation", "Idempotency-Key header missing or too long")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxFaceBody+1))
	defer clear(body) // faces: not kept a moment longer than the decision
	if err != nil {
		return
	}
	if len(body) > maxFaceBody {
		problem(w, http.StatusRequestEntityTooLarge, "validation", fmt.Sprintf("more than %d frames of %d bytes", backend.MaxFaceFrames, backend.MaxFaceFrame))
		return
	}
	k := "face\x00" + kioskID + "\x00" + key
	release, ok := s.claim(k)
	if !ok {
		w.Header().Set("Retry-After", "1")
		problem(w, http.StatusConflict, "in_progress", "this verification is being processed")
		return
	}
	defer release()
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	print := hex.EncodeToString(mac.Sum(nil))

	f.mu.Lock()
	prev, seen := f.answers[k]
	switch {
	case seen && prev.print == print:
		f.stats.Replayed++
	case seen:
		f.stats.KeyReused++
	}
	f.mu.Unlock()
	if seen {
		if prev.print != print {
			problem(w, http.StatusUnprocessableEntity, "key_reused", "Idempotency-Key reused with a different request")
			return
		}
		writeJSON(w, http.StatusOK, prev.v)
		return
	}

	req, err := backend.DecodeFaceRequest(body)
	if err != nil {
		problem(w, 400, "validation", err.Error())
		return
	}
	defer req.Wipe()
	res, scene, msg := judgeFaces(req.Frames)
	id := hmac.New(sha256.New, secret)
	id.Write([]byte(k))
	v := backend.FaceVerification{
		VerificationID: "FV" + strings.ToUpper(hex.EncodeToString(id.Sum(nil)[:10])),
		Result:         res, Message: msg, VerifiedAt: s.now().UTC().Truncate(time.Millisecond),
	}
	rec := FaceRecord{KioskID: kioskID, VerificationID: v.VerificationID, IDNumber: mask.ID(req.IDNumber),
		Frames: len(req.Frames), Scene: scene, Result: string(res), At: v.VerifiedAt}
	f.mu.Lock()
	if f.answers == nil {
		f.answers = map[string]faceAnswer{}
	}
	f.answers[k] = faceAnswer{print: print, v: v}
	if f.stats.ByResult == nil {
		f.stats.ByResult = map[string]int{}
	}
	f.stats.ByResult[string(res)]++
	f.stats.Verifications = append(f.stats.Verifications, rec)
	if n := len(f.stats.Verifications); n > 1000 {
		f.stats.Verifications = append([]FaceRecord(nil), f.stats.Verifications[n-1000:]...)
	}
	f.mu.Unlock()
	s.log.Info("countysim verified a face", "kiosk", kioskID, "verification", v.VerificationID,
		"id_number", rec.IDNumber, "frames", rec.Frames, "scene", scene, "result", string(res))
	writeJSON(w, http.StatusCreated, v)
}

// Messages for the resident, by verdict.
const (
	msgPassed   = "人脸核验通过"
	msgStranger = "人脸与身份证照片不一致，请本人办理"
	msgNotAlive = "未通过活体检测，请本人正对摄像头，眨眨眼后重试"
	msgNoFace   = "未检测到人脸，请正对摄像头"
	msgFar      = "请靠近一些，让面部充满取景框"
	msgBacklit  = "背后光线太强，请换个角度或背对窗户"
	msgDark     = "光线太暗，请稍候重试或联系工作人员"
	msgBad      = "照片无法识别，请重试"
)

// judgeFaces is the simulator's decision. It reads the marker of the
// simulated camera's scenes (camerasim.Marker); a frame too dark is poor
// quality whatever it shows; frames that do not differ from one another
// cannot show a live face. It keeps nothing of the frames.
func judgeFaces(frames [][]byte) (backend.FaceResult, string, string) {
	var thumbs [][]uint8
	var luma float64
	code := 0
	for _, b := range frames {
		img, err := decodeFace(b)
		if err != nil {
			return backend.FacePoorQuality, "", msgBad
		}
		if c, ok := camerasim.Marker(img); ok && code == 0 {
			code = c
		}
		t, l := thumb(img)
		thumbs, luma = append(thumbs, t), luma+l
		if y, ok := img.(*image.YCbCr); ok {
			clear(y.Y)
			clear(y.Cb)
			clear(y.Cr)
		}
	}
	defer func() {
		for _, t := range thumbs {
			clear(t)
		}
	}()
	scene := camerasim.SceneOf(code)
	luma /= float64(len(frames))
	switch {
	case luma < 40 || scene == "dark":
		return backend.FacePoorQuality, scene, msgDark
	case scene == "noface":
		return backend.FacePoorQuality, scene, msgNoFace
	case scene == "far":
		return backend.FacePoorQuality, scene, msgFar
	case scene == "backlit":
		return backend.FacePoorQuality, scene, msgBacklit
	case scene == "stranger":
		return backend.FaceNotSamePerson, scene, msgStranger
	}
	moving := false
	for i := 1; i < len(thumbs); i++ {
		if meanDiff(thumbs[i-1], thumbs[i]) > 0.5 {
			moving = true
		}
	}
	if !moving {
		return backend.FaceNotAlive, scene, msgNotAlive
	}
	return backend.FacePassed, scene, msgPassed
}

func decodeFace(b []byte) (image.Image, error) {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	if cfg.Width < 80 || cfg.Height < 60 || cfg.Width > camera.MaxWidth || cfg.Height > camera.MaxHeight {
		return nil, fmt.Errorf("frame %d×%d", cfg.Width, cfg.Height)
	}
	return jpeg.Decode(bytes.NewReader(b))
}

// thumb samples a 64×48 grey picture of img and its mean brightness.
func thumb(img image.Image) ([]uint8, float64) {
	b := img.Bounds()
	out := make([]uint8, 0, 64*48)
	var sum float64
	for y := range 48 {
		for x := range 64 {
			r, g, bl, _ := img.At(b.Min.X+x*b.Dx()/64, b.Min.Y+y*b.Dy()/48).RGBA()
			l := uint8((299*r + 587*g + 114*bl) / 1000 >> 8)
			out = append(out, l)
			sum += float64(l)
		}
	}
	return out, sum / float64(len(out))
}

func meanDiff(a, b []uint8) float64 {
	var d float64
	for i := range a {
		x := float64(a[i]) - float64(b[i])
		if x < 0 {
			x = -x
		}
		d += x
	}
	return d / float64(len(a))
}

// SceneJPEGs returns n frames of the simulated camera's scene as the
// kiosk sends them (JPEG with their Huffman tables), for tests of the
// verification path.
func SceneJPEGs(scene string, n int) ([][]byte, error) {
	sim, err := camerasim.New(&camerasim.Opts{Scene: scene})
	if err != nil {
		return nil, err
	}
	m := camera.Mode{Format: camera.MJPEG, Width: 640, Height: 480}
	raw, err := sim.SceneFrames(scene, m)
	if err != nil {
		return nil, err
	}
	var out [][]byte
	for i := range n {
		j, err := camera.Frame{Format: m.Format, Width: m.Width, Height: m.Height, Data: raw[i%len(raw)]}.JPEG(85)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, nil
}

// faceWindow is how long a passed face check stands for the matter it
// was made for.
const faceWindow = time.Hour

// facePassed: person names a face verification this kiosk passed, for
// the same ID number, within faceWindow. The simulator keeps the number
// masked only, as it keeps it everywhere else.
func (s *Server) facePassed(kioskID string, p *txn.Person) bool {
	if p == nil || p.FaceVerification == "" {
		return false
	}
	f := &s.face
	f.mu.Lock()
	defer f.mu.Unlock()
	now := s.now()
	for _, r := range f.stats.Verifications {
		if r.KioskID == kioskID && r.VerificationID == p.FaceVerification && r.Result == string(backend.FacePassed) &&
			r.IDNumber == mask.ID(p.IDNumber) && now.Sub(r.At) < faceWindow {
			return true
		}
	}
	return false
}
