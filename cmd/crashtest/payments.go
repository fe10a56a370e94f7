package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/henan-county/kiosk/cmd/countysim/countysim"
	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/outbox"
	"github.com/henan-county/kiosk/kiosk/payment"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// The payment crash test: the child is a kiosk taking payments (the
// outbox, the payer and the backend client, as the daemon wires them),
// each a 城乡居民养老保险 contribution paid with a payment code or
// abandoned, while countysim drops connections and replies, settles some
// charges late, and the parent SIGKILLs the child at random. A last life
// resolves what is left. Then every order countysim holds must be paid
// with its transaction taken, or cancelled, failed or refunded; none
// charged twice; none left open.

// PaymentReport is the payment crash test's outcome.
type PaymentReport struct {
	Opened      int // payments the children started (orders asked for)
	Orders      int // orders countysim holds
	Completed   int // paid, and the transaction stored at countysim
	Cancelled   int // cancelled or expired: no money
	Failed      int // declined: no money
	Refunded    int // paid and given back
	Duplicates  int // money taken twice for one order, or two paid orders for one transaction
	PaidNoTx    int // paid, not refunded, and no transaction stored
	Unresolved  int // orders still created or paying after recovery
	KioskLeft   int // payments the kiosk itself still counts unresolved
	Kills       int
	Lives       int
	DroppedRepl int // payment replies countysim dropped after committing
	Elapsed     time.Duration
}

// OK reports whether every payment ended well.
func (r PaymentReport) OK() bool {
	return r.Orders > 0 && r.Duplicates == 0 && r.PaidNoTx == 0 && r.Unresolved == 0 && r.KioskLeft == 0
}

func (r PaymentReport) String() string {
	verdict := "PASS"
	if !r.OK() {
		verdict = "FAIL"
	}
	return fmt.Sprintf("%s payments_opened=%d orders=%d completed=%d cancelled=%d failed=%d refunded=%d "+
		"charged_twice=%d paid_without_transaction=%d unresolved=%d kiosk_unresolved=%d kills=%d lives=%d payment_replies_dropped=%d elapsed=%s",
		verdict, r.Opened, r.Orders, r.Completed, r.Cancelled, r.Failed, r.Refunded, r.Duplicates, r.PaidNoTx,
		r.Unresolved, r.KioskLeft, r.Kills, r.Lives, r.DroppedRepl, r.Elapsed.Round(time.Millisecond))
}

