package session

import (
	"strconv"
	"time"

	"github.com/henan-county/kiosk/kiosk/devices"
)

// The face check (人脸识别) of a matter marked face_check: the yearly
// pension qualification checks and the driving-licence review. After the
// resident confirms the card, the host switches the camera and its fill
// light on (StartCamera → CameraStarted); the screen shows the live,
// mirrored picture with an oval to put the face in, and waits as long as
// the resident needs. 开始核验 has the host take a few frames and send
// them once with the card's identity (CheckFace → FaceChecked); the
// decision, same person and alive, is the backend's. A verdict another
// try may change (poor quality, not alive, not the same person) is told
// plainly with what to do; after maxFaceTries, or when the camera or the
// backend fails, the screen offers what residents really do: come back
// later, have a family member do it on their phone, or ask the hotline
// for a home visit. Leaving the step stops the camera (StopCamera): no
// frame outlives it, and the Machine never holds one.

// ScreenFace is the face check of a face_check matter.
const ScreenFace Screen = "face"

// FaceState is where the face check is.
type FaceState string

// Face check states.
const (
	FaceStarting FaceState = "starting" // the camera is being switched on
	FaceAim      FaceState = "aim"      // the picture and the oval; 开始核验
	FaceChecking FaceState = "checking" // frames taken and sent; the verdict awaited
	FacePassed   FaceState = "passed"   // 核验通过: the matter goes on
	FaceRetry    FaceState = "retry"    // not passed; another try may pass
	FaceOptions  FaceState = "options"  // no more tries now: the other ways
)

// FaceResult is the backend's verdict.
type FaceResult string

// The backend's verdicts (backend.FaceResult).
const (
	FaceResultPassed      FaceResult = "passed"
	FaceResultNotSame     FaceResult = "not_same_person"
	FaceResultNotAlive    FaceResult = "not_alive"
	FaceResultPoorQuality FaceResult = "poor_quality"
)

// FaceErr is why a check has no verdict, as the host reports it.
type FaceErr string

// Check failures.
const (
	FaceErrNone      FaceErr = ""
	FaceErrCamera    FaceErr = "camera"    // the camera failed or went away
	FaceErrUnreached FaceErr = "unreached" // no answer from the backend
	FaceErrRefused   FaceErr = "refused"   // the backend refused the request
)

// Resident actions of the face check.
type (
	// FaceBegin: the resident is in place (开始核验, 再试一次).
	FaceBegin struct{}
)

// Host reports of the face check.
type (
	// CameraStarted answers StartCamera: the picture is on (Err nil) or
	// the camera cannot be used.
	CameraStarted struct{ Err error }
	// FaceChecked answers CheckFace.
	FaceChecked struct {
		Attempt        int
		Result         FaceResult
		Message        string // the backend's words for the resident
		VerificationID string
		Err            FaceErr
	}
)

// Effects of the face check.
type (
	// StartCamera switches the camera and its fill light on and posts
	// CameraStarted once the first frame has come.
	StartCamera struct{}
	// CheckFace takes a few frames, sends them once with the card's
	// identity under Key (the same key for a repeat, a new one for a new
	// try), wipes them, and posts FaceChecked. CardType and IDNumber are
	// personal: the host sends them and forgets them.
	CheckFace struct {
		Attempt  int
		Key      string
		CardType string
		IDNumber string
	}
	// StopCamera switches the camera and the fill light off; the host
	// wipes the stream's frames and the screen clears its picture.
	StopCamera struct{}
)

func (FaceBegin) isEvent()     {}
func (CameraStarted) isEvent() {}
func (FaceChecked) isEvent()   {}
func (StartCamera) isEffect()  {}
func (CheckFace) isEffect()    {}
func (StopCamera) isEffect()   {}

// FaceView is the face check as shown (ScreenFace).
type FaceView struct {
	State FaceState
	// Preview: the screen shows the camera's live picture, mirrored, with
	// the oval (FaceAim, FaceChecking, FaceRetry).
	Preview bool
	// Big is the instruction in large words (请正对屏幕, 请眨眨眼).
	Big string
	// Message says what happened, in plain words (FaceRetry,
	// FaceOptions, FacePassed).
	Message string
	// Attempt is the try under way or last made; TriesLeft how many more
	// the resident has now.
	Attempt, TriesLeft int
	// CanBegin offers 开始核验 (FaceAim) or 再试一次 (FaceRetry).
	CanBegin bool
	// Options are the other ways (FaceOptions): come back later, a family
	// member's phone, a home visit through the hotline.
	Options []string
	// HomeVisit offers the home-visit request (RequestHomeVisit) among
	// the options.
	HomeVisit bool
	// Privacy says what the photo is used for.
	Privacy string
}

// faceStage is the Machine's face check of the current matter.
type faceStage struct {
	state    FaceState
	since    time.Time
	attempt  int    // tries sent
	failures int    // verdicts that did not pass
	message  string // what the last verdict or fault said
	passed   string // the verification id of the card's passed check
	key      string // the stage's key prefix (per session and stage)
}

