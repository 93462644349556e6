// A smoke test of go-marathon against a Marathon-compatible API, driven the way the Terraform marathon
// provider drives it: events over SSE, create, wait for the deployment_success event whose id the write
// returned, update, scale, delete. v0.7.1 is the version that provider pins (and the newest tag the Go
// module proxy serves). Each step prints "PASS <step>" or "FAIL <step>: <why>"; the exit status is 1 when
// any step failed.
//
// Usage: go-marathon-smoke -url http://127.0.0.1:8080 [-token <jwt>] [-app /smoke/app] [-timeout 90s]
// The token may also come from $MARATHON_TOKEN (it is sent as "Authorization: token=<jwt>").
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	marathon "github.com/gambol99/go-marathon"
)

// deployments records the outcome of every deployment the event stream reported, by deployment id.
type deployments struct {
	sync.Mutex
	done   map[string]string // id → "deployment_success" | "deployment_failed"
	events map[string]int    // eventType → count
}

func (d *deployments) record(e *marathon.Event) {
	d.Lock()
	defer d.Unlock()
	d.events[e.Name]++
	switch ev := e.Event.(type) {
	case *marathon.EventDeploymentSuccess:
		d.done[ev.ID] = e.Name
	case *marathon.EventDeploymentFailed:
		d.done[ev.ID] = e.Name
	}
}

func (d *deployments) outcome(id string) string {
	d.Lock()
	defer d.Unlock()
	return d.done[id]
}

func (d *deployments) seen(eventType string) int {
	d.Lock()
	defer d.Unlock()
	return d.events[eventType]
}

