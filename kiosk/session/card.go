package session

import (
	"time"

	"github.com/henan-county/kiosk/kiosk/devices"
)

// CardState is what the card reader knows about a card on it.
type CardState string

// Card states. A reader that is offline or faulty cannot tell; the
// resident is then told to look, not that the card is there.
const (
	CardAbsent   CardState = "absent"
	CardOnReader CardState = "on_reader"
	CardUnknown  CardState = "unknown"
)

// CardPresence is the card reader's report of whether a card is on it,
// for readers (and reader faults) that can say "I do not know". CardPresent
// (a card read) and CardRemoved stay as they are: CardRemoved is
// CardPresence{CardAbsent}; CardPresence{CardOnReader} is a card the
// reader feels but has not read.
type CardPresence struct{ State CardState }

func (CardPresence) isEvent() {}

// Card reminders on the attract screen when a card is left behind: one
// every cardRemindEvery for the first cardRemindFast, then every
// cardRemindSlow until the card is taken, as bank machines do. Slower
// after the first minutes so an empty hall is not nagged all night.
const (
	cardRemindEvery = 20 * time.Second
	cardRemindFast  = 2 * time.Minute
	cardRemindSlow  = 2 * time.Minute
)

// cardLeftPrompt is said and shown while a card waits on the reader.
const cardLeftPrompt = "有身份证留在" + WordReader + "，请取走"

// setCardState records what the reader knows.
func (m *Machine) setCardState(s CardState, fx *effects) {
	if m.cardState == s {
		return
	}
	m.cardState = s
	m.cardOnReader = s == CardOnReader
	m.rev++
	if m.cardLeft && s != CardOnReader {
		// Taken (or the reader can no longer tell: say nothing it does not know).
		m.cardLeft = false
		if m.screen == ScreenAttract {
			fx.add(Light{LightReady})
		}
	}
}

// cardPresence handles CardPresence.
func (m *Machine) cardPresence(s CardState, fx *effects) {
	switch s {
	case CardAbsent:
		m.device(CardRemoved{}, fx)
	case CardOnReader, CardUnknown:
		m.setCardState(s, fx)
	}
}

// readerKnows re-reads the card reader's device state: a reader that is
// down cannot tell whether a card is on it.
func (m *Machine) readerKnows(fx *effects) {
	if m.deviceUsable(devices.KindIDCard) || m.cardState == CardUnknown {
		return
	}
	if m.cardState == CardOnReader || m.cardUsed {
		m.setCardState(CardUnknown, fx)
	}
}

// cardLeftOnAttract starts the reminders: called when the attract screen
// comes back with a card still on the reader.
func (m *Machine) cardLeftOnAttract(fx *effects) {
	if m.cardState != CardOnReader {
		m.cardLeft = false
		return
	}
	m.cardLeft = true
	m.cardLeftSince = m.now
	m.remindAt = m.now.Add(cardRemindEvery)
	fx.add(Light{LightAttention})
}

// remindCard speaks the reminder when it is due.
func (m *Machine) remindCard(fx *effects) {
	if !m.cardLeft || m.now.Before(m.remindAt) {
		return
	}
	fx.add(Speak{cardLeftPrompt}, Light{LightAttention})
	every := cardRemindEvery
	if m.now.Sub(m.cardLeftSince) >= cardRemindFast {
		every = cardRemindSlow
	}
	m.remindAt = m.now.Add(every)
}

// doneWords are the done screen's title and prompt: only what the reader
// knows about the card.
func (m *Machine) doneWords() (title, prompt string) {
	switch {
	case m.cardState == CardOnReader:
		return "请取回身份证", "请取回您的身份证，它还在" + WordReader + "。谢谢使用"
	case m.cardState == CardUnknown && m.cardUsed:
		return "请带好身份证", "请看一下" + WordReader + "，别忘了带走身份证。谢谢使用"
	}
	return "谢谢使用", "谢谢使用，再见"
}

// deviceFirst handles what the device and daemon events tell the card,
// the slip and the maintenance screen, before the journey's own handling
// (machine.go); it reports whether the event was handled in full.
func (m *Machine) deviceFirst(ev Event, fx *effects) bool {
	switch e := ev.(type) {
	case CardPresent:
		if e.Card != nil {
			if m.active || m.screen == ScreenAttract {
				m.cardUsed = true
			}
			m.setCardState(CardOnReader, fx)
		}
	case CardRemoved:
		m.setCardState(CardAbsent, fx)
		if (m.screen == ScreenForm || m.screen == ScreenConfirm) && m.svc != nil && m.svc.NeedsIDCard {
			clear(m.drafts) // the form starts again with the card
			m.drafts, m.formChecked = nil, false
		}
	case CardPresence:
		m.cardPresence(e.State, fx)
		return true
	case DevicesChanged:
		m.readerKnows(fx)
		m.printerChanged(fx)
		m.docPrinterChanged(fx)
	case SMSSent:
		m.smsSent(e.Err, fx)
		return true
	case Maintenance:
		m.maintUntil = time.Time{}
		if e.On {
			m.maintUntil = e.Until
		}
	}
	return false
}
