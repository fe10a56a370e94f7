package scenes

import (
	"testing"

	"github.com/henan-county/kiosk/kiosk/session"
)

func TestAllScreensCovered(t *testing.T) {
	for _, elder := range []bool{false, true} {
		seen := map[session.Screen]bool{}
		for _, s := range All(elder) {
			seen[s.View.Screen] = true
			if s.View.Elder != elder && s.View.Screen != session.ScreenAttract && s.View.Screen != session.ScreenDone &&
				s.View.Screen != session.ScreenMaintenance {
				t.Errorf("%s: elder = %v", s.Name, s.View.Elder)
			}
		}
		for _, sc := range session.Screens {
			if sc != session.ScreenOutOfService && !seen[sc] {
				t.Errorf("elder=%v: no scene for %s", elder, sc)
			}
		}
	}
}