// wait blocks until the stream reported deployment `id` finished; an error if it failed or never came.
func (d *deployments) wait(id string, timeout time.Duration) error {
	if id == "" {
		return errors.New("the write returned no deployment id")
	}
	end := time.Now().Add(timeout)
	for time.Now().Before(end) {
		switch d.outcome(id) {
		case "deployment_success":
			return nil
		case "deployment_failed":
			return fmt.Errorf("deployment %s failed (deployment_failed event)", id)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("no deployment_success event for deployment %s within %s", id, timeout)
}

type runner struct {
	client  marathon.Marathon
	events  *deployments
	timeout time.Duration
	failed  bool
}

// step runs fn and prints its verdict; it returns false when the step failed.
func (r *runner) step(name string, fn func() error) bool {
	start := time.Now()
	if err := fn(); err != nil {
		r.failed = true
		fmt.Printf("FAIL %s: %v\n", name, err)
		return false
	}
	fmt.Printf("PASS %s (%.1fs)\n", name, time.Since(start).Seconds())
	return true
}

// settle waits for deployment id over SSE, then checks /v2/deployments agrees and ApplicationOK holds.
func (r *runner) settle(appID, deploymentID string) error {
	if err := r.events.wait(deploymentID, r.timeout); err != nil {
		return err
	}
	if err := r.client.WaitOnDeployment(deploymentID, 10*time.Second); err != nil {
		return fmt.Errorf("deployment %s still listed in /v2/deployments after deployment_success: %v", deploymentID, err)
	}
	return r.applicationOK(appID)
}

func (r *runner) applicationOK(appID string) error {
	// Task counts may trail the deployment event by a status update: allow a few seconds, no more.
	end := time.Now().Add(10 * time.Second)
	for {
		ok, err := r.client.ApplicationOK(appID)
		if err != nil {
			return fmt.Errorf("ApplicationOK: %v", err)
		}
		if ok {
			return nil
		}
		if time.Now().After(end) {
			app, err := r.client.Application(appID)
			if err != nil {
				return fmt.Errorf("ApplicationOK false, then GET failed: %v", err)
			}
			return fmt.Errorf("ApplicationOK stayed false: instances=%v tasksRunning=%d tasks=%d",
				deref(app.Instances), app.TasksRunning, len(app.Tasks))
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func deref(p *int) int {
	if p == nil {
		return -1
	}
	return *p
}

func firstDeployment(app *marathon.Application) string {
	for _, d := range app.DeploymentIDs() {
		return d.DeploymentID
	}
	return ""
}

func main() {
	url := flag.String("url", "http://127.0.0.1:8080", "Marathon URL (may include a path prefix)")
	token := flag.String("token", os.Getenv("MARATHON_TOKEN"), "DC/OS token, sent as Authorization: token=<jwt>")
	appID := flag.String("app", "/go-marathon/smoke", "id of the app to create (must not exist)")
	timeout := flag.Duration("timeout", 90*time.Second, "how long to wait for each deployment")
	verbose := flag.Bool("v", false, "log go-marathon's requests to stderr")
	flag.Parse()

	config := marathon.NewDefaultConfig()
	config.URL = strings.TrimSuffix(*url, "/")
	config.EventsTransport = marathon.EventsTransportSSE
	config.DCOSToken = *token
	if *verbose {
		config.LogOutput = os.Stderr
	}
	client, err := marathon.NewClient(config)
	if err != nil {
		fmt.Printf("FAIL client: %v\n", err)
		os.Exit(1)
	}
	r := &runner{
		client:  client,
		events:  &deployments{done: map[string]string{}, events: map[string]int{}},
		timeout: *timeout,
	}
	id := *appID

	r.step("ping", func() error {
		ok, err := client.Ping()
		if !ok && err == nil {
			err = errors.New("ping returned false")
		}
		return err
	})
	r.step("info", func() error {
		info, err := client.Info()
		if err != nil {
			return err
		}
		if info.Version == "" || info.Name != "marathon" {
			return fmt.Errorf("unexpected /v2/info: name=%q version=%q", info.Name, info.Version)
		}
		return nil
	})
	if !r.step("subscribe to SSE events", func() error {
		ch, err := client.AddEventsListener(marathon.EventIDApplications | marathon.EventIDAPIRequest |
			marathon.EventIDDeploymentSuccess | marathon.EventIDDeploymentFailed | marathon.EventIDDeploymentInfo)
		if err != nil {
			return err
		}
		go func() {
			for e := range ch {
				r.events.record(e)
			}
		}()
		return nil
	}) {
		os.Exit(1)
	}

	// A command app: no container, so the API's default image runs it.
	app := new(marathon.Application).Name(id).CPU(0.1).Memory(32).Count(2)
	app.Command("sleep 3600").AddEnv("STAGE", "created")
	app.AddLabel("owner", "go-marathon")
	created := r.step("create app and wait for its deployment over SSE", func() error {
		res, err := client.CreateApplication(app)
		if err != nil {
			return err
		}
		if res.ID != id {
			return fmt.Errorf("created app has id %q, want %q", res.ID, id)
		}
		return r.settle(id, firstDeployment(res))
	})
	if created {
		r.step("api_post_event seen for the create", func() error {
			if r.events.seen("api_post_event") == 0 {
				return errors.New("no api_post_event on the stream")
			}
			return nil
		})
		r.step("update app (PUT) and wait for its deployment", func() error {
			app.AddEnv("STAGE", "updated")
			app.Command("sleep 3601")
			dep, err := client.UpdateApplication(app, false)
			if err != nil {
				return err
			}
			if err := r.settle(id, dep.DeploymentID); err != nil {
				return err
			}
			got, err := client.Application(id)
			if err != nil {
				return err
			}
			if got.Cmd == nil || *got.Cmd != "sleep 3601" || got.Env == nil || (*got.Env)["STAGE"] != "updated" {
				return fmt.Errorf("update not visible: cmd=%v env=%v", got.Cmd, got.Env)
			}
			return nil
		})
		r.step("scale app to 3 and wait for its deployment", func() error {
			dep, err := client.ScaleApplicationInstances(id, 3, false)
			if err != nil {
				return err
			}
			if err := r.settle(id, dep.DeploymentID); err != nil {
				return err
			}
			got, err := client.Application(id)
			if err != nil {
				return err
			}
			if deref(got.Instances) != 3 || got.TasksRunning != 3 || len(got.Tasks) != 3 {
				return fmt.Errorf("after scale: instances=%d tasksRunning=%d tasks=%d",
					deref(got.Instances), got.TasksRunning, len(got.Tasks))
			}
			return nil
		})
	}
	r.step("delete app and wait for its deployment", func() error {
		dep, err := client.DeleteApplication(id, !created)
		if err != nil {
			return err
		}
		if err := r.events.wait(dep.DeploymentID, r.timeout); err != nil {
			return err
		}
		_, err = client.Application(id)
		var apiErr *marathon.APIError
		if !errors.As(err, &apiErr) || apiErr.ErrCode != marathon.ErrCodeNotFound {
			return fmt.Errorf("GET after delete: want a 404 APIError, got %v", err)
		}
		return nil
	})
	if r.failed {
		os.Exit(1)
	}
}
