package catalog

import "slices"

// AtKiosk reports whether the matter can be done at the kiosk: Where
// names WhereKiosk. A matter that says nothing of where (built in code
// the version 1 way; a parsed list always says) is a kiosk matter, as
// every matter of a version 1 list is.
func (s *Service) AtKiosk() bool { return s.Where == nil || slices.Contains(s.Where, WhereKiosk) }

// NeedsDevice reports whether a kiosk needs device d (DeviceIDCard …) for
// the matter. A matter that lists no devices at all (nil: built in code
// the version 1 way) needs what its flags say (DevicesFor).
func (s *Service) NeedsDevice(d string) bool {
	if s.Devices == nil {
		return slices.Contains(DevicesFor(s), d)
	}
	return slices.Contains(s.Devices, d)
}

// DoneAt reports whether the matter can be done at where (WhereKiosk …).
func (s *Service) DoneAt(where string) bool {
	if where == WhereKiosk {
		return s.AtKiosk()
	}
	return slices.Contains(s.Where, where)
}

// Place returns the place with id.
func (c *Catalog) Place(id string) (Place, bool) {
	for _, p := range c.Places {
		if p.ID == id {
			return p, true
		}
	}
	return Place{}, false
}

// Hall returns the hall with id.
func (c *Catalog) Hall(id string) (Hall, bool) {
	for _, h := range c.Halls {
		if h.ID == id {
			return h, true
		}
	}
	return Hall{}, false
}

// HallTownship returns the township (street) centre of the hall with id.
func (c *Catalog) HallTownship(hallID string) (Place, bool) {
	h, ok := c.Hall(hallID)
	if !ok || h.Township == "" {
		return Place{}, false
	}
	p, ok := c.Place(h.Township)
	if !ok || p.Level != LevelTownship {
		return Place{}, false
	}
	return p, true
}

// Villages returns the village (community) stations of a township, in
// list order.
func (c *Catalog) Villages(townshipID string) []Place {
	var out []Place
	for _, p := range c.Places {
		if p.Level == LevelVillage && p.Township == townshipID {
			out = append(out, p)
		}
	}
	return out
}

// Townships returns the township (street) centres in list order.
func (c *Catalog) Townships() []Place {
	var out []Place
	for _, p := range c.Places {
		if p.Level == LevelTownship {
			out = append(out, p)
		}
	}
	return out
}

// CountyCentre returns the county centre (the first place of level county).
func (c *Catalog) CountyCentre() (Place, bool) {
	for _, p := range c.Places {
		if p.Level == LevelCounty {
			return p, true
		}
	}
	return Place{}, false
}

// PlaceFor says where a resident at hall hallID goes to do s when this
// kiosk cannot: the hall's township centre when the matter is done there,
// else the county centre when it is done there. ok is false when the
// matter can only be done online or in an app, or at a village station
// (the page then says 你所在村（社区）的便民服务站: the kiosk does not know
// the resident's village).
func (c *Catalog) PlaceFor(s *Service, hallID string) (Place, bool) {
	if s.DoneAt(WhereTownship) {
		if p, ok := c.HallTownship(hallID); ok {
			return p, true
		}
	}
	if s.DoneAt(WhereCounty) {
		return c.CountyCentre()
	}
	return Place{}, false
}

// KioskCount is the number of matters done at kiosks (the county's 416);
// len(c.Services) also counts those done only at its other levels.
func (c *Catalog) KioskCount() int {
	n := 0
	for i := range c.Services {
		if c.Services[i].AtKiosk() {
			n++
		}
	}
	return n
}
