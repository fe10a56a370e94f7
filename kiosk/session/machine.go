package session

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/ime"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// Machine is one kiosk's journey state. Create it with New; drive it with
// Handle; draw View.
type Machine struct {
	o Opts
	t *Timeouts

	now       time.Time
	rev       uint64
	lastTick  tickKey
	screen    Screen
	since     time.Time // when the screen was entered
	activity  time.Time // last resident action
	presence  time.Time // last presence seen
	warned    bool      // inactivity dialog spoken
	extended  int
	help      bool
	elder     bool
	maint     bool // under maintenance
	maintNext bool // go under maintenance when the session ends
	active    bool // a session is running (personal data may exist)

	cat       *catalog.Catalog
	category  string
	query     []rune
	svc       *catalog.Service
	guideFrom Screen

	card         *identity.Card
	cardOnReader bool
	confirmed    bool
	cardFromCode bool // card came from an electronic ID code, not the reader (idcode.go)
	idVerifying  bool // an electronic ID code is with the backend
	values       map[string]string
	errs         map[string]string
	focus        string

	tx        *txn.Transaction
	result    *txn.Result
	resTitle  string
	resMsg    string
	printSt   PrintState
	notice    string
	endReason string

	// The end of a matter (outcome.go): the slip, the text message, 重试.
	slipWanted bool      // the matter gives a slip
	printSince time.Time // when the slip was asked for
	paperBack  bool      // the printer said it has paper again
	smsSt      SMSState
	smsSince   time.Time
	retries    int

	// The card as the reader knows it (card.go); cardUsed: a card was read
	// in this session; cardLeft: one waits on the reader after it.
	cardState     CardState
	cardUsed      bool
	cardLeft      bool
	cardLeftSince time.Time
	remindAt      time.Time

	// Maintenance: when the technician expects the kiosk back (maint.go).
	maintUntil time.Time

	// The form (form.go): the error count is shown until the errors are
	// fixed; the digits typed for dates.
	formChecked bool
	drafts      map[string]string

	index    *catalog.Index
	indexOf  *catalog.Catalog
	searcher *catalog.Searcher

	// Voice settings (reset when a session ends) and pinyin entry.
	volLevel   int
	voiceOn    bool
	soundReset bool // defaults restored: report them
	pinyin     []rune
	cands      []ime.Candidate
	candFrom   int
	pad        pad // the writing pad (handwriting.go)

	doc   docStage  // the A4 document of a print matter (document.go)
	pay   payStage  // the payment stage of a payment matter (payment.go)
	face  faceStage // the face check of a face_check matter (face.go)
	camOn bool      // the camera is on for the face check

	call      callStage  // a call to the duty desk (call.go)
	staff     staffStage // 帮办模式 (staff.go)
	callAbout string     // the matter a callback request is about
}

// New returns a Machine on the attract screen (or out of service when
// there is no catalog).
func New(opts *Opts) *Machine {
	o := opts.withDefaults()
	m := &Machine{o: o, t: o.Timeouts}
	m.now = o.Now()
	m.presence = m.now
	m.screen = ScreenAttract
	m.since, m.activity = m.now, m.now
	if o.Catalog() == nil {
		m.screen = ScreenOutOfService
	}
	m.volLevel, m.voiceOn = DefaultVolumeLevel, true
	m.cardState = CardAbsent
	m.rev = 1
	m.lastTick = m.tickKey()
	return m
}

// Screen returns the current screen.
func (m *Machine) Screen() Screen { return m.screen }

// Handle applies one event and returns the effects the daemon must carry out.
func (m *Machine) Handle(ev Event) []Effect {
	if ev == nil {
		return nil
	}
	if t, ok := ev.(Tick); ok && !t.Now.IsZero() {
		m.now = t.Now
	} else {
		m.now = m.o.Now()
	}
	var fx effects
	if _, ok := ev.(Tick); !ok {
		m.rev++
	}
	switch {
	case isUserAction(ev) || isEndAction(ev):
		m.user(ev, &fx)
	default:
		m.device(ev, &fx)
	}
	m.timers(&fx)
	m.callTimers(&fx)
	if m.soundReset {
		m.soundReset = false
		e := m.soundEffect()
		e.Default = true
		fx.add(e)
	}
	if !m.voiceOn {
		fx = slices.DeleteFunc(fx, func(e Effect) bool { _, ok := e.(Speak); return ok })
	}
	if k := m.tickKey(); k != m.lastTick {
		m.lastTick = k
		m.rev++
	}
	return fx
}

