#!/usr/bin/env python3
"""End-to-end benchmark harness for sitrep (issue 7). Python 3 stdlib only.

    bench/e2e.py [common options] once    [--articles 10000 100000 1000000] [--repeat 3]
    bench/e2e.py [common options] latency [--rate 50] [--seconds 30] [--burst 500]
    bench/e2e.py [common options] soak    [--articles 1000000] [--backlog 5000] [--max-seconds 0]
    bench/e2e.py [common options] startup [--files 10000] [--repeat 5]
    bench/e2e.py [common options] peer    [--peer-articles 1000] [--repeat 3]
    bench/e2e.py [common options] all     [--quick]

What each measures (the release binary, default config, all stages on):
  once     `sitrep once` over a generated inbox (bench/gen_corpus.py): articles/s and MB/s
           (wall), CPU-seconds per article and articles per CPU-second (user+sys of the
           process, the figure that survives other load on the machine), peak RSS, and the
           cost curve over the sizes given (CPU-s per article at each size).
  latency  `sitrep run`: each file is written outside the inbox then renamed into it; the
           latency is rename -> its last record appended to out/articles.ndjson (the file is
           polled every 0.5 ms). p50/p90/p99/max at a steady arrival rate, then for a burst.
  soak     `sitrep run` fed a corpus as fast as it digests it (at most --backlog articles
           in flight); VmRSS from /proc/PID/status every second; peak RSS (VmHWM) and the
           RSS slope over the last half of the run (MB per 100k articles and per minute).
  startup  launch `sitrep run` on an inbox of --files already-processed files -> READY=1
           (sd_notify, caught on a unix datagram socket bound here as NOTIFY_SOCKET).
  peer     the Python reference pipeline (../shared/peer, venv .venv-peer) and sitrep on the
           same one-article-per-file .txt sample: per-article CPU time and the ratio.
  all      all of the above; --quick for a small, few-minute version.

Every run writes a markdown table to stdout and the numbers (with machine, load average and
the other processes' CPU use during each run) to bench/results/ (--json). Generated corpora go
under --work (default $TMPDIR/sitrep-e2e; pass a roomier folder for 1M articles) and are deleted
at the end unless --keep. Budgets (issue 7) are printed next to each figure.
"""
import argparse
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GEN = os.path.join(HERE, "gen_corpus.py")

BUDGET = {
    "once_articles_per_cpu_s": 5000,  # articles/s per core on ~3 KB articles, all stages
    "peer_ratio": 200,
    "latency_p99_ms": 250,
    "soak_peak_rss_mb": 250,
    "startup_s": 1.0,
}


