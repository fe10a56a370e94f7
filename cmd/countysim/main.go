// Command countysim runs the county backend simulator: the kiosk API over
// mutual TLS (or plain HTTP with --dev-http) on a loopback address, with a
// store on disk and faults on demand.
//
//	countysim --mint-pki ./pki --dir ./sim --operator-token secret
//	countysim --dev-http --addr 127.0.0.1:8443 --dir ./sim --drop-reply-rate 0.2
//
// Faults can be changed while it runs: PUT /sim/v1/faults with a JSON
// body such as {"latency_ms": 500, "drop_reply_rate": 0.1} or, for the
// payment side, {"charge_late_ms": 20000, "payment_drop_reply_rate": 0.5}.
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/henan-county/kiosk/cmd/countysim/countysim"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err) // errors already name the package
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("addr", "127.0.0.1:8443", "listen address (loopback only)")
	dir := flag.String("dir", "countysim-data", "store directory")
	pkiDir := flag.String("mint-pki", "", "mint a development CA, server and client certificates into DIR (if missing) and serve with them")
	kiosks := flag.String("kiosks", "ZM-DEV-K01", "comma-separated kiosk ids to mint client certificates for")
	ca := flag.String("ca", "", "client CA file (when not minting)")
	cert := flag.String("cert", "", "server certificate file (when not minting)")
	key := flag.String("key", "", "server key file (when not minting)")
	token := flag.String("operator-token", os.Getenv("COUNTYSIM_OPERATOR_TOKEN"), "bearer token operators publish catalogs with")
	devHTTP := flag.Bool("dev-http", false, "serve plain HTTP; kiosk id from X-Kiosk-ID (development only)")
	latency := flag.Duration("latency", 0, "added to every kiosk request")
	errRate := flag.Float64("error-rate", 0, "fraction of kiosk requests answered 500")
	unavailRate := flag.Float64("unavailable-rate", 0, "fraction answered 503 with Retry-After")
	dropRate := flag.Float64("drop-rate", 0, "fraction of connections dropped before storing")
	dropReply := flag.Float64("drop-reply-rate", 0, "fraction of submissions stored, then the reply dropped")
	docFault := flag.String("document-fault", "", "serve every document with a fault: wrong-hash, corrupt or oversized")
	chargeDecline := flag.String("charge-decline", "", "decline every payment-code charge with this reason (insufficient_balance, code_expired, ...)")
	chargeLate := flag.Duration("charge-late", 0, "answer payment-code charges 'paying' and settle them paid this long after")
	chargeTwice := flag.Bool("charge-twice", false, "take the money again when an order already charged is charged under another key (counted as a duplicate)")
	payDropReply := flag.Float64("payment-drop-reply-rate", 0, "fraction of payment requests committed, then the reply dropped")
	fontFile := flag.String("font", "", "TrueType font for documents' Chinese (default "+countysim.DefaultFontFile+")")
	verbose := flag.Bool("v", false, "debug logging")
	flag.Parse()

	lvl := slog.LevelInfo
	if *verbose {
		lvl = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lvl}))
	opts := &countysim.Opts{Dir: *dir, Addr: *addr, DevHTTP: *devHTTP, OperatorToken: *token, Logger: log,
		CAFile: *ca, CertFile: *cert, KeyFile: *key,
		Faults: countysim.Faults{LatencyMS: int(*latency / time.Millisecond), ErrorRate: *errRate,
			UnavailableRate: *unavailRate, DropRate: *dropRate, DropReplyRate: *dropReply,
			ChargeDecline: *chargeDecline, ChargeLateMS: int(*chargeLate / time.Millisecond), ChargeTwice: *chargeTwice,
			PaymentDropReplyRate: *payDropReply},
		FontFile: *fontFile}
	switch *docFault {
	case "":
	case "wrong-hash":
		opts.Faults.DocumentWrongHash = true
	case "corrupt":
		opts.Faults.DocumentCorrupt = true
	case "oversized":
		opts.Faults.DocumentOversized = true
	default:
		return fmt.Errorf("countysim: --document-fault %q: want wrong-hash, corrupt or oversized", *docFault)
	}
	if *pkiDir != "" && !*devHTTP {
		caFile := filepath.Join(*pkiDir, "ca.pem")
		if _, err := os.Stat(caFile); err != nil {
			p, err := countysim.MintDevPKI(*pkiDir, strings.Split(*kiosks, ","))
			if err != nil {
				return err
			}
			log.Info("minted development PKI", "dir", p.Dir, "kiosks", *kiosks)
		}
		opts.CAFile, opts.CertFile, opts.KeyFile = caFile,
			filepath.Join(*pkiDir, "server.pem"), filepath.Join(*pkiDir, "server-key.pem")
	}
	s, err := countysim.New(opts)
	if err != nil {
		return err
	}
	if err := s.Start(); err != nil {
		s.Close()
		return err
	}
	log.Info("countysim ready", "url", s.URL(), "dir", *dir, "dev_http", *devHTTP)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
	return s.Close()
}