type effects []Effect

func (f *effects) add(e ...Effect) { *f = append(*f, e...) }

// interactive reports whether a screen has the inactivity dialog.
func interactive(s Screen) bool {
	switch s {
	case ScreenAttract, ScreenSubmitting, ScreenDone, ScreenOutOfService, ScreenMaintenance:
		return false
	}
	return true
}

func (m *Machine) warning() bool {
	if m.callActive() {
		return false // a resident on the phone is not idle
	}
	if !interactive(m.screen) || (m.screen == ScreenPrinting && m.printSt == PrintBusy) || m.docBusy() || m.payBusy() || m.faceBusy() {
		return false
	}
	if m.screen == ScreenResult {
		return false // the result moves on to the rating by itself
	}
	return m.now.Sub(m.activity) >= m.t.idleFor(m.screen)
}

func (m *Machine) user(ev Event, fx *effects) {
	if m.warning() {
		// The dialog is modal: only "continue" and help pass.
		switch ev.(type) {
		case Continue:
			if m.extended < m.t.MaxExtensions {
				m.extended++
				m.activity, m.warned = m.now, false
			}
		case Help:
			m.openHelp(fx)
		case CloseHelp:
			m.help = false
		case Cancel:
			m.endSession(m.reason(ReasonCancelled), fx)
		}
		return
	}
	m.activity, m.warned = m.now, false
	if m.help {
		if isSoundAction(ev) {
			m.soundAction(ev, fx)
			return
		}
		switch ev.(type) {
		case CloseHelp, Help:
			if m.callActive() {
				return // 挂断 first
			}
			m.help, m.call = false, callStage{}
		case CallDesk:
			m.placeCall(fx)
		case HangUp:
			m.hangUp(fx)
		case RequestCallback:
			if (m.call.state == CallNoAnswer || m.call.state == CallFailed) && m.callbackPossible() {
				m.help, m.call = false, callStage{}
				m.requestCallback(fx)
			}
		case OpenStaffMode:
			m.openStaffMode(fx)
		case RequestHomeVisit:
			if !m.callActive() && m.callbackPossible() && m.homeVisitTownships() > 0 {
				m.help, m.call = false, callStage{}
				m.ensureSession()
				m.requestHomeVisit(fx)
			}
		case Cancel:
			if m.callActive() {
				return
			}
			m.help, m.call = false, callStage{}
			m.cancel(fx)
		}
		return
	}
	switch {
	case isSoundAction(ev):
		m.soundAction(ev, fx)
		return
	case m.staffAction(ev, fx):
		return
	case isInputAction(ev):
		m.inputAction(ev)
		return
	case isPadAction(ev):
		m.padAction(ev, fx)
		return
	case m.docAction(ev, fx):
		return
	case m.payAction(ev, fx):
		return
	case m.faceAction(ev, fx):
		return
	}
	switch e := ev.(type) {
	case Help:
		m.openHelp(fx)
	case CloseHelp:
	case CallDesk:
		m.placeCall(fx)
	case RequestHomeVisit:
		if m.screen == ScreenElsewhere && m.svc != nil && m.svc.HomeVisit {
			m.requestHomeVisit(fx)
		}
	case Start:
		m.start(fx)
	case ToggleElder:
		m.elder = !m.elder
		if m.screen == ScreenAttract {
			m.start(fx)
		}
	case ChooseCategory:
		if m.screen == ScreenHome || m.screen == ScreenCategory {
			if m.findCategory(e.ID) != nil {
				m.category = e.ID
				m.goTo(ScreenCategory, fx)
			}
		}
	case OpenSearch:
		if m.screen == ScreenHome || m.screen == ScreenCategory {
			m.query = m.query[:0]
			m.goTo(ScreenSearch, fx)
		}
	case SearchKey:
		if m.screen == ScreenSearch && len(m.query) < 16 {
			r := e.R
			if r >= 'A' && r <= 'Z' {
				r += 'a' - 'A'
			}
			if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
				m.query = append(m.query, r)
			}
		}
	case SearchBackspace:
		if m.screen == ScreenSearch && len(m.query) > 0 {
			m.query = m.query[:len(m.query)-1]
		}
	case ChooseService:
		switch m.screen {
		case ScreenHome, ScreenCategory, ScreenSearch:
			if s := m.findService(e.ID); s != nil {
				m.svc, m.guideFrom = s, m.screen
				if ok, _ := m.doableHere(s); !ok {
					m.goTo(ScreenElsewhere, fx)
				} else {
					m.goTo(ScreenGuide, fx)
				}
			}
		}
	case Back:
		m.back(fx)
	case Home:
		m.home(fx)
	case Continue:
		m.next(fx)
	case ConfirmIdentity:
		if m.screen == ScreenIdentify && m.card != nil && cardProblem(m.card, m.now) == "" {
			m.confirmed = true
			m.prefill()
			if m.wantsFace() {
				m.startFace(fx)
			} else if len(m.editable()) > 0 {
				m.goTo(ScreenForm, fx)
			} else {
				m.goTo(ScreenConfirm, fx)
			}
		}
	case FieldFocus:
		if m.screen == ScreenForm && m.fieldEditable(e.ID) {
			if m.focus != e.ID {
				m.setPinyin(nil)
			}
			m.focus = e.ID
		}
	case FieldInput:
		if m.screen == ScreenForm && m.fieldEditable(e.ID) {
			m.setValue(e.ID, e.Value)
			m.assistValueSet(e.ID)
		}
	case Submit:
		switch m.screen {
		case ScreenForm:
			m.formChecked = true
			if n := m.validateAll(); n > 0 {
				fx.add(Speak{m.formNotice()})
			} else {
				m.goTo(ScreenConfirm, fx)
			}
		case ScreenConfirm:
			m.submit(fx)
		}
	case Rate:
		if m.screen == ScreenRating && e.Score >= 1 && e.Score <= 5 {
			if m.tx != nil {
				fx.add(SendRating{TxID: m.tx.ID, Score: e.Score})
			}
			m.endSession(ReasonFinished, fx)
		}
	case SkipRating:
		if m.screen == ScreenRating {
			m.endSession(ReasonFinished, fx)
		}
	case Finish:
		switch m.screen {
		case ScreenDone:
			m.goAttract(fx)
		case ScreenRating:
			m.endSession(ReasonFinished, fx)
		case ScreenResult, ScreenPrinting:
			if m.printSt != PrintBusy {
				m.endSession(ReasonFinished, fx)
			}
		}
	case Cancel:
		m.cancel(fx)
	case Retry, Reprint, RequestSMS, DateDigits:
		m.endAction(ev, fx)
	}
}

