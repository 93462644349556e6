"""Drives Debian's python3-marathon (marathon-python 0.13) against a Marathon-compatible API through what
marathon-python's own integration suite checks: ping and info, a command-only app whose tasks really run,
a complex Docker app that is accepted and readable, deployments right after create and once running,
killing tasks with and without scaling, tasks embedded in the app, and the SSE event stream.

Each check prints "PASS <name>", "FAIL <name>: <why>" or "SKIP <name>: <why>"; the exit status is 1 when
any check failed or was skipped. Run with Debian's Python and the client on PYTHONPATH:

    PYTHONPATH=<unpacked python3-marathon> /usr/bin/python3 scenarios.py --url http://127.0.0.1:8080 \
        [--token <jwt>] [--prefix /python-smoke]

The token may also come from $MARATHON_TOKEN; it is sent as "Authorization: token=<jwt>".
"""

import argparse
import os
import queue
import sys
import threading
import time
import traceback

import requests
from marathon import MarathonClient
from marathon.exceptions import NotFoundError
from marathon.models import MarathonApp
from marathon.models.container import (MarathonContainer, MarathonContainerPortMapping,
                                       MarathonContainerVolume, MarathonDockerContainer)
from marathon.models.events import MarathonEventStreamAttached


class Skip(Exception):
    """A check that cannot run because one it builds on failed."""


class Runner:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0

    def check(self, name, fn):
        """Runs fn, prints its verdict and returns its result (None when it failed)."""
        start = time.monotonic()
        try:
            result = fn()
        except Skip as e:
            self.skipped += 1
            print(f"SKIP {name}: {e}", flush=True)
            return None
        except Exception as e:  # every failure is reported, the run goes on
            self.failed += 1
            print(f"FAIL {name}: {type(e).__name__}: {e} ({where(e)})", flush=True)
            return None
        self.passed += 1
        print(f"PASS {name} ({time.monotonic() - start:.1f}s)", flush=True)
        return True if result is None else result


def where(e):
    """The scenario line that failed, and the library line that raised when it was not ours."""
    frames = traceback.extract_tb(e.__traceback__)
    ours = [f for f in frames if f.filename == __file__ and f.name not in ("expect", "wait_until", "check")]
    at = f"at scenarios.py:{ours[-1].lineno}" if ours else "at ?"
    last = frames[-1] if frames else None
    if last and last.filename != __file__:
        at += f", raised in {os.path.basename(os.path.dirname(last.filename))}/" \
              f"{os.path.basename(last.filename)}:{last.lineno} {last.name}"
    return at


def wait_until(what, fn, timeout, interval=0.5):
    """Calls fn until it returns something truthy; raises with the last value or error on timeout."""
    end = time.monotonic() + timeout
    last = None
    while True:
        try:
            value = fn()
            if value:
                return value
            last = value
        except Exception as e:  # not yet: the last error goes into the message
            last = f"{type(e).__name__}: {e}"
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")
        time.sleep(interval)


def expect(cond, message):
    if not cond:
        raise AssertionError(message)


