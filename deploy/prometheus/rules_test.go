package prometheus

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v2"
)

// tool finds a command of the Prometheus tools. Outside CI a machine
// without it skips, saying what to install; in CI (CI=true) its absence
// fails the test, so the rules are never left unchecked there.
func tool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not installed (Debian package %s; .ci/setup.sh installs it)", name, pkg)
	}
	t.Skipf("%s is not installed: install Debian's %s (make setup does) to check the fleet's rules", name, pkg)
	return ""
}

func run(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestPrometheusConfig(t *testing.T) {
	out := run(t, tool(t, "promtool", "prometheus"), "check", "config", "prometheus.yml")
	if !strings.Contains(out, "2 rule files found") {
		t.Errorf("prometheus.yml does not load both rule files:\n%s", out)
	}
}

func TestRulesCheck(t *testing.T) {
	run(t, tool(t, "promtool", "prometheus"), "check", "rules", "rules/kiosk-recording.yml", "rules/kiosk-alerts.yml")
}

func TestRulesUnitTests(t *testing.T) {
	run(t, tool(t, "promtool", "prometheus"), "test", "rules", "tests/kiosk-alerts.test.yml")
}

func TestAlertmanagerConfig(t *testing.T) {
	run(t, tool(t, "amtool", "prometheus-alertmanager"), "check-config", "alertmanager.yml")
}

type ruleFile struct {
	Groups []struct {
		Rules []struct {
			Alert       string            `yaml:"alert"`
			Record      string            `yaml:"record"`
			Labels      map[string]string `yaml:"labels"`
			Annotations map[string]string `yaml:"annotations"`
		} `yaml:"rules"`
	} `yaml:"groups"`
}

type testFile struct {
	Tests []struct {
		AlertRuleTest []struct {
			Alertname string `yaml:"alertname"`
			ExpAlerts []struct {
				ExpLabels map[string]string `yaml:"exp_labels"`
			} `yaml:"exp_alerts"`
		} `yaml:"alert_rule_test"`
	} `yaml:"tests"`
}

func load(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestEveryAlertFiresAndStaysQuiet holds the rules to their promise:
// every alert has a severity, a Chinese summary, description and
// runbook, and unit tests in which it fires and in which it stays quiet.
func TestEveryAlertFiresAndStaysQuiet(t *testing.T) {
	var rules ruleFile
	load(t, "rules/kiosk-alerts.yml", &rules)
	var tests testFile
	load(t, "tests/kiosk-alerts.test.yml", &tests)
	fires, quiet := map[string]int{}, map[string]int{}
	for _, tc := range tests.Tests {
		for _, a := range tc.AlertRuleTest {
			if len(a.ExpAlerts) > 0 {
				fires[a.Alertname]++
			} else {
				quiet[a.Alertname]++
			}
		}
	}
	n := 0
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			if r.Alert == "" {
				continue
			}
			n++
			if s := r.Labels["severity"]; s != "critical" && s != "warning" {
				t.Errorf("%s: severity %q, want critical or warning", r.Alert, s)
			}
			for _, k := range []string{"summary", "description", "runbook"} {
				if !hasHan(r.Annotations[k]) {
					t.Errorf("%s: annotation %s is not in Chinese: %q", r.Alert, k, r.Annotations[k])
				}
			}
			if fires[r.Alert] == 0 || quiet[r.Alert] == 0 {
				t.Errorf("%s: %d tests where it fires, %d where it stays quiet; want both", r.Alert, fires[r.Alert], quiet[r.Alert])
			}
		}
	}
	if n < 14 {
		t.Errorf("%d alerts in rules/kiosk-alerts.yml, want the 14 documented", n)
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

// TestTargetsExample checks the example targets file has the shape
// file-based discovery reads, with the labels the alerts speak in.
func TestTargetsExample(t *testing.T) {
	var groups []struct {
		Targets []string          `yaml:"targets"`
		Labels  map[string]string `yaml:"labels"`
	}
	b, err := os.ReadFile("targets/kiosks.yml.example")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.UnmarshalStrict(b, &groups); err != nil {
		t.Fatal(err)
	}
	if len(groups) == 0 {
		t.Fatal("no target groups")
	}
	for _, g := range groups {
		if len(g.Targets) == 0 || g.Labels["hall"] == "" || g.Labels["kiosk"] == "" {
			t.Errorf("target group %+v: want targets and the hall and kiosk labels", g)
		}
		for _, tg := range g.Targets {
			if !strings.Contains(tg, ":") {
				t.Errorf("target %q: want host:port", tg)
			}
		}
	}
}
