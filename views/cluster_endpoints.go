package views

import "strconv"

// endpoint writes an address and port as clients take them, host:port.
func endpoint(address string, port int) string { return address + ":" + strconv.Itoa(port) }

func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}
