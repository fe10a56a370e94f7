package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/devices"
)

const fleetUsage = `usage: kioskctl fleet status --backend URL [--token T] [--ca F] [--cert F --key F] [--stale D] [--timeout 30s] [--json]
Every kiosk the county backend has heard from, by hall: build, service list,
devices not online, outbox, last heartbeat. Exit status 1 when a kiosk is
stale or refused a service list (for cron), 0 when none is.
`

// defaultStaleBeats is how many heartbeat intervals a kiosk may be silent
// before the fleet view calls it stale.
const defaultStaleBeats = 3

// fallbackHeartbeat is the interval assumed for a kiosk that does not say
// its own (the daemon's default).
const fallbackHeartbeat = time.Minute

func cmdFleet(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || isHelp(args[0]) {
		if len(args) > 0 {
			fmt.Fprint(stdout, fleetUsage)
			return exitOK
		}
		return groupUsageError(stderr, fleetUsage, "kioskctl fleet: say which: status")
	}
	if args[0] != "status" {
		return groupUsageError(stderr, fleetUsage, "kioskctl fleet: unknown %q", args[0])
	}
	return cmdFleetStatus(ctx, args[1:], stdout, stderr)
}

// FleetStatus is the output of `kioskctl fleet status --json`.
type FleetStatus struct {
	Time    time.Time         `json:"time"` // the backend's clock
	Kiosks  []FleetKioskState `json:"kiosks"`
	Total   int               `json:"total"`
	Stale   int               `json:"stale"`
	Refused int               `json:"refused"`
}

// FleetKioskState is one kiosk in `kioskctl fleet status --json`. The
// field names are stable: scripts read them.
type FleetKioskState struct {
	KioskID                string                `json:"kiosk_id"`
	HallID                 string                `json:"hall_id"`
	SoftwareVersion        string                `json:"software_version"`
	CatalogVersion         int64                 `json:"catalog_version"`
	CatalogStale           bool                  `json:"catalog_stale"`
	CatalogRefused         bool                  `json:"catalog_refused"`
	CatalogRejection       string                `json:"catalog_rejection"`
	DevicesNotOnline       []backend.FleetDevice `json:"devices_not_online"`
	OutboxDepth            int                   `json:"outbox_depth"`
	OutboxOldestAgeSeconds int64                 `json:"outbox_oldest_age_seconds"`
	PaymentsUnresolved     int                   `json:"payments_unresolved"`
	DoorOpen               bool                  `json:"door_open"`
	LastSeen               time.Time             `json:"last_seen"`
	LastSeenAgeSeconds     int64                 `json:"last_seen_age_seconds"`
	StaleAfterSeconds      int64                 `json:"stale_after_seconds"`
	Stale                  bool                  `json:"stale"`
}

// judgeFleet says which kiosks are stale: silent for longer than staleAfter,
// or, when it is 0, for longer than three of the kiosk's own heartbeat
// intervals. Kiosks come out sorted by hall, then kiosk.
func judgeFleet(f backend.Fleet, staleAfter time.Duration) FleetStatus {
	st := FleetStatus{Time: f.Time, Kiosks: []FleetKioskState{}}
	for _, k := range f.Kiosks {
		limit := staleAfter
		if limit <= 0 {
			every := time.Duration(k.HeartbeatInterval)
			if every <= 0 {
				every = fallbackHeartbeat
			}
			limit = defaultStaleBeats * every
		}
		age := max(f.Time.Sub(k.LastSeen), 0)
		ks := FleetKioskState{
			KioskID: k.KioskID, HallID: k.HallID, SoftwareVersion: k.SoftwareVersion,
			CatalogVersion: k.CatalogVersion, CatalogStale: k.CatalogStale,
			CatalogRefused: k.CatalogRejection != "", CatalogRejection: k.CatalogRejection,
			DevicesNotOnline: k.DevicesNotOnline, OutboxDepth: k.OutboxDepth,
			OutboxOldestAgeSeconds: int64(time.Duration(k.OutboxOldestAge) / time.Second),
			PaymentsUnresolved:     k.PaymentsUnresolved, DoorOpen: k.DoorOpen,
			LastSeen: k.LastSeen, LastSeenAgeSeconds: int64(age / time.Second),
			StaleAfterSeconds: int64(limit / time.Second), Stale: age > limit,
		}
		if ks.DevicesNotOnline == nil {
			ks.DevicesNotOnline = []backend.FleetDevice{}
		}
		st.Kiosks = append(st.Kiosks, ks)
		if ks.Stale {
			st.Stale++
		}
		if ks.CatalogRefused {
			st.Refused++
		}
	}
	st.Total = len(st.Kiosks)
	slices.SortFunc(st.Kiosks, func(a, b FleetKioskState) int {
		if c := strings.Compare(a.HallID, b.HallID); c != 0 {
			return c
		}
		return strings.Compare(a.KioskID, b.KioskID)
	})
	return st
}

