"""Reliability check: Santun as deployed on several machines, under steady load, on one machine.

    make reliability                      # 10 minutes
    .venv/bin/python bench/reliability.py --minutes 1

What it does, in order:

1. Data. Recreates the PostgreSQL database of RELIABILITY_DATABASE_URL (default
   postgres://postgres@127.0.0.1:5432/santun_rel; any database whose name does not start with
   ``santun_rel`` is refused), migrates it and fills it with ``generate_province`` (about
   ``--institutions`` institutions, reports/province.py) when that command exists, else with ``seed_demo``. Redis
   database 14 (RELIABILITY_REDIS_URL) is emptied. ``--reuse-data`` skips this step.
2. The deployment, with the production settings: two gunicorn instances ("app servers", ports
   8101 and 8102, ``--web-workers`` processes each), two Celery workers and one Celery beat, all
   sharing one PostgreSQL database, one Redis database and one private-file folder
   (var/reliability/private, standing in for the shared mount or S3 bucket). Worker recycling
   (gunicorn max_requests) is switched off so that a leak would show.
3. Load: ``wrk`` with 8 connections in all, 4 per app server, for ``--minutes``, in 10-second
   rounds. Each request is the next of a rotation over the core pages of a head (signed in with
   TOTP), a Humas officer and an assessor, with their session cookies, plus the public code of
   conduct page. After every round: RSS of every gunicorn and Celery process (/proc VmRSS), wrk's
   non-2xx/3xx responses and socket errors, and task failures in the Celery logs. Three province
   exports are asked for during the run; each must finish, on whichever worker.
4. A worker lost with its machine: the whole province's PDF export is asked for, and the worker
   that runs it is killed (SIGKILL to its whole process group) while it renders the PDF, then
   started again as systemd would. The export must finish exactly once: state done, one file that
   opens and names every institution, one "completed" audit entry, one notice to the requester.

Verdict: zero errors (HTTP, socket, task failures, exports), and no memory growth trend: for every
process, the least-squares slope of RSS over the second half of the run and the growth from the
first minute after warm-up to the last minute must stay under the thresholds below. Results go to
bench/reliability.json and a table is printed.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

BASE = Path(__file__).resolve().parent.parent
RUN = BASE / "var" / "reliability"
PRIVATE = RUN / "private"
OUTPUT = BASE / "bench" / "reliability.json"
PYTHON = sys.executable
PORTS = (8101, 8102)
ROUND_SECONDS = 10

# Memory thresholds, per process. A leak of 1 MB/min in one gunicorn worker would be 1.4 GB a day,
# enough to exhaust a small app server between restarts; the noise of a steady Python process
# (allocator arenas, caches filling) stays well under a few MB over ten minutes. So a trend counts
# as growth when the second-half slope exceeds 1 MB/min *and* the process grew by more than
# 10 MB (and 10 %) from the first minute after warm-up to the last one: both must agree.
SLOPE_LIMIT_MB_PER_MIN = 1.0
GROWTH_LIMIT_MB = 10.0
GROWTH_LIMIT_FRACTION = 0.10

# Short enough that the export of a killed worker comes back within the run; a task still running
# after this time would be delivered a second time, which the export's lease makes harmless.
VISIBILITY_TIMEOUT = 30
EXPORT_LEASE = 10


# --------------------------------------------------------------------------------- set-up


def targets() -> tuple[str, str]:
    database = os.environ.get("RELIABILITY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/santun_rel")
    redis_url = os.environ.get("RELIABILITY_REDIS_URL", "redis://127.0.0.1:6379/14")
    name = urlsplit(database).path.lstrip("/")
    if not urlsplit(database).scheme.startswith("postgres") or not name.startswith("santun_rel"):
        sys.exit(f"refusing {database!r}: this check drops and recreates its database, "
                 "whose name must start with santun_rel")
    if urlsplit(redis_url).path.lstrip("/") != "14":
        sys.exit(f"refusing {redis_url!r}: this check empties its Redis database, which must be number 14")
    return database, redis_url


def environment(database: str, redis_url: str, web_workers: int) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "SANTUN_AUDIT_KEY": secrets.token_hex(32),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",  # no TLS on the loopback; nginx does it in production
        "EMAIL_URL": "dummymail://",
        "SANTUN_SITE_URL": f"http://127.0.0.1:{PORTS[0]}",
        "DATABASE_URL": database,
        "REDIS_URL": redis_url,
        "SANTUN_PRIVATE_MEDIA_ROOT": str(PRIVATE),
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "SANTUN_EXPORT_LEASE": str(EXPORT_LEASE),
        "GUNICORN_WORKERS": str(web_workers),
        "GUNICORN_MAX_REQUESTS": "0",
        "PYTHONUNBUFFERED": "1",
    }


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE, env=env, check=True)


def prepare_data(env: dict, database: str, redis_url: str, institutions: int) -> str:
    import psycopg
    import redis

    parts = urlsplit(database)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    redis.Redis.from_url(redis_url).flushdb()
    shutil.rmtree(PRIVATE, ignore_errors=True)
    PRIVATE.mkdir(parents=True)
    manage(env, "migrate", "--no-input", "-v", "0")
    if any(BASE.glob("*/management/commands/generate_province.py")):
        manage(env, "generate_province", "--institutions", str(institutions))
        source = f"generate_province --institutions {institutions}"
    else:
        manage(env, "seed_demo", "--quiet", "--force")
        source = "seed_demo"
    manage(env, "collectstatic", "--no-input", "-v", "0")
    return source


class Service:
    """One long-running process of the deployment, in its own process group (its 'machine')."""

    def __init__(self, name: str, command: list[str], env: dict):
        self.name, self.command, self.env = name, command, env
        self.log = RUN / f"{name}.log"
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, cwd=BASE, env=self.env, stdout=self.log.open("a"),
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def pids(self) -> list[int]:
        """The process and all its descendants."""
        found, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            try:
                for task in Path(f"/proc/{pid}/task").iterdir():
                    todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
        return found

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()


def start_deployment(env: dict) -> dict[str, Service]:
    celery = [PYTHON, "-m", "celery", "-A", "config"]
    services = {}
    for number, port in enumerate(PORTS, 1):
        services[f"web{number}"] = Service(
            f"web{number}", [PYTHON, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
            {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"})
    for number in (1, 2):
        services[f"worker{number}"] = Service(
            f"worker{number}", [*celery, "worker", "-n", f"worker{number}@%h", "--concurrency=1", "--loglevel=INFO"], env)
    services["beat"] = Service("beat", [*celery, "beat", "--loglevel=INFO",
                                        f"--schedule={RUN / 'celerybeat-schedule'}"], env)
    for port in PORTS:
        wait_http(f"http://127.0.0.1:{port}/healthz", 60)
    wait_for_log([services["worker1"], services["worker2"]], "ready.", 90)
    return services


def wait_http(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    sys.exit(f"{url} did not answer within {seconds}s (see {RUN})")


def wait_for_log(services: list[Service], text: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if all(text in s.log.read_text(errors="replace") for s in services):
            return
        time.sleep(0.5)
    sys.exit(f"'{text}' missing from {[s.log.name for s in services]} after {seconds}s")


# ----------------------------------------------------------------------- people and pages


def django_setup(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(BASE))
    import django

    django.setup()
    import config.celery_app  # noqa: F401 — exports asked for here are queued on Redis


def people_and_pages() -> dict:
    from django.db.models import Count, Q
    from django.urls import reverse
    from django_scopes import scopes_disabled

    from governance.models import Institution, Membership, Role
    from reports.models import AssessmentPeriod, Entry

    with scopes_disabled():
        period = (AssessmentPeriod.objects.filter(state=AssessmentPeriod.State.FINALIZED)
                  .annotate(size=Count("entries")).order_by("-size", "-year", "-semester").first())
        if period is None:
            sys.exit("no finalized assessment period in the data: nothing to export")
        penilai = Membership.objects.active().filter(institution=period.institution, role=Role.ASSESSOR,
                                                     user__is_active=True).first().user
        unit = (Institution.objects.filter(is_active=True).exclude(kind=Institution.Kind.REGIONAL_OFFICE)
                .annotate(heads=Count("memberships", filter=Q(memberships__role=Role.HEAD)),
                          humas=Count("memberships", filter=Q(memberships__role=Role.PUBLIC_RELATIONS)))
                .filter(heads__gt=0, humas__gt=0).order_by("pk").first())
        kepala = Membership.objects.active().filter(institution=unit, role=Role.HEAD).first().user
        humas = Membership.objects.active().filter(institution=unit, role=Role.PUBLIC_RELATIONS).first().user
        names = list(Entry.objects.filter(period=period).values_list("institution__name", flat=True))
        cookies = {"kepala": session_for(kepala, mfa=True), "humas": session_for(humas, mfa=False),
                   "penilai": session_for(penilai, mfa=True)}

        def at(name, slug, **kwargs):
            return reverse(name, kwargs={"institution": slug, **kwargs})

        candidates = [
            ("kepala", at("governance:dashboard", unit.slug)),
            ("kepala", at("sanctions:decisions", unit.slug)),
            ("kepala", at("members:directory", unit.slug)),
            ("kepala", at("governance:notifications", unit.slug)),
            ("humas", at("governance:dashboard", unit.slug)),
            ("humas", at("governance:channel_list", unit.slug)),
            ("humas", at("governance:publication_list", unit.slug)),
            ("humas", at("sanctions:queue", unit.slug)),
            ("humas", at("members:acknowledgement_overview", unit.slug)),
            ("humas", at("reports:card_list", unit.slug)),
            ("penilai", at("reports:period_list", period.institution.slug)),
            ("penilai", at("reports:results", period.institution.slug, pk=period.pk)),
            ("penilai", at("governance:dashboard", period.institution.slug)),
            ("public", at("governance:public_code", unit.slug)),
        ]
    pages, skipped = [], []
    for role, path in candidates:
        cookie = cookies.get(role, "")
        status = fetch_status(f"http://127.0.0.1:{PORTS[0]}{path}", cookie)
        (pages if status == 200 else skipped).append({"role": role, "path": path, "cookie": cookie, "status": status})
    if not pages:
        sys.exit(f"no page answered 200: {skipped}")
    return {"period": period, "penilai": penilai, "pages": pages, "skipped": skipped,
            "people": {"kepala": kepala.email, "humas": humas.email, "penilai": penilai.email},
            "entries": period.size, "names": names}


def session_for(user, *, mfa: bool) -> str:
    """A signed-in session as allauth leaves it after a password (and TOTP) sign-in."""
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    methods = [{"method": "password", "at": time.time(), "email": user.email}]
    if mfa:
        totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if totp is None:
            sys.exit(f"{user.email} has no TOTP authenticator; the data should give heads and assessors one")
        methods.append({"method": "mfa", "at": time.time(), "id": totp.pk, "type": "totp"})
    session = SessionStore()
    session.update({SESSION_KEY: str(user.pk), HASH_SESSION_KEY: user.get_session_auth_hash(),
                    BACKEND_SESSION_KEY: "allauth.account.auth_backends.AuthenticationBackend",
                    "account_authentication_methods": methods})
    session.create()
    return session.session_key


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch_status(url: str, cookie: str) -> int:
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"} if cookie else {})
    try:
        with opener.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def write_lua(pages: list[dict]) -> Path:
    entries = ",\n".join(f'  {{"{p["path"]}", "{p["cookie"]}"}}' for p in pages)
    script = RUN / "pages.lua"
    script.write_text(f"""-- Rotation over Santun's core pages with the session cookies of their readers.
