package session

import (
	"image"
	"strconv"
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
