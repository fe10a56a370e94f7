package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/henan-county/kiosk/cmd/countysim/countysim"
	"github.com/henan-county/kiosk/kiosk/backend"
)

const (
	childEnv = "KIOSK_CRASHTEST_CHILD" // JSON childConfig; set only for the child
	kioskID  = "ZM-CRASH-K01"
)

// Options configure a crash test run.
type Options struct {
	N             int
	MinKills      int
	Dir           string
	KillMin       time.Duration
	KillMax       time.Duration
	DropReplyRate float64
	DropRate      float64
	Seed          uint64
	Timeout       time.Duration
}

// Report is the outcome.
type Report struct {
	Acknowledged int // transactions the child acknowledged to a "resident"
	Delivered    int // transactions stored at countysim
	Unacked      int // stored but killed before the acknowledgement was printed
	Lost         int // acknowledged but not stored
	Duplicates   int // stored more than once
	Mismatched   int // stored payload differs from what was acknowledged
	Kills        int // SIGKILLs
	Lives        int // child processes started
	Replays      int // repeated deliveries countysim deduplicated
	DroppedReply int // replies countysim dropped after committing
	Dropped      int // connections countysim dropped before committing
	Elapsed      time.Duration
}

// OK reports whether nothing was lost, duplicated or altered.
func (r Report) OK() bool {
	return r.Acknowledged > 0 && r.Lost == 0 && r.Duplicates == 0 && r.Mismatched == 0
}

func (r Report) String() string {
	verdict := "PASS"
	if !r.OK() {
		verdict = "FAIL"
	}
	return fmt.Sprintf("%s acknowledged=%d delivered=%d duplicates=%d lost=%d mismatched=%d kills=%d lives=%d "+
		"delivered_unacknowledged=%d replays_deduplicated=%d replies_dropped=%d connections_dropped=%d elapsed=%s",
		verdict, r.Acknowledged, r.Delivered, r.Duplicates, r.Lost, r.Mismatched, r.Kills, r.Lives,
		r.Unacked, r.Replays, r.DroppedReply, r.Dropped, r.Elapsed.Round(time.Millisecond))
}

type childConfig struct {
	Dir   string `json:"dir"`
	URL   string `json:"url"`
	CA    string `json:"ca"`
	Cert  string `json:"cert"`
	Key   string `json:"key"`
	Drain bool   `json:"drain"`
	Seed  uint64 `json:"seed"`
	// Payments: the child takes payments (payments.go), not plain
	// transactions.
	Payments bool `json:"payments,omitempty"`
}