func (m *Machine) cancel(fx *effects) {
	switch m.screen {
	case ScreenAttract, ScreenDone, ScreenOutOfService, ScreenMaintenance, ScreenSubmitting:
		return
	case ScreenDocument:
		if m.docBusy() {
			return
		}
	case ScreenResult, ScreenPrinting:
		if m.printSt == PrintBusy {
			return // the slip is coming out
		}
	}
	m.endSession(m.reason(ReasonCancelled), fx)
}

// reason is r, or "finished" once the matter was submitted.
func (m *Machine) reason(r string) string {
	if m.tx != nil {
		return ReasonFinished
	}
	return r
}

func (m *Machine) openHelp(fx *effects) {
	m.help = true
	fx.add(Speak{m.helpText()})
}

func (m *Machine) start(fx *effects) {
	switch m.screen {
	case ScreenAttract:
		c := m.o.Catalog()
		if !m.anythingWorks(c) {
			m.goTo(ScreenOutOfService, fx)
			return
		}
		m.cat, m.active = c, true
		m.goTo(ScreenHome, fx)
	case ScreenGuide:
		if m.svc == nil {
			return
		}
		if ok, why := m.availability(m.svc); !ok {
			m.notice = why
			fx.add(Speak{why})
			return
		}
		m.beginMatter(fx)
	}
}

func (m *Machine) beginMatter(fx *effects) {
	m.confirmed, m.formChecked = false, false
	m.values, m.errs, m.focus = map[string]string{}, map[string]string{}, ""
	clear(m.drafts)
	m.drafts = nil
	switch {
	case m.svc.NeedsIDCard:
		m.goTo(ScreenIdentify, fx)
	case len(m.editable()) > 0:
		m.goTo(ScreenForm, fx)
	default:
		m.goTo(ScreenConfirm, fx)
	}
}

