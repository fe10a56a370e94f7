package host

import (
	"context"
	"errors"
	"time"

	"github.com/henan-county/kiosk/kiosk/session"
)

// The document path of print matters: the host fetches the proof through
// the Documents port, hands the journey its first page, prints it on A4
// following the job, and drives the output-slot light. Documents fetched
// in a session are released when it ends; the adapter keeps one that a
// fault stopped, for a technician's reprint.

const (
	// fetchWait bounds fetching, checking and rendering a document; the
	// journey gives up a little later (session.Timeouts.Fetch).
	fetchWait = 45 * time.Second
	// a4Wait bounds one A4 job, end to end: a long record on a slow
	// printer, with time for a resident to clear a jam.
	a4Wait = 15 * time.Minute
)

func (h *Host) fetchDocument(ctx context.Context, e session.FetchDocument) session.DocumentFetched {
	d := h.o.Ports.Documents
	if d == nil {
		return session.DocumentFetched{TxID: e.TxID, Fault: session.FaultRefused}
	}
	cctx, cancel := context.WithTimeout(ctx, fetchWait)
	defer cancel()
	doc, err := d.Fetch(cctx, e.TxID)
	switch {
	case err == nil:
		return session.DocumentFetched{TxID: e.TxID, Doc: &session.Document{Title: doc.Title, Department: doc.Department,
			Pages: doc.Pages, VerificationCode: doc.VerificationCode, Preview: doc.Preview}}
	case errors.Is(err, ErrDocumentRefused):
		h.log.Warn("document refused", "tx", e.TxID, "err", err)
		h.journalDocument(session.FaultRefused)
		return session.DocumentFetched{TxID: e.TxID, Fault: session.FaultRefused}
	default:
		h.log.Warn("document not fetched", "tx", e.TxID, "err", err)
		h.journalDocument(session.FaultUnreached)
		return session.DocumentFetched{TxID: e.TxID, Fault: session.FaultUnreached}
	}
}

// printA4 runs one A4 job, posting the pages as they come out.
func (h *Host) printA4(ctx context.Context, e session.PrintA4) session.A4Printed {
	d := h.o.Ports.Documents
	if d == nil {
		return session.A4Printed{TxID: e.TxID, Fault: session.FaultOffline}
	}
	cctx, cancel := context.WithTimeout(ctx, a4Wait)
	defer cancel()
	err := d.Print(cctx, A4Job{TxID: e.TxID, Title: e.Title, Reprint: e.Reprint}, func(page, pages int) {
		h.Post(session.A4Progress{TxID: e.TxID, Page: page, Pages: pages})
	})
	if err != nil {
		h.log.Warn("A4 document not printed", "tx", e.TxID, "reprint", e.Reprint, "err", err)
	}
	f := a4Fault(err)
	if f == session.FaultNone {
		h.journalDocument("printed")
	} else {
		h.journalDocument(f)
	}
	return session.A4Printed{TxID: e.TxID, Fault: f}
}

func (h *Host) journalDocument(outcome session.DocFault) {
	if j := h.o.Ports.Journal; j != nil {
		j.Document(string(outcome))
	}
}

// a4Fault names what stopped a job for the resident's screen.
func a4Fault(err error) session.DocFault {
	switch {
	case err == nil:
		return session.FaultNone
	case errors.Is(err, ErrA4PaperOut):
		return session.FaultPaperOut
	case errors.Is(err, ErrA4Jam):
		return session.FaultJam
	case errors.Is(err, ErrA4DoorOpen):
		return session.FaultDoorOpen
	case errors.Is(err, ErrA4TonerEmpty):
		return session.FaultTonerEmpty
	case errors.Is(err, ErrA4Offline):
		return session.FaultOffline
	}
	return session.FaultFailed
}

func (h *Host) setSlotLight(on bool) {
	h.slotOn = on
	if s := h.o.Ports.Slot; s != nil {
		if err := s.SetSlotLight(on); err != nil {
			h.log.Warn("output-slot light", "on", on, "err", err)
		}
	}
}

// releaseDocuments tells the adapter that the session which fetched
// these documents has ended.
func (h *Host) releaseDocuments() {
	if h.slotOn {
		h.setSlotLight(false)
	}
	d := h.o.Ports.Documents
	for _, id := range h.docs {
		if d != nil {
			d.Release(id)
		}
	}
	clear(h.docs)
	h.docs = h.docs[:0]
}
