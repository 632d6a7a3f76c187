package wizard

import (
	"regexp"
	"strconv"
	"strings"

	"assistant/checks"
	"assistant/practice"
)

// Practice marks a report of a practice run: its scenario and the
// standard ports its servers on 127.0.0.1 stand in for. Every rendering
// of such a report says so first, so that one never lands in a real ticket.
type Practice struct {
	Scenario practice.ID     `json:"scenario"`
	Ports    []SimulatedPort `json:"simulated_ports"`
}

// SimulatedPort is a standard port a practice server stands in for, and
// the address it really listens on.
type SimulatedPort struct {
	Port    int    `json:"port"`
	Address string `json:"address"`
}

// simulate lists what a practice lab simulates: its target on the
// service's default port for its security, and each stand-in of the other
// standard ports on the first free standard port of the same security.
func simulate(lab *practice.Lab) *Practice {
	t := lab.Target
	own := checks.DefaultPort(t.Service, t.Security)
	p := &Practice{Scenario: lab.ID, Ports: []SimulatedPort{{own, addr(t.Host, t.Port)}}}
	used := map[int]bool{own: true}
	for _, sp := range lab.Options.Ports {
		for _, std := range checks.StandardPorts(t.Service) {
			if std.Security == sp.Security && !used[std.Port] {
				used[std.Port] = true
				p.Ports = append(p.Ports, SimulatedPort{std.Port, addr(t.Host, sp.Port)})
				break
			}
		}
	}
	return p
}

func addr(host string, port int) string { return host + ":" + strconv.Itoa(port) }

// standard maps a stand-in's real port to the standard port it simulates.
func (p *Practice) standard() map[string]string {
	m := map[string]string{}
	for _, sp := range p.Ports {
		if _, port, ok := strings.Cut(sp.Address, ":"); ok {
			m[port] = strconv.Itoa(sp.Port)
		}
	}
	return m
}

var number = regexp.MustCompile(`\b\d{2,5}\b`)

// speakStandard rewrites a practice report to speak of the ports it
// simulates: the findings' facts ("set Outlook to port 587", not to the
// random port of its stand-in) and the ports check's list. The real
// addresses stay in the banner, the connection facts and the transcripts.
func (p *Practice) speakStandard(rep *Report) {
	m := p.standard()
	for i := range rep.Findings {
		facts := map[string]string{}
		for k, v := range rep.Findings[i].Facts {
			facts[k] = number.ReplaceAllStringFunc(v, func(n string) string {
				if s, ok := m[n]; ok {
					return s
				}
				return n
			})
		}
		rep.Findings[i].Facts = facts
	}
	results := append([]checks.Result(nil), rep.Results...)
	for i, r := range results {
		if r.Ports == nil {
			continue
		}
		ports := append([]checks.PortFacts(nil), r.Ports...)
		for j := range ports {
			if s, ok := m[strconv.Itoa(ports[j].Port)]; ok {
				ports[j].Port, _ = strconv.Atoi(s)
			}
		}
		results[i].Ports = ports
	}
	rep.Results = results
}

// Banner is the practice-run line every rendering of the report starts
// with, in l: the scenario and where each port is simulated.
func (p *Practice) Banner(l Lang) string {
	return l.T("window.report.practice", "scenario", l.T("practice."+string(p.Scenario)+".title"), "ports", p.PortsText(l))
}

// PortsText lists the simulated ports in l ("port 25 (simulated on
// 127.0.0.1:58561), port 587 (simulated on 127.0.0.1:44887)").
func (p *Practice) PortsText(l Lang) string {
	parts := make([]string, len(p.Ports))
	for i, sp := range p.Ports {
		parts[i] = l.T("window.practice.port", "port", sp.Port, "address", sp.Address)
	}
	return strings.Join(parts, ", ")
}
