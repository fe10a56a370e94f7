// Package prometheus holds the fleet's Prometheus and Alertmanager
// configuration (prometheus.yml, targets/, rules/, alertmanager.yml) and
// its tests: the configuration and rules checked, and the alert rules'
// unit tests run, with Prometheus's own promtool (and Alertmanager's
// amtool). There is no Go code to import here; docs/deployment.md,
// "Monitoring the fleet", says how to run it.
package prometheus
