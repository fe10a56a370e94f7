package idcard_test

import (
	"context"
	"fmt"
	"time"

	"github.com/henan-county/kiosk/drivers/idcard"
	"github.com/henan-county/kiosk/drivers/idcard/idcardsim"
	"github.com/henan-county/kiosk/kiosk/devices"
)

// A Reader on the simulated reader's port, as kioskd runs it on
// /dev/kiosk-idcard.
func Example() {
	sim, err := idcardsim.New(nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sim.Close()

	reg := devices.NewRegistry(nil)
	r := idcard.NewReader(&idcard.Opts{
		Path:         sim.Path(),
		PollInterval: 50 * time.Millisecond,
		Device:       reg.Add(devices.IDCard, devices.KindIDCard),
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go r.Run(ctx)

	sim.Place(idcardsim.Han)
	for e := range r.Events() {
		if e.Kind == idcard.CardPresent {
			m := e.Card.Masked()
			fmt.Println(m.Name, m.IDNumber, e.Card.IDNumberValid)
			e.Card.Wipe() // when the resident's session ends
			break
		}
	}
	// Output: 王** 410122********1231 true
}
