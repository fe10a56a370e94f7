// Package gpio drives the kiosk cabinet's discrete signals through
// periph.io: the presence sensor, the cabinet door switch and the help
// button as debounced inputs; the status light, the printer and card-reader
// power relays and the backlight enable as outputs.
//
// Pins are named logically in the configuration ("door", "printer_relay")
// and mapped to the board's GPIO names ("GPIO17"); polarity is per pin
// (ActiveLow), so every method here speaks in logical terms: On means the
// door is open, the relay powers its device, the light is lit.
//
// Open uses the host's GPIO drivers (periph.io/x/host/v3). On a machine with
// no GPIO it returns ErrUnavailable and marks the device noDevice, and the
// rest of the kiosk runs without it. NewWithPins takes any gpio.PinIO
// (periph.io's gpiotest pins in tests); NewSim builds a bank of simulated
// pins whose inputs can be driven with SimDrive.
//
// Inputs are watched by one goroutine per pin using edge detection (polling
// where the driver has none) and reported through Watch after they have been
// stable for the debounce interval. Halt stops the watchers and the light.
package gpio
