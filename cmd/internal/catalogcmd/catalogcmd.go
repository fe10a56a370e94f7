// Package catalogcmd is `kioskctl catalog`: the county operators' tool to
// print, validate, sign, verify and publish the service catalog.
//
//	kioskctl catalog default                       print the built-in catalog
//	kioskctl catalog validate FILE                 every problem with its JSON path
//	kioskctl catalog keygen [--pub F --sec F]      a minisign key pair
//	kioskctl catalog sign --key KEY [--rollout all|HALLS] FILE   writes FILE.minisig
//	kioskctl catalog revert --to OLD --version N [--out FILE]      old content, new version
//	kioskctl catalog verify --pubkey PUB [--active-version N] FILE
//	kioskctl catalog publish --backend URL [--token T] [--ca F --cert F --key F] FILE
//
// Every subcommand takes --json, and flags before or after FILE.
//
// Exit status, kioskctl's: 0 success; 1 the check failed, or a file or the
// backend could not be read or written; 64 a usage error (unknown flag,
// missing or extra argument, missing required flag, bad value), said in
// one line followed by the subcommand's usage on stderr. -h prints the
// usage to stdout.
package catalogcmd

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/minisign"
)

// Exit statuses, kioskctl's (see the README).
const (
	ExitOK     = 0
	ExitFailed = 1  // the check failed, or a file or the backend could not be read or written
	ExitUsage  = 64 // unknown flag, missing or extra argument, bad value
)

const usage = `usage: kioskctl catalog SUBCOMMAND [--json]
  default                                   print the built-in catalog
  validate FILE                             check a catalog; every problem with its JSON path
  keygen [--pub FILE] [--sec FILE] [--force] [--encrypt]
                                            make a minisign key pair (default county.pub, county.key)
  sign --key KEY [--rollout all|--halls H1,H2] [--append] [--comment TEXT] FILE
                                            sign FILE, writing FILE.minisig (--append adds a second signature;
                                            --rollout/--halls first set which halls' kiosks apply it)
  revert --to OLD --version N [--expires T] [--out FILE]
                                            OLD's content as a new, higher version (then sign and publish)
  verify --pubkey PUB [--pubkey PUB2] [--require-two] [--active-version N] FILE
                                            the kiosk's own checks against FILE and FILE.minisig
  publish --backend URL [--token T] [--ca F] [--cert F --key F] FILE
                                            PUT FILE and FILE.minisig to URL/v1/catalog
  install FILE                              on site: hand FILE and FILE.minisig to the running kioskd
Every subcommand takes --json; kioskctl catalog SUBCOMMAND --help lists its flags.
`

// synopsis is each subcommand's usage line, after "kioskctl catalog ".
var synopsis = map[string]string{
	"default":  "default [--json]",
	"validate": "validate [--json] FILE",
	"keygen":   "keygen [--pub FILE] [--sec FILE] [--force] [--encrypt] [--json]",
	"sign":     "sign --key KEY [--rollout all|HALLS] [--halls HALLS] [--append] [--comment TEXT] [--json] FILE",
	"revert":   "revert --to OLD --version N [--expires RFC3339] [--out FILE] [--json]",
	"verify":   "verify --pubkey PUB [--pubkey PUB2] [--require-two] [--active-version N] [--max-size BYTES] [--json] FILE",
	"publish":  "publish --backend URL [--token T] [--ca F] [--cert F --key F] [--timeout 30s] [--json] FILE",
}

