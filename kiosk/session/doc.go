// Package session is the resident's journey at the kiosk as a pure state
// machine: attract, home, category, search, guide, identify, form, confirm,
// submitting, result, printing, rating and done, with the help overlay, the
// inactivity dialog and the out-of-service and maintenance screens.
//
// A Machine takes Events (touches turned into actions by the UI, device and
// daemon events, clock ticks) through Handle and returns Effects that the
// daemon executes (submit a transaction, print a receipt, send a rating,
// speak a prompt, light the status lamp). View returns a plain snapshot the
// UI draws. The Machine has no goroutines and no I/O; it is not safe for
// concurrent use: the UI's game loop owns it.
//
// Privacy: personal data (the card, form values, the transaction and its
// result) lives only between the card being read and the session ending.
// When a session ends, for whatever reason, all of it is wiped and only
// masked values ever reach a View after entry.
package session
