//go:build race

package catalogcmd

// raceEnabled: under the race detector scrypt at minisign's cost takes
// minutes, so `make test` runs the encrypted-key test without it.
const raceEnabled = true
