package daemon

import (
	"context"
	"time"

	"github.com/henan-county/kiosk/kiosk/host"
)

// How a drain ended (Drain's result, logged and recorded).
const (
	DrainIdle        = "idle"          // no resident was in session
	DrainSessionDone = "session-ended" // the resident's session finished
	DrainGracePassed = "grace-passed"  // [daemon] stop_grace passed first
	DrainCut         = "cut-short"     // ctx ended (a second signal)
)

// drainRecheck bounds the wait between looks at the host, in case a view
// change and the session's end are not published together.
const drainRecheck = 250 * time.Millisecond

// Drain is the first half of a graceful stop. Asked to stop while a
// resident is in session, the kiosk lets the session finish, for at most
// grace (the configuration's [daemon] stop_grace when grace < 0), or
// until ctx ends. Everything keeps running meanwhile: the screen, the
// devices, the outbox and the watchdog. When it returns the kiosk is
// taken out of residents' use (the maintenance screen, "暂停服务"), so no
// new session starts in the moments before the process ends; a session
// still running at the cap is ended through the journey, which wipes it
// as any ending does. The caller then cancels Run's context.
func (d *Daemon) Drain(ctx context.Context, grace time.Duration) string {
	if grace < 0 {
		grace = d.cfg.Daemon.StopGrace.Duration
	}
	start := d.clock.Now()
	how := DrainIdle
	if d.host.InSession() {
		d.log.Info("stop asked for; letting the resident's session finish first", "stop_grace", grace)
		d.events.Add("kiosk", "kioskd", "stop asked for during a session: waiting up to "+grace.String(), nil)
		how = d.waitSessionEnd(ctx, grace)
	}
	d.host.Post(host.SetMaintenance{On: true})
	sctx, cancel := context.WithTimeout(context.Background(), time.Second)
	_ = d.host.Sync(sctx)
	cancel()
	waited := d.clock.Now().Sub(start).Round(time.Millisecond)
	switch how {
	case DrainGracePassed, DrainCut:
		d.log.Warn("stopping with the resident's session unfinished", "how", how, "waited", waited)
	default:
		d.log.Info("stopping", "how", how, "waited", waited)
	}
	d.events.Add("kiosk", "kioskd", "stopping: "+how+" after "+waited.String(), nil)
	return how
}

func (d *Daemon) waitSessionEnd(ctx context.Context, grace time.Duration) string {
	capped := d.clock.After(grace)
	ticks, stop := d.clock.Ticker(drainRecheck)
	defer stop()
	for {
		changed := d.host.Changed()
		if !d.host.InSession() {
			return DrainSessionDone
		}
		select {
		case <-changed:
		case <-ticks:
		case <-capped:
			return DrainGracePassed
		case <-ctx.Done():
			return DrainCut
		}
	}
}