def version_tuple(version):
    parts = []
    for p in str(version).split("."):
        digits = "".join(ch for ch in p if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


class EventReader:
    """Reads client.event_stream() on a thread; what arrived (and any error that ended it) for later."""

    def __init__(self, client):
        self.client = client
        self.events = queue.Queue()
        self.all = []
        self.error = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self.thread.start()

    def _run(self):
        try:
            for event in self.client.event_stream():
                self.all.append(event)
                self.events.put(event)
        except Exception as e:  # marathon-python ends the stream on an unknown eventType
            self.error = f"{type(e).__name__}: {e}"
        else:
            self.error = "the event stream ended"

    def next(self, timeout, accept=lambda e: True):
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return None
            try:
                event = self.events.get(timeout=left)
            except queue.Empty:
                return None
            if accept(event):
                return event


def deployments_of(client, app_id):
    return [d for d in client.list_deployments() if app_id in (d.affected_apps or [])]


def running_tasks(client, app_id):
    return [t for t in client.list_tasks(app_id) if t.state == "TASK_RUNNING"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", default=os.environ.get("MARATHON_TOKEN"))
    parser.add_argument("--prefix", default=f"/python-{os.getpid()}")
    parser.add_argument("--timeout", type=float, default=120, help="seconds to wait for tasks or deployments")
    args = parser.parse_args()

    # marathon-python sends auth_token on REST calls only: an authenticated event stream needs a session
    # that carries the header itself (its sse_session parameter).
    sse_session = requests.Session()
    if args.token:
        sse_session.headers["Authorization"] = f"token={args.token}"
    client = MarathonClient(args.url, auth_token=args.token, sse_session=sse_session, timeout=30)
    r = Runner()
    prefix = args.prefix.rstrip("/")
    cmd_id = f"{prefix}/sleep"
    complex_id = f"{prefix}/complex"
    timeout = args.timeout

    r.check("ping", lambda: expect(b"pong" in client.ping(), "ping did not answer pong"))

    def info():
        i = client.get_info()
        expect(i and i.name == "marathon", f"name is {getattr(i, 'name', None)!r}")
        expect(version_tuple(i.version) > (0, 11, 0), f"version {i.version!r} is not above 0.11")
    r.check("get_info: version above 0.11", info)

    events = EventReader(client)
    events.start()
    r.check("event stream attaches (event_stream_attached)",
            lambda: expect(events.next(10, lambda e: isinstance(e, MarathonEventStreamAttached)),
                           f"no event_stream_attached within 10 s ({events.error or 'no error'})"))

    # A command-only app: no container, the API's default image runs `sleep`.
    def create_command_app():
        created = client.create_app(cmd_id, MarathonApp(cmd="sleep 3600", instances=5, cpus=0.1, mem=32))
        expect(isinstance(created, MarathonApp), f"create_app returned {created!r}, not the app (201)")
        expect(created.id == cmd_id, f"created id {created.id!r}")
        return time.monotonic()
    created_at = r.check("create_app: command-only app, 5 instances", create_command_app)

    def one_deployment():
        if not created_at:
            raise Skip("the app was not created")
        ds = deployments_of(client, cmd_id)
        expect(len(ds) == 1, f"list_deployments shows {len(ds)} deployments of {cmd_id}: {ds!r}")
        app = client.get_app(cmd_id)
        expect(len(app.deployments) == 1, f"get_app().deployments is {app.deployments!r}")
        expect(app.deployments[0].id == ds[0].id, "app.deployments and /v2/deployments disagree on the id")
    r.check("exactly one deployment right after create", one_deployment)

    def event_while_creating():
        if not created_at:
            raise Skip("the app was not created")
        left = max(0.5, 10 - (time.monotonic() - created_at))
        got = events.next(left, lambda e: not isinstance(e, MarathonEventStreamAttached))
        expect(got is not None, f"no event within 10 s of the create ({events.error or 'stream open'})")
    r.check("event stream yields an event within 10 s of a create", event_while_creating)

    def tasks_run():
        if not created_at:
            raise Skip("the app was not created")
        wait_until("5 TASK_RUNNING tasks", lambda: len(running_tasks(client, cmd_id)) == 5, timeout)
        tasks = client.list_tasks(cmd_id)
        expect(len(tasks) == 5, f"list_tasks returned {len(tasks)} tasks")
        expect(all(t.app_id == cmd_id and t.host and t.id for t in tasks), f"tasks lack fields: {tasks!r}")
    running = r.check("list_tasks: exactly 5 tasks once running", tasks_run)

    def deployment_done():
        if not running:
            raise Skip("the tasks never ran")
        wait_until("no deployment of the app", lambda: not deployments_of(client, cmd_id), 60)
        wait_until("app.deployments empty", lambda: client.get_app(cmd_id).deployments == [], 10)
    r.check("no deployment once all tasks run", deployment_done)

    def embedded_tasks():
        if not running:
            raise Skip("the tasks never ran")
        app = client.get_app(cmd_id, embed_tasks=True)
        ids = sorted(t.id for t in app.tasks)
        listed = sorted(t.id for t in client.list_tasks(cmd_id))
        expect(len(ids) == 5 and all(ids), f"get_app(embed_tasks=True).tasks ids: {ids}")
        expect(ids == listed, f"embedded {ids} != listed {listed}")
        expect(app.tasks_running == 5, f"tasks_running {app.tasks_running}")
    r.check("get_app(embed_tasks=True).tasks", embedded_tasks)

    r.check("list_apps(embed_tasks=True) parses every app",
            lambda: expect(cmd_id in [a.id for a in client.list_apps(embed_tasks=True)], "app not listed"))

    def kill_without_scale():
        if not running:
            raise Skip("the tasks never ran")
        victim = running_tasks(client, cmd_id)[0].id
        killed = client.kill_task(cmd_id, victim)
        got = getattr(killed, "id", None)
        expect(got == victim, f"kill_task returned {killed!r}, not task {victim}")
        wait_until("a replacement task (5 running, the killed one gone)",
                   lambda: (lambda ts: len(ts) == 5 and victim not in [t.id for t in ts])(
                       running_tasks(client, cmd_id)), timeout)
        expect(client.get_app(cmd_id).instances == 5, "instances changed")
    r.check("kill_task without scale: the task is replaced", kill_without_scale)

    def kill_with_scale():
        if not running:
            raise Skip("the tasks never ran")
        victim = running_tasks(client, cmd_id)[0].id
        client.kill_task(cmd_id, victim, scale=True)
        wait_until("instances 4", lambda: client.get_app(cmd_id).instances == 4, 10)
        wait_until("4 tasks without the killed one",
                   lambda: (lambda ts: len(ts) == 4 and victim not in [t.id for t in ts])(
                       client.list_tasks(cmd_id)), timeout)
    r.check("kill_task with scale=True: instances drop to 4", kill_with_scale)

    def kill_given():
        if not running:
            raise Skip("the tasks never ran")
        wait_until("4 running tasks", lambda: len(running_tasks(client, cmd_id)) == 4, timeout)
        # The scale-down above is a deployment until the killed task is gone; a client that scales again
        # at once gets 409 (locked), from Marathon too: wait for it to finish, as clients do.
        wait_until("the scale-down deployment over", lambda: not client.get_app(cmd_id).deployments, timeout)
        victim = running_tasks(client, cmd_id)[0].id
        expect(client.kill_given_tasks([victim], scale=True) is True, "POST /v2/tasks/delete did not answer 200")
        wait_until("instances 3", lambda: client.get_app(cmd_id).instances == 3, 10)
        wait_until("3 tasks without the killed one",
                   lambda: (lambda ts: len(ts) == 3 and victim not in [t.id for t in ts])(
                       client.list_tasks(cmd_id)), timeout)
    r.check("kill_given_tasks (POST /v2/tasks/delete, scale): instances drop to 3", kill_given)

    r.check("event stream saw events of the kills",
            lambda: expect(any(getattr(e, "event_type", "") in ("status_update_event", "instance_changed_event")
                               for e in events.all),
                           f"event types seen: {sorted({e.event_type for e in events.all})}"))

    # A complex Docker app only has to be accepted and read back: its image does not exist.
    complex_app = MarathonApp(
        cmd="sleep 3600", instances=1, cpus=0.1, mem=32,
        container=MarathonContainer(
            type="DOCKER",
            docker=MarathonDockerContainer(
                image="localhost/fake_docker_url", network="BRIDGE",
                port_mappings=[MarathonContainerPortMapping(container_port=8080, host_port=0, protocol="tcp")],
                parameters=[{"key": "hostname", "value": "complex.example.test"}],
                force_pull_image=True),
            volumes=[MarathonContainerVolume(container_path="/etc/complex", host_path="/etc/hosts", mode="RO")]),
        uris=["file:///etc/docker.tar.gz"],
        labels={"owner": "python3-marathon"},
        env={"COMPLEX": "yes"})

    def create_complex():
        created = client.create_app(complex_id, complex_app)
        expect(isinstance(created, MarathonApp), f"create_app returned {created!r}")
    complex_created = r.check("create_app: complex Docker app (BRIDGE, parameters, volume, uris)", create_complex)

    def read_complex():
        if not complex_created:
            raise Skip("the complex app was not created")
        app = client.get_app(complex_id)
        c = app.container
        expect(c is not None and c.type == "DOCKER", f"container {c!r}")
        expect(c.docker.image == "localhost/fake_docker_url", f"image {c.docker.image!r}")
        mappings = list(getattr(c, "port_mappings", None) or []) + list(c.docker.port_mappings or [])
        expect(any(m.container_port == 8080 for m in mappings), f"port mappings {mappings!r}")
        expect({"key": "hostname", "value": "complex.example.test"} in c.docker.parameters,
               f"docker parameters {c.docker.parameters!r}")
        expect(any(v.host_path == "/etc/hosts" and v.container_path == "/etc/complex" and v.mode == "RO"
                   for v in c.volumes), f"volumes {c.volumes!r}")
        uris = list(app.uris) + [f.get("uri") for f in app.fetch]
        expect("file:///etc/docker.tar.gz" in uris, f"uris {app.uris!r} fetch {app.fetch!r}")
        expect(app.labels.get("owner") == "python3-marathon" and app.env.get("COMPLEX") == "yes",
               f"labels {app.labels!r} env {app.env!r}")
    r.check("get_app: the complex app reads back as written", read_complex)

    def delete_all():
        ids = [i for i, ok in ((cmd_id, created_at), (complex_id, complex_created)) if ok]
        if not ids:
            raise Skip("nothing was created")
        for app_id in ids:
            client.delete_app(app_id, force=True)
        for app_id in ids:
            try:
                client.get_app(app_id)
                raise AssertionError(f"{app_id} still readable after delete_app")
            except NotFoundError:
                pass
        wait_until("the apps gone from list_apps",
                   lambda: not [a for a in client.list_apps() if a.id in ids], 30)
        wait_until("no deployments of the apps",
                   lambda: not [d for d in client.list_deployments() if set(d.affected_apps or []) & set(ids)],
                   timeout)
    r.check("delete_app: gone at once, deployments drain", delete_all)

    r.check("event stream still open, no unparseable event",
            lambda: expect(events.error is None, events.error))

    print(f"python3-marathon scenarios: {r.passed} ok, {r.failed} failing, {r.skipped} skipped", flush=True)
    return 1 if r.failed or r.skipped else 0


if __name__ == "__main__":
    sys.exit(main())