// Face check timing and patience.
const (
	faceStartWait = 20 * time.Second // the camera's first frame
	facePassedFor = 3 * time.Second  // 核验通过 shown before the matter goes on
	maxFaceTries  = 3                // verdicts per card and matter
)

// Words of the face check.
const (
	facePrivacy  = "照片只用于这次核验，不会保存。"
	faceAimWords = "请正对屏幕，把脸放在圆圈里"
	faceBlink    = "请眨眨眼"
	faceCloser   = "请靠近一点"
)

// wantsFace: the confirmed card still needs the matter's face check.
func (m *Machine) wantsFace() bool {
	return m.svc != nil && m.svc.FaceCheck && m.face.passed == ""
}

// startFace begins the face check: the camera first.
func (m *Machine) startFace(fx *effects) {
	m.face = faceStage{key: strconv.FormatInt(m.now.UnixNano(), 36)}
	m.faceState(FaceStarting)
	m.camOn = true
	fx.add(StartCamera{}, Light{LightBusy})
	m.goTo(ScreenFace, fx)
}

func (m *Machine) faceState(s FaceState) {
	m.face.state, m.face.since = s, m.now
	m.rev++
}

// releaseFace stops the camera when the step ends, however it ends.
func (m *Machine) releaseFace(fx *effects) {
	if m.camOn {
		m.camOn = false
		fx.add(StopCamera{})
	}
}

// faceAfter: the check passed (or the card already passed it): the
// matter goes on as after the card's confirmation.
func (m *Machine) faceAfter(fx *effects) {
	m.releaseFace(fx)
	if len(m.editable()) > 0 {
		m.goTo(ScreenForm, fx)
	} else {
		m.goTo(ScreenConfirm, fx)
	}
}

// cameraStarted takes the camera's answer.
func (m *Machine) cameraStarted(e CameraStarted, fx *effects) {
	if m.screen != ScreenFace || m.face.state != FaceStarting {
		return
	}
	m.activity = m.now
	if e.Err != nil {
		m.faceOptions("摄像头暂时不能使用，这次没法刷脸。", fx)
		return
	}
	m.faceState(FaceAim)
	fx.add(Speak{m.facePrompt()}, Light{LightReady})
}

// faceOptions: no more tries now; the camera goes off.
func (m *Machine) faceOptions(why string, fx *effects) {
	m.face.message = why
	m.faceState(FaceOptions)
	m.releaseFace(fx)
	fx.add(Speak{why + "您可以稍后再来，或请家人用手机帮您办理，也可以拨打热线预约上门认证。"}, Light{LightAttention})
}

// faceChecked takes a verdict.
func (m *Machine) faceChecked(e FaceChecked, fx *effects) {
	if m.screen != ScreenFace || m.face.state != FaceChecking || e.Attempt != m.face.attempt {
		return
	}
	m.activity = m.now
	switch {
	case e.Err == FaceErrCamera:
		m.faceOptions("摄像头出了问题，这次没法刷脸。您的照片没有保存。", fx)
	case e.Err != FaceErrNone:
		m.face.failures++
		msg := "暂时连不上核验系统，没有核验成功。"
		if e.Err == FaceErrRefused {
			msg = "核验系统没有受理这次核验。"
		}
		m.faceNotPassed(msg, fx)
	case e.Result == FaceResultPassed && e.VerificationID != "":
		m.face.passed = e.VerificationID
		m.face.message = nonEmpty(e.Message, "人脸核验通过")
		m.faceState(FacePassed)
		m.releaseFace(fx)
		fx.add(Speak{m.face.message}, Light{LightReady})
	default:
		m.face.failures++
		msg := nonEmpty(e.Message, "没有核验成功。")
		switch e.Result {
		case FaceResultPoorQuality:
			msg += faceCloser + "，正对屏幕，摘下帽子和口罩。"
		case FaceResultNotAlive:
			msg += "请本人正对屏幕，看到提示时眨眨眼。"
		case FaceResultNotSame:
			msg += "需要身份证上的本人来刷脸。"
		}
		m.faceNotPassed(msg, fx)
	}
}

// faceNotPassed: another try, or the other ways when the tries are used.
func (m *Machine) faceNotPassed(msg string, fx *effects) {
	if m.face.failures >= maxFaceTries {
		m.faceOptions(msg, fx)
		return
	}
	m.face.message = msg
	m.faceState(FaceRetry)
	fx.add(Speak{msg + "准备好后请点再试一次。"}, Light{LightAttention})
}

