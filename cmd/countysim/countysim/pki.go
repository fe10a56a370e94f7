package countysim

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// PKI names the files MintDevPKI wrote.
type PKI struct {
	Dir        string
	CAFile     string // ca.pem
	ServerCert string // server.pem (127.0.0.1, ::1, localhost)
	ServerKey  string // server-key.pem
	Clients    map[string]ClientCert
}

// ClientCert is one kiosk's certificate; its CN is the kiosk id.
type ClientCert struct {
	CertFile string // client-<id>.pem
	KeyFile  string // client-<id>-key.pem
}

// MintDevPKI writes a development CA, a loopback server certificate and a
// client certificate per kiosk id into dir. Keys are written 0600.
// Certificates are valid for ten years; this is for development only.
func MintDevPKI(dir string, kioskIDs []string) (PKI, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return PKI{}, fmt.Errorf("countysim: mint pki: %w", err)
	}
	p := PKI{Dir: dir, CAFile: filepath.Join(dir, "ca.pem"), ServerCert: filepath.Join(dir, "server.pem"),
		ServerKey: filepath.Join(dir, "server-key.pem"), Clients: map[string]ClientCert{}}
	now := time.Now().Add(-time.Hour)
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return PKI{}, fmt.Errorf("countysim: mint pki: %w", err)
	}
	caTmpl := &x509.Certificate{SerialNumber: serial(), Subject: pkix.Name{CommonName: "countysim development CA"},
		NotBefore: now, NotAfter: now.Add(10 * 365 * 24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return PKI{}, fmt.Errorf("countysim: mint pki: %w", err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	if err := writePEM(p.CAFile, "CERTIFICATE", caDER, 0o644); err != nil {
		return PKI{}, err
	}
	leaf := func(cn string, server bool, certFile, keyFile string) error {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return fmt.Errorf("countysim: mint pki: %w", err)
		}
		t := &x509.Certificate{SerialNumber: serial(), Subject: pkix.Name{CommonName: cn},
			NotBefore: now, NotAfter: now.Add(10 * 365 * 24 * time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
		if server {
			t.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
			t.DNSNames = []string{"localhost"}
			t.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
		} else {
			t.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
		}
		der, err := x509.CreateCertificate(rand.Reader, t, ca, &k.PublicKey, caKey)
		if err != nil {
			return fmt.Errorf("countysim: mint pki: %w", err)
		}
		kder, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			return fmt.Errorf("countysim: mint pki: %w", err)
		}
		if err := writePEM(certFile, "CERTIFICATE", der, 0o644); err != nil {
			return err
		}
		return writePEM(keyFile, "EC PRIVATE KEY", kder, 0o600)
	}
	if err := leaf("countysim", true, p.ServerCert, p.ServerKey); err != nil {
		return PKI{}, err
	}
	for _, id := range kioskIDs {
		if id == "" || filepath.Base(id) != id {
			return PKI{}, fmt.Errorf("countysim: mint pki: bad kiosk id %q", id)
		}
		c := ClientCert{CertFile: filepath.Join(dir, "client-"+id+".pem"), KeyFile: filepath.Join(dir, "client-"+id+"-key.pem")}
		if err := leaf(id, false, c.CertFile, c.KeyFile); err != nil {
			return PKI{}, err
		}
		p.Clients[id] = c
	}
	return p, nil
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	return n
}

func writePEM(path, typ string, der []byte, mode os.FileMode) error {
	b := pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
	if err := os.WriteFile(path, b, mode); err != nil {
		return fmt.Errorf("countysim: mint pki: %w", err)
	}
	return nil
}
