package gpio_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/henan-county/kiosk/drivers/gpio"
)

// A simulated cabinet: the door is opened and the daemon sees the event.
func Example() {
	bank, err := gpio.NewSim(gpio.SimConfig(), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer bank.Halt()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	events := bank.Watch(ctx)

	_ = bank.SetLight("ready")
	_ = bank.SimActivate(gpio.Door, true) // the door switch opens

	ev := <-events
	fmt.Println(ev.Name, ev.On)
	green, _ := bank.Read(gpio.LightGreen)
	fmt.Println("green light:", green)
	// Output:
	// door true
	// green light: true
}

// On a machine without GPIO the kiosk runs on without cabinet signals.
func ExampleOpen() {
	_, err := gpio.Open(gpio.Config{Inputs: map[string]string{gpio.Door: "GPIO_NO_SUCH_PIN"}}, nil)
	fmt.Println(errors.Is(err, gpio.ErrUnavailable))
	// Output: true
}