// Run runs `kioskctl catalog ARGS...` and returns the exit status.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	// --json may stand before the subcommand too.
	var lead []string
	for len(args) > 0 && (args[0] == "--json" || args[0] == "-json") {
		lead, args = append(lead, args[0]), args[1:]
	}
	if len(args) > 0 {
		args = append(args[:len(args):len(args)], lead...)
	}
	if len(args) == 0 {
		fmt.Fprintf(stderr, "kioskctl catalog: say which subcommand\n%s", usage)
		return ExitUsage
	}
	c := &cmd{ctx: ctx, out: stdout, err: stderr, now: time.Now}
	switch args[0] {
	case "default":
		return c.defaultCmd(args[1:])
	case "validate":
		return c.validate(args[1:])
	case "keygen":
		return c.keygen(args[1:])
	case "sign":
		return c.sign(args[1:])
	case "verify":
		return c.verify(args[1:])
	case "revert":
		return c.revert(args[1:])
	case "publish":
		return c.publish(args[1:])
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return ExitOK
	}
	if strings.HasPrefix(args[0], "-") {
		fmt.Fprintf(stderr, "kioskctl catalog: say which subcommand before %s\n%s", args[0], usage)
		return ExitUsage
	}
	fmt.Fprintf(stderr, "kioskctl catalog: unknown subcommand %q\n%s", args[0], usage)
	return ExitUsage
}

type cmd struct {
	ctx  context.Context
	out  io.Writer
	err  io.Writer
	now  func() time.Time
	json bool // --json: the result (or {"error": …}) as JSON on stdout
}

// fail reports a failure in one line on stderr and, under --json, as
// {"error": …} on stdout.
func (c *cmd) fail(code int, format string, a ...any) int {
	msg := fmt.Sprintf(format, a...)
	fmt.Fprintf(c.err, "kioskctl catalog: %s\n", msg)
	if c.json {
		printJSON(c.out, map[string]string{"error": msg})
	}
	return code
}

func printJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// flags is the flag set of subcommand name, with --json.
func (c *cmd) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("kioskctl catalog "+name, flag.ContinueOnError)
	fs.SetOutput(c.err)
	fs.BoolVar(&c.json, "json", false, "print JSON")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: kioskctl catalog %s\n", synopsis[name])
		fs.PrintDefaults()
	}
	return fs
}

// usageError says what was wrong in one line, then the subcommand's usage,
// on stderr.
func (c *cmd) usageError(fs *flag.FlagSet, format string, a ...any) int {
	fmt.Fprintf(c.err, "%s: "+format+"\n", append([]any{fs.Name()}, a...)...)
	fs.SetOutput(c.err)
	fs.Usage()
	return ExitUsage
}

// parse parses args, flags before or after the operands, and wants nargs
// operands. When ok is false the subcommand is over and code is its exit
// status: 0 after -h (the usage went to stdout), 64 after a usage error.
func (c *cmd) parse(fs *flag.FlagSet, args []string, nargs int) (pos []string, code int, ok bool) {
	fs.SetOutput(io.Discard)
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(c.out)
				fs.Usage()
				return nil, ExitOK, false
			}
			return nil, c.usageError(fs, "%v", err), false
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	fs.SetOutput(c.err)
	switch {
	case len(pos) > nargs:
		return nil, c.usageError(fs, "unexpected argument %q", pos[nargs]), false
	case len(pos) < nargs:
		return nil, c.usageError(fs, "want one FILE"), false
	}
	return pos, ExitOK, true
}

func (c *cmd) defaultCmd(args []string) int {
	fs := c.flags("default")
	if _, code, ok := c.parse(fs, args, 0); !ok {
		return code
	}
	// The catalog is JSON already: --json changes nothing.
	if _, err := c.out.Write(catalog.DefaultJSON()); err != nil {
		return c.fail(ExitFailed, "%v", err)
	}
	return ExitOK
}

func readCapped(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s: more than %d bytes: %w", path, max, catalog.ErrTooLarge)
	}
	return data, nil
}

// Summary is the one-line description of a valid catalog.
func Summary(c *catalog.Catalog) string {
	counts := map[string]int{}
	for _, s := range c.Services {
		counts[s.Category]++
	}
	var parts []string
	for _, cat := range c.SortedCategories() {
		parts = append(parts, fmt.Sprintf("%s %d", cat.ID, counts[cat.ID]))
	}
	return fmt.Sprintf("%s version %d: %d matters, %d at kiosks (%s)", c.County, c.Version, len(c.Services), c.KioskCount(), strings.Join(parts, ", "))
}

