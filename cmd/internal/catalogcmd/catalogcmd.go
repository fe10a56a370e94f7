// Package catalogcmd is `kioskctl catalog`: the county operators' tool to
// print, validate, sign, verify and publish the service catalog.
//
//	kioskctl catalog default                       print the built-in catalog
//	kioskctl catalog validate FILE                 every problem with its JSON path
//	kioskctl catalog keygen [--pub F --sec F]      a minisign key pair
//	kioskctl catalog sign --key KEY FILE           writes FILE.minisig
//	kioskctl catalog verify --pubkey PUB [--active-version N] FILE
//	kioskctl catalog publish --backend URL [--token T] [--ca F --cert F --key F] FILE
//
// Exit status: 0 success, 1 the check failed, 2 usage or I/O error.
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

// Exit statuses.
const (
	ExitOK     = 0
	ExitFailed = 1
	ExitUsage  = 2
)

const usage = `usage: kioskctl catalog SUBCOMMAND
  default                                   print the built-in catalog
  validate FILE                             check a catalog; every problem with its JSON path
  keygen [--pub FILE] [--sec FILE] [--force] make a minisign key pair (default county.pub, county.key)
  sign --key KEY [--append] [--comment TEXT] FILE
                                            sign FILE, writing FILE.minisig (--append adds a second signature)
  verify --pubkey PUB [--pubkey PUB2] [--require-two] [--active-version N] FILE
                                            the kiosk's own checks against FILE and FILE.minisig
  publish --backend URL [--token T] [--ca F] [--cert F --key F] FILE
                                            PUT FILE and FILE.minisig to URL/v1/catalog
`

// Run runs `kioskctl catalog ARGS...` and returns the exit status.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
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
	case "publish":
		return c.publish(args[1:])
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return ExitOK
	}
	fmt.Fprintf(stderr, "kioskctl catalog: unknown subcommand %q\n%s", args[0], usage)
	return ExitUsage
}

type cmd struct {
	ctx context.Context
	out io.Writer
	err io.Writer
	now func() time.Time
}

func (c *cmd) fail(code int, format string, a ...any) int {
	fmt.Fprintf(c.err, "kioskctl catalog: "+format+"\n", a...)
	return code
}

func (c *cmd) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("kioskctl catalog "+name, flag.ContinueOnError)
	fs.SetOutput(c.err)
	return fs
}

// oneFile parses flags and wants exactly one file argument.
func (c *cmd) oneFile(fs *flag.FlagSet, args []string) (string, bool) {
	if err := fs.Parse(args); err != nil {
		return "", false
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(c.err, "kioskctl catalog %s: want one FILE\n", fs.Name())
		return "", false
	}
	return fs.Arg(0), true
}

