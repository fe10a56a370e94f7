package catalog

// DefaultAssistName is the assisted-service team's name a version 1 list
// (which has no assist_name) is read with.
const DefaultAssistName = "小牟帮办"

// upgrade fills in what a version 1 list does not say: every matter of a
// version 1 list is a kiosk matter, and the devices it needs follow from
// its flags. The exact bytes (Raw, Hash) are left as they were signed.
func upgrade(c *Catalog) {
	if c.SchemaVersion != 1 {
		return
	}
	if c.AssistName == "" {
		c.AssistName = DefaultAssistName
	}
	if c.Places == nil {
		c.Places = []Place{}
	}
	for i := range c.Services {
		s := &c.Services[i]
		if len(s.Where) == 0 {
			s.Where = []string{WhereKiosk}
		}
		if len(s.Devices) == 0 {
			s.Devices = DevicesFor(s)
		}
	}
}

// DevicesFor returns the devices a kiosk needs for s as its flags say, in
// DeviceNames order: the card reader for needs_id_card, the receipt
// printer for needs_printer, the A4 printer for a print matter, payment
// for a payment or a fee, the camera for a face check, the scanner for an
// electronic ID code.
func DevicesFor(s *Service) []string {
	out := []string{}
	if s.NeedsIDCard {
		out = append(out, DeviceIDCard)
	}
	if s.NeedsPrinter {
		out = append(out, DevicePrinter)
	}
	if s.Kind == KindPrint {
		out = append(out, DeviceA4)
	}
	if s.FaceCheck {
		out = append(out, DeviceCamera)
	}
	if s.IdentityCode {
		out = append(out, DeviceScanner)
	}
	if s.TakesPayment() {
		out = append(out, DevicePayment)
	}
	return out
}
