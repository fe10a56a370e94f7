package phone

// ChildPid is the running baresip's process id, 0 when none.
func ChildPid(p *Phone) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.agent == nil {
		return 0
	}
	return p.agent.Pid()
}
