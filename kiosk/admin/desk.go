package admin

import "net/http"

// SimDesk is the simulated 小牟帮办 duty desk, when the simulator has one:
// a Sim that implements it answers POST /v1/sim/desk.
type SimDesk interface {
	// SetDesk makes the desk answer calls, let them ring, or refuse them.
	SetDesk(mode string) error
	// Desk is how the desk answers now and how many calls it has had.
	Desk() SimDeskState
}

// Desk modes.
const (
	DeskAnswer   = "answer"    // answers after a few seconds
	DeskNoAnswer = "no-answer" // lets calls ring
	DeskBusy     = "busy"      // refuses calls
)

// SimDeskRequest is POST /v1/sim/desk.
type SimDeskRequest struct {
	Mode string `json:"mode"`
}

// SimDeskState is GET /v1/sim/desk (and POST's answer).
type SimDeskState struct {
	Mode  string `json:"mode"`
	URI   string `json:"uri"`
	Calls int    `json:"calls"`
}

func (s *Server) deskRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /v1/sim/desk", simPart(s, "duty desk", func(w http.ResponseWriter, r *http.Request, d SimDesk) {
		writeJSON(w, http.StatusOK, d.Desk())
	}))
	m.HandleFunc("POST /v1/sim/desk", simPart(s, "duty desk", func(w http.ResponseWriter, r *http.Request, d SimDesk) {
		var req SimDeskRequest
		if !readJSON(w, r, &req, false) {
			return
		}
		if err := d.SetDesk(req.Mode); err != nil {
			s.reply(w, nil, err)
			return
		}
		writeJSON(w, http.StatusOK, d.Desk())
	}))
}

// simPart serves h with the simulator's part P (the camera, the duty
// desk), or 409 when this simulator has none.
func simPart[P any](s *Server, what string, h func(http.ResponseWriter, *http.Request, P)) http.HandlerFunc {
	return s.sim(func(w http.ResponseWriter, r *http.Request, sim Sim) {
		p, ok := sim.(P)
		if !ok {
			writeProblem(w, http.StatusConflict, "no simulated "+what, "this simulator has no "+what)
			return
		}
		h(w, r, p)
	})
}