func cmdFleetStatus(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, c := newLocalFlags("fleet status", strings.TrimPrefix(strings.SplitN(fleetUsage, "\n", 2)[0], "usage: "), stdout, stderr)
	base := fs.String("backend", "", "county backend base URL (https://…)")
	token := fs.String("token", "", "operator bearer token (default $KIOSK_OPERATOR_TOKEN)")
	caFile := fs.String("ca", "", "CA certificate (PEM) to trust for the backend")
	certFile := fs.String("cert", "", "client certificate (PEM) for mutual TLS")
	keyFile := fs.String("key", "", "client key (PEM) for mutual TLS")
	stale := fs.Duration("stale", 0, "call a kiosk stale after this long without a heartbeat (default: 3 of its heartbeat intervals)")
	timeout := fs.Duration("timeout", 30*time.Second, "request timeout")
	pos, code, ok := c.parse(args)
	if !ok {
		return code
	}
	if code, ok := c.noArgs(pos); !ok {
		return code
	}
	switch {
	case *base == "":
		return c.usageError("--backend is required")
	case !strings.HasPrefix(*base, "https://") && !strings.HasPrefix(*base, "http://"):
		return c.usageError("--backend %q: want an https:// address", *base)
	case *timeout <= 0:
		return c.usageError("--timeout %v: want a positive duration", *timeout)
	case *stale < 0:
		return c.usageError("--stale %v: want a positive duration", *stale)
	case (*certFile == "") != (*keyFile == ""):
		return c.usageError("--cert and --key go together")
	}
	if *token == "" {
		*token = os.Getenv("KIOSK_OPERATOR_TOKEN")
	}
	f, err := backend.FetchFleet(ctx, backend.OperatorOpts{BaseURL: *base, Token: *token,
		CAFile: *caFile, CertFile: *certFile, KeyFile: *keyFile, Timeout: *timeout})
	if err != nil {
		return c.fail(fmt.Errorf("fleet status: %w", err))
	}
	st := judgeFleet(f, *stale)
	if c.json {
		printJSON(stdout, st)
	} else {
		writeFleetTable(stdout, st, *stale)
	}
	if st.Stale > 0 || st.Refused > 0 {
		return exitFailed
	}
	return exitOK
}

// stateWords are the device states in the words of the county's
// operations staff.
var stateWords = map[devices.State]string{
	devices.Starting:      "启动中",
	devices.Offline:       "离线",
	devices.HardwareError: "故障",
	devices.UserError:     "需处理",
	devices.NoDevice:      "未连接",
}

// writeFleetTable prints the fleet as a table for operations staff, a
// kiosk a line, by hall, and a summary.
func writeFleetTable(w io.Writer, st FleetStatus, staleAfter time.Duration) {
	rows := [][]string{{"大厅", "自助机", "软件版本", "清单", "不在线设备", "待发", "最早待发", "最后心跳", "状态"}}
	for _, k := range st.Kiosks {
		var devs []string
		for _, d := range k.DevicesNotOnline {
			word := stateWords[d.State]
			if word == "" {
				word = string(d.State)
			}
			devs = append(devs, d.Name+" "+word)
		}
		var notes []string
		if k.Stale {
			notes = append(notes, "失联")
		}
		if k.CatalogRefused {
			notes = append(notes, "拒绝清单："+k.CatalogRejection)
		}
		if k.CatalogStale {
			notes = append(notes, "清单过期")
		}
		if k.DoorOpen {
			notes = append(notes, "柜门开")
		}
		if k.PaymentsUnresolved > 0 {
			notes = append(notes, fmt.Sprintf("待处理支付 %d", k.PaymentsUnresolved))
		}
		if len(notes) == 0 {
			notes = append(notes, "正常")
		}
		oldest := "-"
		if k.OutboxDepth > 0 {
			oldest = ago(k.OutboxOldestAgeSeconds, "")
		}
		rows = append(rows, []string{orDash(k.HallID), k.KioskID, orDash(k.SoftwareVersion), fmt.Sprint(k.CatalogVersion),
			orDash(strings.Join(devs, ", ")), fmt.Sprint(k.OutboxDepth), oldest, ago(k.LastSeenAgeSeconds, "前"),
			strings.Join(notes, "；")})
	}
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, cell := range r[:len(r)-1] {
			widths[i] = max(widths[i], displayWidth(cell))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, cell := range r {
			b.WriteString(cell)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(cell)+2))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	rule := fmt.Sprintf("超过 %d 个心跳间隔", defaultStaleBeats)
	if staleAfter > 0 {
		rule = "超过 " + staleAfter.String()
	}
	fmt.Fprintf(w, "共 %d 台，失联 %d 台，拒绝清单 %d 台（后台时间 %s；失联：%s未收到心跳）\n",
		st.Total, st.Stale, st.Refused, st.Time.In(chinaTime).Format("2006-01-02 15:04:05"), rule)
}

// chinaTime is Beijing time, UTC+8 all year, without needing tzdata.
var chinaTime = time.FixedZone("CST", 8*3600)

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// ago words a number of seconds as operations staff say it: 45秒, 12分钟,
// 3小时, 2天, followed by suffix.
func ago(sec int64, suffix string) string {
	switch {
	case sec < 60:
		return fmt.Sprintf("%d秒%s", sec, suffix)
	case sec < 3600:
		return fmt.Sprintf("%d分钟%s", sec/60, suffix)
	case sec < 86400:
		return fmt.Sprintf("%d小时%s", sec/3600, suffix)
	}
	return fmt.Sprintf("%d天%s", sec/86400, suffix)
}

// displayWidth is the number of terminal columns s takes: East Asian
// wide characters (Chinese, full-width punctuation) take two.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r >= 0x1100 && r <= 0x115f, r >= 0x2e80 && r <= 0xa4cf, r >= 0xac00 && r <= 0xd7a3,
			r >= 0xf900 && r <= 0xfaff, r >= 0xfe30 && r <= 0xfe4f, r >= 0xff00 && r <= 0xff60, r >= 0xffe0 && r <= 0xffe6:
			n += 2
		default:
			n++
		}
	}
	return n
}