func (c *cmd) defaultCmd(args []string) int {
	if len(args) != 0 {
		return c.fail(ExitUsage, "default takes no arguments")
	}
	if _, err := c.out.Write(catalog.DefaultJSON()); err != nil {
		return c.fail(ExitUsage, "%v", err)
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
	return fmt.Sprintf("%s version %d: %d matters (%s)", c.County, c.Version, len(c.Services), strings.Join(parts, ", "))
}

func (c *cmd) validate(args []string) int {
	fs := c.flags("validate")
	file, ok := c.oneFile(fs, args)
	if !ok {
		return ExitUsage
	}
	data, err := readCapped(file, catalog.DefaultMaxSize)
	if errors.Is(err, catalog.ErrTooLarge) {
		return c.fail(ExitFailed, "%v", err)
	}
	if err != nil {
		return c.fail(ExitUsage, "%v", err)
	}
	cat, err := catalog.Parse(data)
	if err != nil {
		var pe *catalog.ParseError
		if errors.As(err, &pe) {
			fmt.Fprintf(c.out, "%s: %s (byte %d)\n", pe.Path, pe.Reason, pe.Offset)
			return ExitFailed
		}
		return c.fail(ExitFailed, "%v", err)
	}
	if probs := catalog.Validate(cat); len(probs) > 0 {
		for _, p := range probs {
			fmt.Fprintf(c.out, "%s: %s\n", p.Path, p.Reason)
		}
		fmt.Fprintf(c.err, "kioskctl catalog: %s: %d problems\n", file, len(probs))
		return ExitFailed
	}
	fmt.Fprintf(c.out, "ok: %s\n", Summary(cat))
	return ExitOK
}

func (c *cmd) keygen(args []string) int {
	fs := c.flags("keygen")
	pubPath := fs.String("pub", "county.pub", "public key file")
	secPath := fs.String("sec", "county.key", "secret key file (unencrypted: keep it offline)")
	force := fs.Bool("force", false, "overwrite existing files")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() != 0 {
		return c.fail(ExitUsage, "keygen takes no file arguments")
	}
	if !*force {
		for _, p := range []string{*pubPath, *secPath} {
			if _, err := os.Stat(p); err == nil {
				return c.fail(ExitUsage, "%s exists (use --force to overwrite)", p)
			}
		}
	}
	pub, priv, err := minisign.GenerateKey(nil)
	if err != nil {
		return c.fail(ExitUsage, "%v", err)
	}
	if err := os.WriteFile(*secPath, priv.Encode(), 0o600); err != nil {
		return c.fail(ExitUsage, "%v", err)
	}
	if err := os.WriteFile(*pubPath, pub.Encode(), 0o644); err != nil {
		return c.fail(ExitUsage, "%v", err)
	}
	fmt.Fprintf(c.out, "key id %s\npublic key: %s\nwrote %s and %s\n", pub.ID, pub, *pubPath, *secPath)
	return ExitOK
}

func (c *cmd) sign(args []string) int {
	fs := c.flags("sign")
	keyPath := fs.String("key", "", "minisign secret key (from keygen or minisign -G -W)")
	appendSig := fs.Bool("append", false, "add to an existing FILE.minisig (second signer)")
	comment := fs.String("comment", "", "trusted comment (default: timestamp, file, version, hashed)")
	file, ok := c.oneFile(fs, args)
	if !ok {
		return ExitUsage
	}
	if *keyPath == "" {
		return c.fail(ExitUsage, "sign: --key is required")
	}
	keyData, err := os.ReadFile(*keyPath)
	if err != nil {
		return c.fail(ExitUsage, "%v", err)
	}
	key, err := minisign.ParsePrivateKey(keyData)
	if err != nil {
		return c.fail(ExitUsage, "%s: %v", *keyPath, err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return c.fail(ExitUsage, "%v", err)
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
		return c.fail(ExitUsage, "%v", err)
	}
	out := sig.Encode()
	sigPath := file + ".minisig"
	if *appendSig {
		prev, err := os.ReadFile(sigPath)
		if err != nil {
			return c.fail(ExitUsage, "--append: %v", err)
		}
		old, err := minisign.ParseSignatures(prev)
		if err != nil {
			return c.fail(ExitUsage, "--append: %s: %v", sigPath, err)
		}
		for _, s := range old {
			if s.KeyID == key.ID {
				return c.fail(ExitUsage, "--append: %s is already signed by key %s", sigPath, key.ID)
			}
		}
		out = append(prev, out...)
	}
	if err := os.WriteFile(sigPath, out, 0o644); err != nil {
		return c.fail(ExitUsage, "%v", err)
	}
	fmt.Fprintf(c.out, "signed %s with key %s: %s\n", file, key.ID, sigPath)
	return ExitOK
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

func (c *cmd) verify(args []string) int {
	fs := c.flags("verify")
	var pubs multiFlag
	fs.Var(&pubs, "pubkey", "trusted public key file (repeat for several)")
	active := fs.Int64("active-version", 0, "the version the kiosk runs now; the file must be newer")
	requireTwo := fs.Bool("require-two", false, "require signatures from two different trusted keys")
	maxSize := fs.Int64("max-size", catalog.DefaultMaxSize, "size cap in bytes")
	file, ok := c.oneFile(fs, args)
	if !ok {
		return ExitUsage
	}
	if len(pubs) == 0 {
		return c.fail(ExitUsage, "verify: --pubkey is required")
	}
	v := &catalog.Verifier{RequireTwo: *requireTwo, MaxSize: *maxSize, Now: c.now}
	for _, p := range pubs {
		b, err := os.ReadFile(p)
		if err != nil {
			return c.fail(ExitUsage, "%v", err)
		}
		k, err := minisign.ParsePublicKey(b)
		if err != nil {
			return c.fail(ExitUsage, "%s: %v", p, err)
		}
		v.Trusted = append(v.Trusted, k)
	}
	data, err := readCapped(file, *maxSize)
	if errors.Is(err, catalog.ErrTooLarge) {
		return c.fail(ExitFailed, "rejected: %v", err)
	}
	if err != nil {
		return c.fail(ExitUsage, "%v", err)
	}
	sig, err := readCapped(file+".minisig", catalog.MaxSignatureSize)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return c.fail(ExitFailed, "rejected: %v", err)
	}
	cat, err := v.Verify(data, sig, *active)
	if err != nil {
		var ve *catalog.ValidationError
		if errors.As(err, &ve) {
			for _, p := range ve.Problems {
				fmt.Fprintf(c.out, "%s: %s\n", p.Path, p.Reason)
			}
		}
		return c.fail(ExitFailed, "rejected: %v", err)
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
	file, ok := c.oneFile(fs, args)
	if !ok {
		return ExitUsage
	}
	if *backend == "" {
		return c.fail(ExitUsage, "publish: --backend is required")
	}
	if *token == "" {
		*token = os.Getenv("KIOSK_OPERATOR_TOKEN")
	}
	data, err := readCapped(file, catalog.DefaultMaxSize)
	if err != nil {
		return c.fail(ExitUsage, "%v", err)
	}
	sig, err := readCapped(file+".minisig", catalog.MaxSignatureSize)
	if err != nil {
		return c.fail(ExitUsage, "publish: signature: %v (sign it first)", err)
	}
	if _, err := catalog.Parse(data); err != nil {
		return c.fail(ExitFailed, "publish: %v", err)
	}
	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12}
	if *caFile != "" {
		pem, err := os.ReadFile(*caFile)
		if err != nil {
			return c.fail(ExitUsage, "%v", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return c.fail(ExitUsage, "%s: no certificates", *caFile)
		}
		tlsConf.RootCAs = pool
	}
	if *certFile != "" || *keyFile != "" {
		cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		if err != nil {
			return c.fail(ExitUsage, "client certificate: %v", err)
		}
		tlsConf.Certificates = []tls.Certificate{cert}
	}
	body, _ := json.Marshal(PublishBody{Catalog: base64.StdEncoding.EncodeToString(data), Signature: string(sig)})
	ctx, cancel := context.WithTimeout(c.ctx, *timeout)
	defer cancel()
	url := strings.TrimSuffix(*backend, "/") + "/v1/catalog"
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, url, bytes.NewReader(body))
	if err != nil {
		return c.fail(ExitUsage, "%v", err)
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
	fmt.Fprintf(c.out, "published %s to %s: %s\n", file, url, resp.Status)
	return ExitOK
}
