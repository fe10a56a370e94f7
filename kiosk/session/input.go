package session

import (
	"fmt"
	"unicode/utf8"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/ime"
)

// Voice controls and pinyin entry.

// Volume levels: VolumeLevel runs from 1 to VolumeLevels; the player's
// volume is VolumeLevel / VolumeLevels.
const (
	VolumeLevels       = 5
	DefaultVolumeLevel = 4 // 0.8, the sound player's default
)

// Resident actions for voice guidance and Chinese entry.
type (
	// VolumeUp makes spoken guidance louder by one level.
	VolumeUp struct{}
	// VolumeDown makes spoken guidance quieter by one level (never silent:
	// ToggleVoice turns it off).
	VolumeDown struct{}
	// ToggleVoice turns spoken guidance off or back on.
	ToggleVoice struct{}
	// PinyinKey types one pinyin letter (a–z; v for ü) into the focused
	// text field's input method.
	PinyinKey struct{ R rune }
	// PinyinBackspace deletes the last pinyin letter, or, with none left,
	// the last character of the focused text field.
	PinyinBackspace struct{}
	// PickCandidate appends a candidate (one of View.Candidates) to the
	// focused text field; the pinyin letters it covers are used up.
	PickCandidate struct{ Text string }
	// CandidatePage shows the candidates from index From on (the layout
	// knows how many fit a row).
	CandidatePage struct{ From int }
)

func (VolumeUp) isEvent()        {}
func (VolumeDown) isEvent()      {}
func (ToggleVoice) isEvent()     {}
func (PinyinKey) isEvent()       {}
func (PinyinBackspace) isEvent() {}
func (PickCandidate) isEvent()   {}
func (CandidatePage) isEvent()   {}

// Sound tells the daemon the resident's voice settings: volume 0..1 and
// whether spoken guidance is on. It comes after every change, and with
// the defaults again when they are restored (a session ended, or an
// attract screen left alone).
type Sound struct {
	Volume float64
	Voice  bool
	// Default: the defaults were restored; a player configured with its
	// own default volume should reset to it rather than take Volume.
	Default bool
}

func (Sound) isEffect() {}

// maxCandidates is how many candidates the input method offers at most.
const maxCandidates = 60

// maxPinyin is the most pinyin letters kept.
const maxPinyin = 24

func isSoundAction(ev Event) bool {
	switch ev.(type) {
	case VolumeUp, VolumeDown, ToggleVoice:
		return true
	}
	return false
}

func isInputAction(ev Event) bool {
	switch ev.(type) {
	case VolumeUp, VolumeDown, ToggleVoice, PinyinKey, PinyinBackspace, PickCandidate, CandidatePage:
		return true
	}
	return false
}

func (m *Machine) soundEffect() Sound {
	return Sound{Volume: float64(m.volLevel) / VolumeLevels, Voice: m.voiceOn}
}

// soundAction handles the voice controls, on the screens that show them.
func (m *Machine) soundAction(ev Event, fx *effects) {
	switch m.screen {
	case ScreenAttract, ScreenHome:
	default:
		if !m.help {
			return
		}
	}
	switch ev.(type) {
	case VolumeUp:
		if m.volLevel < VolumeLevels {
			m.volLevel++
		}
		fx.add(m.soundEffect(), Speak{fmt.Sprintf("音量已调到 %d 级", m.volLevel)})
	case VolumeDown:
		if m.volLevel > 1 {
			m.volLevel--
		}
		fx.add(m.soundEffect(), Speak{fmt.Sprintf("音量已调到 %d 级", m.volLevel)})
	case ToggleVoice:
		m.voiceOn = !m.voiceOn
		fx.add(m.soundEffect())
		if m.voiceOn {
			fx.add(Speak{"语音提示已打开"})
		}
	}
}

// resetSound restores the default voice settings; Handle reports them.
func (m *Machine) resetSound() {
	if m.volLevel != DefaultVolumeLevel || !m.voiceOn {
		m.volLevel, m.voiceOn = DefaultVolumeLevel, true
		m.soundReset = true
	}
}

// textFocus reports whether the focused field takes Chinese text.
func (m *Machine) textFocus() bool {
	if m.screen != ScreenForm || m.focus == "" {
		return false
	}
	f, ok := m.field(m.focus)
	return ok && usesIME(f.Type)
}

// usesIME reports whether a field type is typed with the pinyin input method.
func usesIME(t catalog.FieldType) bool {
	switch t {
	case catalog.FieldDigits, catalog.FieldPhone, catalog.FieldDate, catalog.FieldChoice,
		catalog.FieldAmount, catalog.FieldIDNumber, catalog.FieldFromCard, catalog.FieldTracking:
		return false
	}
	return true
}

func (m *Machine) engine() *ime.Engine {
	if m.o.IME == nil {
		m.o.IME = ime.Default()
	}
	return m.o.IME
}

// setPinyin replaces the pinyin letters and recomputes the candidates:
// the input method's, then the letters themselves (for Latin text).
func (m *Machine) setPinyin(p []rune) {
	m.pinyin, m.candFrom = p, 0
	clear(m.cands)
	m.cands = m.cands[:0]
	if len(p) == 0 {
		m.pinyin, m.cands = nil, nil
		m.clearPad() // the writing pad's ink goes with its candidates
		return
	}
	s := string(p)
	m.cands = append(m.cands, m.engine().Lookup(s, maxCandidates)...)
	m.cands = append(m.cands, ime.Candidate{Text: s, Len: len(s)})
}

// inputAction handles pinyin entry on a focused text field.
func (m *Machine) inputAction(ev Event) {
	if !m.textFocus() {
		return
	}
	switch e := ev.(type) {
	case PinyinKey:
		r := e.R
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		if r >= 'a' && r <= 'z' && len(m.pinyin) < maxPinyin {
			m.setPinyin(append(m.pinyin, r))
		}
	case PinyinBackspace:
		if n := len(m.pinyin); n > 0 {
			m.setPinyin(m.pinyin[:n-1])
			return
		}
		v := m.values[m.focus]
		if v != "" {
			_, n := utf8.DecodeLastRuneInString(v)
			m.setValue(m.focus, v[:len(v)-n])
		}
	case PickCandidate:
		for _, c := range m.cands {
			if c.Text == e.Text {
				m.setValue(m.focus, m.values[m.focus]+c.Text)
				m.setPinyin(m.pinyin[min(c.Len, len(m.pinyin)):])
				return
			}
		}
	case CandidatePage:
		m.candFrom = min(max(e.From, 0), max(len(m.cands)-1, 0))
	}
}

// imeView fills the input method's part of the view.
func (m *Machine) imeView(v *View) {
	if !m.textFocus() {
		return
	}
	m.padView(v)
	v.Pinyin = string(m.pinyin)
	v.CandFrom = m.candFrom
	if len(m.cands) > 0 {
		v.Candidates = make([]string, len(m.cands))
		for i, c := range m.cands {
			v.Candidates[i] = c.Text
		}
	}
}