// Problem is one problem in `validate --json` and `verify --json`: where
// in the file (a JSON path, and the byte offset when the file does not
// parse) and what is wrong.
type Problem struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
	Offset *int64 `json:"offset,omitempty"`
}

// ValidateResult is the output of `validate --json`.
type ValidateResult struct {
	File     string    `json:"file"`
	OK       bool      `json:"ok"`
	Version  int64     `json:"version,omitempty"`
	Summary  string    `json:"summary,omitempty"`
	Problems []Problem `json:"problems"`
	Error    string    `json:"error,omitempty"`
}

func problems(ps []catalog.Problem) []Problem {
	out := make([]Problem, 0, len(ps))
	for _, p := range ps {
		out = append(out, Problem{Path: p.Path, Reason: p.Reason})
	}
	return out
}

func (c *cmd) validate(args []string) int {
	fs := c.flags("validate")
	pos, code, ok := c.parse(fs, args, 1)
	if !ok {
		return code
	}
	file := pos[0]
	res := ValidateResult{File: file, Problems: []Problem{}}
	report := func(code int) int {
		if c.json {
			res.OK = code == ExitOK
			printJSON(c.out, res)
		}
		return code
	}
	failed := func(err error) int {
		res.Error = err.Error()
		fmt.Fprintf(c.err, "kioskctl catalog: %v\n", err)
		return report(ExitFailed)
	}
	data, err := readCapped(file, catalog.DefaultMaxSize)
	if err != nil {
		return failed(err)
	}
	cat, err := catalog.Parse(data)
	if err != nil {
		var pe *catalog.ParseError
		if errors.As(err, &pe) {
			off := pe.Offset
			res.Problems = append(res.Problems, Problem{Path: pe.Path, Reason: pe.Reason, Offset: &off})
			if !c.json {
				fmt.Fprintf(c.out, "%s: %s (byte %d)\n", pe.Path, pe.Reason, pe.Offset)
			}
			return report(ExitFailed)
		}
		return failed(err)
	}
	if probs := catalog.Validate(cat); len(probs) > 0 {
		res.Problems = problems(probs)
		if !c.json {
			for _, p := range probs {
				fmt.Fprintf(c.out, "%s: %s\n", p.Path, p.Reason)
			}
		}
		fmt.Fprintf(c.err, "kioskctl catalog: %s: %d problems\n", file, len(probs))
		return report(ExitFailed)
	}
	res.Version, res.Summary = cat.Version, Summary(cat)
	if !c.json {
		fmt.Fprintf(c.out, "ok: %s\n", Summary(cat))
	}
	return report(ExitOK)
}

func (c *cmd) keygen(args []string) int {
	fs := c.flags("keygen")
	pubPath := fs.String("pub", "county.pub", "public key file")
	secPath := fs.String("sec", "county.key", "secret key file (unencrypted unless --encrypt: keep it offline)")
	force := fs.Bool("force", false, "overwrite existing files")
	encrypt := fs.Bool("encrypt", false, "encrypt the secret key with a password (asked on the terminal, or "+PasswordEnv+")")
	if _, code, ok := c.parse(fs, args, 0); !ok {
		return code
	}
	if *pubPath == "" || *secPath == "" || *pubPath == *secPath {
		return c.usageError(fs, "--pub and --sec name two different files")
	}
	if !*force {
		for _, p := range []string{*pubPath, *secPath} {
			if _, err := os.Stat(p); err == nil {
				return c.fail(ExitFailed, "%s exists (use --force to overwrite)", p)
			}
		}
	}
	pub, priv, err := minisign.GenerateKey(nil)
	if err != nil {
		return c.fail(ExitFailed, "%v", err)
	}
	secret := priv.Encode()
	if *encrypt {
		pw, err := password("password for the new secret key: ", true)
		if err != nil {
			return c.fail(ExitFailed, "keygen: %v", err)
		}
		if secret, err = priv.EncodeEncrypted(pw); err != nil {
			return c.fail(ExitFailed, "%v", err)
		}
	}
	if err := os.WriteFile(*secPath, secret, 0o600); err != nil {
		return c.fail(ExitFailed, "%v", err)
	}
	if err := os.WriteFile(*pubPath, pub.Encode(), 0o644); err != nil {
		return c.fail(ExitFailed, "%v", err)
	}
	if c.json {
		printJSON(c.out, map[string]string{"key_id": pub.ID.String(), "public_key": pub.String(), "pub": *pubPath, "sec": *secPath})
		return ExitOK
	}
	fmt.Fprintf(c.out, "key id %s\npublic key: %s\nwrote %s and %s\n", pub.ID, pub, *pubPath, *secPath)
	return ExitOK
}

