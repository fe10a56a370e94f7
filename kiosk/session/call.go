package session

import "time"

// A call to a person (呼叫帮办): the help overlay's button, or the
// cabinet's help button, places a voice call to the assisted-service duty
// desk; the resident's session stays where it was under the overlay. If
// nobody answers in time the overlay offers a callback: the resident
// leaves a phone number and gets a ticket (assist.go).

// CallState is how a call to the duty desk is going.
type CallState string

// Call states.
const (
	CallNone      CallState = ""
	CallDialing   CallState = "dialing"   // 正在呼叫…
	CallConnected CallState = "connected" // 已接通
	CallEnded     CallState = "ended"     // 通话结束
	CallNoAnswer  CallState = "no_answer" // nobody answered in time, or the desk was busy
	CallFailed    CallState = "failed"    // the phone could not call
)

// Events of a call.
type (
	// CallDesk: 呼叫帮办 was tapped.
	CallDesk struct{}
	// HangUp: 挂断 was tapped.
	HangUp struct{}
	// RequestCallback: 留下电话等回电 was tapped.
	RequestCallback struct{}
	// CallUpdate is the phone's news of the call: ringing, answered, or
	// ended (Reason: hangup, busy, no_answer, failed).
	CallUpdate struct {
		Answered bool
		Ended    bool
		Reason   string
	}
)

func (CallDesk) isEvent()        {}
func (HangUp) isEvent()          {}
func (RequestCallback) isEvent() {}
func (CallUpdate) isEvent()      {}

// Effects of a call.
type (
	// PlaceCall asks the phone to call the duty desk (the host picks the
	// day or night desk from its config).
	PlaceCall struct{}
	// EndCall asks the phone to hang up.
	EndCall struct{}
)

func (PlaceCall) isEffect() {}
func (EndCall) isEffect()   {}

// CallView is the call as the help overlay shows it.
type CallView struct {
	State   CallState
	Seconds int    // since dialing, or since answered once connected
	Text    string // what is happening, in plain words
	// CanCallback: offer 留下电话等回电.
	CanCallback bool
}

type callStage struct {
	state    CallState
	since    time.Time // dialing started
	answered time.Time
	reason   string
}

// DefaultCallAnswer is how long a call rings before the kiosk offers a
// callback, when Opts.CallAnswer is zero.
const DefaultCallAnswer = 45 * time.Second

func (m *Machine) callActive() bool {
	return m.call.state == CallDialing || m.call.state == CallConnected
}

// placeCall starts a call when the kiosk has a phone and none is on.
func (m *Machine) placeCall(fx *effects) {
	if !m.o.Calls || m.callActive() {
		return
	}
	m.help = true
	m.call = callStage{state: CallDialing, since: m.now}
	fx.add(PlaceCall{}, Speak{"正在呼叫" + m.assistName() + "，请稍等"})
}

func (m *Machine) hangUp(fx *effects) {
	if !m.callActive() {
		return
	}
	fx.add(EndCall{})
	if m.call.state == CallConnected {
		m.call.state = CallEnded
	} else {
		m.call = callStage{}
	}
}

func (m *Machine) callUpdate(e CallUpdate, fx *effects) {
	if !m.callActive() {
		return // a call the resident already hung up
	}
	switch {
	case e.Ended && m.call.state == CallConnected:
		m.call.state = CallEnded
		fx.add(Speak{"通话已结束"})
	case e.Ended:
		m.call.state, m.call.reason = CallNoAnswer, e.Reason
		if e.Reason == "failed" {
			m.call.state = CallFailed
		}
		fx.add(Speak{m.callText()})
	case e.Answered:
		m.call.state, m.call.answered = CallConnected, m.now
		fx.add(Speak{"已接通，请讲"})
	}
	m.activity = m.now
}

// callTimers gives up a call nobody answered.
func (m *Machine) callTimers(fx *effects) {
	if m.call.state != CallDialing {
		return
	}
	wait := m.o.CallAnswer
	if wait <= 0 {
		wait = DefaultCallAnswer
	}
	if m.now.Sub(m.call.since) >= wait {
		fx.add(EndCall{})
		m.call.state, m.call.reason = CallNoAnswer, "no_answer"
		m.activity = m.now
		fx.add(Speak{m.callText()})
		m.rev++
	}
}

func (m *Machine) callText() string {
	name := m.assistName()
	switch m.call.state {
	case CallDialing:
		return "正在呼叫" + name + "值班人员…"
	case CallConnected:
		return "已接通，请对着屏幕说话。"
	case CallEnded:
		return "通话已结束。"
	case CallNoAnswer:
		return "值班人员正在忙，暂时没有接听。您可以留下电话，工作人员会打给您；也可以拨打热线 " + m.hotline() + "。"
	case CallFailed:
		return "暂时打不通。您可以留下电话，工作人员会打给您；也可以拨打热线 " + m.hotline() + "。"
	}
	return ""
}

func (m *Machine) callView() *CallView {
	if m.call.state == CallNone {
		return nil
	}
	v := &CallView{State: m.call.state, Text: m.callText()}
	switch m.call.state {
	case CallDialing:
		v.Seconds = int(m.now.Sub(m.call.since) / time.Second)
	case CallConnected:
		v.Seconds = int(m.now.Sub(m.call.answered) / time.Second)
	case CallNoAnswer, CallFailed:
		v.CanCallback = m.callbackPossible()
	}
	return v
}

// callbackPossible: the callback form can be opened (not while a matter
// is being sent or paid for: the resident finishes that first).
func (m *Machine) callbackPossible() bool {
	switch m.screen {
	case ScreenSubmitting, ScreenPayment, ScreenDocument, ScreenOutOfService, ScreenMaintenance:
		return false
	}
	return m.tx == nil && m.o.Catalog() != nil
}

// endCall hangs up whatever call is on: the session is ending.
func (m *Machine) endCall(fx *effects) {
	if m.callActive() {
		fx.add(EndCall{})
	}
	m.call = callStage{}
}
