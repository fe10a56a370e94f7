// Package phone is the kiosk's help phone: a resident who presses the
// help button or 呼叫帮办 is put through to the 小牟帮办 duty desk. It does
// not speak SIP itself: Debian's baresip (1.0.0) runs as a supervised
// child process, `baresip -f DIR` with a configuration written into a
// private directory at every start, and is driven over its ctrl_tcp
// control port on loopback.
//
// There is no registrar: the account never registers (regint=0) and a
// call goes straight to the desk's URI. Audio is ALSA (the kiosk's
// microphone and speaker), or, without a sound card, files: a WAV sent as
// the kiosk's voice and a directory for what the desk says.
//
// Layers: the control codec (ctrl.go: netstrings of JSON, fuzzed);
// Profile, baresip's three files; Agent, one running baresip and its
// control connection; Phone, which supervises agents (restart with
// backoff, a rate-limited log, a down state with the reason while baresip
// cannot run), places one call at a time (Dial, Hangup) and reports it
// (Events: Ringing, Answered, Ended with a Reason).
//
// A resident's number or URI never reaches the log: only the duty desks'
// URIs (Config.DeskURIs) are logged as they are.
//
// dutydesk is the simulated duty desk; phonediag the technician's check.
// docs/phone.md has the configuration and what could not be tested here.
package phone