func (m *Machine) back(fx *effects) {
	switch m.screen {
	case ScreenCategory, ScreenSearch:
		m.goTo(ScreenHome, fx)
	case ScreenGuide, ScreenElsewhere:
		from := m.guideFrom
		if from == "" {
			from = ScreenHome
		}
		m.svc = nil
		m.goTo(from, fx)
	case ScreenIdentify:
		m.confirmed = false
		m.goTo(ScreenGuide, fx)
	case ScreenForm:
		m.focus = ""
		if m.svc.NeedsIDCard {
			m.confirmed = false
			m.goTo(ScreenIdentify, fx)
		} else {
			m.goTo(ScreenGuide, fx)
		}
	case ScreenConfirm:
		switch {
		case len(m.editable()) > 0:
			m.goTo(ScreenForm, fx)
		case m.svc.NeedsIDCard:
			m.confirmed = false
			m.goTo(ScreenIdentify, fx)
		default:
			m.goTo(ScreenGuide, fx)
		}
	}
}

func (m *Machine) home(fx *effects) {
	switch m.screen {
	case ScreenCategory, ScreenSearch, ScreenGuide, ScreenElsewhere, ScreenIdentify, ScreenForm, ScreenConfirm:
		m.dropMatter()
		m.goTo(ScreenHome, fx)
	case ScreenRating:
		m.endSession(ReasonFinished, fx)
	case ScreenResult, ScreenPrinting:
		if m.printSt != PrintBusy {
			m.endSession(ReasonFinished, fx)
		}
	case ScreenDone:
		m.goAttract(fx)
	}
}

// dropMatter forgets the chosen matter and what was typed for it; the card
// stays (it is still on the reader) until it is removed or the session ends.
func (m *Machine) dropMatter() {
	clear(m.values)
	clear(m.drafts)
	m.values, m.errs, m.focus, m.drafts, m.formChecked = nil, nil, "", nil, false
	m.svc, m.confirmed = nil, false
	m.face = faceStage{} // each matter checks the face itself
}

func (m *Machine) device(ev Event, fx *effects) {
	if m.deviceFirst(ev, fx) {
		return
	}
	switch e := ev.(type) {
	case CardPresent:
		m.cardPresent(e.Card, fx)
	case CardRemoved:
		m.cardOnReader = false
		if m.cardFromCode {
			break // the identity came from a code; no card was on the reader
		}
		switch m.screen {
		case ScreenIdentify:
			m.wipeCard()
			m.confirmed = false
		case ScreenForm, ScreenConfirm, ScreenFace:
			m.wipeCard()
			if m.svc != nil && m.svc.NeedsIDCard {
				clear(m.values)
				m.values, m.errs, m.focus, m.confirmed = map[string]string{}, map[string]string{}, "", false
				m.goTo(ScreenIdentify, fx)
				m.notice = "身份证已移开，请重新放置身份证"
				fx.add(Speak{m.notice})
			}
		case ScreenHome, ScreenCategory, ScreenSearch, ScreenGuide:
			m.wipeCard()
		}
	case HelpButton:
		// The cabinet's help button calls a person at once.
		switch m.screen {
		case ScreenMaintenance, ScreenOutOfService:
			m.openHelp(fx)
		case ScreenAttract:
			m.presence = m.now
			m.openHelp(fx)
		default:
			m.activity, m.warned = m.now, false
			m.openHelp(fx)
		}
		m.placeCall(fx)
	case CallUpdate:
		m.callUpdate(e, fx)
	case StaffChecked:
		m.staffChecked(e, fx)
	case Presence:
		m.presence = m.now
	case DevicesChanged:
	case Submitted:
		m.submitted(e, fx)
	case Printed:
		m.printed(e.Err, fx)
	case DocumentFetched:
		m.documentFetched(e, fx)
	case A4Progress:
		m.a4Progress(e)
	case A4Printed:
		m.a4Printed(e, fx)
	case Scanned:
		m.scanned(e.Text, fx)
	case IdentityVerified:
		m.identityVerified(e, fx)
	case CameraStarted:
		m.cameraStarted(e, fx)
	case FaceChecked:
		m.faceChecked(e, fx)
	case PaymentOpened:
		m.paymentOpened(e, fx)
	case PaymentUpdate:
		m.paymentUpdate(e, fx)
	case PaymentRefunded:
		m.paymentRefunded(e, fx)
	case Recognized:
		m.recognized(e)
	case Maintenance:
		m.maintenance(e.On, fx)
	case Tick:
	}
}