// RunPayments performs the payment crash test until o.N payments were
// opened and o.MinKills kills happened.
func RunPayments(o Options, logw io.Writer) (PaymentReport, error) {
	begin := time.Now()
	if o.N <= 0 {
		o.N = 200
	}
	if o.KillMax <= o.KillMin {
		o.KillMax = o.KillMin + time.Millisecond
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Minute
	}
	if o.Seed == 0 {
		o.Seed = rand.Uint64()
	}
	rnd := rand.New(rand.NewPCG(o.Seed, 3))
	if o.Dir == "" {
		d, err := os.MkdirTemp("", "crashtest-pay-")
		if err != nil {
			return PaymentReport{}, err
		}
		defer os.RemoveAll(d)
		o.Dir = d
	}
	log := slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: slog.LevelError}))
	pki, err := countysim.MintDevPKI(filepath.Join(o.Dir, "pki"), []string{kioskID})
	if err != nil {
		return PaymentReport{}, err
	}
	faults := countysim.Faults{DropRate: o.DropRate, DropReplyRate: o.DropReplyRate, PaymentDropReplyRate: o.DropReplyRate,
		ChargeLateMS: 150}
	sim, err := countysim.New(&countysim.Opts{Dir: filepath.Join(o.Dir, "countysim"), CAFile: pki.CAFile,
		CertFile: pki.ServerCert, KeyFile: pki.ServerKey, Seed: o.Seed, Logger: log, Faults: faults})
	if err != nil {
		return PaymentReport{}, err
	}
	if err := sim.Start(); err != nil {
		return PaymentReport{}, err
	}
	defer sim.Close()
	exe, err := os.Executable()
	if err != nil {
		return PaymentReport{}, err
	}
	cfg := childConfig{Dir: filepath.Join(o.Dir, "kiosk"), URL: sim.URL(), CA: pki.CAFile,
		Cert: pki.Clients[kioskID].CertFile, Key: pki.Clients[kioskID].KeyFile, Payments: true}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return PaymentReport{}, err
	}
	var rep PaymentReport
	opened := map[string]bool{}
	deadline := time.Now().Add(o.Timeout)
	for len(opened) < o.N || rep.Kills < o.MinKills {
		if time.Now().After(deadline) {
			return rep, fmt.Errorf("timed out with %d payments opened, %d kills", len(opened), rep.Kills)
		}
		cfg.Seed = rnd.Uint64()
		life := o.KillMin + time.Duration(rnd.Int64N(int64(o.KillMax-o.KillMin)))
		cmd, lines, err := startChild(exe, cfg)
		if err != nil {
			return rep, err
		}
		rep.Lives++
		readDone := make(chan struct{})
		go func() {
			defer close(readDone)
			for l := range lines {
				if id, ok := strings.CutPrefix(l, "OPEN "); ok {
					opened[id] = true
				}
			}
		}()
		time.Sleep(life)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		<-readDone
		rep.Kills++
		if rep.Kills%10 == 0 {
			fmt.Fprintf(logw, "crashtest: %d kills, %d payments opened\n", rep.Kills, len(opened))
		}
	}
	// Recovery: faults off (the network came back), and a last life
	// resolves every payment and drains the outbox.
	sim.SetFaults(countysim.Faults{})
	cfg.Drain = true
	cmd, lines, err := startChild(exe, cfg)
	if err != nil {
		return rep, err
	}
	rep.Lives++
	timer := time.AfterFunc(time.Until(deadline), func() { cmd.Process.Kill() })
	drained := false
	for l := range lines {
		if n, ok := strings.CutPrefix(l, "RESOLVED "); ok {
			drained = true
			fmt.Sscan(n, &rep.KioskLeft)
		}
	}
	timer.Stop()
	if err := cmd.Wait(); err != nil || !drained {
		return rep, fmt.Errorf("recovery did not finish: %v", err)
	}

	// Verify at the backend.
	rep.Opened = len(opened)
	orders, err := sim.Payments(kioskID)
	if err != nil {
		return rep, err
	}
	txs, err := sim.Transactions()
	if err != nil {
		return rep, err
	}
	stored := map[string]bool{}
	for _, t := range txs {
		stored[t.ID] = true
	}
	paidPerTx := map[string]int{}
	rep.Orders = len(orders)
	for _, po := range orders {
		rep.Duplicates += po.DuplicateCharges
		switch po.State {
		case backend.PaymentPaid:
			paidPerTx[po.TxID]++
			if stored[po.TxID] {
				rep.Completed++
			} else {
				rep.PaidNoTx++
				fmt.Fprintf(logw, "crashtest: PAID WITHOUT TRANSACTION order %s tx %s\n", po.OrderNo, po.TxID)
			}
		case backend.PaymentRefunded:
			paidPerTx[po.TxID]++
			rep.Refunded++
		case backend.PaymentCancelled:
			rep.Cancelled++
		case backend.PaymentFailed:
			rep.Failed++
		default:
			rep.Unresolved++
			fmt.Fprintf(logw, "crashtest: UNRESOLVED order %s (%s)\n", po.OrderNo, po.State)
		}
	}
	for tx, n := range paidPerTx {
		if n > 1 {
			rep.Duplicates += n - 1
			fmt.Fprintf(logw, "crashtest: %s paid by %d orders\n", tx, n)
		}
	}
	st, err := sim.PaymentStats()
	if err != nil {
		return rep, err
	}
	rep.DroppedRepl = st.DroppedReply
	rep.Elapsed = time.Since(begin)
	return rep, nil
}