# --------------------------------------------------------------------------- machine & load
def machine():
    model = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = int(line.split()[1]) // 1024
    except OSError:
        pass
    rev = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return {"nproc": os.cpu_count(), "cpu": model, "mem_mb": mem, "git": rev + ("+dirty" if dirty else ""),
            "python": sys.version.split()[0], "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}


def cpu_jiffies():
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    with open("/proc/stat") as fh:
        parts = fh.readline().split()[1:]
    v = list(map(int, parts))
    idle = v[3] + (v[4] if len(v) > 4 else 0)
    return sum(v) - idle, sum(v)


class LoadMonitor:
    """Samples the 1-minute load average every second; with the machine's busy jiffies and our
    own process CPU it tells how much CPU *other* processes used during a run."""

    def __init__(self):
        self.samples = []
        self.stop = threading.Event()
        self.t0 = time.monotonic()
        self.j0 = cpu_jiffies()
        self.th = threading.Thread(target=self._run, daemon=True)
        self.th.start()

    def _run(self):
        while not self.stop.is_set():
            self.samples.append(os.getloadavg()[0])
            self.stop.wait(1.0)

    def done(self, own_cpu_s=0.0):
        self.stop.set()
        self.th.join()
        wall = time.monotonic() - self.t0
        j1 = cpu_jiffies()
        hz = os.sysconf("SC_CLK_TCK")
        busy = (j1[0] - self.j0[0]) / hz
        s = self.samples or [os.getloadavg()[0]]
        return {"load1_mean": round(statistics.mean(s), 2), "load1_max": round(max(s), 2),
                "others_cores": round(max(0.0, busy - own_cpu_s) / wall, 2) if wall > 0 else None}


# --------------------------------------------------------------------------- helpers
def log(*a):
    print(*a, file=sys.stderr, flush=True)


def gen_corpus(args, name, total, extra=()):
    """Generates (or reuses, same arguments) a corpus; returns (inbox, manifest)."""
    key = hashlib.sha1(repr((total, tuple(extra), args.seed, args.text, args.formats)).encode()).hexdigest()[:10]
    base = os.path.join(args.work, f"corpus-{name}-{key}")
    inbox, man_path = os.path.join(base, "inbox"), os.path.join(base, "inbox.manifest.json")
    if os.path.exists(man_path):
        with open(man_path) as fh:
            return inbox, json.load(fh)
    shutil.rmtree(base, ignore_errors=True)
    cmd = [sys.executable, GEN, inbox, "--total", str(total), "--seed", str(args.seed), "--text", args.text,
           "--jobs", str(os.cpu_count() or 1), *extra]
    if args.formats and "--layout" not in extra and "--formats" not in extra:
        cmd += ["--formats", args.formats]
    log(f"generating {total} articles -> {inbox}")
    t = time.monotonic()
    subprocess.run(cmd, check=True)
    log(f"  generated in {time.monotonic() - t:.1f} s")
    with open(man_path) as fh:
        return inbox, json.load(fh)


def sitrep_cmd(args, sub, inbox, out, extra=()):
    cmd = [args.bin, sub, "--inbox", inbox, "--out", out, "--log-format", "human", *extra]
    if args.config:
        cmd += ["--config", args.config]
    if args.no_fsync:
        cmd.append("--no-fsync")
    cmd += args.sitrep_arg
    if args.taskset:
        cmd = ["taskset", "-c", args.taskset] + cmd
    return cmd


def wait_rusage(p):
    """Waits for a Popen child with wait4: (exit code, user+sys seconds, peak RSS MB)."""
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    return p.returncode, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024


def count_lines(path):
    n = 0
    try:
        with open(path, "rb") as fh:
            while True:
                b = fh.read(1 << 24)
                if not b:
                    break
                n += b.count(b"\n")
    except FileNotFoundError:
        pass
    return n


def summary_field(logfile, key):
    """A field of the daemon's last `summary=` log line (e.g. duplicates=1234)."""
    val = None
    with open(logfile, errors="replace") as fh:
        for line in fh:
            m = re.search(rf"\b{key}=(\d+)", line)
            if m and "summary=" in line:
                val = int(m.group(1))
    return val


def pct(xs, q):
    if not xs:
        return None
    xs = sorted(xs)
    k = (len(xs) - 1) * q / 100
    f = int(k)
    c = min(f + 1, len(xs) - 1)
    return xs[f] + (xs[c] - xs[f]) * (k - f)


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fresh(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def fmt(x, nd=0):
    if x is None:
        return "—"
    if isinstance(x, float):
        return f"{x:,.{nd}f}"
    return f"{x:,}"


SMOKE = False


def verdict(ok):
    if SMOKE:
        return "(smoke run: not judged)"
    return "**met**" if ok else "**missed**"


def need_disk(args, articles, what):
    """Refuses to start when the scratch disk cannot hold the corpus and the outputs: about
    3 KB of corpus, 4.1 KB of articles.ndjson, 6.3 KB of events.ndjson and 6.7 KB of
    incidents.ndjson per article on the default corpus (measured; a 1M-article soak writes
    ~17 GB). A full disk also stops everyone else's builds."""
    need = articles * 20_000
    free = shutil.disk_usage(args.work).free
    if free < need:
        raise SystemExit(f"{what}: needs ~{need / 1e9:.1f} GB free under {args.work}, has {free / 1e9:.1f} GB")


# --------------------------------------------------------------------------- once
def run_once(args, inbox, man, label):
    out = fresh(os.path.join(args.work, "out-once"))
    logf = os.path.join(args.work, "once.log")
    mon = LoadMonitor()
    t0 = time.monotonic()
    with open(logf, "w") as lf:
        p = subprocess.Popen(sitrep_cmd(args, "once", inbox, out), stdout=lf, stderr=lf)
        code, cpu, rss = wait_rusage(p)
    wall = time.monotonic() - t0
    load = mon.done(cpu)
    if code != 0:
        raise SystemExit(f"sitrep once exited {code}; see {logf}")
    emitted = summary_field(logf, "articles")
    if getattr(args, "rotate_mib", 0):
        # Rotated journals: the older files are gone, so the daemon's own count is the figure
        # (events are not counted; the table shows "-").
        arts, events = emitted or 0, None
    else:
        arts, events = count_lines(os.path.join(out, "articles.ndjson")), count_lines(os.path.join(out, "events.ndjson"))
        if emitted is not None and emitted != arts:
            log(f"  WARNING: summary says articles={emitted}, articles.ndjson has {arts} lines")
    r = {
        "label": label, "articles_in": man["articles"], "articles": arts,
        "events": events,
        "rejects": count_lines(os.path.join(out, "rejects.ndjson")),
        "duplicates": summary_field(logf, "duplicates"), "files": man["files"],
        "mb": man["uncompressed_bytes"] / 1e6, "mb_disk": man["bytes"] / 1e6,
        "wall_s": wall, "cpu_s": cpu, "peak_rss_mb": rss,
        "articles_per_s": arts / wall, "mb_per_s": man["uncompressed_bytes"] / 1e6 / wall,
        "cpu_ms_per_article": cpu / max(arts, 1) * 1e3, "articles_per_cpu_s": arts / cpu if cpu else None,
        **load,
    }
    log(f"  {label}: {arts} articles, wall {wall:.1f} s, cpu {cpu:.1f} s, {r['articles_per_cpu_s']:.0f} articles/cpu-s, "
        f"rss {rss:.0f} MB, load {load['load1_mean']}, others {load['others_cores']} cores")
    shutil.rmtree(out, ignore_errors=True)
    return r


def cmd_once(args, res):
    rows = []
    if getattr(args, "rotate_mib", 0):
        # The corpus (~3 KB/article) plus at most 3 files of each output.
        need = max(args.articles) * 3_500 + 4 * 3 * args.rotate_mib * 2**20
        if shutil.disk_usage(args.work).free < need:
            raise SystemExit(f"once: needs ~{need / 1e9:.1f} GB free under {args.work}")
        os.makedirs(args.work, exist_ok=True)
        args.config = rotating_config(args, os.path.join(args.work, "sitrep-rotating.toml"))
    else:
        need_disk(args, max(args.articles), "once")
    for n in args.articles:
        # Large corpora in sub-folders of 1,000 files, shared with `soak` (same arguments).
        inbox, man = gen_corpus(args, "big", n, ("--dir-files", "1000")) if n >= 100_000 else gen_corpus(args, "once", n)
        reps = [run_once(args, inbox, man, f"{n} articles, run {i + 1}") for i in range(args.repeat if n < 1_000_000 else 1)]
        m = {k: med([r[k] for r in reps]) for k in reps[0] if isinstance(reps[0][k], (int, float))}
        m.update(label=f"{n}", runs=len(reps), formats=man["formats"])
        rows.append({"median": m, "runs": reps})
        if not args.keep and n >= 100_000 and args.cmd == "once":
            shutil.rmtree(os.path.dirname(inbox), ignore_errors=True)
    res["once"] = rows
    print("\n### `sitrep once` (median of runs; CPU = user+sys of the process)\n")
    print("| articles | runs | MB (text) | wall s | articles/s | MB/s | CPU s | CPU ms/article | articles/CPU-s | peak RSS MB | dups | events | load avg | others' cores |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        m = row["median"]
        print(f"| {fmt(m['articles'])} | {m['runs']} | {fmt(m['mb'], 1)} | {fmt(m['wall_s'], 1)} | {fmt(m['articles_per_s'])} "
              f"| {fmt(m['mb_per_s'], 2)} | {fmt(m['cpu_s'], 1)} | {fmt(m['cpu_ms_per_article'], 3)} "
              f"| {fmt(m['articles_per_cpu_s'])} | {fmt(m['peak_rss_mb'])} | {fmt(m['duplicates'])} | {fmt(m.get('events'))} "
              f"| {m['load1_mean']} | {m['others_cores']} |")
    if len(rows) > 1:
        c0 = rows[0]["median"]["cpu_ms_per_article"]
        curve = ", ".join(f"{r['median']['articles']:,}: ×{r['median']['cpu_ms_per_article'] / c0:.2f}" for r in rows)
        print(f"\nCost curve (CPU per article relative to the smallest run): {curve}")
    best = max(r["median"]["articles_per_cpu_s"] or 0 for r in rows)
    print(f"\nBudget ≥ {BUDGET['once_articles_per_cpu_s']:,} articles per CPU-second: {fmt(best)} → "
          f"{verdict(best >= BUDGET['once_articles_per_cpu_s'])}")


# --------------------------------------------------------------------------- daemon helpers
class Notify:
    """A unix datagram socket to hand to the daemon as NOTIFY_SOCKET."""

    def __init__(self, work):
        self.path = os.path.join(work, f"notify-{os.getpid()}.sock")
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)

    def wait_ready(self, timeout):
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                msg = self.sock.recv(4096).decode(errors="replace")
            except socket.timeout:
                return None
            if "READY=1" in msg.split("\n"):
                return time.monotonic()

    def close(self):
        self.sock.close()
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass


def start_daemon(args, inbox, out, logf, notify):
    env = dict(os.environ, NOTIFY_SOCKET=notify.path)
    env.pop("WATCHDOG_USEC", None)
    lf = open(logf, "w")
    t0 = time.monotonic()
    p = subprocess.Popen(sitrep_cmd(args, "run", inbox, out), stdout=lf, stderr=lf, env=env)
    return p, t0, lf


def stop_daemon(p, lf, timeout=120):
    """SIGTERM, then wait4 (so its CPU time and peak RSS are ours to read): (code, cpu s, peak RSS MB)."""
    p.send_signal(signal.SIGTERM)
    end = time.monotonic() + timeout
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > end:
            p.kill()
            end = time.monotonic() + 30
        time.sleep(0.02)
    p.returncode = os.waitstatus_to_exitcode(status)
    lf.close()
    return p.returncode, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024


def alive(p):
    """True while the child runs (without reaping it, so stop_daemon can still wait4)."""
    try:
        with open(f"/proc/{p.pid}/stat") as fh:
            return fh.read().split(") ")[-1][:1] != "Z"
    except OSError:
        return False


class Tail(threading.Thread):
    """Follows out/articles.ndjson (polling every 0.5 ms) and notes when each bundle has its
    expected number of records: seen[path] = monotonic time."""

    PATH_RE = re.compile(rb'"bundle":\{"path":"((?:[^"\\]|\\.)*)"')

    def __init__(self, path, expect):
        super().__init__(daemon=True)
        self.path, self.expect = path, expect  # expect: {bundle path: articles}
        self.count, self.seen, self.lines = {}, {}, 0
        self.stop = threading.Event()

    def run(self):
        while not os.path.exists(self.path) and not self.stop.is_set():
            time.sleep(0.0005)
        buf = b""
        with open(self.path, "rb") as fh:
            while not self.stop.is_set():
                chunk = fh.read(1 << 20)
                if not chunk:
                    time.sleep(0.0005)
                    continue
                now = time.monotonic()
                buf += chunk
                *lines, buf = buf.split(b"\n")
                for line in lines:
                    self.lines += 1
                    m = self.PATH_RE.search(line)
                    if not m:
                        continue
                    p = m.group(1).decode()
                    c = self.count.get(p, 0) + 1
                    self.count[p] = c
                    if c == self.expect.get(p, 1):
                        self.seen[p] = now


# --------------------------------------------------------------------------- latency
def cmd_latency(args, res):
    n_steady = int(args.rate * args.seconds)
    n = n_steady + args.burst
    src, _ = gen_corpus(args, "latency", n, ("--layout", "txt1", "--prefix", "lat"))
    base = fresh(os.path.join(args.work, "latency"))
    inbox, out, stage = (os.path.join(base, d) for d in ("inbox", "out", "stage"))
    os.makedirs(inbox)
    os.makedirs(stage)
    names = sorted(os.listdir(src))
    for nm in names:  # hard links: the corpus stays for re-runs; the rename is what the daemon sees
        os.link(os.path.join(src, nm), os.path.join(stage, nm))
    notify = Notify(args.work)
    p, t0, lf = start_daemon(args, inbox, out, os.path.join(base, "daemon.log"), notify)
    if notify.wait_ready(60) is None:
        stop_daemon(p, lf)
        raise SystemExit("latency: no READY=1 within 60 s")
    notify.close()
    tail = Tail(os.path.join(out, "articles.ndjson"), {nm: 1 for nm in names})
    tail.start()
    mon = LoadMonitor()
    sent = {}
    steady, burst = names[:n_steady], names[n_steady:]
    start = time.monotonic() + 0.5
    for i, nm in enumerate(steady):
        due = start + i / args.rate
        d = due - time.monotonic()
        if d > 0:
            time.sleep(d)
        os.rename(os.path.join(stage, nm), os.path.join(inbox, nm))
        sent[nm] = time.monotonic()
    wait_all(tail, steady, 60)
    time.sleep(2)
    for nm in burst:
        os.rename(os.path.join(stage, nm), os.path.join(inbox, nm))
        sent[nm] = time.monotonic()
    wait_all(tail, burst, 120)
    tail.stop.set()
    tail.join()
    code, cpu, rss = stop_daemon(p, lf)
    load = mon.done(cpu or 0)
    out_rows = {}
    for label, group in (("steady", steady), ("burst", burst)):
        lat = [(tail.seen[nm] - sent[nm]) * 1e3 for nm in group if nm in tail.seen]
        out_rows[label] = {"files": len(group), "received": len(lat), "p50_ms": pct(lat, 50), "p90_ms": pct(lat, 90),
                           "p99_ms": pct(lat, 99), "max_ms": max(lat) if lat else None,
                           "span_s": (max(tail.seen[nm] for nm in group if nm in tail.seen) - min(sent[nm] for nm in group))
                           if lat else None}
    r = {"rate": args.rate, "seconds": args.seconds, "burst": args.burst, "settle_ms": "default",
         "daemon_cpu_s": cpu, "daemon_peak_rss_mb": rss, "exit": code, **out_rows, **load}
    res["latency"] = r
    shutil.rmtree(base, ignore_errors=True)
    print(f"\n### `sitrep run` drop-to-record latency (rename into the inbox → record in articles.ndjson; "
          f"one ~3 KB article per .txt file; default settle time)\n")
    print("| phase | files | received | p50 ms | p90 ms | p99 ms | max ms | all done after s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, txt in (("steady", f"steady {args.rate:g} files/s for {args.seconds:g} s"),
                       ("burst", f"burst of {args.burst} files at once")):
        x = r[label]
        print(f"| {txt} | {x['files']} | {x['received']} | {fmt(x['p50_ms'], 1)} | {fmt(x['p90_ms'], 1)} | "
              f"{fmt(x['p99_ms'], 1)} | {fmt(x['max_ms'], 1)} | {fmt(x['span_s'], 2)} |")
    print(f"\nDaemon CPU {fmt(cpu, 1)} s, peak RSS {fmt(rss)} MB; load avg {load['load1_mean']} "
          f"(max {load['load1_max']}), other processes ≈ {load['others_cores']} cores.")
    ok = r["steady"]["p99_ms"] is not None and r["steady"]["p99_ms"] <= BUDGET["latency_p99_ms"] \
        and r["steady"]["received"] == r["steady"]["files"]
    print(f"\nBudget p99 ≤ {BUDGET['latency_p99_ms']} ms at {args.rate:g} files/s: {fmt(r['steady']['p99_ms'], 1)} ms → {verdict(ok)}")


def wait_all(tail, group, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if all(nm in tail.seen for nm in group):
            return True
        time.sleep(0.01)
    log(f"  timeout: {sum(nm in tail.seen for nm in group)}/{len(group)} files seen")
    return False


# --------------------------------------------------------------------------- soak
def read_status(pid):
    out = {}
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(("VmRSS", "VmHWM")):
                    k, v = line.split(":")
                    out[k] = int(v.split()[0]) / 1024
    except OSError:
        pass
    return out


def slope(xs, ys):
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den if den else None


def rotating_config(args, path):
    """A copy of the config with [output] rotate_kib / keep_rotated set (soak --rotate-mib)."""
    with open(args.config) as fh:
        text = fh.read()
    for key, val in (("rotate_kib", args.rotate_mib * 1024), ("keep_rotated", 2)):
        text, n = re.subn(rf"(?m)^{key} = .*$", f"{key} = {val}", text)
        if n != 1:
            raise SystemExit(f"soak --rotate-mib: no single `{key} = ...` line in {args.config}")
    with open(path, "w") as fh:
        fh.write(text)
    return path


def count_from(path, off):
    """Newlines in `path` from byte `off` on: (count, new offset)."""
    n = 0
    with open(path, "rb") as fh:
        fh.seek(off)
        while True:
            b = fh.read(1 << 24)
            if not b:
                return n, off
            n += b.count(b"\n")
            off += len(b)


def cmd_soak(args, res):
    if args.rotate_mib:
        # Corpus (~3 KB/article), the ledger, and at most 3 files of each output.
        need = args.articles * 3_500 + 4 * 3 * args.rotate_mib * 2**20
        if shutil.disk_usage(args.work).free < need:
            raise SystemExit(f"soak: needs ~{need / 1e9:.1f} GB free under {args.work}")
    else:
        need_disk(args, args.articles, "soak")
    src, man = gen_corpus(args, "big", args.articles, ("--dir-files", "1000"))
    base = fresh(os.path.join(args.work, "soak"))
    inbox, out, stage = (os.path.join(base, d) for d in ("inbox", "out", "stage"))
    os.makedirs(inbox)
    os.makedirs(stage)
    if args.rotate_mib:
        args.config = rotating_config(args, os.path.join(base, "sitrep-rotating.toml"))
    # Bundles with their article counts, in generation order.
    files = []
    for d in sorted(os.listdir(src)):
        for nm in sorted(os.listdir(os.path.join(src, d))):
            files.append((d, nm))
    per_file = bundle_counts(src, files, man)
    notify = Notify(args.work)
    p, t0, lf = start_daemon(args, inbox, out, os.path.join(base, "daemon.log"), notify)
    if notify.wait_ready(60) is None:
        stop_daemon(p, lf)
        raise SystemExit("soak: no READY=1 within 60 s")
    notify.close()
    mon = LoadMonitor()
    samples = []  # (t, rss_mb, articles emitted)
    arts_path = os.path.join(out, "articles.ndjson")
    emitted = [0]
    stop = threading.Event()

    def sampler():
        off, ino = 0, None
        while not stop.is_set():
            try:
                cur = os.stat(arts_path).st_ino
                if ino is not None and cur != ino:
                    # Rotated (--rotate-mib): finish the renamed file, found by its inode.
                    for nm in sorted(os.listdir(out)):
                        pth = os.path.join(out, nm)
                        if nm.startswith("articles-") and os.stat(pth).st_ino == ino:
                            emitted[0] += count_from(pth, off)[0]
                            break
                    off = 0
                ino = cur
                n, off = count_from(arts_path, off)
                emitted[0] += n
            except FileNotFoundError:
                pass
            st = read_status(p.pid)
            if st:
                samples.append((time.monotonic() - t0, st.get("VmRSS", 0), emitted[0], st.get("VmHWM", 0)))
            stop.wait(1.0)

    th = threading.Thread(target=sampler, daemon=True)
    th.start()
    fed = 0
    t_feed = time.monotonic()
    made = set()
    for (d, nm), n in zip(files, per_file):
        while fed - emitted[0] > args.backlog and alive(p):
            time.sleep(0.05)
        if not alive(p) or (args.max_seconds and time.monotonic() - t_feed > args.max_seconds):
            break
        if d not in made:
            os.makedirs(os.path.join(stage, d), exist_ok=True)
            made.add(d)
        s = os.path.join(stage, d + "_" + nm)
        os.link(os.path.join(src, d, nm), s)
        os.rename(s, os.path.join(inbox, d + "_" + nm))
        fed += n
    # Done when every article fed is out, or nothing new came for 30 s (rejects, or the
    # per-bundle counts, which are estimated from sizes, were off).
    last, t_last = -1, time.monotonic()
    while emitted[0] < fed - 0.5 and alive(p) and time.monotonic() - t_last < 30:
        if emitted[0] != last:
            last, t_last = emitted[0], time.monotonic()
        time.sleep(0.2)
    feed_s = time.monotonic() - t_feed
    time.sleep(3)
    stop.set()
    th.join()
    code, cpu, rss = stop_daemon(p, lf, timeout=300)
    load = mon.done(cpu or 0)
    half = [s for s in samples if s[2] >= emitted[0] / 2]
    k_art = slope([s[2] for s in half], [s[1] for s in half])
    k_t = slope([s[0] for s in half], [s[1] for s in half])
    r = {"articles_fed": fed, "articles_emitted": emitted[0], "files": len(files), "feed_s": feed_s,
         "articles_per_s": emitted[0] / feed_s if feed_s else None, "daemon_cpu_s": cpu,
         "articles_per_cpu_s": emitted[0] / cpu if cpu else None, "peak_rss_mb": rss,
         "peak_vmhwm_mb": max((s[3] for s in samples), default=None),
         "rss_end_mb": samples[-1][1] if samples else None,
         "rss_at_half_mb": half[0][1] if half else None,
         "slope_mb_per_100k_articles": k_art * 1e5 if k_art is not None else None,
         "slope_mb_per_min": k_t * 60 if k_t is not None else None, "exit": code,
         "samples": [(round(t, 1), round(m, 1), a) for t, m, a, _ in samples], **load}
    res["soak"] = r
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
        if args.articles >= 100_000:
            shutil.rmtree(os.path.dirname(src), ignore_errors=True)
    else:
        log(f"  soak output kept in {base}")
    print(f"\n### `sitrep run` soak: {fmt(int(fed))} of {fmt(man['articles'])} articles fed as fast as digested "
          f"(≤ {args.backlog:,} in flight)\n")
    print("| articles out | wall s | articles/s | articles/CPU-s | peak RSS MB | RSS at half MB | RSS at end MB | slope last half MB/100k articles | MB/min | load avg | others' cores |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {fmt(r['articles_emitted'])} | {fmt(feed_s, 0)} | {fmt(r['articles_per_s'])} | {fmt(r['articles_per_cpu_s'])} "
          f"| {fmt(r['peak_rss_mb'])} | {fmt(r['rss_at_half_mb'])} | {fmt(r['rss_end_mb'])} "
          f"| {fmt(r['slope_mb_per_100k_articles'], 2)} | {fmt(r['slope_mb_per_min'], 2)} | {load['load1_mean']} | {load['others_cores']} |")
    grow = (r["slope_mb_per_100k_articles"] or 0) * (emitted[0] / 2) / 1e5
    flat = grow <= 0.05 * (r["peak_rss_mb"] or 1)
    ok = (r["peak_rss_mb"] or 1e9) <= BUDGET["soak_peak_rss_mb"] and flat
    print(f"\nRSS growth over the last half: {grow:+.1f} MB ({'flat' if flat else 'still growing'}, threshold 5% of peak). "
          f"Budget peak RSS ≤ {BUDGET['soak_peak_rss_mb']} MB and flat: {verdict(ok)}")


def bundle_counts(src, files, man):
    """Articles per bundle, from the generator's plan (re-derived by counting is too slow at 1M):
    spread the manifest's per-format totals over the files of each format by size."""
    by_ext = {}
    for i, (d, nm) in enumerate(files):
        fmt_ = ext_format(nm)
        by_ext.setdefault(fmt_, []).append((i, os.path.getsize(os.path.join(src, d, nm))))
    counts = [1] * len(files)
    for f, lst in by_ext.items():
        total = man["formats"].get(f, {}).get("articles", len(lst))
        size = sum(s for _, s in lst) or 1
        for i, s in lst:
            counts[i] = total * s / size
    return counts


def ext_format(nm):
    for suf, f in ((".warc.gz", "warc"), (".txt.gz", "txtgz"), (".jsonl.gz", "jsonlgz"), (".jsonl", "jsonl"),
                   (".json", "json"), (".html", "html"), (".txt", "txt")):
        if nm.endswith(suf):
            return f
    return "txt"


# --------------------------------------------------------------------------- startup
def cmd_startup(args, res):
    src, man = gen_corpus(args, "startup", args.files, ("--layout", "txt1", "--dir-files", "1000"))
    base = fresh(os.path.join(args.work, "startup"))
    out = os.path.join(base, "out")
    log(f"startup: processing {args.files} files once first")
    with open(os.path.join(base, "once.log"), "w") as lf:
        code = subprocess.run(sitrep_cmd(args, "once", src, out), stdout=lf, stderr=lf).returncode
    if code:
        raise SystemExit(f"startup: sitrep once exited {code}")
    before = count_lines(os.path.join(out, "articles.ndjson"))
    runs = []
    for i in range(args.repeat):
        notify = Notify(args.work)
        mon = LoadMonitor()
        p, t0, lf = start_daemon(args, src, out, os.path.join(base, f"run{i}.log"), notify)
        t_ready = notify.wait_ready(120)
        notify.close()
        code, cpu, rss = stop_daemon(p, lf)
        load = mon.done(cpu or 0)
        runs.append({"ready_s": (t_ready - t0) if t_ready else None, "cpu_s": cpu, "rss_mb": rss, **load})
        log(f"  run {i + 1}: READY after {runs[-1]['ready_s']}")
    after = count_lines(os.path.join(out, "articles.ndjson"))
    r = {"files": args.files, "runs": runs, "ready_s_median": med([x["ready_s"] for x in runs]),
         "new_records": after - before, "load1_mean": med([x["load1_mean"] for x in runs]),
         "others_cores": med([x["others_cores"] for x in runs])}
    res["startup"] = r
    slow = [i for i, x in enumerate(runs) if x["ready_s"] is None or x["ready_s"] > 5]
    if slow:
        log(f"  slow start-ups (runs {[i + 1 for i in slow]}): logs kept in {base}")
    elif not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    print(f"\n### `sitrep run` start-up: launch → READY=1 with {args.files:,} already-processed files in the inbox\n")
    print("| runs | READY s (each) | median s | CPU s (median) | RSS MB | new records | load avg | others' cores |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    each = ", ".join(fmt(x["ready_s"], 3) for x in runs)
    print(f"| {len(runs)} | {each} | {fmt(r['ready_s_median'], 3)} | {fmt(med([x['cpu_s'] for x in runs]), 2)} "
          f"| {fmt(med([x['rss_mb'] for x in runs]))} | {r['new_records']} | {r['load1_mean']} | {r['others_cores']} |")
    ok = r["ready_s_median"] is not None and r["ready_s_median"] <= BUDGET["startup_s"]
    print(f"\nBudget ≤ {BUDGET['startup_s']} s: {verdict(ok)}")


# --------------------------------------------------------------------------- peer
def cmd_peer(args, res):
    peer_dir = os.path.abspath(args.peer_dir)
    py = os.path.join(args.venv, "bin", "python")
    if not os.path.exists(os.path.join(peer_dir, "peer.py")):
        print(f"\npeer: {peer_dir}/peer.py not found; skipped")
        return
    if not os.path.exists(py):
        raise SystemExit(f"peer: no venv at {args.venv} (python3.11 -m venv {args.venv} && "
                         f"{args.venv}/bin/pip install -r {peer_dir}/requirements.txt)")
    src, man = gen_corpus(args, "peer", args.peer_articles, ("--layout", "txt1"))
    base = fresh(os.path.join(args.work, "peer"))
    # The peer: one process (n_process=1), its own --bench figures (load excluded) and wait4's.
    pout = os.path.join(base, "peer-out")
    cmd = [py, os.path.join(peer_dir, "peer.py"), src, pout, "--bench"]
    if args.taskset:
        cmd = ["taskset", "-c", args.taskset] + cmd
    log(f"peer: {man['articles']} articles through the Python peer (≈ 24 articles/s)")
    mon = LoadMonitor()
    t0 = time.monotonic()
    with open(os.path.join(base, "peer.log"), "w") as lf:
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=lf, text=True)
        text = p.stdout.read()
        code, cpu, rss = wait_rusage(p)
    wall = time.monotonic() - t0
    load = mon.done(cpu)
    if code:
        raise SystemExit(f"peer exited {code}; see {base}/peer.log")
    m_total = re.search(r"^total\s+([\d.]+)\s+([\d.]+)\s+(\d+)", text, re.M)
    m_load = re.search(r"^model load.*?:\s*([\d.]+) s", text, re.M)
    peer = {"articles": man["articles"], "wall_s": wall, "cpu_s": cpu, "peak_rss_mb": rss,
            "load_s": float(m_load.group(1)) if m_load else None,
            "e2e_wall_s": float(m_total.group(1)) if m_total else None,
            "e2e_cpu_s": float(m_total.group(2)) if m_total else None,
            "events": count_lines(os.path.join(pout, "events.ndjson")), **load}
    # sitrep on the same files, and on one file for its fixed start-up cost.
    one = fresh(os.path.join(base, "one"))
    first = sorted(os.listdir(src))[0]
    shutil.copy(os.path.join(src, first), one)
    fixed = [run_once(args, one, {"articles": 1, "files": 1, "uncompressed_bytes": 1, "bytes": 1}, "1 article (fixed cost)")
             for _ in range(args.repeat)]
    runs = [run_once(args, src, man, f"peer sample, run {i + 1}") for i in range(args.repeat)]
    s_cpu, s_fixed = med([x["cpu_s"] for x in runs]), med([x["cpu_s"] for x in fixed])
    s_wall, s_fixed_wall = med([x["wall_s"] for x in runs]), med([x["wall_s"] for x in fixed])
    n = man["articles"]
    peer_cpu_art = (peer["e2e_cpu_s"] or cpu) / n
    sitrep_cpu_art = max(s_cpu - s_fixed, 1e-9) / n
    r = {"peer": peer, "sitrep_runs": runs, "sitrep_fixed_runs": fixed, "articles": n,
         "peer_cpu_ms_per_article": peer_cpu_art * 1e3, "sitrep_cpu_ms_per_article": sitrep_cpu_art * 1e3,
         "sitrep_cpu_ms_per_article_incl_startup": s_cpu / n * 1e3,
         "ratio_cpu": peer_cpu_art / sitrep_cpu_art, "ratio_cpu_incl_startup": (cpu / n) / (s_cpu / n),
         "ratio_wall": ((peer["e2e_wall_s"] or wall) / n) / ((s_wall - s_fixed_wall) / n)
         if s_wall - s_fixed_wall > 0.2 else None}
    res["peer"] = r
    shutil.rmtree(base, ignore_errors=True)
    print(f"\n### Python peer vs sitrep, same {n:,} one-article .txt files (~{man['uncompressed_bytes'] / n / 1e3:.1f} KB)\n")
    print("| pipeline | wall s | CPU s | start-up (excluded) | CPU ms/article | articles per CPU-s | peak RSS MB | events |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| peer (spaCy sm, datasketch, dateparser; n_process=1) | {fmt(wall, 1)} | {fmt(cpu, 1)} | "
          f"{fmt(peer['load_s'], 2)} s model load | {fmt(peer_cpu_art * 1e3, 2)} | {fmt(1 / peer_cpu_art, 1)} | {fmt(rss)} | {fmt(peer['events'])} |")
    print(f"| sitrep once (median of {len(runs)}) | {fmt(s_wall, 2)} | {fmt(s_cpu, 2)} | {fmt(s_fixed, 2)} CPU s for 1 article "
          f"| {fmt(sitrep_cpu_art * 1e3, 3)} | {fmt(1 / sitrep_cpu_art)} | {fmt(med([x['peak_rss_mb'] for x in runs]))} "
          f"| {fmt(med([x['events'] for x in runs]))} |")
    print(f"\nPer-article CPU ratio (start-up excluded on both sides): **{r['ratio_cpu']:.0f}×** "
          f"(including start-up: {r['ratio_cpu_incl_startup']:.0f}×; wall, start-up excluded: {fmt(r['ratio_wall'])}×). "
          f"Load avg {load['load1_mean']} during the peer run.")
    print(f"\nBudget ≥ {BUDGET['peer_ratio']}× the peer: {verdict(r['ratio_cpu'] >= BUDGET['peer_ratio'])}")


# --------------------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_work = os.path.join(os.environ.get("TMPDIR", "/tmp"), "sitrep-e2e")
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "sitrep"))
    ap.add_argument("--config", default=os.path.join(ROOT, "config", "sitrep.toml"),
                    help="config file (default: the repository's config/sitrep.toml); '' for built-in defaults")
    ap.add_argument("--work", default=default_work, help=f"scratch folder (default {default_work})")
    ap.add_argument("--json", default=None, help="results file (default bench/results/<time>-<cmd>.json, gitignored)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--text", choices=("synth", "real", "mix"), default="synth", help="corpus text (gen_corpus.py --text)")
    ap.add_argument("--formats", default=None, help="gen_corpus.py --formats (default: all formats)")
    ap.add_argument("--taskset", default=None, help="pin sitrep (and the peer) to these CPUs, e.g. 0")
    ap.add_argument("--no-fsync", action="store_true", help="pass --no-fsync to sitrep (default: fsync on)")
    ap.add_argument("--keep", action="store_true", help="keep generated corpora and outputs")
    ap.add_argument("--sitrep-arg", action="append", default=[], metavar="ARG",
                    help="extra argument for sitrep, repeatable: --sitrep-arg=--settle-ms=200")
    ap.add_argument("--build", action="store_true", help="cargo build --release --locked first")
    ap.add_argument("--smoke", action="store_true", help="only check that it runs (CI): no budget verdicts")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("once")
    s.add_argument("--articles", type=int, nargs="+", default=[10_000, 100_000])
    s.add_argument("--repeat", type=int, default=3)
    s.add_argument("--rotate-mib", type=int, default=0,
                   help="run with [output] rotate_kib = N MiB and keep_rotated = 2 (a 1M-article run then needs "
                        "~4 GB of disk instead of ~20 GB); articles are counted from sitrep's summary line")
    s = sub.add_parser("latency")
    s.add_argument("--rate", type=float, default=50)
    s.add_argument("--seconds", type=float, default=30)
    s.add_argument("--burst", type=int, default=500)
    s = sub.add_parser("soak")
    s.add_argument("--articles", type=int, default=1_000_000)
    s.add_argument("--backlog", type=int, default=5000, help="most articles fed but not yet out")
    s.add_argument("--max-seconds", type=float, default=0, help="stop feeding after this long (0: feed it all)")
    s.add_argument("--rotate-mib", type=int, default=0,
                   help="run with [output] rotate_kib = N MiB and keep_rotated = 2, so that a 1M-article soak "
                        "needs ~4 GB of disk instead of ~20 GB (0: no rotation)")
    s = sub.add_parser("startup")
    s.add_argument("--files", type=int, default=10_000)
    s.add_argument("--repeat", type=int, default=5)
    for name in ("peer", "all"):
        s = sub.add_parser(name)
        s.add_argument("--peer-articles", type=int, default=1000)
        s.add_argument("--peer-dir", default=os.path.join(ROOT, "..", "shared", "peer"))
        s.add_argument("--venv", default=os.path.join(ROOT, ".venv-peer"))
        s.add_argument("--repeat", type=int, default=3)
        if name == "all":
            s.add_argument("--quick", action="store_true", help="small sizes: a few minutes in all")
            s.add_argument("--skip", nargs="*", default=[], help="parts to skip: once latency soak startup peer")
    args = ap.parse_args()
    args.config = args.config or None
    global SMOKE
    SMOKE = args.smoke
    args.bin = os.path.abspath(args.bin)
    os.makedirs(args.work, exist_ok=True)
    if args.build:
        subprocess.run(["cargo", "build", "--release", "--locked"], cwd=ROOT, check=True)
    if not os.path.exists(args.bin):
        raise SystemExit(f"{args.bin} not found: cargo build --release --locked (or --build)")

    res = {"machine": machine(), "load_at_start": os.getloadavg(), "args": {k: v for k, v in vars(args).items()}}
    print(f"Machine: {res['machine']['nproc']} cores ({res['machine']['cpu']}), {res['machine']['mem_mb']:,} MB; "
          f"sitrep {res['machine']['git']}; load avg at start {res['load_at_start'][0]:.2f}; "
          f"fsync {'off' if args.no_fsync else 'on'}; taskset {args.taskset or 'none'}")
    if args.cmd == "once":
        cmd_once(args, res)
    elif args.cmd == "latency":
        cmd_latency(args, res)
    elif args.cmd == "soak":
        cmd_soak(args, res)
    elif args.cmd == "startup":
        cmd_startup(args, res)
    elif args.cmd == "peer":
        cmd_peer(args, res)
    elif args.cmd == "all":
        q = args.quick
        skip = set(args.skip)
        if "once" not in skip:
            args.articles = [2_000, 10_000] if q else [10_000, 100_000, 1_000_000]
            args.rotate_mib = 0 if q else 256
            cmd_once(args, res)
        if "latency" not in skip:
            args.rate, args.seconds, args.burst = 50, (5 if q else 30), (100 if q else 500)
            cmd_latency(args, res)
        if "startup" not in skip:
            args.files, rep = (1_000 if q else 10_000), args.repeat
            args.repeat = 3 if q else 5
            cmd_startup(args, res)
            args.repeat = rep
        if "soak" not in skip:
            args.articles, args.backlog, args.max_seconds = (20_000 if q else 1_000_000), 5000, 0
            args.rotate_mib = 0 if q else 256
            cmd_soak(args, res)
        if "peer" not in skip:
            if q:
                args.peer_articles = min(args.peer_articles, 100)
            cmd_peer(args, res)
    res["load_at_end"] = os.getloadavg()
    path = args.json or os.path.join(ROOT, "bench", "results", f"{dt.datetime.now():%Y%m%d-%H%M%S}-{args.cmd}.json")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as fh:
        json.dump(res, fh, indent=1, default=str)
    print(f"\nResults: {path}")
    if not args.keep:
        for d in os.listdir(args.work):
            if d.startswith("corpus-") and args.cmd in ("all", "soak"):
                shutil.rmtree(os.path.join(args.work, d), ignore_errors=True)


if __name__ == "__main__":
    main()