// faceAction handles the resident's actions on the face screen; it
// reports whether ev was one.
func (m *Machine) faceAction(ev Event, fx *effects) bool {
	if m.screen != ScreenFace {
		return false
	}
	switch ev.(type) {
	case FaceBegin:
		if (m.face.state == FaceAim || m.face.state == FaceRetry) && m.face.failures < maxFaceTries && m.card != nil {
			m.face.attempt++
			m.face.message = ""
			m.faceState(FaceChecking)
			fx.add(CheckFace{Attempt: m.face.attempt, Key: m.face.key + "/" + strconv.Itoa(m.face.attempt),
				CardType: string(m.card.Type), IDNumber: m.card.IDNumber},
				Speak{faceBlink}, Light{LightBusy})
		}
	case Continue:
		if m.face.state == FacePassed {
			m.faceAfter(fx)
		}
	case Finish:
		if m.face.state == FaceOptions {
			m.endSession(ReasonFinished, fx)
		}
	case RequestHomeVisit:
		if m.face.state == FaceOptions && m.homeVisitTownships() > 0 {
			m.requestHomeVisit(fx)
		}
	case Back:
		if m.face.state == FaceChecking {
			return true // the frames are with the backend: its answer first
		}
		m.releaseFace(fx)
		m.confirmed = false
		m.goTo(ScreenIdentify, fx)
	case Home:
		if m.face.state == FaceChecking {
			return true
		}
		m.releaseFace(fx)
		m.dropMatter()
		m.goTo(ScreenHome, fx)
	case Cancel:
		if m.face.state == FaceChecking {
			return true
		}
		m.endSession(m.reason(ReasonCancelled), fx)
	default:
		return false
	}
	return true
}

// faceBusy: the camera is starting or a check is with the backend.
func (m *Machine) faceBusy() bool {
	return m.screen == ScreenFace && (m.face.state == FaceStarting || m.face.state == FaceChecking)
}

// faceTimers: a camera that never starts, a verdict that never comes,
// and the short pause after 核验通过.
func (m *Machine) faceTimers(fx *effects) bool {
	if m.screen != ScreenFace {
		return false
	}
	in := m.now.Sub(m.face.since)
	switch m.face.state {
	case FaceStarting:
		if in >= faceStartWait {
			m.faceOptions("摄像头暂时不能使用，这次没法刷脸。", fx)
		}
		return true
	case FaceChecking:
		if in >= m.t.Submit {
			m.faceChecked(FaceChecked{Attempt: m.face.attempt, Err: FaceErrUnreached}, fx)
		}
		return true
	case FacePassed:
		if in >= facePassedFor {
			m.faceAfter(fx)
		}
		return true
	}
	return false
}

// facePrompt is the face screen's spoken instruction.
func (m *Machine) facePrompt() string {
	switch m.face.state {
	case FaceStarting:
		return "正在打开摄像头，请稍候"
	case FaceAim:
		return faceAimWords + "，准备好后请点开始核验"
	case FaceChecking:
		return faceBlink
	case FacePassed:
		return m.face.message
	case FaceRetry, FaceOptions:
		return m.face.message
	}
	return ""
}

// faceView is the face check as shown.
func (m *Machine) faceView() *FaceView {
	f := m.face
	v := &FaceView{State: f.state, Attempt: f.attempt, TriesLeft: max(0, maxFaceTries-f.failures),
		Message: f.message, Privacy: facePrivacy}
	switch f.state {
	case FaceStarting:
		v.Big = "正在打开摄像头"
	case FaceAim:
		v.Preview, v.CanBegin, v.Big = true, true, "请正对屏幕"
	case FaceChecking:
		v.Preview, v.Big = true, faceBlink
	case FaceRetry:
		v.Preview, v.CanBegin, v.Big = true, true, "请正对屏幕"
	case FacePassed:
		v.Big = "核验通过"
	case FaceOptions:
		v.Big = "这次没有刷脸成功"
		v.Options = []string{
			"稍后再来：换个时间、光线好一些时再试。",
			"请家人帮忙：在家人手机上打开「豫事办」，搜索“" + m.faceSearchWords() + "”，按提示刷脸认证。",
			"上门认证：年满60岁或行动不便的，" + m.assistName() + "的工作人员上门帮您认证。可以在这里申请，或拨打热线 " + m.hotline() + "。",
		}
		v.HomeVisit = m.homeVisitTownships() > 0
	}
	return v
}

// faceSearchWords is what to search for in the provincial app.
func (m *Machine) faceSearchWords() string {
	if m.svc != nil && m.svc.ShortName != "" {
		return m.svc.ShortName
	}
	return "资格认证"
}

// faceUnavailable says why a face-checked matter cannot be done now.
func (m *Machine) faceUnavailable() string {
	if !m.o.Faces || !m.deviceUsable(devicesCamera) {
		return "本机摄像头暂时不能使用，这项认证现在无法办理。可以请家人用手机上的「豫事办」帮您认证，或拨打热线 " + m.hotline() + " 预约上门认证。"
	}
	return ""
}

// devicesCamera is the camera's device kind (drivers/camera.Kind).
const devicesCamera = devices.Kind("camera")

func nonEmpty(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
