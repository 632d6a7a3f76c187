//go:build linux

package checks_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// A netnsScenario runs inside a fresh network namespace (in a child test
// process): it starts its peers on the namespace's 127.0.0.1, calls setup
// with the values the setup commands refer to ($NAME), does its work and
// returns what the parent asserts on (marshalled as JSON). Scenarios are
// registered in netnsScenarios, also from other test files (init).
type netnsScenario func(t *testing.T, setup func(vars map[string]string)) any

// netnsScenarios maps a scenario name to the code its child runs.
var netnsScenarios = map[string]netnsScenario{}

// Environment variables that pass a scenario to the child process.
const (
	netnsEnvScenario = "ASTEST_NETNS_SCENARIO"
	netnsEnvSetup    = "ASTEST_NETNS_SETUP"
	netnsResultMark  = "NETNS-RESULT "
)

var netnsCounter atomic.Int64

// netnsSkip skips a test that cannot make namespaces here: not root, or
// ip, iptables, tc or sysctl missing.
func netnsSkip(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("network namespace tests need root")
	}
	for _, tool := range []string{"ip", "iptables", "tc", "sysctl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("network namespace tests need %s (apt-get install iproute2 iptables procps)", tool)
		}
	}
}

// runInNetns creates a network namespace of its own (deleted at cleanup),
// runs the scenario inside it by re-executing this test binary as
// TestNetnsChild, and decodes the scenario's JSON result into out. setup
// holds shell commands (iptables, tc, sysctl...) the child runs inside the
// namespace once its peers listen; "$NAME" in them is replaced with the
// values the scenario passes (e.g. its peers' ports). All traffic stays in
// the namespace.
func runInNetns(t *testing.T, scenario string, setup []string, out any) {
	t.Helper()
	netnsSkip(t)
	if netnsScenarios[scenario] == nil {
		t.Fatalf("no netns scenario %q", scenario)
	}
	ns := fmt.Sprintf("astest-%d-%d", os.Getpid(), netnsCounter.Add(1))
	if b, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
		t.Skipf("cannot create a network namespace: %v: %s", err, b)
	}
	t.Cleanup(func() {
		if b, err := exec.Command("ip", "netns", "delete", ns).CombinedOutput(); err != nil {
			t.Errorf("deleting namespace %s: %v: %s", ns, err, b)
		}
	})
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ip", "netns", "exec", ns, exe, "-test.run", "^TestNetnsChild$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), netnsEnvScenario+"="+scenario, netnsEnvSetup+"="+strings.Join(setup, "\n"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	sc := bufio.NewScanner(bytes.NewReader(stdout.Bytes()))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), netnsResultMark); ok {
			if err := json.Unmarshal([]byte(rest), out); err != nil {
				t.Fatalf("scenario %s: bad result: %v", scenario, err)
			}
			if runErr != nil {
				t.Fatalf("scenario %s: child failed: %v\n%s%s", scenario, runErr, stdout.String(), stderr.String())
			}
			return
		}
	}
	t.Fatalf("scenario %s: no result (%v)\n%s%s", scenario, runErr, stdout.String(), stderr.String())
}

// TestNetnsChild is the child side of runInNetns; run directly it skips.
func TestNetnsChild(t *testing.T) {
	name := os.Getenv(netnsEnvScenario)
	if name == "" {
		t.Skip("runs only inside a namespace made by runInNetns")
	}
	netnsSh(t, "ip link set lo up")
	setup := func(vars map[string]string) {
		for _, line := range strings.Split(os.Getenv(netnsEnvSetup), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				netnsSh(t, os.Expand(line, func(k string) string { return vars[k] }))
			}
		}
	}
	res := netnsScenarios[name](t, setup)
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println(netnsResultMark + string(b))
}

// netnsSh runs one shell command or stops the child.
func netnsSh(t *testing.T, line string) {
	t.Helper()
	if b, err := exec.Command("sh", "-c", line).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v: %s", line, err, b)
	}
}
