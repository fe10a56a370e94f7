// Package devices is the one model every driver reports into, shaped like
// the kiosk industry's CEN XFS4IoT status model: a device state, detail per
// kind of device, counters, the last error, and change events that carry
// only what changed.
//
// Drivers update their device through a *Device handle; the admin API, the
// resident's screens, heartbeats and metrics read snapshots or subscribe to
// changes on the Registry.
package devices

import (
	"maps"
	"sort"
	"sync"
	"time"
)

// State is a device's overall state.
type State string

const (
	Starting      State = "starting"
	Online        State = "online"
	Offline       State = "offline"
	HardwareError State = "hardwareError"
	UserError     State = "userError" // e.g. paper out, cover open
	NoDevice      State = "noDevice"  // not configured or not present
	Busy          State = "deviceBusy"
)

// Usable reports whether a device in state s can serve a resident now.
func (s State) Usable() bool { return s == Online || s == Busy }

// Kind names the kinds of device the kiosk has.
type Kind string

const (
	KindIDCard  Kind = "idcard"
	KindPrinter Kind = "printer"
	KindA4      Kind = "a4" // the A4 document printer behind CUPS (drivers/cups)
	KindGPIO    Kind = "gpio"
	KindBackend Kind = "backend"
	KindScanner Kind = "scanner" // the 1D/2D code scanner (drivers/scanner)
)

// The kiosk's devices by name, as the registry, the admin API, metrics,
// events and kioskctl know them. Each is its kind's name: a kiosk has one
// device of each kind. This is the one place device names are spelt.
const (
	IDCard  = string(KindIDCard)
	Printer = string(KindPrinter)
	A4      = string(KindA4)
	GPIO    = string(KindGPIO)
	Backend = string(KindBackend)
	Scanner = string(KindScanner)
)

// Status is a snapshot of one device.
type Status struct {
	Name        string            `json:"name"`
	Kind        Kind              `json:"kind"`
	State       State             `json:"state"`
	Detail      map[string]string `json:"detail,omitempty"`   // e.g. media=present, paper=low, cabinetDoor=open
	Counters    map[string]uint64 `json:"counters,omitempty"` // e.g. reads, prints, errors, reconnects
	LastError   string            `json:"last_error,omitempty"`
	LastErrorAt time.Time         `json:"last_error_at,omitzero"`
	Since       time.Time         `json:"since"` // when State last changed
}

func (s Status) clone() Status {
	s.Detail = maps.Clone(s.Detail)
	s.Counters = maps.Clone(s.Counters)
	return s
}

// Change is one event: the device's name and only the fields that changed.
type Change struct {
	Name      string            `json:"name"`
	Time      time.Time         `json:"time"`
	State     State             `json:"state,omitempty"`
	Detail    map[string]string `json:"detail,omitempty"`
	LastError string            `json:"last_error,omitempty"`
}

// Registry holds every device's status.
type Registry struct {
	now func() time.Time

	mu      sync.Mutex
	devs    map[string]*Status
	subs    map[int]chan Change
	nextSub int
}

// NewRegistry returns an empty registry using now as its clock (time.Now if nil).
func NewRegistry(now func() time.Time) *Registry {
	if now == nil {
		now = time.Now
	}
	return &Registry{now: now, devs: map[string]*Status{}, subs: map[int]chan Change{}}
}

// Device is a driver's handle on its own status.
type Device struct {
	r    *Registry
	name string
}

// Add registers a device (state Starting) and returns its handle. Adding a
// name twice returns a handle to the existing device.
func (r *Registry) Add(name string, kind Kind) *Device {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.devs[name]; !ok {
		r.devs[name] = &Status{Name: name, Kind: kind, State: Starting, Since: r.now(),
			Detail: map[string]string{}, Counters: map[string]uint64{}}
	}
	return &Device{r: r, name: name}
}

// Name returns the device's name.
func (d *Device) Name() string { return d.name }

// Get returns a snapshot of one device.
func (r *Registry) Get(name string) (Status, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, ok := r.devs[name]
	if !ok {
		return Status{}, false
	}
	return s.clone(), true
}

// All returns snapshots of every device, sorted by name.
func (r *Registry) All() []Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Status, 0, len(r.devs))
	for _, s := range r.devs {
		out = append(out, s.clone())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Subscribe returns a channel of changes and a function that ends the
// subscription. A subscriber that does not keep up loses events rather than
// blocking drivers.
func (r *Registry) Subscribe(buf int) (<-chan Change, func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	id := r.nextSub
	r.nextSub++
	ch := make(chan Change, buf)
	r.subs[id] = ch
	return ch, func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		if c, ok := r.subs[id]; ok {
			delete(r.subs, id)
			close(c)
		}
	}
}

func (r *Registry) publish(c Change) {
	for _, ch := range r.subs {
		select {
		case ch <- c:
		default:
		}
	}
}

// SetState changes the device's state; err (may be nil) becomes the last
// error when non-nil. Nothing is published when nothing changed.
func (d *Device) SetState(s State, err error) {
	r := d.r
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.devs[d.name]
	now := r.now()
	c := Change{Name: d.name, Time: now}
	changed := false
	if st.State != s {
		st.State, st.Since = s, now
		c.State = s
		changed = true
	}
	if err != nil && err.Error() != st.LastError {
		st.LastError, st.LastErrorAt = err.Error(), now
		c.LastError = st.LastError
		changed = true
	}
	if err != nil {
		st.Counters["errors"]++
	}
	if changed {
		r.publish(c)
	}
}

// SetDetail sets one detail key (media, paper, cabinetDoor, ...). An empty
// value removes the key.
func (d *Device) SetDetail(key, value string) {
	r := d.r
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.devs[d.name]
	if st.Detail[key] == value {
		return
	}
	if value == "" {
		delete(st.Detail, key)
	} else {
		st.Detail[key] = value
	}
	r.publish(Change{Name: d.name, Time: r.now(), Detail: map[string]string{key: value}})
}

// Count adds n to a counter.
func (d *Device) Count(counter string, n uint64) {
	r := d.r
	r.mu.Lock()
	defer r.mu.Unlock()
	r.devs[d.name].Counters[counter] += n
}

// Status returns the device's own snapshot.
func (d *Device) Status() Status {
	s, _ := d.r.Get(d.name)
	return s
}