local pages = {{
{entries}
}}
local counter = 0
function init(args)
  math.randomseed(os.time() + tonumber(args[1] or 0))
  counter = math.random(0, #pages - 1)
end
function request()
  counter = counter + 1
  local page = pages[(counter % #pages) + 1]
  local headers = {{["Accept-Language"] = "id"}}
  if page[2] ~= "" then headers["Cookie"] = "sessionid=" .. page[2] end
  return wrk.format("GET", page[1], headers)
end
""")
    return script


# ----------------------------------------------------------------------------- measuring


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def sample_memory(services: dict[str, Service]) -> dict[str, float]:
    """RSS per process, keyed by role and pid (e.g. 'web1 worker 1234', 'worker2 main 1200')."""
    sample = {}
    for name, service in services.items():
        for pid in service.pids():
            value = rss_mb(pid)
            if value is not None:
                kind = "main" if pid == service.process.pid else "child"
                sample[f"{name} {kind} {pid}"] = round(value, 1)
    return sample


WRK_PATTERNS = {
    "requests": re.compile(r"(\d+) requests in"),
    "non_2xx_3xx": re.compile(r"Non-2xx or 3xx responses: (\d+)"),
    "socket_errors": re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"),
    "p50_ms": re.compile(r"^\s+50%\s+([\d.]+)(us|ms|s)", re.M),
    "p99_ms": re.compile(r"^\s+99%\s+([\d.]+)(us|ms|s)", re.M),
}


def parse_wrk(text: str) -> dict:
    result = {"requests": 0, "non_2xx_3xx": 0, "socket_errors": 0}
    if match := WRK_PATTERNS["requests"].search(text):
        result["requests"] = int(match[1])
    if match := WRK_PATTERNS["non_2xx_3xx"].search(text):
        result["non_2xx_3xx"] = int(match[1])
    if match := WRK_PATTERNS["socket_errors"].search(text):
        result["socket_errors"] = sum(int(n) for n in match.groups())
    for key in ("p50_ms", "p99_ms"):
        if match := WRK_PATTERNS[key].search(text):
            result[key] = float(match[1]) * {"us": 0.001, "ms": 1, "s": 1000}[match[2]]
    return result


def load_round(script: Path) -> dict:
    runs = [subprocess.Popen(["wrk", "-t1", "-c4", f"-d{ROUND_SECONDS}s", "--timeout", "10s", "--latency",
                              "-s", str(script), f"http://127.0.0.1:{port}", "--", str(port)],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for port in PORTS]
    results = [parse_wrk(run.communicate()[0]) for run in runs]
    return {"requests": sum(r["requests"] for r in results),
            "non_2xx_3xx": sum(r["non_2xx_3xx"] for r in results),
            "socket_errors": sum(r["socket_errors"] for r in results),
            "p50_ms": max(r.get("p50_ms", 0) for r in results),
            "p99_ms": max(r.get("p99_ms", 0) for r in results)}


TASK_FAILURE = re.compile(r"raised unexpected|ERROR/|WorkerLostError|Traceback")


def task_failures(services: dict[str, Service]) -> int:
    return sum(len(TASK_FAILURE.findall(services[name].log.read_text(errors="replace")))
               for name in ("worker1", "worker2", "beat"))


def failed_responses() -> dict:
    """Non-2xx/3xx lines in the gunicorn access logs, by status and path."""
    counts: dict[str, int] = {}
    line = re.compile(r'"GET (\S+)" (\d{3}) ')
    for name in ("web1", "web2"):
        for match in line.finditer((RUN / f"{name}.log").read_text(errors="replace")):
            if not match[2].startswith(("2", "3")):
                key = f"{match[2]} {match[1]}"
                counts[key] = counts.get(key, 0) + 1
    return counts


def load_average() -> list[float]:
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


def slope_mb_per_min(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB) points, in MB per minute."""
    if len(points) < 3:
        return 0.0
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_v = sum(v for _, v in points) / n
    var = sum((t - mean_t) ** 2 for t, _ in points)
    return 0.0 if not var else 60 * sum((t - mean_t) * (v - mean_v) for t, v in points) / var


def memory_verdict(samples: list[dict], seconds: float) -> dict:
    warm_up = min(60.0, seconds / 4)
    processes: dict[str, list[tuple[float, float]]] = {}
    for sample in samples:
        for key, value in sample["rss_mb"].items():
            processes.setdefault(key, []).append((sample["t"], value))
    report = {}
    for key, points in sorted(processes.items()):
        second_half = [p for p in points if p[0] >= seconds / 2]
        window = min(60.0, (seconds - warm_up) / 3)
        first = [v for t, v in points if warm_up <= t < warm_up + window]
        last = [v for t, v in points if t >= seconds - window]
        slope = slope_mb_per_min(second_half)
        growth = (sum(last) / len(last) - sum(first) / len(first)) if first and last else 0.0
        base = sum(first) / len(first) if first else 0.0
        grows = (slope > SLOPE_LIMIT_MB_PER_MIN
                 and growth > max(GROWTH_LIMIT_MB, GROWTH_LIMIT_FRACTION * base))
        report[key] = {"first_mb": round(base, 1), "last_mb": round(points[-1][1], 1),
                       "slope_mb_per_min": round(slope, 3), "growth_mb": round(growth, 1), "grows": grows,
                       "samples": len(points)}
    return report


# ------------------------------------------------------------------------------- exports


def ask_export(context: dict, fmt: str, language: str, filters: dict | None = None) -> dict:
    from django.db import transaction
    from django_scopes import scopes_disabled

    from reports import services

    with scopes_disabled(), transaction.atomic():
        export = services.export_request(actor=context["penilai"], period=context["period"], fmt=fmt,
                                         params={"language": language, **(filters or {})})
    return {"pk": export.pk, "format": fmt, "language": language, "filters": filters or {},
            "asked_at": time.monotonic()}


def filters_of(period) -> tuple[dict, list[dict]]:
    """Real filters of the province export (the commonest kind, the two largest regencies): every
    export asked for gets its own record and file, so none is answered from an earlier one."""
    from collections import Counter

    from django_scopes import scopes_disabled

    from reports.models import Entry

    with scopes_disabled():
        rows = list(Entry.objects.filter(period=period).values_list("institution__kind", "institution__regency_code"))
    kind = Counter(k for k, _ in rows).most_common(1)[0][0]
    regions = [r for r, _ in Counter(r for _, r in rows if r).most_common(2)] or [""]
    return {"kind": kind}, [{"region": r} for r in regions]


def wait_exports(items: list[dict], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while any(export_state(e["pk"]).state in ("queued", "running") for e in items) and time.monotonic() < deadline:
        time.sleep(0.5)


def export_state(pk: int):
    from django_scopes import scopes_disabled

    from reports.models import Export

    with scopes_disabled():
        return Export.objects.get(pk=pk)


def build_task_lines(services: dict[str, Service]) -> dict[str, dict[str, list[str]]]:
    """Per worker: ids of build_export tasks received and succeeded (from the worker logs)."""
    pattern = re.compile(r"reports\.tasks\.build_export\[([0-9a-f-]+)\] (received|succeeded|retry)")
    found = {}
    for name in ("worker1", "worker2"):
        lines = {"received": [], "succeeded": [], "retry": []}
        for match in pattern.finditer(services[name].log.read_text(errors="replace")):
            lines[match[2]].append(match[1])
        found[name] = lines
    return found


def check_export_once(pk: int, names: list[str] | None) -> dict:
    """Done, exactly one file that opens (and names every institution in ``names``, when given),
    one "completed" audit entry, one notice to the requester."""
    from django_scopes import scopes_disabled
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from governance.models import AuditEntry, Notification

    with scopes_disabled():
        export = export_state(pk)
        completed = AuditEntry.objects.filter(target_type="reports.export", target_id=str(pk),
                                              action="reports.export.completed").count()
        notices = Notification.objects.filter(kind="reports.export_ready", url__contains=f"/ekspor/{pk}/").count()
    folder = PRIVATE / "reports" / "exports" / str(export.institution_id)
    files = sorted(p.name for p in folder.glob(f"{pk}*")) if folder.exists() else []
    rows, opens, missing = None, False, None
    if export.file:
        content = export.file.read()
        if export.format == "xlsx":
            book = load_workbook(io.BytesIO(content))
            found = [row[1] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True) if row[1]]
        else:
            pages = PdfReader(io.BytesIO(content)).pages
            text = re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in pages))
            found = [n for n in (names or []) if re.sub(r"\s+", " ", n) in text] if names else [1] * len(pages)
        rows = len(found)  # institutions named in the file (a PDF checked without names: its pages)
        if names is not None:
            missing = sorted(set(names) - set(found))
        opens = rows > 0 and not missing
    ok = (export.state == "done" and completed == 1 and notices == 1 and len(files) == 1 and opens)
    return {"pk": pk, "format": export.format, "state": export.state, "attempts": export.attempts,
            "completed_entries": completed, "notices": notices, "files": files, "institutions_in_file": rows,
            "missing_institutions": (missing or [])[:5], "file_ok": opens, "exactly_once": ok}


def kill_mid_export(context: dict, services: dict[str, Service]) -> dict:
    """Kill the worker running a province export, restart it, and check the export finished once."""
    before = build_task_lines(services)
    # The whole province as PDF (not asked for before): its rendering, from 40 % on, takes seconds,
    # and the worker is killed in the middle of it.
    asked = ask_export(context, "pdf", "id")
    deadline = time.monotonic() + 120
    while not ((state := export_state(asked["pk"])).state == "running" and state.progress >= 40):
        if time.monotonic() > deadline or state.state in ("done", "failed"):
            return {"ran": False, "reason": f"export never seen rendering (state {state.state})"}
        time.sleep(0.02)
    progress_at_kill = export_state(asked["pk"]).progress
    now = build_task_lines(services)
    victim = next((name for name in ("worker1", "worker2")
                   if set(now[name]["received"]) - set(before[name]["received"])
                   - set(now[name]["succeeded"])), None)
    if victim is None:
        return {"ran": False, "reason": "could not tell which worker runs the export"}
    task_id = (set(now[victim]["received"]) - set(before[victim]["received"])).pop()
    services[victim].kill()
    killed_at = time.monotonic()
    state_after_kill = export_state(asked["pk"]).state
    services[victim].start()  # as systemd's Restart=always would
    deadline = killed_at + VISIBILITY_TIMEOUT + 240
    while export_state(asked["pk"]).state not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.5)
    finished_at = time.monotonic()
    time.sleep(3)  # a late duplicate, if any, would show up now
    final = build_task_lines(services)
    finished_on = [name for name in ("worker1", "worker2") if task_id in final[name]["succeeded"]]
    result = check_export_once(asked["pk"], context["names"])
    return {"ran": True, "killed": victim, "task": task_id, "progress_at_kill": progress_at_kill,
            "state_after_kill": state_after_kill, "finished_on": finished_on,
            "seconds_kill_to_done": round(finished_at - killed_at, 1), **result}