func (m *Machine) cardPresent(c *identity.Card, fx *effects) {
	if c == nil {
		return
	}
	m.cardOnReader = true
	switch m.screen {
	case ScreenAttract:
		m.wipeCard()
		m.card = c
		m.start(fx)
		if m.screen != ScreenHome {
			m.wipeCard()
		}
	case ScreenHome, ScreenCategory, ScreenSearch, ScreenGuide, ScreenIdentify:
		m.wipeCard()
		m.card, m.confirmed = c, false
		if m.screen == ScreenIdentify {
			m.notice = ""
			m.rev++
			if p := cardProblem(c, m.now); p != "" {
				fx.add(Speak{p})
			} else {
				fx.add(Speak{"请核对您的身份信息，无误请点确认"})
			}
		}
	case ScreenForm, ScreenConfirm, ScreenFace:
		m.wipeCard()
		m.card = c
		if m.svc != nil && m.svc.NeedsIDCard {
			clear(m.values)
			m.values, m.errs, m.focus, m.confirmed = map[string]string{}, map[string]string{}, "", false
			m.goTo(ScreenIdentify, fx)
		}
	default:
		// Not needed now: do not keep it.
		c.Wipe()
	}
}

func (m *Machine) wipeCard() {
	m.card.Wipe()
	m.card, m.cardFromCode = nil, false
	m.face = faceStage{} // a face check holds for the card it was made with
}

func (m *Machine) maintenance(on bool, fx *effects) {
	if !on {
		m.maint, m.maintNext = false, false
		if m.screen == ScreenMaintenance {
			m.goAttract(fx)
		}
		return
	}
	m.maint = true
	switch m.screen {
	case ScreenSubmitting:
		m.maintNext = true
	case ScreenDocument:
		if m.docBusy() {
			m.maintNext = true
			return
		}
		m.endSession(ReasonFinished, fx)
	case ScreenResult, ScreenPrinting:
		if m.printSt == PrintBusy {
			m.maintNext = true
			return
		}
		m.endSession(ReasonFinished, fx)
	case ScreenAttract, ScreenDone, ScreenOutOfService:
		m.wipe()
		m.goTo(ScreenMaintenance, fx)
	case ScreenMaintenance:
	default:
		m.endSession(m.reason(ReasonMaintenance), fx)
	}
}

func (m *Machine) submit(fx *effects) {
	if m.svc == nil || m.tx != nil {
		return
	}
	if ok, why := m.availability(m.svc); !ok {
		m.notice = why
		fx.add(Speak{why})
		return
	}
	if m.svc.NeedsIDCard && (m.card == nil || !m.confirmed) {
		m.goTo(ScreenIdentify, fx)
		return
	}
	if m.wantsFace() {
		m.startFace(fx)
		return
	}
	tx := &txn.Transaction{
		ID:        txn.NewID(m.now),
		KioskID:   m.o.KioskID,
		ServiceID: m.svc.ID,
		CreatedAt: m.now,
		Fields:    map[string]string{},
	}
	if m.cat != nil {
		tx.CatalogVersion = m.cat.Version
	}
	for _, f := range m.svc.Form {
		v := m.values[f.ID]
		if f.Type == catalog.FieldFromCard {
			v = cardValue(m.card, f.CardField, m.o.Location)
		}
		if v == "" {
			continue
		}
		tx.Fields[f.ID] = v
		if isPersonal(f) {
			tx.Personal = append(tx.Personal, f.ID)
		}
	}
	if m.svc.NeedsIDCard && m.card != nil {
		tx.Person = &txn.Person{CardType: m.card.Type, Name: m.card.Name, IDNumber: m.card.IDNumber}
		if m.cardFromCode {
			tx.Person.Proof = ProofIdentityCode
		}
		if m.svc.FaceCheck {
			tx.Person.FaceVerification = m.face.passed
		}
	}
	m.assistFields(tx)
	m.stampAssisted(tx)
	m.tx = tx
	if m.wantsPayment() {
		m.startPayment(fx) // the money first; the matter goes with its order
		return
	}
	m.sendTx(fx)
}

// sendTx hands the daemon a copy of the transaction: the first time, and
// again on 重试 with the same id, so the backend never takes it twice.
func (m *Machine) sendTx(fx *effects) {
	fx.add(SubmitTx{Tx: m.txCopy(), Service: m.svc}, Light{LightBusy})
	m.goTo(ScreenSubmitting, fx)
}

