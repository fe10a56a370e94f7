//go:build !race

package catalogcmd

const raceEnabled = false