// Run performs the crash test; progress goes to logw.
func Run(o Options, logw io.Writer) (Report, error) {
	begin := time.Now()
	if o.N <= 0 {
		o.N = 1000
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
	rnd := rand.New(rand.NewPCG(o.Seed, 1))
	if o.Dir == "" {
		d, err := os.MkdirTemp("", "crashtest-")
		if err != nil {
			return Report{}, err
		}
		defer os.RemoveAll(d)
		o.Dir = d
	}
	log := slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: slog.LevelWarn}))
	pki, err := countysim.MintDevPKI(filepath.Join(o.Dir, "pki"), []string{kioskID})
	if err != nil {
		return Report{}, err
	}
	sim, err := countysim.New(&countysim.Opts{Dir: filepath.Join(o.Dir, "countysim"), CAFile: pki.CAFile,
		CertFile: pki.ServerCert, KeyFile: pki.ServerKey, Seed: o.Seed, Logger: log,
		Faults: countysim.Faults{DropReplyRate: o.DropReplyRate, DropRate: o.DropRate}})
	if err != nil {
		return Report{}, err
	}
	if err := sim.Start(); err != nil {
		return Report{}, err
	}
	defer sim.Close()
	exe, err := os.Executable()
	if err != nil {
		return Report{}, err
	}
	cfg := childConfig{Dir: filepath.Join(o.Dir, "kiosk"), URL: sim.URL(), CA: pki.CAFile,
		Cert: pki.Clients[kioskID].CertFile, Key: pki.Clients[kioskID].KeyFile}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return Report{}, err
	}

	var rep Report
	acked := map[string]string{} // id -> payload hash
	var mu sync.Mutex
	deadline := time.Now().Add(o.Timeout)
	for len(acked) < o.N || rep.Kills < o.MinKills {
		if time.Now().After(deadline) {
			return rep, fmt.Errorf("timed out with %d acknowledged, %d kills", len(acked), rep.Kills)
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
				if id, h, ok := parseAck(l); ok {
					mu.Lock()
					acked[id] = h
					mu.Unlock()
				}
			}
		}()
		time.Sleep(life)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		<-readDone
		rep.Kills++
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if rep.Kills%10 == 0 {
			fmt.Fprintf(logw, "crashtest: %d kills, %d acknowledged\n", rep.Kills, n)
		}
	}
	// Drain: a last life runs until its outbox is empty.
	cfg.Drain = true
	cmd, lines, err := startChild(exe, cfg)
	if err != nil {
		return rep, err
	}
	rep.Lives++
	drained := false
	timer := time.AfterFunc(time.Until(deadline), func() { cmd.Process.Kill() })
	for l := range lines {
		if l == "DRAINED" {
			drained = true
		}
	}
	timer.Stop()
	if err := cmd.Wait(); err != nil || !drained {
		return rep, fmt.Errorf("drain did not finish: %v", err)
	}

	// Verify.
	rep.Acknowledged = len(acked)
	got, err := sim.Transactions()
	if err != nil {
		return rep, err
	}
	seen := map[string]int{}
	for _, r := range got {
		seen[r.ID]++
	}
	rep.Delivered = len(seen)
	for _, c := range seen {
		if c > 1 {
			rep.Duplicates += c - 1
		}
	}
	// The same resident action stored under two different ids would be a
	// duplicate the backend could not catch.
	ops := map[string]int{}
	for id := range seen {
		if sub, ok := sim.Submission(kioskID, id); ok {
			if op := sub.Fields["op"]; op != "" {
				ops[op]++
			}
		}
	}
	named := 0
	for _, c := range ops {
		named += c
	}
	if named != rep.Delivered {
		return rep, fmt.Errorf("only %d of %d stored submissions carry their action's name: the duplicate check would be blind", named, rep.Delivered)
	}
	for op, c := range ops {
		if c > 1 {
			rep.Duplicates += c - 1
			fmt.Fprintf(logw, "crashtest: DUPLICATE action %s stored under %d ids\n", op, c)
		}
	}
	for id, h := range acked {
		if seen[id] == 0 {
			rep.Lost++
			fmt.Fprintf(logw, "crashtest: LOST %s\n", id)
			continue
		}
		sub, _ := sim.Submission(kioskID, id)
		if submissionHash(sub) != h {
			rep.Mismatched++
			fmt.Fprintf(logw, "crashtest: MISMATCH %s\n", id)
		}
	}
	for id := range seen {
		if _, ok := acked[id]; !ok {
			rep.Unacked++
		}
	}
	st := sim.Stats()
	rep.Replays, rep.DroppedReply, rep.Dropped = st.Replayed, st.DroppedReply, st.Dropped
	rep.Elapsed = time.Since(begin)
	return rep, nil
}

// startChild re-executes this binary as a kiosk life; its stdout lines come
// on the channel, which closes when the child's stdout does.
func startChild(exe string, cfg childConfig) (*exec.Cmd, <-chan string, error) {
	b, _ := json.Marshal(cfg)
	args := []string{exe, "-test.run=^$"} // harmless for the binary, keeps a test binary quiet
	if w := os.Getenv("CRASHTEST_EXEC"); w != "" {
		// Under user-mode emulation (go test -exec qemu-aarch64-static)
		// the child must be started through the emulator too.
		args = append(strings.Fields(w), args...)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), childEnv+"="+string(b))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, fmt.Errorf("start child: %w", err)
	}
	ch := make(chan string, 64)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			ch <- sc.Text()
		}
	}()
	return cmd, ch, nil
}

func parseAck(l string) (id, hash string, ok bool) {
	f := strings.Fields(l)
	if len(f) != 3 || f[0] != "ACK" {
		return "", "", false
	}
	return f[1], f[2], true
}

func submissionHash(s backend.Submission) string {
	b, _ := json.Marshal(s)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

var errNoConfig = errors.New("crashtest: child without configuration")