// txCopy is a copy of the transaction for the host, which owns it.
func (m *Machine) txCopy() txn.Transaction {
	tx := m.tx
	out := *tx
	out.Fields = maps.Clone(tx.Fields)
	out.Personal = append([]string(nil), tx.Personal...)
	if tx.Person != nil {
		p := *tx.Person
		out.Person = &p
	}
	return out
}

func (m *Machine) timers(fx *effects) {
	switch m.screen {
	case ScreenAttract:
		if m.now.Sub(m.activity) >= m.t.idleFor(ScreenHome) && (m.volLevel != DefaultVolumeLevel || !m.voiceOn) {
			// Settings changed on attract by someone who walked away.
			m.resetSound()
			m.rev++
		}
		if m.maint {
			m.goTo(ScreenMaintenance, fx)
		} else if !m.anythingWorks(m.o.Catalog()) {
			m.goTo(ScreenOutOfService, fx)
		} else {
			m.remindCard(fx)
		}
		return
	case ScreenOutOfService:
		if m.maint {
			m.goTo(ScreenMaintenance, fx)
		} else if m.anythingWorks(m.o.Catalog()) {
			m.goAttract(fx)
		}
		return
	case ScreenMaintenance:
		return
	case ScreenSubmitting:
		if m.now.Sub(m.since) >= m.t.Submit {
			m.noAnswer(fx)
		}
		return
	case ScreenDone:
		if m.now.Sub(m.since) >= m.t.Done {
			m.goAttract(fx)
		}
		return
	}
	if m.endTimers(fx) || m.docTimers(fx) || m.payTimers(fx) || m.faceTimers(fx) {
		return
	}
	if m.callActive() {
		m.activity = m.now // on the phone with the duty desk: not idle
		return
	}
	idle := m.now.Sub(m.activity)
	limit := m.t.idleFor(m.screen)
	switch {
	case idle >= limit+m.t.Warning:
		m.endSession(m.reason(ReasonTimeout), fx)
	case idle >= limit && !m.warned:
		m.warned = true
		fx.add(Speak{"您还在吗？如需继续，请点继续办理"}, Light{LightAttention})
	}
}

var (
	errNoAnswer     = errors.New("session: no answer from the daemon")
	errPrintTimeout = errors.New("session: printer did not answer")
)

// goTo enters a screen.
func (m *Machine) goTo(s Screen, fx *effects) {
	if s != ScreenFace {
		m.releaseFace(fx) // the camera is on only for the face check
	}
	m.screen, m.since, m.activity = s, m.now, m.now
	m.warned, m.notice = false, ""
	m.idVerifying = false // an answer that comes after the resident left is dropped
	m.setPinyin(nil)
	if s == ScreenAttract || s == ScreenOutOfService || s == ScreenMaintenance {
		// The resident has gone: elder mode, kept to the done screen, ends.
		// A call under way stays on screen with its 挂断 button.
		m.help, m.elder = m.callActive(), false
	}
	if p := m.prompt(); p != "" && s != ScreenAttract {
		fx.add(Speak{p})
	}
	switch s {
	case ScreenOutOfService, ScreenMaintenance:
		fx.add(Light{LightFault})
	}
}

func (m *Machine) goAttract(fx *effects) {
	if m.active {
		m.endSession(ReasonFinished, fx)
	}
	m.wipe()
	if m.maint || m.maintNext {
		m.maint, m.maintNext = true, false
		m.goTo(ScreenMaintenance, fx)
		return
	}
	m.presence = m.now
	m.goTo(ScreenAttract, fx)
	fx.add(Light{LightReady})
	m.cardLeftOnAttract(fx)
	m.cardUsed = false
}

// endSession wipes everything personal and shows the done screen (with the
// card reminder) or returns to attract.
func (m *Machine) endSession(reason string, fx *effects) {
	m.releasePayment(fx)
	m.endCall(fx)
	wasActive := m.active
	elder := m.elder
	m.wipe()
	m.elder = elder // until the resident has gone (goTo)
	if wasActive {
		fx.add(SessionEnded{Reason: reason})
	}
	m.endReason = reason
	if m.maintNext || (m.maint && reason == ReasonMaintenance) {
		m.maint, m.maintNext = true, false
		m.goTo(ScreenMaintenance, fx)
		return
	}
	if reason == ReasonFinished || m.cardOnReader || m.cardState == CardUnknown && m.cardUsed {
		m.goTo(ScreenDone, fx)
		return
	}
	m.presence = m.now
	m.goTo(ScreenAttract, fx)
	fx.add(Light{LightReady})
	m.cardUsed = false
}

