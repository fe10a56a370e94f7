package session

import (
	"strings"
	"time"

	"github.com/henan-county/kiosk/kiosk/txn"
)

// 帮办模式: a 小牟帮办 staff member at the hall helps a resident through
// her own journey, with her own card. The staff member opens the mode
// from the help overlay with a staff number and PIN (checked by the host
// against hashes in the config, with a lockout); the kiosk then reads out
// what the staff member will see and do, and the staff member confirms
// that the resident said yes. Every transaction of the session records
// the staff member and that consent (txn.Assisted). The mode ends with
// the session.

// Screens of 帮办模式.
const (
	ScreenStaffPIN Screen = "staff_pin"     // 工号 and 密码
	ScreenConsent  Screen = "staff_consent" // the resident's spoken consent
)

// Staff field ids on ScreenStaffPIN (FieldFocus, FieldInput).
const (
	StaffIDField  = "staff_id"
	StaffPINField = "staff_pin"
)

// OpenStaffMode: 帮办模式 was tapped on the help overlay.
type OpenStaffMode struct{}

// StaffKey is a key of the staff keypad: a digit, or StaffErase, for the
// focused field (the screen never holds the PIN, only how long it is).
type StaffKey struct{ Key string }

// StaffErase is the keypad's 删除.
const StaffErase = "删除"

func (OpenStaffMode) isEvent() {}
func (StaffKey) isEvent()      {}

// CheckStaff asks the host to check a staff number and PIN.
type CheckStaff struct{ ID, PIN string }

func (CheckStaff) isEffect() {}

// StaffChecked is the host's answer to CheckStaff.
type StaffChecked struct {
	ID string
	// Err: StaffWrong or StaffLocked (Wait says for how long, in
	// words), or StaffNone when the kiosk has no staff configured.
	Err  StaffErr
	Wait string
}

func (StaffChecked) isEvent() {}

// StaffErr is why a staff check failed.
type StaffErr string

// Staff check failures.
const (
	StaffOK     StaffErr = ""
	StaffWrong  StaffErr = "wrong"
	StaffLocked StaffErr = "locked"
	StaffNone   StaffErr = "none"
)

// StaffView is the staff number and PIN screen, or the consent screen.
type StaffView struct {
	ID     string // the staff number as typed
	PINLen int    // how many PIN digits are typed (shown as dots)
	Focus  string // StaffIDField or StaffPINField
	Error  string // in plain words
	Busy   bool   // being checked
	// Consent is what the kiosk reads out to the resident (ScreenConsent).
	Consent string
}

type staffStage struct {
	id, pin  string
	focus    string
	err      string
	busy     bool
	checked  string    // the staff number that passed
	consent  time.Time // when the resident's yes was confirmed
	returnTo Screen
}

const maxStaffID, maxStaffPIN = 8, 8

// staffAction handles 帮办模式's events; it reports whether ev was one.
func (m *Machine) staffAction(ev Event, fx *effects) bool {
	switch m.screen {
	case ScreenStaffPIN:
		switch e := ev.(type) {
		case FieldFocus:
			if e.ID == StaffIDField || e.ID == StaffPINField {
				m.staff.focus = e.ID
			}
		case StaffKey:
			if m.staff.busy {
				return true
			}
			f := &m.staff.id
			limit := maxStaffID
			if m.staff.focus == StaffPINField {
				f, limit = &m.staff.pin, maxStaffPIN
			}
			switch {
			case e.Key == StaffErase && len(*f) > 0:
				*f = (*f)[:len(*f)-1]
			case len(e.Key) == 1 && e.Key[0] >= '0' && e.Key[0] <= '9' && len(*f) < limit:
				*f += e.Key
			}
			m.staff.err = ""
		case FieldInput:
			if m.staff.busy {
				return true
			}
			v := digitsOnly(e.Value)
			switch e.ID {
			case StaffIDField:
				m.staff.id = v[:min(len(v), maxStaffID)]
			case StaffPINField:
				clear([]byte(m.staff.pin))
				m.staff.pin = v[:min(len(v), maxStaffPIN)]
			}
			m.staff.err = ""
		case Submit:
			switch {
			case m.staff.busy:
			case m.staff.id == "":
				m.staff.err, m.staff.focus = "请输入工号", StaffIDField
			case len(m.staff.pin) < 4:
				m.staff.err, m.staff.focus = "请输入密码（至少4位）", StaffPINField
			default:
				m.staff.busy = true
				fx.add(CheckStaff{ID: m.staff.id, PIN: m.staff.pin})
				m.staff.pin = ""
			}
		case Back, Cancel, Home:
			m.leaveStaff(fx)
		default:
			return isUserAction(ev) // nothing else on this screen
		}
		return true
	case ScreenConsent:
		switch ev.(type) {
		case Continue:
			m.staff.consent = m.now
			m.goTo(nonEmptyScreen(m.staff.returnTo, ScreenHome), fx)
			fx.add(Speak{"已进入帮办模式，工作人员将帮您办理"})
		case Back, Cancel, Home:
			m.staff = staffStage{}
			m.goTo(ScreenHome, fx)
			fx.add(Speak{"已退出帮办模式"})
		default:
			return isUserAction(ev)
		}
		return true
	}
	return false
}

