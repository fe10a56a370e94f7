// Package techmode is the on-screen technician mode as a pure state
// machine: the PIN pad, the menu and the diagnostic screens (device states,
// self-tests, test print, card read test, GPIO, backend, outbox, catalog,
// recent events), an idle timeout and the hidden corner gesture that opens
// it. It has no goroutines, no I/O and no Ebitengine: events go in,
// Requests come out for the caller to run against a Technician (off the
// game loop, with Run) and the answers go back in as events. View is a
// plain snapshot, already formatted, that never holds unmasked personal
// data.
//
//	m := techmode.New(nil)
//	reqs := m.Handle(techmode.Open{})
//	for _, r := range reqs { go func() { post(techmode.Run(ctx, tech, r)) }() }
//	v := m.View()
package techmode
