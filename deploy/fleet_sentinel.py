"""deploy/fleet's Redis Sentinel: a primary, two replicas and three sentinels on
loopback, and the failover fault (kill -9 of the primary under load).

Imported by deploy/fleet (`--redis sentinel`); not a program of its own.
"""

import http.client
import json
import shutil
import subprocess
import threading
import time

SERVICE = "pastebin"
# A primary silent this long is down for a sentinel; then an election and a
# promotion (about 2 s in all on one host).
DOWN_AFTER_MS = 1000


def cli(port, *args, timeout=2):
    """redis-cli's answer (trimmed), '' when it fails."""
    try:
        out = subprocess.run(["redis-cli", "-p", str(port), *args], capture_output=True, timeout=timeout)
        return out.stdout.decode().strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


class SentinelRedis:
    """The Redis parts of a fleet behind Sentinel, as deploy/fleet's Parts."""

    def __init__(self, work, part, free_port):
        self.work = work
        redis = shutil.which("redis-server") or "/usr/bin/redis-server"
        sentinel = shutil.which("redis-sentinel") or "/usr/bin/redis-sentinel"
        self.ports = [free_port() for _ in range(3)]
        self.nodes = []
        for i, port in enumerate(self.ports):
            folder = work / f"redis-{i + 1}"
            folder.mkdir(exist_ok=True)
            command = [redis, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
                       "--appendonly", "yes", "--appendfsync", "everysec", "--save", ""]
            if i:
                command += ["--replicaof", "127.0.0.1", str(self.ports[0])]
            self.nodes.append(part(f"redis-{i + 1}", work, command))
        self.sentinel_ports = [free_port() for _ in range(3)]
        self.sentinels = []
        for i, port in enumerate(self.sentinel_ports):
            folder = work / f"sentinel-{i + 1}"
            folder.mkdir(exist_ok=True)
            conf = folder / "sentinel.conf"
            conf.write_text(
                f"port {port}\nbind 127.0.0.1\ndir {folder}\n"
                f"sentinel monitor {SERVICE} 127.0.0.1 {self.ports[0]} 2\n"
                f"sentinel down-after-milliseconds {SERVICE} {DOWN_AFTER_MS}\n"
                f"sentinel failover-timeout {SERVICE} 4000\n"
                f"sentinel parallel-syncs {SERVICE} 2\n"
                + "".join(f"sentinel known-replica {SERVICE} 127.0.0.1 {p}\n" for p in self.ports[1:]))
            self.sentinels.append(part(f"sentinel-{i + 1}", work, [sentinel, str(conf)]))
        self.killed = None

    def env(self):
        return {"PASTEBIN__REDIS__SENTINELS": ",".join(f"redis://127.0.0.1:{p}" for p in self.sentinel_ports),
                "PASTEBIN__REDIS__SERVICE_NAME": SERVICE}

    def parts(self):
        return self.nodes + self.sentinels

    def describe(self):
        return (f"Redis primary on {self.ports[0]}, replicas on {self.ports[1]} and {self.ports[2]}, "
                f"sentinels on {', '.join(map(str, self.sentinel_ports))}")

    def start(self, wait_for):
        for node in self.nodes:
            node.start()
        wait_for(lambda: cli(self.ports[0], "INFO", "replication").count("state=online") == 2, 20,
                 "both Redis replicas")
        for s in self.sentinels:
            s.start()
        for port in self.sentinel_ports:
            wait_for(lambda port=port: self.ready_sentinel(port), 30, f"sentinel on {port}")

    def ready_sentinel(self, port):
        fields = cli(port, "SENTINEL", "master", SERVICE).split("\n")
        info = dict(zip(fields[::2], fields[1::2]))
        return info.get("num-other-sentinels") == "2" and info.get("num-slaves") == "2"

    def stop(self, within=10):
        for part in self.sentinels + self.nodes:
            part.stop(within=within)

    def primary(self):
        """The port every sentinel names primary now (None while they disagree)."""
        named = {cli(p, "SENTINEL", "get-master-addr-by-name", SERVICE).split("\n")[-1]
                 for p in self.sentinel_ports}
        if len(named) != 1:
            return None
        port = named.pop()
        return int(port) if port.isdigit() else None

    def kill_primary(self):
        port = self.primary()
        node = self.nodes[self.ports.index(port)]
        node.kill_9()
        self.killed = node
        return port

    def wait_new_primary(self, old, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            new = self.primary()
            if new and new != old and cli(new, "ROLE").startswith("master"):
                return new
            time.sleep(0.02)
        raise RuntimeError(f"no new Redis primary within {seconds} s")

    def restart_killed(self):
        """The killed node back: Sentinel makes it a replica of the new primary."""
        self.killed.start()
        self.killed = None


class ChangeProbe:
    """Changes acknowledged on one clone, read at once on every clone directly
    (their near tiers warmed first): a read that still shows a paste whose delete
    was acknowledged is stale. Deletes refused (503) while the clones find the new
    primary are counted, and tried again."""

    def __init__(self, clone_ports):
        self.ports = clone_ports
        self.done = threading.Event()
        self.changes = 0
        self.stale = 0
        self.refused = 0
        self.examples = []

    def call(self, port, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            answer = conn.getresponse()
            return answer.status, answer.read()
        finally:
            conn.close()

    def one(self, n):
        writer = self.ports[n % len(self.ports)]
        status, body = self.call(writer, "POST", "/api/v1/pastes",
                                 json.dumps({"content": f"probe {n}"}).encode(),
                                 {"Content-Type": "application/json"})
        if status != 201:
            return
        made = json.loads(body)
        raw = f"/raw/{made['id']}"
        for port in self.ports:  # twice: the second read is served near
            for _ in range(2):
                self.call(port, "GET", raw)
        while not self.done.is_set():
            status, _ = self.call(writer, "DELETE", f"/api/v1/pastes/{made['id']}",
                                  headers={"X-Delete-Token": made["delete_token"]})
            if status == 204:
                break
            self.refused += 1
            time.sleep(0.05)
        else:
            return
        self.changes += 1
        for port in self.ports:
            status, _ = self.call(port, "GET", raw)
            if status != 404:
                self.stale += 1
                if len(self.examples) < 5:
                    self.examples.append(f"{raw} on {port}: {status} after its delete was acknowledged")

    def run(self):
        n = 0
        while not self.done.is_set():
            n += 1
            try:
                self.one(n)
            except (OSError, http.client.HTTPException, ValueError, KeyError):
                time.sleep(0.05)

    def start(self):
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def stop(self):
        self.done.set()
        self.thread.join(60)


def queued_jobs(port):
    """Jobs in the stream (delivered or not) on the node at `port`."""
    answer = cli(port, "XLEN", "v1:jobs")
    return int(answer) if answer.isdigit() else 0


def entry_id(port, *command):
    """The first entry id `command` (XRANGE/XREVRANGE ... COUNT 1) answers, as a
    comparable (ms, seq), or None for an empty stream."""
    answer = cli(port, *command).split("\n")[0].strip()
    ms, _, seq = answer.partition("-")
    return (int(ms), int(seq)) if ms.isdigit() and seq.isdigit() else None


def resumed_done(port, last):
    """Whether every job the new primary held at its promotion (ids up to `last`)
    is finished: the oldest entry left is newer, or none is left. New jobs keep
    coming under the load, so the stream itself is seldom empty."""
    first = entry_id(port, "XRANGE", "v1:jobs", "-", "+", "COUNT", "1")
    return first is None or last is None or first > last


def failover_faults(fleet, args, load, sessions, step):
    """kill -9 of the Redis primary under load; the problems, and the figures."""
    redis = fleet.redis
    problems = []
    probe = ChangeProbe(fleet.clone_ports)
    probe.start()
    time.sleep(args.pause)
    before, signed_before = len(load.failed_at), len(sessions.failed_at)
    killed_at = time.monotonic()
    sessions.redis_down(True)
    old = redis.kill_primary()
    step(f"kill -9 of the Redis primary (port {old})")
    new = redis.wait_new_primary(old)
    promoted = time.monotonic() - killed_at
    resumed = queued_jobs(new)
    last = entry_id(new, "XREVRANGE", "v1:jobs", "+", "-", "COUNT", "1")
    step(f"Sentinel promoted {new} after {promoted:.2f} s; {resumed} jobs in its stream")
    if not fleet.ready_everywhere(30):
        problems.append("not every clone's /readyz says ready after the failover")
    ready = time.monotonic() - killed_at
    sessions.redis_down(False)
    step(f"every clone ready on the new primary {ready:.2f} s after the kill")
    drained = None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if resumed_done(new, last):
            drained = time.monotonic() - killed_at
            break
        time.sleep(0.1)
    if drained is None:
        problems.append("the jobs held at the failover were not all done within 30 s of it")
    redis.restart_killed()
    step(f"port {old} started again (a replica now)")
    time.sleep(args.pause)
    probe.stop()
    dead = cli(new, "XLEN", "v1:jobs:dead")
    window = [t - killed_at for t in load.failed_at[before:]]
    signed = [t - killed_at for t in sessions.failed_at[signed_before:]]
    outside = [t for t in window + signed if t < 0 or t > ready]
    figures = {
        "promoted_s": promoted, "ready_s": ready, "resumed": resumed,
        "drained_s": drained, "dead": int(dead) if dead.isdigit() else dead,
        "failed": len(window), "window": (min(window), max(window)) if window else None,
        "signed_in_failed": len(signed), "before_kill": len(load.failed_at[:before]) + len(sessions.failed_at[:signed_before]),
        "outside": len(outside), "changes": probe.changes, "stale": probe.stale, "refused": probe.refused,
    }
    if outside or figures["before_kill"]:
        problems.append(f"{len(outside) + figures['before_kill']} requests failed outside the failover window")
    if probe.stale:
        problems.append(f"{probe.stale} near-cache reads stale after an acknowledged delete: {probe.examples}")
    if not probe.changes:
        problems.append("no change was acknowledged during the test")
    return problems, figures


def report(figures):
    f = figures
    window = (f"{f['window'][0]:.2f} s to {f['window'][1]:.2f} s after the kill" if f["window"]
              else "none")
    drained = f"{f['drained_s']:.2f} s" if f["drained_s"] is not None else "never"
    print(f"failover: primary killed -9; Sentinel promoted a replica after {f['promoted_s']:.2f} s, "
          f"every clone ready after {f['ready_s']:.2f} s")
    print(f"  failed anonymous requests: {f['failed']} (window: {window}; outside the failover window: "
          f"{f['outside']})")
    print(f"  failed signed-in requests (answered as anonymous apart): {f['signed_in_failed']}")
    print(f"  jobs resumed on the new primary: {f['resumed']} (all done {drained} after the kill; "
          f"dead-lettered: {f['dead']})")
    print(f"  acknowledged deletes read at once on every clone: {f['changes']}; stale reads: {f['stale']} "
          f"(deletes refused with 503 while the clones moved: {f['refused']})")
    print("FIGURES " + json.dumps(f))