func (m *Machine) openStaffMode(fx *effects) {
	if !m.o.Staff || m.tx != nil || m.callActive() {
		return
	}
	switch m.screen {
	case ScreenSubmitting, ScreenPayment, ScreenDocument, ScreenResult, ScreenPrinting, ScreenRating, ScreenDone,
		ScreenOutOfService, ScreenMaintenance, ScreenStaffPIN, ScreenConsent, ScreenFace:
		return
	}
	m.help = false
	m.ensureSession()
	ret := m.screen
	if ret == ScreenAttract {
		ret = ScreenHome
	}
	m.staff = staffStage{focus: StaffIDField, returnTo: ret}
	m.goTo(ScreenStaffPIN, fx)
}

func (m *Machine) leaveStaff(fx *effects) {
	ret := nonEmptyScreen(m.staff.returnTo, ScreenHome)
	m.staff = staffStage{}
	m.goTo(ret, fx)
}

func (m *Machine) staffChecked(e StaffChecked, fx *effects) {
	if m.screen != ScreenStaffPIN || !m.staff.busy || e.ID != m.staff.id {
		return
	}
	m.staff.busy = false
	switch e.Err {
	case StaffOK:
		m.staff.checked = e.ID
		m.goTo(ScreenConsent, fx)
		fx.add(Speak{m.consentText()})
	case StaffLocked:
		m.staff.err = "密码错误次数过多，已锁定" + e.Wait + "。请稍后再试。"
		m.staff.focus = StaffPINField
	case StaffNone:
		m.staff.err = "本机没有登记帮办人员。"
	default:
		m.staff.err = "工号或密码不对，请重新输入。"
		m.staff.focus = StaffPINField
	}
}

func (m *Machine) consentText() string {
	return "您好，" + m.assistName() + "工作人员（工号" + m.staff.checked + "）将在这台机器上帮您办理，会看到您的身份证信息和填写的内容，只用于这次办理。您同意吗？请对工作人员说“同意”。"
}

func (m *Machine) staffView() *StaffView {
	switch m.screen {
	case ScreenStaffPIN:
		return &StaffView{ID: m.staff.id, PINLen: len(m.staff.pin), Focus: m.staff.focus, Error: m.staff.err, Busy: m.staff.busy}
	case ScreenConsent:
		return &StaffView{ID: m.staff.checked, Consent: m.consentText()}
	}
	return nil
}

// assistedBy is the banner of a session in 帮办模式, or "".
func (m *Machine) assistedBy() string {
	if m.staff.consent.IsZero() {
		return ""
	}
	return "帮办模式 · 工号" + m.staff.checked
}

// stampAssisted records the staff member and the consent on tx.
func (m *Machine) stampAssisted(tx *txn.Transaction) {
	if m.staff.consent.IsZero() {
		return
	}
	tx.Assisted = &txn.Assisted{StaffID: m.staff.checked, Consent: txn.ConsentSpoken, ConsentAt: m.staff.consent}
}

func digitsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

func nonEmptyScreen(s, def Screen) Screen {
	if s == "" {
		return def
	}
	return s
}