// wipe forgets everything personal and everything about the session.
func (m *Machine) wipe() {
	m.wipeCard()
	clear(m.values)
	clear(m.errs)
	m.values, m.errs, m.focus, m.confirmed = nil, nil, "", false
	m.tx.Wipe()
	if m.tx != nil {
		*m.tx = txn.Transaction{}
	}
	m.tx = nil
	m.clearResult()
	m.wipeDoc()
	m.pay = payStage{} // released by endSession; the host sees it to its end
	m.face = faceStage{}
	m.callAbout = ""
	clear([]byte(m.staff.pin))
	m.staff = staffStage{} // 帮办模式 ends with the session
	m.retries, m.formChecked = 0, false
	clear(m.drafts)
	m.drafts = nil
	clear(m.query)
	m.query = nil
	m.svc, m.category, m.guideFrom, m.cat = nil, "", "", nil
	m.help, m.elder, m.extended, m.warned = m.callActive(), false, 0, false // a call stays on screen until 挂断
	m.notice = ""
	m.active = false
	m.setPinyin(nil)
	m.pad = pad{} // after setPinyin has wiped its ink
	m.resetSound()
}

func (m *Machine) hotline() string {
	c := m.cat
	if c == nil {
		c = m.o.Catalog()
	}
	if c == nil || c.Hotline == "" {
		return "12345"
	}
	return c.Hotline
}

func (m *Machine) helpText() string {
	return "如需帮助，请拨打热线 " + m.hotline() + "，或用手机扫描二维码，请工作人员帮您办理，也可以上门服务。"
}

func (m *Machine) findCategory(id string) *catalog.Category {
	if m.cat == nil {
		return nil
	}
	for i := range m.cat.Categories {
		if m.cat.Categories[i].ID == id {
			return &m.cat.Categories[i]
		}
	}
	return nil
}

func (m *Machine) findService(id string) *catalog.Service {
	if m.cat == nil {
		return nil
	}
	for i := range m.cat.Services {
		if m.cat.Services[i].ID == id {
			return &m.cat.Services[i]
		}
	}
	return nil
}

func isPersonal(f catalog.Field) bool {
	return f.Personal || f.Type == catalog.FieldFromCard || f.Type == catalog.FieldIDNumber || f.CardField != ""
}

func cardValue(c *identity.Card, field string, loc *time.Location) string {
	if c == nil {
		return ""
	}
	switch field {
	case "name":
		return c.Name
	case "id_number":
		return c.IDNumber
	case "sex":
		return c.Sex
	case "nation":
		return c.Nation
	case "birth":
		if c.Birth.IsZero() {
			return ""
		}
		return c.Birth.Format("2006-01-02")
	case "address":
		return c.Address
	case "issuer":
		return c.Issuer
	case "valid_to":
		if c.LongTerm {
			return "长期"
		}
		if c.ValidTo.IsZero() {
			return ""
		}
		return c.ValidTo.Format("2006-01-02")
	}
	return ""
}

// cardProblem says in plain words why a card cannot be used, or "".
func cardProblem(c *identity.Card, now time.Time) string {
	if c == nil {
		return ""
	}
	if c.Type == identity.ResidentID || c.Type == "" {
		if !c.IDNumberValid && !identity.ValidIDNumber(c.IDNumber) {
			return "这张身份证的号码没有通过校验，不能在本机办理。请拨打热线咨询。"
		}
	}
	if !c.LongTerm && !c.ValidTo.IsZero() && now.After(c.ValidTo.AddDate(0, 0, 1)) {
		return "这张证件已过有效期，不能在本机办理。请先换领新证。"
	}
	if strings.TrimSpace(c.Name) == "" && strings.TrimSpace(c.EnglishName) == "" {
		return "没有读到证件上的姓名，请拿起证件重新放置。"
	}
	return ""
}

// Active reports whether a resident's session is running: from the first
// step past the attract screen until everything personal is wiped.
func (m *Machine) Active() bool { return m.active }

// Rev is the view's revision: it changes whenever View would change.
func (m *Machine) Rev() uint64 { return m.rev }