func (c *cmd) sign(args []string) int {
	fs := c.flags("sign")
	keyPath := fs.String("key", "", "minisign secret key (from keygen or minisign -G; an encrypted one asks for its password, or takes "+PasswordEnv+")")
	appendSig := fs.Bool("append", false, "add to an existing FILE.minisig (second signer)")
	comment := fs.String("comment", "", "trusted comment (default: timestamp, file, version, hashed)")
	rolloutFlag := fs.String("rollout", "", "first set the list's rollout: all, or hall ids separated by commas")
	hallsFlag := fs.String("halls", "", "first set the rollout to these halls (H1,H2): the same as --rollout H1,H2")
	pos, code, ok := c.parse(fs, args, 1)
	if !ok {
		return code
	}
	file := pos[0]
	if *keyPath == "" {
		return c.usageError(fs, "--key is required")
	}
	var rollout *catalog.Rollout
	switch spec := *rolloutFlag + *hallsFlag; {
	case *rolloutFlag != "" && *hallsFlag != "":
		return c.usageError(fs, "--rollout or --halls, not both")
	case spec != "" && *appendSig:
		return c.usageError(fs, "--append signs the file as the first signer left it: set the rollout with the first signature")
	case *hallsFlag == "all":
		return c.usageError(fs, "--halls names halls; use --rollout all for every kiosk")
	case spec != "":
		var err error
		if rollout, err = parseRollout(spec); err != nil {
			return c.usageError(fs, "%v", err)
		}
	}
	keyData, err := os.ReadFile(*keyPath)
	if err != nil {
		return c.fail(ExitFailed, "%v", err)
	}
	pw := ""
	if minisign.IsEncrypted(keyData) {
		if pw, err = password("password for "+*keyPath+": ", false); err != nil {
			return c.fail(ExitFailed, "%s: %v", *keyPath, err)
		}
	}
	key, err := minisign.ParsePrivateKeyPassword(keyData, pw)
	if err != nil {
		return c.fail(ExitFailed, "%s: %v", *keyPath, err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return c.fail(ExitFailed, "%v", err)
	}
	if rollout != nil {
		out, _, err := withRollout(data, rollout)
		if err != nil {
			return c.fail(ExitFailed, "%s: rollout %s: %v", file, rollout, err)
		}
		if err := writeFileAtomic(file, out); err != nil {
			return c.fail(ExitFailed, "%v", err)
		}
		data = out
	}
	tc := *comment
	if tc == "" {
		tc = fmt.Sprintf("timestamp:%d\tfile:%s", c.now().Unix(), filepath.Base(file))
		if cat, err := catalog.Parse(data); err == nil {
			tc += fmt.Sprintf("\tversion:%d", cat.Version)
		}
		tc += "\thashed"
	}
	sig, err := minisign.Sign(key, data, "signature from kioskctl catalog sign, key "+key.ID.String(), tc)
	if err != nil {
		return c.fail(ExitFailed, "%v", err)
	}
	out := sig.Encode()
	sigPath := file + ".minisig"
	if *appendSig {
		prev, err := os.ReadFile(sigPath)
		if err != nil {
			return c.fail(ExitFailed, "--append: %v", err)
		}
		old, err := minisign.ParseSignatures(prev)
		if err != nil {
			return c.fail(ExitFailed, "--append: %s: %v", sigPath, err)
		}
		for _, s := range old {
			if s.KeyID == key.ID {
				return c.fail(ExitFailed, "--append: %s is already signed by key %s", sigPath, key.ID)
			}
		}
		out = append(prev, out...)
	}
	if err := os.WriteFile(sigPath, out, 0o644); err != nil {
		return c.fail(ExitFailed, "%v", err)
	}
	res := map[string]string{"file": file, "key_id": key.ID.String(), "signature": sigPath}
	ro := ""
	if cat, err := catalog.Parse(data); err == nil {
		res["rollout"] = cat.Rollout.String()
		ro = " (rollout " + cat.Rollout.String() + ")"
	}
	if c.json {
		printJSON(c.out, res)
		return ExitOK
	}
	fmt.Fprintf(c.out, "signed %s with key %s: %s%s\n", file, key.ID, sigPath, ro)
	return ExitOK
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

// VerifyResult is the output of `verify --json`.
type VerifyResult struct {
	File      string     `json:"file"`
	OK        bool       `json:"ok"`
	Version   int64      `json:"version,omitempty"`
	Summary   string     `json:"summary,omitempty"`
	SHA256    string     `json:"sha256,omitempty"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	Problems  []Problem  `json:"problems"`
	Error     string     `json:"error,omitempty"`
}

func (c *cmd) verify(args []string) int {
	fs := c.flags("verify")
	var pubs multiFlag
	fs.Var(&pubs, "pubkey", "trusted public key file (repeat for several)")
	active := fs.Int64("active-version", 0, "the version the kiosk runs now; the file must be newer")
	requireTwo := fs.Bool("require-two", false, "require signatures from two different trusted keys")
	maxSize := fs.Int64("max-size", catalog.DefaultMaxSize, "size cap in bytes")
	pos, code, ok := c.parse(fs, args, 1)
	if !ok {
		return code
	}
	file := pos[0]
	switch {
	case len(pubs) == 0:
		return c.usageError(fs, "--pubkey is required")
	case *maxSize <= 0:
		return c.usageError(fs, "--max-size %d: want a positive size", *maxSize)
	case *active < 0:
		return c.usageError(fs, "--active-version %d: want 0 or more", *active)
	}
	res := VerifyResult{File: file, Problems: []Problem{}}
	rejected := func(format string, a ...any) int {
		msg := fmt.Sprintf(format, a...)
		fmt.Fprintf(c.err, "kioskctl catalog: %s\n", msg)
		if c.json {
			res.Error = msg
			printJSON(c.out, res)
		}
		return ExitFailed
	}
	v := &catalog.Verifier{RequireTwo: *requireTwo, MaxSize: *maxSize, Now: c.now}
	for _, p := range pubs {
		b, err := os.ReadFile(p)
		if err != nil {
			return rejected("%v", err)
		}
		k, err := minisign.ParsePublicKey(b)
		if err != nil {
			return rejected("%s: %v", p, err)
		}
		v.Trusted = append(v.Trusted, k)
	}
	data, err := readCapped(file, *maxSize)
	if errors.Is(err, catalog.ErrTooLarge) {
		return rejected("rejected: %v", err)
	}
	if err != nil {
		return rejected("%v", err)
	}
	sig, err := readCapped(file+".minisig", catalog.MaxSignatureSize)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return rejected("rejected: %v", err)
	}
	cat, err := v.Verify(data, sig, *active)
	if err != nil {
		var ve *catalog.ValidationError
		if errors.As(err, &ve) {
			res.Problems = problems(ve.Problems)
			if !c.json {
				for _, p := range ve.Problems {
					fmt.Fprintf(c.out, "%s: %s\n", p.Path, p.Reason)
				}
			}
		}
		return rejected("rejected: %v", err)
	}
	if c.json {
		exp := cat.ExpiresAt
		res.OK, res.Version, res.Summary, res.SHA256, res.ExpiresAt = true, cat.Version, Summary(cat), cat.Hash(), &exp
		printJSON(c.out, res)
		return ExitOK
	}
	fmt.Fprintf(c.out, "verified: %s; sha256 %s; expires %s\n", Summary(cat), cat.Hash(), cat.ExpiresAt.Format(time.RFC3339))
	return ExitOK
}

// PublishBody is the JSON body of PUT {backend}/v1/catalog.
type PublishBody struct {
	Catalog   string `json:"catalog"`   // base64 of the exact file bytes
	Signature string `json:"signature"` // the .minisig text
}

func (c *cmd) publish(args []string) int {
	fs := c.flags("publish")
	backend := fs.String("backend", "", "county backend base URL (https://…)")
	token := fs.String("token", "", "operator bearer token (default $KIOSK_OPERATOR_TOKEN)")
	caFile := fs.String("ca", "", "CA certificate (PEM) to trust for the backend")
	certFile := fs.String("cert", "", "client certificate (PEM) for mutual TLS")
	keyFile := fs.String("key", "", "client key (PEM) for mutual TLS")
	timeout := fs.Duration("timeout", 30*time.Second, "request timeout")
	pos, code, ok := c.parse(fs, args, 1)
	if !ok {
		return code
	}
	file := pos[0]
	switch {
	case *backend == "":
		return c.usageError(fs, "--backend is required")
	case !strings.HasPrefix(*backend, "https://") && !strings.HasPrefix(*backend, "http://"):
		return c.usageError(fs, "--backend %q: want an https:// address", *backend)
	case *timeout <= 0:
		return c.usageError(fs, "--timeout %v: want a positive duration", *timeout)
	case (*certFile == "") != (*keyFile == ""):
		return c.usageError(fs, "--cert and --key go together")
	}
	if *token == "" {
		*token = os.Getenv("KIOSK_OPERATOR_TOKEN")
	}
	data, err := readCapped(file, catalog.DefaultMaxSize)
	if err != nil {
		return c.fail(ExitFailed, "%v", err)
	}
	sig, err := readCapped(file+".minisig", catalog.MaxSignatureSize)
	if err != nil {
		return c.fail(ExitFailed, "publish: signature: %v (sign it first)", err)
	}
	if _, err := catalog.Parse(data); err != nil {
		return c.fail(ExitFailed, "publish: %v", err)
	}
	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12}
	if *caFile != "" {
		pem, err := os.ReadFile(*caFile)
		if err != nil {
			return c.fail(ExitFailed, "%v", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return c.fail(ExitFailed, "%s: no certificates", *caFile)
		}
		tlsConf.RootCAs = pool
	}
	if *certFile != "" || *keyFile != "" {
		cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		if err != nil {
			return c.fail(ExitFailed, "client certificate: %v", err)
		}
		tlsConf.Certificates = []tls.Certificate{cert}
	}
	body, _ := json.Marshal(PublishBody{Catalog: base64.StdEncoding.EncodeToString(data), Signature: string(sig)})
	ctx, cancel := context.WithTimeout(c.ctx, *timeout)
	defer cancel()
	url := strings.TrimSuffix(*backend, "/") + "/v1/catalog"
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, url, bytes.NewReader(body))
	if err != nil {
		return c.fail(ExitFailed, "%v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if *token != "" {
		req.Header.Set("Authorization", "Bearer "+*token)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: tlsConf, Proxy: http.ProxyFromEnvironment}}
	resp, err := client.Do(req)
	if err != nil {
		return c.fail(ExitFailed, "publish: %v", err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode/100 != 2 {
		return c.fail(ExitFailed, "publish: %s: %s", resp.Status, strings.TrimSpace(string(msg)))
	}
	if c.json {
		printJSON(c.out, map[string]any{"file": file, "url": url, "status": resp.StatusCode})
		return ExitOK
	}
	fmt.Fprintf(c.out, "published %s to %s: %s\n", file, url, resp.Status)
	return ExitOK
}