// Payment codes the child shows, one per network.
var payCodes = []string{"134567890123456789", "28765432109876543210", "6212345678901234567"}

// childPayments is one life of a kiosk taking payments.
func childPayments(cfg childConfig) int {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	key, err := outbox.LoadOrCreateKey(filepath.Join(cfg.Dir, "outbox.key"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ob, err := outbox.Open(filepath.Join(cfg.Dir, "outbox.db"), &outbox.Opts{Key: key, Logger: log,
		Backoff: outbox.Backoff{Base: 5 * time.Millisecond, Cap: 100 * time.Millisecond}, Workers: 2})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	cl, err := backend.New(&backend.Opts{BaseURL: cfg.URL, KioskID: kioskID, CAFile: cfg.CA, CertFile: cfg.Cert,
		KeyFile: cfg.Key, Timeout: 2 * time.Second, Logger: log})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	p, err := payment.New(payment.Opts{Backend: cl, Store: ob, Logger: log})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	// The matter as the default catalog has it (parsing all of it would
	// take most of a short life).
	svc := &catalog.Service{ID: "sb-cx-jf", Name: "城乡居民养老保险费缴纳", Kind: catalog.KindApply, Payment: true,
		Department: "中牟县社会保险中心", Form: []catalog.Field{{ID: "grade", Type: catalog.FieldChoice}}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go ob.Run(ctx, cl.Submit)
	// The daemon's resolve loop, as after every restart.
	go func() {
		for ctx.Err() == nil {
			p.Resolve(ctx)
			time.Sleep(20 * time.Millisecond)
		}
	}()
	if cfg.Drain {
		deadline := time.Now().Add(2 * time.Minute)
		left := -1
		for time.Now().Before(deadline) {
			left, _ = p.Resolve(ctx)
			if left == 0 && ob.Depth() == 0 {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if recs, err := p.Unresolved(); err == nil {
			for _, r := range recs {
				fmt.Fprintf(os.Stderr, "crashtest child: left %s at %s: %s\n", r.TxID, r.Step, r.LastError)
			}
		}
		cancel()
		ob.Close()
		fmt.Fprintf(os.Stdout, "RESOLVED %d\n", left)
		return 0
	}
	rnd := rand.New(rand.NewPCG(cfg.Seed, 4))
	grades := []string{"200", "300", "500", "800", "1000"}
	for {
		now := time.Now()
		tx := txn.Transaction{ID: txn.NewID(now), KioskID: kioskID, ServiceID: svc.ID, ServiceKind: string(svc.Kind),
			CatalogVersion: 1, CreatedAt: now,
			Fields:   map[string]string{"grade": grades[rnd.IntN(len(grades))], "name": "王秀英", "id_number": "410122195301011234"},
			Personal: []string{"name", "id_number"},
			Person:   &txn.Person{CardType: identity.ResidentID, Name: "王秀英", IDNumber: "410122195301011234"}}
		os.Stdout.Write([]byte("OPEN " + tx.ID + "\n"))
		rec, err := p.Open(ctx, tx, svc)
		if err != nil || rnd.IntN(4) == 0 {
			p.Release(ctx, tx.ID) // a resident who walked away, or no order
			continue
		}
		rec, err = p.Charge(ctx, tx.ID, payCodes[rnd.IntN(len(payCodes))])
		for i := 0; i < 20 && (err != nil || rec.Step == payment.StepPaying || rec.Step == payment.StepCharging); i++ {
			time.Sleep(20 * time.Millisecond)
			rec, err = p.Query(ctx, tx.ID) // never charge again
		}
		if err == nil && rec.Step == payment.StepPaid {
			t := tx
			t.PaymentOrder = rec.OrderNo
			if ob.Enqueue(t) == nil {
				p.Submitted(ctx, tx.ID)
			}
		}
		p.Release(ctx, tx.ID)
	}
}
