package catalogcmd

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
)

// parseRollout reads --rollout/--halls: "all" or hall ids separated by
// commas.
func parseRollout(s string) (*catalog.Rollout, error) {
	s = strings.TrimSpace(s)
	if s == "all" {
		return catalog.RolloutAll(), nil
	}
	var halls []string
	for _, h := range strings.Split(s, ",") {
		h = strings.TrimSpace(h)
		if h == "" {
			return nil, fmt.Errorf("%q: want all, or hall ids separated by commas (zwzx,cgz)", s)
		}
		halls = append(halls, h)
	}
	return &catalog.Rollout{Halls: halls}, nil
}

// setMember returns the JSON object data with its top-level member key set
// to value. An existing member's value is replaced in place; a new member
// goes right after the member after, with that member's layout. Every
// other byte of the file stays as it was, so a list reviewed as a diff
// changes in exactly the line that was meant.
func setMember(data []byte, key, after string, value []byte) ([]byte, error) {
	type span struct{ keyStart, valStart, valEnd int }
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("not a JSON object")
	}
	found := map[string]span{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := t.(string)
		keyEnd := int(dec.InputOffset())
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		end := int(dec.InputOffset())
		if _, dup := found[name]; dup {
			return nil, fmt.Errorf("duplicate key %q", name)
		}
		keyStart := bytes.LastIndexByte(data[:keyEnd-1], '"')
		found[name] = span{keyStart, end - len(raw), end}
	}
	if sp, ok := found[key]; ok {
		return concat(data[:sp.valStart], value, data[sp.valEnd:]), nil
	}
	sp, ok := found[after]
	if !ok {
		return nil, fmt.Errorf("no member %q to put %q after", after, key)
	}
	// The whitespace before after's key, and between its key and value.
	ws := sp.keyStart
	for ws > 0 && strings.IndexByte(" \t\r\n", data[ws-1]) >= 0 {
		ws--
	}
	indent := data[ws:sp.keyStart]
	colon := data[sp.keyStart+len(strconv.Quote(after)) : sp.valStart]
	member := concat([]byte(","), indent, []byte(strconv.Quote(key)), colon, value)
	return concat(data[:sp.valEnd], member, data[sp.valEnd:]), nil
}

func concat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// withRollout sets the list's rollout and checks the result is a valid
// list.
func withRollout(data []byte, r *catalog.Rollout) ([]byte, *catalog.Catalog, error) {
	value, err := json.Marshal(r)
	if err != nil {
		return nil, nil, err
	}
	out, err := setMember(data, "rollout", "version", value)
	if err != nil {
		return nil, nil, fmt.Errorf("set rollout: %w", err)
	}
	cat, err := catalog.Parse(out)
	if err != nil {
		return nil, nil, err
	}
	if probs := catalog.Validate(cat); len(probs) > 0 {
		return nil, nil, &catalog.ValidationError{Problems: probs}
	}
	return out, cat, nil
}

// writeFileAtomic replaces path with data through a temporary file in the
// same directory, so an interrupted sign leaves the old file whole.
func writeFileAtomic(path string, data []byte) error {
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if _, err = f.Write(data); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, mode)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// RevertResult is the output of `revert --json`.
type RevertResult struct {
	From      string    `json:"from"`
	FromVer   int64     `json:"from_version"`
	Version   int64     `json:"version"`
	Out       string    `json:"out,omitempty"`
	IssuedAt  time.Time `json:"issued_at"`
	ExpiresAt time.Time `json:"expires_at"`
	Rollout   string    `json:"rollout"`
	SHA256    string    `json:"sha256"`
}

// revert makes a new list with an earlier list's content and a higher
// version: going back is going forward, so kiosks' rollback protection
// stays whole.
func (c *cmd) revert(args []string) int {
	fs := c.flags("revert")
	from := fs.String("to", "", "the earlier list whose content to go back to")
	version := fs.Int64("version", 0, "the new version: greater than every version published (yyyymmddNN)")
	expires := fs.String("expires", "", "new expires_at, RFC 3339 (default: the earlier list's)")
	outPath := fs.String("out", "", "write the new list here (default: stdout)")
	if _, code, ok := c.parse(fs, args, 0); !ok {
		return code
	}
	switch {
	case c.json && *outPath == "":
		return c.usageError(fs, "--json needs --out: without it the new list itself goes to stdout")
	case *from == "":
		return c.usageError(fs, "--to is required")
	case *version <= 0:
		return c.usageError(fs, "--version is required: a version greater than every one published")
	}
	var exp time.Time
	if *expires != "" {
		var err error
		if exp, err = time.Parse(time.RFC3339, *expires); err != nil {
			return c.usageError(fs, "--expires %q: want an RFC 3339 time (2027-12-01T00:00:00+08:00)", *expires)
		}
	}
	data, err := readCapped(*from, catalog.DefaultMaxSize)
	if err != nil {
		return c.fail(ExitFailed, "%v", err)
	}
	old, err := catalog.Parse(data)
	if err != nil {
		return c.fail(ExitFailed, "%s: %v", *from, err)
	}
	if *version <= old.Version {
		return c.fail(ExitFailed, "--version %d is not greater than %s's version %d: kiosks would refuse it as a rollback", *version, *from, old.Version)
	}
	now := c.now().UTC().Truncate(time.Second)
	if exp.IsZero() {
		exp = old.ExpiresAt
		if !exp.After(now) {
			return c.fail(ExitFailed, "%s expired at %s: give a new --expires", *from, exp.Format(time.RFC3339))
		}
	}
	if !exp.After(now) {
		return c.fail(ExitFailed, "--expires %s is not in the future", exp.Format(time.RFC3339))
	}
	out := data
	for _, m := range []struct {
		key   string
		value any
	}{{"version", *version}, {"issued_at", now}, {"expires_at", exp}} {
		v, _ := json.Marshal(m.value)
		if out, err = setMember(out, m.key, "", v); err != nil {
			return c.fail(ExitFailed, "%s: %v", *from, err)
		}
	}
	cat, err := catalog.Parse(out)
	if err == nil {
		if probs := catalog.Validate(cat); len(probs) > 0 {
			err = &catalog.ValidationError{Problems: probs}
		}
	}
	if err != nil {
		return c.fail(ExitFailed, "the reverted list is not valid: %v", err)
	}
	res := RevertResult{From: *from, FromVer: old.Version, Version: cat.Version, Out: *outPath,
		IssuedAt: cat.IssuedAt, ExpiresAt: cat.ExpiresAt, Rollout: cat.Rollout.String(), SHA256: cat.Hash()}
	if *outPath == "" {
		// The list itself is the output, as with default.
		if _, err := c.out.Write(out); err != nil {
			return c.fail(ExitFailed, "%v", err)
		}
		return ExitOK
	}
	if err := writeFileAtomic(*outPath, out); err != nil {
		return c.fail(ExitFailed, "%v", err)
	}
	if c.json {
		printJSON(c.out, res)
		return ExitOK
	}
	fmt.Fprintf(c.out, "wrote %s: the content of %s (version %d) as version %d, rollout %s, expires %s; sign it, then publish\n",
		*outPath, *from, old.Version, cat.Version, cat.Rollout, cat.ExpiresAt.Format(time.RFC3339))
	return ExitOK
}
