package admin

import (
	"fmt"
	"time"
)

// CountyTime is the county's time zone (UTC+8), in which a technician
// gives the time the kiosk is expected back.
var CountyTime = time.FixedZone("CST", 8*3600)

// ParseUntil reads when a technician expects the kiosk to serve again
// (kioskctl maintenance on --until): "15:30" is the next 15:30 in county
// time (today, or tomorrow when it has passed), "2026-11-27 09:00" a day
// and time in county time, or an RFC 3339 time. "" is no time.
func ParseUntil(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	now = now.In(CountyTime)
	if t, err := time.ParseInLocation("15:04", s, CountyTime); err == nil {
		at := time.Date(now.Year(), now.Month(), now.Day(), t.Hour(), t.Minute(), 0, 0, CountyTime)
		if !at.After(now) {
			at = at.AddDate(0, 0, 1)
		}
		return at, nil
	}
	if t, err := time.ParseInLocation("2006-01-02 15:04", s, CountyTime); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%w: until %q: want HH:MM, YYYY-MM-DD HH:MM or an RFC 3339 time", ErrBadRequest, s)
}
