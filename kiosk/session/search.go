package session

import (
	"github.com/henan-county/kiosk/kiosk/catalog"
)

const searchLimit = 30

// searchResults runs the search box's query: through Opts.Search when
// set, otherwise through the catalog's own index (pinyin initials, full
// pinyin, characters, keywords), built once per catalog.
func (m *Machine) searchResults() []*catalog.Service {
	q := string(m.query)
	if q == "" || m.cat == nil {
		return nil
	}
	if m.o.Search != nil {
		r := m.o.Search(q)
		return r[:min(len(r), searchLimit)]
	}
	if m.index == nil || m.indexOf != m.cat {
		m.index, m.indexOf = catalog.NewIndex(m.cat), m.cat
		m.searcher = m.index.NewSearcher()
	}
	hits := m.searcher.Search(q, searchLimit)
	out := make([]*catalog.Service, 0, len(hits))
	for _, h := range hits {
		out = append(out, h.Service)
	}
	return out
}