# ---------------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--institutions", type=int, default=100)
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--reuse-data", action="store_true", help="keep the database from the last run")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed")
    database, redis_url = targets()
    RUN.mkdir(parents=True, exist_ok=True)
    for old in RUN.glob("*.log"):
        old.unlink()
    env = environment(database, redis_url, args.web_workers)
    started = datetime.datetime.now(datetime.UTC)
    load_before = load_average()
    print(f"[{started:%H:%M:%S}] preparing data ...", flush=True)
    source = "reused" if args.reuse_data else prepare_data(env, database, redis_url, args.institutions)
    django_setup(env)
    services = start_deployment(env)
    try:
        context = people_and_pages()
        script = write_lua(context["pages"])
        seconds = args.minutes * 60
        rounds = max(1, round(seconds / ROUND_SECONDS))
        by_kind, by_region = filters_of(context["period"])
        # Warm-up: both workers build an XLSX and a PDF before anything is measured, so that the
        # libraries they load on first use (openpyxl, WeasyPrint and its fonts) are not taken
        # for growth. Two at a time, so that each worker takes one of each pair.
        warm = []
        for fmt in ("xlsx", "pdf"):
            pair = [ask_export(context, fmt, language, by_kind) for language in ("id", "en")]
            wait_exports(pair, 300)
            warm += pair
        warm_up_ok = all(export_state(e["pk"]).state == "done" for e in warm)
        plan = [("xlsx", "id", by_region[0]), ("pdf", "id", by_region[0]), ("pdf", "en", by_region[-1])]
        export_rounds = {min(rounds, max(1, rounds * k // 10) + i): item for i, (k, item) in enumerate(zip((2, 5, 7), plan, strict=True))}
        print(f"load: {rounds} rounds of {ROUND_SECONDS}s, {len(context['pages'])} pages, "
              f"load average {load_before}", flush=True)
        samples, exports, t0 = [], [], time.monotonic()
        for number in range(1, rounds + 1):
            if number in export_rounds:
                exports.append(ask_export(context, *export_rounds[number]))
            result = load_round(script)
            sample = {"t": round(time.monotonic() - t0, 1), **result, "task_failures": task_failures(services),
                      "load_average": load_average()[0], "rss_mb": sample_memory(services)}
            samples.append(sample)
            for item in exports:
                if "state" not in item or item["state"] in ("queued", "running"):
                    state = export_state(item["pk"])
                    item["state"] = state.state
                    if state.state == "done" and "seconds" not in item:
                        item["seconds"] = round(time.monotonic() - item["asked_at"], 1)
            print(f"  {sample['t']:6.0f}s  {result['requests']:6d} req  non-2xx/3xx {result['non_2xx_3xx']}  "
                  f"socket {result['socket_errors']}  p99 {result['p99_ms']:.0f} ms  task failures "
                  f"{sample['task_failures']}  web RSS {sum(v for k, v in sample['rss_mb'].items() if k.startswith('web')):.0f} MB  "
                  f"load {sample['load_average']}", flush=True)
        duration = time.monotonic() - t0
        wait_exports(exports, 300)
        for item in exports:
            item.update(check_export_once(item["pk"], None))
            item.pop("asked_at")
        memory = memory_verdict(samples, duration)
        load_after = load_average()
        print("kill -9 of a worker in the middle of a province export ...", flush=True)
        kill = kill_mid_export(context, services)
        tasks = build_task_lines(services)
        failures_after_kill = task_failures(services)
    finally:
        for service in services.values():
            service.stop()

    totals = {key: sum(s[key] for s in samples) for key in ("requests", "non_2xx_3xx", "socket_errors")}
    # The kill scenario's WorkerLostError-free restart is checked by its own verdict; failures
    # during the load phase are those counted by the last load sample.
    totals["task_failures"] = samples[-1]["task_failures"]
    errors = totals["non_2xx_3xx"] + totals["socket_errors"] + totals["task_failures"]
    growing = sorted(k for k, v in memory.items() if v["grows"])
    exports_ok = warm_up_ok and len(exports) == 3 and all(e["exactly_once"] for e in exports)
    verdict = {"zero_errors": errors == 0, "no_memory_growth": not growing, "exports_done": exports_ok,
               "killed_worker_export_exactly_once": bool(kill.get("exactly_once"))}
    report = {
        "started_utc": started.isoformat(timespec="seconds"),
        "minutes": round(duration / 60, 2),
        "data": source, "assessed_institutions": context["entries"], "people": context["people"],
        "setup": {"app_servers": len(PORTS), "gunicorn_workers_each": args.web_workers, "celery_workers": 2,
                  "celery_concurrency_each": 1, "beat": 1, "wrk_connections": 8, "settings": "config.settings.production",
                  "gunicorn_max_requests": 0, "visibility_timeout_s": VISIBILITY_TIMEOUT, "export_lease_s": EXPORT_LEASE,
                  "cpu_cores": os.cpu_count()},
        "load_average": {"before": load_before, "after_load": load_after},
        "pages": [{"role": p["role"], "path": p["path"]} for p in context["pages"]],
        "pages_skipped": [{"role": p["role"], "path": p["path"], "status": p["status"]} for p in context["skipped"]],
        "totals": {**totals, "requests_per_second": round(totals["requests"] / duration, 1)},
        "failed_responses": failed_responses(),
        "thresholds": {"slope_mb_per_min": SLOPE_LIMIT_MB_PER_MIN, "growth_mb": GROWTH_LIMIT_MB,
                       "growth_fraction": GROWTH_LIMIT_FRACTION},
        "memory": memory,
        "warm_up_exports_done": warm_up_ok,
        "exports_during_load": exports,
        "build_tasks_per_worker": {name: len(set(v["succeeded"])) for name, v in tasks.items()},
        "kill_mid_export": {**kill, "task_failure_lines_after": failures_after_kill - totals["task_failures"]},
        "verdict": {**verdict, "pass": all(verdict.values())},
        "samples": [{k: v for k, v in s.items() if k != "rss_mb"} | {
            "web_rss_mb": round(sum(v for k, v in s["rss_mb"].items() if k.startswith("web")), 1),
            "celery_rss_mb": round(sum(v for k, v in s["rss_mb"].items() if not k.startswith("web")), 1)}
            for s in samples],
    }
    args.output.write_text(json.dumps(report, indent=1) + "\n")
    print_table(report)
    return 0 if report["verdict"]["pass"] else 1


def print_table(report: dict) -> None:
    totals = report["totals"]
    print(f"\n{report['minutes']} min, {totals['requests']} requests ({totals['requests_per_second']}/s), "
          f"non-2xx/3xx {totals['non_2xx_3xx']}, socket errors {totals['socket_errors']}, "
          f"task failures {totals['task_failures']}; load average {report['load_average']}")
    print(f"{'process':32} {'first MB':>9} {'last MB':>8} {'MB/min':>8} {'growth':>7}")
    for key, value in report["memory"].items():
        flag = "  GROWS" if value["grows"] else ""
        print(f"{key:32} {value['first_mb']:9.1f} {value['last_mb']:8.1f} {value['slope_mb_per_min']:8.3f} "
              f"{value['growth_mb']:7.1f}{flag}")
    for item in report["exports_during_load"]:
        print(f"export {item['pk']} {item['format']}/{item['language']}: {item['state']} in "
              f"{item.get('seconds', '?')} s, exactly once: {item['exactly_once']}")
    kill = report["kill_mid_export"]
    print(f"kill mid-export: {json.dumps({k: kill.get(k) for k in ('killed', 'progress_at_kill', 'finished_on', 'seconds_kill_to_done', 'exactly_once', 'reason')})}")
    print(f"verdict: {report['verdict']}")


if __name__ == "__main__":
    sys.exit(main())
