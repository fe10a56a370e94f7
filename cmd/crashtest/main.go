// Command crashtest proves the outbox's promise: a transaction
// acknowledged to a resident reaches the county backend exactly once,
// whatever happens to the kiosk process.
//
// It runs countysim in this process (dropping connections and replies at
// random) and the outbox with the backend client in a child process (this
// binary re-executed), which enqueues transactions and prints "ACK <id>
// <hash>" once Enqueue has returned. The parent SIGKILLs the child at random
// moments and restarts it until enough transactions were acknowledged, lets
// a last child drain the outbox, then checks every acknowledged
// transaction is stored in countysim exactly once with the payload that was
// acknowledged. It prints the counts and exits 1 on any loss, duplicate or
// mismatch.
//
// With -payments it proves the same of payments: every order ends paid
// with its transaction taken, or cancelled, failed or refunded; none is
// charged twice and none is left open.
//
//	crashtest -n 1000
//	crashtest -payments -n 300
package main

import (
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	if os.Getenv(childEnv) != "" {
		os.Exit(childMain())
	}
	var o Options
	flag.IntVar(&o.N, "n", 1000, "acknowledged transactions to reach")
	flag.IntVar(&o.MinKills, "min-kills", 50, "SIGKILLs to reach at least")
	flag.StringVar(&o.Dir, "dir", "", "work directory (default: a new temporary directory, removed afterwards)")
	flag.DurationVar(&o.KillMin, "kill-min", 30*time.Millisecond, "shortest child life before SIGKILL")
	flag.DurationVar(&o.KillMax, "kill-max", 300*time.Millisecond, "longest child life before SIGKILL")
	flag.Float64Var(&o.DropReplyRate, "drop-reply-rate", 0.2, "countysim: commit, then drop the reply")
	flag.Float64Var(&o.DropRate, "drop-rate", 0.05, "countysim: drop the connection before committing")
	flag.Uint64Var(&o.Seed, "seed", 0, "randomness seed (0: random)")
	flag.DurationVar(&o.Timeout, "timeout", 10*time.Minute, "give up after")
	payments := flag.Bool("payments", false, "crash-test payments instead: orders, payment codes, cancels and refunds")
	flag.Parse()
	if *payments {
		rep, err := RunPayments(o, os.Stderr)
		if err != nil {
			fmt.Fprintln(os.Stderr, "crashtest:", err)
			os.Exit(2)
		}
		fmt.Println(rep)
		if !rep.OK() {
			os.Exit(1)
		}
		return
	}
	rep, err := Run(o, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "crashtest:", err)
		os.Exit(2)
	}
	fmt.Println(rep)
	if !rep.OK() {
		os.Exit(1)
	}
}
