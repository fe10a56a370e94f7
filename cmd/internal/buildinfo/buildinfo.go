// Package buildinfo names the build a binary is: the version the build
// stamped, else the commit it was built from, else "dev". kioskd and
// kioskctl report the same words, so a technician comparing them on a
// kiosk compares like with like. It imports only runtime/debug, so kioskd
// can answer --version before Ebitengine initialises (see cmd/kioskd/internal/cli).
package buildinfo

import "runtime/debug"

// Version returns stamped when set, else "dev-" and the first 12
// characters of the VCS revision, else "dev".
func Version(stamped string) string {
	if stamped != "" {
		return stamped
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "dev-" + s.Value[:12]
			}
		}
	}
	return "dev"
}
