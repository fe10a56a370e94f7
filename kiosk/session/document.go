package session

import (
	"fmt"
	"image"
	"strconv"
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// The A4 document of a print matter (打印类事项): once the backend has
// issued the proof, the kiosk fetches it (FetchDocument → DocumentFetched),
// shows its first page large with one button 打印 N 页 (PrintDocument →
// PrintA4), follows the job page by page (A4Progress) to its end
// (A4Printed): 请取走打印件 with the output-slot light on, or the fault in
// plain words with the document kept for a reprint and the hotline. The
// thermal slip, where the matter gives one, then says how many A4 pages
// were printed.

// ScreenDocument shows the document of a print matter and follows its
// printing.
const ScreenDocument Screen = "document"

// DocState is where the document stage is.
type DocState string

// Document states.
const (
	DocFetching DocState = "fetching"  // being downloaded and checked
	DocReady    DocState = "ready"     // preview shown, 打印 N 页 offered
	DocPrinting DocState = "printing"  // 正在打印第 k/N 页
	DocTake     DocState = "take"      // printed: 请取走打印件
	DocStopped  DocState = "fault"     // the printer stopped: kept for a reprint
	DocRefused  DocState = "refused"   // the document failed its checks: nothing printed
	DocNoFetch  DocState = "unreached" // the document could not be fetched
)

// DocFault is why the document stage stopped, as the host reports it.
type DocFault string

// Faults of the document stage. The first two come with DocumentFetched,
// the rest with A4Printed.
const (
	FaultNone       DocFault = ""
	FaultRefused    DocFault = "refused"     // too large, wrong hash, not a PDF, or none issued
	FaultUnreached  DocFault = "unreached"   // the backend did not answer
	FaultPaperOut   DocFault = "paper_out"   // the printer ran out of paper
	FaultJam        DocFault = "jam"         // paper jam
	FaultDoorOpen   DocFault = "door_open"   // a printer door or cover is open
	FaultTonerEmpty DocFault = "toner_empty" // no toner
	FaultOffline    DocFault = "offline"     // the printer (or the print service) does not answer
	FaultFailed     DocFault = "failed"      // any other end of a job that did not print
)

// Document is the fetched, checked document as the host hands it to the
// Machine. Preview is its first page rendered for the screen; it shows
// the resident's data, so the Machine wipes its pixels when the session
// ends (the screen's copy goes with the view).
type Document struct {
	Title            string // e.g. 户籍证明
	Department       string // the issuing department
	Pages            int
	VerificationCode string
	Preview          image.Image
}

// Resident actions of the document stage.
type (
	// PrintDocument prints the document shown (打印 N 页).
	PrintDocument struct{}
	// ReprintDocument prints the kept document again after a fault, once
	// the printer works.
	ReprintDocument struct{}
)

// Host reports of the document stage.
type (
	// DocumentFetched answers FetchDocument: the document, or why not.
	DocumentFetched struct {
		TxID  string
		Doc   *Document
		Fault DocFault
	}
	// A4Progress: the printer has printed Page of Pages.
	A4Progress struct {
		TxID        string
		Page, Pages int
	}
	// A4Printed answers PrintA4: FaultNone when every page came out.
	A4Printed struct {
		TxID  string
		Fault DocFault
	}
)

// Effects of the document stage.
type (
	// FetchDocument asks the host to fetch, check and keep the document
	// the backend issued for transaction TxID, render its first page, and
	// post DocumentFetched.
	FetchDocument struct{ TxID string }
	// PrintA4 asks the host to print the kept document on the A4 printer,
	// post A4Progress as pages come out and A4Printed at the job's end.
	PrintA4 struct {
		TxID    string
		Title   string // the matter, for the job's name (nothing personal)
		Pages   int
		Reprint bool
	}
	// SlotLight turns the output-slot light on (the pages wait there) or
	// off.
	SlotLight struct{ On bool }
)

func (PrintDocument) isEvent()   {}
func (ReprintDocument) isEvent() {}
func (DocumentFetched) isEvent() {}
func (A4Progress) isEvent()      {}
func (A4Printed) isEvent()       {}
func (FetchDocument) isEffect()  {}
func (PrintA4) isEffect()        {}
func (SlotLight) isEffect()      {}

// DocumentView is the document stage as shown (ScreenDocument).
type DocumentView struct {
	State      DocState
	Title      string // the document's title
	Department string
	Pages      int
	// Page is the page being printed (1-based; 0 before the first).
	Page int
	// Progress is 正在打印第 2/3 页 while printing, "" otherwise.
	Progress         string
	VerificationCode string
	// Preview is the first page (DocReady and after); nil before. It is
	// the Machine's image: draw it, do not change it.
	Preview image.Image
	// PrintLabel is the big button: 打印 3 页; "" when printing is not
	// offered now.
	PrintLabel string
	// Message says what happened in plain words (take, fault, refused,
	// unreached), with the hotline where the resident needs help.
	Message string
	// CanReprint: after a fault, the printer works again and 重新打印
	// can be tapped. WaitPrinter: it does not yet.
	CanReprint, WaitPrinter bool
}

// PrintLabel is the words of the print button for n pages.
func PrintLabel(n int) string { return "打印 " + strconv.Itoa(n) + " 页" }

// ProgressText is 正在打印第 k/N 页.
func ProgressText(page, pages int) string {
	if page < 1 {
		page = 1
	}
	return "正在打印第 " + strconv.Itoa(page) + "/" + strconv.Itoa(pages) + " 页"
}

// docStage is the Machine's document stage of the current matter.
type docStage struct {
	state    DocState
	txID     string
	doc      *Document
	page     int
	fault    DocFault
	since    time.Time // when the state was entered
	back     bool      // after a fault: the printer works again
	printed  int       // pages printed (the slip says so)
	reprints int
}

// maxDocReprints is how often 重新打印 is offered to the resident; a
// technician can reprint a kept document any number of times.
const maxDocReprints = 3

// wantsDocument reports whether the matter's result is an A4 document:
// a print matter the backend has done, on a kiosk with an A4 printer.
func (m *Machine) wantsDocument(r *txn.Result) bool {
	return m.svc != nil && m.svc.Kind == catalog.KindPrint && m.o.Documents && r.Outcome == txn.Completed
}

// startDocument asks for the document once the backend has issued it.
func (m *Machine) startDocument(fx *effects) {
	m.doc = docStage{state: DocFetching, txID: m.tx.ID, since: m.now}
	fx.add(FetchDocument{TxID: m.tx.ID})
	m.goTo(ScreenDocument, fx)
}

func (m *Machine) docState(s DocState) {
	m.doc.state, m.doc.since = s, m.now
	m.rev++
}

// documentFetched takes the host's answer to FetchDocument.
func (m *Machine) documentFetched(e DocumentFetched, fx *effects) {
	if m.screen != ScreenDocument || m.doc.state != DocFetching || e.TxID != m.doc.txID {
		wipeDocument(e.Doc) // an answer for an earlier session
		return
	}
	m.activity = m.now
	switch {
	case e.Fault == FaultNone && e.Doc != nil && e.Doc.Pages > 0:
		m.doc.doc = e.Doc
		m.docState(DocReady)
		fx.add(Speak{m.docPrompt()}, Light{LightReady})
	case e.Fault == FaultUnreached:
		wipeDocument(e.Doc)
		m.docState(DocNoFetch)
		fx.add(Speak{m.docPrompt()}, Light{LightAttention})
	default:
		wipeDocument(e.Doc)
		m.docState(DocRefused)
		fx.add(Speak{m.docPrompt()}, Light{LightAttention})
	}
}

// printDocument starts (or restarts) the A4 job.
func (m *Machine) printDocument(reprint bool, fx *effects) {
	d := m.doc.doc
	title := d.Title
	if m.svc != nil {
		title = m.svc.Name
	}
	m.doc.page, m.doc.fault, m.doc.back = 0, FaultNone, false
	m.docState(DocPrinting)
	fx.add(PrintA4{TxID: m.doc.txID, Title: title, Pages: d.Pages, Reprint: reprint}, Light{LightBusy}, SlotLight{On: false})
	fx.add(Speak{"正在打印，请稍候"})
}

// a4Progress: a page came out.
func (m *Machine) a4Progress(e A4Progress) {
	if m.screen != ScreenDocument || m.doc.state != DocPrinting || e.TxID != m.doc.txID {
		return
	}
	if e.Page > m.doc.page && e.Page <= m.doc.doc.Pages {
		m.doc.page = e.Page
		m.doc.since = m.now // pages are coming: the job is alive
		m.rev++
	}
}

// a4Printed takes the end of the A4 job.
func (m *Machine) a4Printed(e A4Printed, fx *effects) {
	if m.screen != ScreenDocument || m.doc.state != DocPrinting || e.TxID != m.doc.txID {
		return
	}
	m.activity = m.now
	if e.Fault == FaultNone {
		m.doc.page = m.doc.doc.Pages
		m.doc.printed = m.doc.doc.Pages
		m.docState(DocTake)
		fx.add(SlotLight{On: true}, Light{LightReady}, Speak{m.docPrompt()})
		return
	}
	m.doc.fault = e.Fault
	m.docState(DocStopped)
	m.doc.back = false
	fx.add(Light{LightAttention}, Speak{m.docPrompt()})
}

// docPrinterChanged: after a fault, the A4 printer may work again.
func (m *Machine) docPrinterChanged(fx *effects) {
	if m.screen != ScreenDocument || m.doc.state != DocStopped || m.doc.back {
		return
	}
	if m.deviceUsable(devices.KindA4) {
		m.doc.back = true
		m.rev++
		if m.canReprintDoc() {
			// The message on the screen says so; the voice says it once.
			fx.add(Speak{"打印机已经恢复，可以点「重新打印」了"})
		}
	}
}

func (m *Machine) canReprintDoc() bool {
	return m.doc.state == DocStopped && m.doc.back && m.doc.reprints < maxDocReprints &&
		m.doc.doc != nil && m.deviceUsable(devices.KindA4)
}

// docAction handles the resident's actions on the document screen; it
// reports whether ev was one.
func (m *Machine) docAction(ev Event, fx *effects) bool {
	if m.screen != ScreenDocument {
		return false
	}
	switch ev.(type) {
	case PrintDocument:
		if m.doc.state == DocReady {
			m.printDocument(false, fx)
		}
	case ReprintDocument:
		if m.canReprintDoc() {
			m.doc.reprints++
			m.printDocument(true, fx)
		}
	case Continue, Finish:
		switch m.doc.state {
		case DocTake:
			fx.add(SlotLight{On: false})
			m.showResult(fx)
		case DocStopped, DocRefused, DocNoFetch:
			m.endSession(ReasonFinished, fx)
		}
	case Home, Cancel:
		if m.docBusy() {
			return true // pages are being fetched or coming out
		}
		if m.doc.state == DocTake {
			fx.add(SlotLight{On: false})
		}
		m.endSession(ReasonFinished, fx)
	case Back:
		// Nothing to go back to: the matter is done at the backend.
	default:
		return false
	}
	return true
}

// docBusy: the document is being fetched or printed; the resident waits.
func (m *Machine) docBusy() bool {
	return m.screen == ScreenDocument && (m.doc.state == DocFetching || m.doc.state == DocPrinting)
}

// docTimers: a fetch or a job the host never finishes ends as a fault.
func (m *Machine) docTimers(fx *effects) bool {
	if m.screen != ScreenDocument {
		return false
	}
	switch m.doc.state {
	case DocFetching:
		if m.now.Sub(m.doc.since) >= m.t.Fetch {
			m.docState(DocNoFetch)
			fx.add(Speak{m.docPrompt()}, Light{LightAttention})
		}
		return true
	case DocPrinting:
		if m.now.Sub(m.doc.since) >= m.t.A4Page {
			m.a4Printed(A4Printed{TxID: m.doc.txID, Fault: FaultFailed}, fx)
		}
		return true
	}
	return false
}

// wipeDocument blanks a document's preview: it shows the resident's data.
func wipeDocument(d *Document) {
	if d == nil {
		return
	}
	switch p := d.Preview.(type) {
	case *image.RGBA:
		clear(p.Pix)
	case *image.NRGBA:
		clear(p.Pix)
	case *image.Gray:
		clear(p.Pix)
	case *image.Paletted:
		clear(p.Pix)
	}
	*d = Document{}
}

func (m *Machine) wipeDoc() {
	wipeDocument(m.doc.doc)
	m.doc = docStage{}
}

// docTitle and docPrompt are the document screen's heading and its
// spoken, written instruction.
func (m *Machine) docTitle() string {
	name := "证明"
	if d := m.doc.doc; d != nil && d.Title != "" {
		name = d.Title
	} else if m.svc != nil {
		name = m.svc.Name
	}
	switch m.doc.state {
	case DocFetching:
		return "正在取证明"
	case DocReady, DocPrinting:
		return name
	case DocTake:
		return "请取走打印件"
	case DocStopped:
		return "打印没有完成"
	case DocRefused, DocNoFetch:
		return "证明没有打印"
	}
	return name
}

func (m *Machine) docPrompt() string {
	hot := m.hotline()
	n := 0
	if m.doc.doc != nil {
		n = m.doc.doc.Pages
	}
	switch m.doc.state {
	case DocFetching:
		return "您的事项已经办好，正在取回证明文件，请稍候"
	case DocReady:
		return "请核对证明内容，无误后点「" + PrintLabel(n) + "」"
	case DocPrinting:
		return ProgressText(max(m.doc.page+1, 1), n) + "，请稍候"
	case DocTake:
		return fmt.Sprintf("证明已经打印好，共 %d 页，请从打印机出纸口取走", n)
	case DocStopped:
		what := faultWords(m.doc.fault)
		keep := "证明已经保存在本机，"
		switch {
		case m.canReprintDoc():
			return what + "打印机已经恢复，请点「重新打印」。"
		case m.doc.reprints >= maxDocReprints:
			return what + keep + "请拨打热线 " + hot + "，工作人员会为您补打。"
		}
		return what + keep + "打印机恢复后可以重新打印；也可以拨打热线 " + hot + "，工作人员会为您补打。"
	case DocRefused:
		return "这份证明文件有问题，本机没有打印。您的事项没有办完，请拨打热线 " + hot + "，工作人员会帮您处理。"
	case DocNoFetch:
		return "暂时取不到证明文件，本机没有打印。请稍后再来打印，或拨打热线 " + hot + "。"
	}
	return ""
}

// faultWords says what stopped the printer, in plain words.
func faultWords(f DocFault) string {
	switch f {
	case FaultPaperOut:
		return "打印机没纸了，证明没有打印完。"
	case FaultJam:
		return "打印机卡纸了，证明没有打印完。"
	case FaultDoorOpen:
		return "打印机的盖子开着，证明没有打印完。"
	case FaultTonerEmpty:
		return "打印机没有墨粉了，证明没有打印完。"
	case FaultOffline:
		return "打印机没有响应，证明没有打印完。"
	}
	return "打印机出了故障，证明没有打印完。"
}

// docView is the document stage as shown.
func (m *Machine) docView() *DocumentView {
	v := &DocumentView{State: m.doc.state, Page: m.doc.page}
	if d := m.doc.doc; d != nil {
		v.Title, v.Department, v.Pages = d.Title, d.Department, d.Pages
		v.VerificationCode, v.Preview = d.VerificationCode, d.Preview
	}
	switch m.doc.state {
	case DocReady:
		v.PrintLabel = PrintLabel(v.Pages)
	case DocPrinting:
		v.Progress = ProgressText(max(m.doc.page+1, 1), v.Pages)
		if m.doc.page >= v.Pages {
			v.Progress = ProgressText(v.Pages, v.Pages)
		}
	case DocStopped:
		v.CanReprint = m.canReprintDoc()
		v.WaitPrinter = !v.CanReprint && m.doc.reprints < maxDocReprints
	}
	if m.doc.state != DocFetching && m.doc.state != DocReady && m.doc.state != DocPrinting {
		v.Message = m.docPrompt()
	}
	return v
}
