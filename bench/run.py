#!/usr/bin/env python
"""`make bench`: Santun's benchmarks in one run on this machine, written to bench/results.json.

    .venv/bin/python bench/run.py [--quick]        (or BENCH_QUICK=1; `make bench`)

1. Recreates the database of ``BENCH_DATABASE_URL`` (default
   ``postgres://postgres@127.0.0.1:5432/santun_bench``; any database whose name does not start with
   ``santun_bench`` is refused), migrates it and generates a province (``generate_province``) at 1×
   (50 institutions), then a second one at 10× (500) beside it.
2. Counts the SQL queries of each core page at both sizes, signed in with the right role, on the
   second visit after a warm-up (Django's test client against the same database and settings).
3. Starts gunicorn (config/gunicorn.py, settings ``config.settings.bench``, Redis db 10) on
   127.0.0.1:8100 with 2×cores+1 workers and loads each core page of the 10× province with
   ``wrk -t2 -c8 --latency`` (after a 2-second warm-up) using signed-in session cookies (heads and assessors carry the
   session's MFA record), and the minimal view ``/__bench__/minimal/`` before and after them. Each
   page's requests/s is divided by the minimal view's (latency: the minimal view's divided by the page's).
4. Runs the component benchmarks bench/chat_parse.py, bench/import_staff.py and bench/semester.py.
5. Writes bench/results.json and prints a Markdown table.

``--only chat,import`` (any of chat, import, semester) runs only those component benchmarks and updates
their fields in the existing results file (no database is recreated: the import benchmark makes and drops
its own test database beside ``BENCH_DATABASE_URL``).

``--quick`` is a smoke run (two to three minutes on 2 busy cores, most of it migrating): 5 and 50 institutions, 3-second loads, small
components. See docs/benchmarks.md for what each number means.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/santun_bench"
BIND = "127.0.0.1:8100"
MINIMAL = "/__bench__/minimal/"
CORE_PAGES = ["dashboard", "queue", "case", "ranking", "statistics", "public_code"]
GOALS = {"pages_vs_minimal": ">= 0.25", "queries": "identical at 1x and 10x, <= 12", "chat_speedup_vs_whatstk": ">= 10",
         "triage_speedup_vs_whatstk": "end to end >= 10 (whatstk with its header format given, 200,000 messages)",
         "import_vs_bulk_create": "<= 3", "semester_seconds": "linear, < 10 s at 500"}
COMPONENTS = ("chat", "import", "semester")

PLANS = {
    "full": {"sizes": (50, 500), "wrk_seconds": 15, "chat": ["--messages", "200000", "--repeat", "3"],
             "import": ["--rows", "10000", "--repeat", "3"], "semester": ["100", "250", "500"]},
    "quick": {"sizes": (5, 50), "wrk_seconds": 3, "chat": ["--messages", "10000", "--repeat", "1"],
              "import": ["--rows", "1000", "--repeat", "1"], "semester": ["10", "25", "50"]},
}


def say(line: str) -> None:
    print(line, flush=True)


# --- the orchestration (no Django in this process) ---------------------------------------------------

def bench_env(url: str) -> dict:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench", "DATABASE_URL": url,
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10"), "PYTHONUNBUFFERED": "1"}


def run_json(command: list[str], env: dict, timeout: int = 1800) -> dict:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    start = done.stdout.index("{")
    return json.loads(done.stdout[start:])


def database_name(url: str) -> str:
    name = urlparse(url).path.lstrip("/")
    if not name.startswith("santun_bench"):
        raise SystemExit(f"Refusing to use database {name!r}: the benchmark recreates its database, "
                         f"so its name must start with santun_bench.")
    return name


def recreate_database(url: str) -> None:
    import psycopg

    name = database_name(url)
    admin = urlunparse(urlparse(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                     [name])
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def flush_redis(redis_url: str) -> None:
    import redis

    parsed = urlparse(redis_url)
    if parsed.path.strip("/") not in ("10",):
        raise SystemExit(f"Refusing to flush Redis database {parsed.path!r}: the benchmark uses db 10.")
    redis.Redis.from_url(redis_url).flushdb()


def machine(url: str) -> dict:
    import psycopg

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    with psycopg.connect(url) as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(mem_kb / 1024 / 1024, 1),
            "python": platform.python_version(), "postgresql": pg, "os": platform.platform(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}


WRK_LATENCY = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, cookie: str | None, seconds: int, connections: int = 8) -> dict:
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    return parse_wrk(subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60).stdout)


def parse_wrk(out: str) -> dict:
    """Requests/s, p50 and p99 latency in milliseconds, and error counts from ``wrk --latency``."""
    latency = {f"p{m.group(1)}_ms": round(float(m.group(2)) * UNIT_MS[m.group(3)], 2) for m in WRK_LATENCY.finditer(out)}
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {"requests_per_second": round(rps, 1), **latency, "non_2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(0) if errors else ""}


def check_page(url: str, cookie: str | None) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        return urllib.request.build_opener(NoRedirect).open(request, timeout=30).status
    except urllib.error.HTTPError as error:
        return error.code


def start_gunicorn(env: dict, log: Path) -> subprocess.Popen:
    workers = (os.cpu_count() or 1) * 2 + 1
    env = {**env, "GUNICORN_BIND": BIND, "GUNICORN_WORKERS": str(workers),
           # No worker recycling during a load of a few seconds: it would add noise to the yardstick.
           "GUNICORN_MAX_REQUESTS": "0"}
    gunicorn = str(Path(PY).with_name("gunicorn"))
    process = subprocess.Popen([gunicorn, "-c", "config/gunicorn.py", "--access-logfile", "/dev/null", "config.wsgi"],
                               cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    for _ in range(120):
        time.sleep(0.5)
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: {log.read_text()[-2000:]}")
        try:
            if check_page(f"http://{BIND}/healthz", None) == 200:
                return process
        except OSError:
            continue
    raise RuntimeError("gunicorn did not answer /healthz")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def load_pages(env: dict, generated: dict, seconds: int) -> dict:
    """Each core page under load (8 connections) and alone (1 connection, the p50 a single visitor
    sees), with the visitors' kept pages (governance/pagecache.py) as in production; then again, more
    briefly, with ``SANTUN_PAGE_CACHE=False``: what a visit costs when the page must be rendered (the
    first visit after a change)."""
    inner = run_json([PY, "bench/run.py", "--inner", "sessions", "--data", json.dumps(generated)], env)
    cookies, paths = inner["cookies"], inner["paths"]
    log = ROOT / "var" / "bench-gunicorn.log"
    log.parent.mkdir(exist_ok=True)
    targets = [("minimal_before", MINIMAL, "kepala")] + [(name, paths[name], PAGE_ROLES[name]) for name in CORE_PAGES] \
        + [("minimal_after", MINIMAL, "kepala")]
    results = _load(env, log, targets, cookies, seconds, single=max(2, seconds // 3))
    rendered = _load({**env, "SANTUN_PAGE_CACHE": "False"}, log, targets, cookies, max(3, seconds // 3), single=0)
    return {**_ratios(results), "rendered": _ratios(rendered), "wrk": f"wrk -t2 -c8 -d{seconds}s --latency",
            "gunicorn_workers": (os.cpu_count() or 1) * 2 + 1}


def _load(env: dict, log: Path, targets, cookies: dict, seconds: int, single: int) -> dict:
    server = start_gunicorn(env, log)
    label = "rendered every visit" if env.get("SANTUN_PAGE_CACHE") == "False" else "as served"
    say(f"  ({label})")
    try:
        results = {}
        for name, path, role in targets:
            url, cookie = f"http://{BIND}{path}", cookies.get(role) if role else None
            status = check_page(url, cookie)
            if status != 200:
                raise RuntimeError(f"{name} ({path}) answered {status} before the load test")
            wrk(url, cookie, 2)  # warm every worker (URL resolver, templates, connections); not counted
            results[name] = {"path": path, "role": role or "anonymous", **wrk(url, cookie, seconds)}
            if single:
                results[name]["single_connection_p50_ms"] = wrk(url, cookie, single, connections=1).get("p50_ms")
            say(f"  {name:<15} {results[name]['requests_per_second']:8.1f} req/s  p50 {results[name].get('p50_ms')} ms"
                f"  p99 {results[name].get('p99_ms')} ms"
                + (f"  alone p50 {results[name]['single_connection_p50_ms']} ms" if single else ""))
            if results[name]["non_2xx"] or results[name]["socket_errors"]:
                say(f"  WARNING: {name}: {results[name]['non_2xx']} answers other than 2xx/3xx "
                    f"{results[name]['socket_errors']}")
    finally:
        stop(server)
    return results


def _ratios(results: dict) -> dict:
    before, after = results.pop("minimal_before"), results.pop("minimal_after")
    minimal = {"path": MINIMAL, "role": "kepala",
               "requests_per_second": round((before["requests_per_second"] + after["requests_per_second"]) / 2, 1),
               "p50_ms": round((before["p50_ms"] + after["p50_ms"]) / 2, 2),
               "p99_ms": round((before["p99_ms"] + after["p99_ms"]) / 2, 2),
               "runs": [before, after]}
    if "single_connection_p50_ms" in before:
        minimal["single_connection_p50_ms"] = round(
            (before["single_connection_p50_ms"] + after["single_connection_p50_ms"]) / 2, 2)
    for page in results.values():
        page["ratio_requests"] = round(page["requests_per_second"] / minimal["requests_per_second"], 3)
        page["ratio_p50"] = round(minimal["p50_ms"] / page["p50_ms"], 3)
        page["ratio_p99"] = round(minimal["p99_ms"] / page["p99_ms"], 3)
    return {"minimal": minimal, "pages": results}


PAGE_ROLES = {"dashboard": "kepala", "queue": "humas", "case": "humas", "ranking": "penilai", "statistics": "penilai",
              "public_code": None}


def components(plan: dict, url: str, only=COMPONENTS) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}
    out = {}
    if "chat" in only:
        say("Chat parse vs whatstk ...")
        out.update(chat_component(run_json([PY, "bench/chat_parse.py", *plan["chat"]], env)))
    if "import" in only:
        out.update(import_component(plan, env))
    if "semester" in only:
        say("Semester computation ...")
        semester = run_json([PY, "bench/semester.py", *plan["semester"]], env, timeout=3600)
        out["semester"] = semester
        out["semester_seconds"] = {str(r["institutions"]): r["finalize_seconds"] for r in semester["results"]}
    return out


def chat_component(chat: dict) -> dict:
    files = ("santun_generated", "whatstk_generated")
    speedups = {name: chat[name]["speedup_parse_vs_whatstk_auto_header"] for name in files}
    hformat = {name: chat[name]["speedup_parse_vs_whatstk_hformat"] for name in files}
    end_to_end = {name: chat[name]["speedup_parse_and_flag_vs_whatstk_hformat"] for name in files}
    old_path = {name: chat[name].get("speedup_parse_and_flag_old_path_vs_whatstk_hformat") for name in files}
    return {
        "chat": {"speedup_vs_whatstk_auto_header": speedups, "speedup_vs_whatstk_hformat": hformat,
                 "messages_per_second": chat["santun_generated"]["messages_per_second"], "raw": chat},
        "chat_speedup_vs_whatstk": min(speedups.values()),
        # Against whatstk with its header format given: the parser alone, and the whole triage path of
        # an upload (read, detect, parse, normalise, match the lexicons, collect flags); the lower file.
        "triage_speedup_vs_whatstk": {"messages": chat["messages_requested"], "parser": min(hformat.values()),
                                      "end_to_end": min(end_to_end.values()),
                                      # the path uploads took before triage.chat.fast, measured beside it
                                      "end_to_end_old_path": min((v for v in old_path.values() if v), default=None),
                                      "per_file": {name: {"parser": hformat[name], "end_to_end": end_to_end[name],
                                                          "end_to_end_old_path": old_path[name]}
                                                   for name in files},
                                      "peak_bytes_end_to_end": chat["memory"]["peak_bytes_parse_and_flag_full"]},
    }


def import_component(plan: dict, env: dict) -> dict:
    out = {}
    say("Staff import vs bulk_create ...")
    done = subprocess.run([PY, "bench/import_staff.py", *plan["import"]], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=1800)
    if done.returncode:
        raise RuntimeError(f"import_staff failed:\n{done.stderr[-3000:]}")
    ratios = {m.group(1).lower(): float(m.group(2))
              for m in re.finditer(r"(CSV|XLSX)\s+preview.*?ratio to bulk_create\s+([\d.]+)", done.stdout)}
    out["import"] = {"ratio_to_bulk_create": ratios, "output": done.stdout.strip().splitlines()}
    out["import_vs_bulk_create"] = max(ratios.values())
    return out


def run_only(names: list[str], plan: dict, url: str, output: Path) -> None:
    """``--only chat,import``: run those component benchmarks alone (no province, no load test) and
    update their fields in the existing results file, keeping everything else in it."""
    unknown = set(names) - set(COMPONENTS)
    if unknown:
        raise SystemExit(f"--only takes {', '.join(COMPONENTS)}; not {', '.join(sorted(unknown))}")
    database_name(url)
    results = json.loads(output.read_text()) if output.exists() else {}
    started = time.perf_counter()
    load_before = [round(x, 2) for x in os.getloadavg()]
    fresh = components(plan, url, only=names)
    results.update(fresh)
    results["goals"] = {**results.get("goals", {}), **GOALS}
    results["partial_runs"] = {**results.get("partial_runs", {}), ",".join(names): {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started, 1), "cpu": _cpu(), "cores": os.cpu_count(),
        "python": platform.python_version(), "load_average_at_start": load_before,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()]}}
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    for key in ("chat_speedup_vs_whatstk", "triage_speedup_vs_whatstk", "import_vs_bulk_create", "semester_seconds"):
        if key in fresh:
            say(f"{key}: {json.dumps(fresh[key])}")
    say(f"written to {output}")


def _cpu() -> str:
    return next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                 if line.startswith("model name")), platform.processor())


def markdown(results: dict) -> str:
    lines = ["| Core page | as | SQL queries 1× | SQL queries 10× | kept page 1× / 10× | req/s | p50 ms | p99 ms | "
             "alone p50 ms | req/s ÷ minimal | rendered req/s | rendered ÷ minimal |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    load = results["load"]
    for name in CORE_PAGES:
        page, rendered = load["pages"][name], load["rendered"]["pages"][name]
        kept = f"{results['queries_kept_1x'][name]} / {results['queries_kept_10x'][name]}"
        lines.append(f"| {name} | {page['role']} | {results['queries_1x'][name]} | {results['queries_10x'][name]} | "
                     f"{kept} | {page['requests_per_second']} | {page['p50_ms']} | {page['p99_ms']} | "
                     f"{page.get('single_connection_p50_ms')} | {page['ratio_requests']} | "
                     f"{rendered['requests_per_second']} | {rendered['ratio_requests']} |")
    minimal = load["minimal"]
    lines.append(f"| minimal view | kepala | – | – | – | {minimal['requests_per_second']} | {minimal['p50_ms']} | "
                 f"{minimal['p99_ms']} | {minimal.get('single_connection_p50_ms')} | 1 | "
                 f"{load['rendered']['minimal']['requests_per_second']} | 1 |")
    lines += ["", "| Measure | Result | Goal |", "|---|---:|---|",
              f"| pages_vs_minimal (lowest req/s ratio) | {results['pages_vs_minimal']} | {GOALS['pages_vs_minimal']} |",
              f"| the same, every page rendered (no kept pages) | {results['pages_vs_minimal_rendered']} | – |",
              f"| most SQL queries on a core page (1× / 10×) | {max(results['queries_1x'].values())} / "
              f"{max(results['queries_10x'].values())} | {GOALS['queries']} |",
              f"| chat_speedup_vs_whatstk | {results['chat_speedup_vs_whatstk']}× | {GOALS['chat_speedup_vs_whatstk']} |",
              f"| triage_speedup_vs_whatstk (parser / end to end) | {results['triage_speedup_vs_whatstk']['parser']}× / "
              f"{results['triage_speedup_vs_whatstk']['end_to_end']}× | {GOALS['triage_speedup_vs_whatstk']} |",
              f"| import_vs_bulk_create | {results['import_vs_bulk_create']}× | {GOALS['import_vs_bulk_create']} |"]
    for size, seconds in results["semester_seconds"].items():
        lines.append(f"| semester finalize, {size} institutions | {seconds} s | {GOALS['semester_seconds']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: small data, short loads")
    parser.add_argument("--inner", choices=["queries", "sessions"], help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument("--only", help="comma-separated components to run alone (chat, import, semester); "
                                       "updates only their fields in --output")
    args = parser.parse_args()
    if args.inner:
        print(json.dumps(inner(args.inner, json.loads(args.data))))
        return
    if args.only:
        quick = args.quick or os.environ.get("BENCH_QUICK") == "1"
        run_only([name.strip() for name in args.only.split(",") if name.strip()], PLANS["quick" if quick else "full"],
                 os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL), Path(args.output))
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk).")
    quick = args.quick or os.environ.get("BENCH_QUICK") == "1"
    plan = PLANS["quick" if quick else "full"]
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    database_name(url)
    env = bench_env(url)
    started = time.perf_counter()
    results: dict = {"date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                     "run": "quick" if quick else "full", "goals": GOALS}

    say(f"Recreating {database_name(url)} and migrating ...")
    recreate_database(url)
    flush_redis(env["REDIS_URL"])
    subprocess.run([PY, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    results["machine"] = machine(url)
    small, large = plan["sizes"]
    generated = {}
    for label, size in (("1x", small), ("10x", large)):
        say(f"Generating {size} institutions ({label}) ...")
        command = [PY, "manage.py", "generate_province", "--institutions", str(size), "--json"]
        generated[label] = run_json(command + (["--append"] if label == "10x" else []), env)
        say(f"  {generated[label]['timings']['total']} s")
        counted = run_json([PY, "bench/run.py", "--inner", "queries", "--data", json.dumps(generated[label])], env)
        results[f"queries_{label}"], results[f"queries_kept_{label}"] = counted["rendered"], counted["kept"]
        say(f"  queries (rendered / kept page): {counted}")
    results["generation"] = {label: {"institutions": g["institutions"], "seconds": g["timings"]["total"],
                                     "timings": g["timings"], "counts": g["counts"]} for label, g in generated.items()}
    say(f"Load test with wrk on the {large}-institution province ...")
    results["load"] = load_pages(env, generated["10x"], plan["wrk_seconds"])
    results["pages_vs_minimal"] = min(page["ratio_requests"] for page in results["load"]["pages"].values())
    results["pages_vs_minimal_rendered"] = min(page["ratio_requests"]
                                               for page in results["load"]["rendered"]["pages"].values())
    results["latency_vs_minimal"] = {
        "p50": min(page["ratio_p50"] for page in results["load"]["pages"].values()),
        "p99": min(page["ratio_p99"] for page in results["load"]["pages"].values()),
    }
    results.update(components(plan, url))
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    Path(args.output).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    table = markdown(results)
    say("")
    say(table)
    say(f"\n{results['date']} · {results['machine']['cpu']} · {results['machine']['cores']} cores · "
        f"{results['machine']['ram_gb']} GB · Python {results['machine']['python']} · "
        f"PostgreSQL {results['machine']['postgresql']} · {results['seconds']} s in all · written to {args.output}")


# --- inside Django (subprocesses with the bench settings) ----------------------------------------------

def inner(what: str, generated: dict) -> dict:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from governance.models import User

    pages, logins = generated["pages"], generated["logins"]
    paths = {
        "dashboard": reverse("governance:dashboard", kwargs={"institution": pages["unit"]}),
        "queue": reverse("sanctions:queue", kwargs={"institution": pages["unit"]}),
        "case": reverse("sanctions:report_detail", kwargs={"institution": pages["unit"], "pk": pages["report"]}),
        "ranking": reverse("reports:results", kwargs={"institution": pages["top"], "pk": pages["finalized_period"]}),
        # The province's moderation statistics over its whole subtree (every report of the province).
        "statistics": reverse("reports:statistics", kwargs={"institution": pages["top"]}) + "?scope=tree",
        "public_code": reverse("governance:public_code", kwargs={"institution": pages["unit"]}),
    }

    def client_for(role):
        client = Client(HTTP_HOST="127.0.0.1")
        if role:
            user = User.objects.get(email=logins[role])
            client.force_login(user)
            if role in ("kepala", "penilai"):
                _record_mfa(client, user)
        return client

    if what == "sessions":
        cookies = {}
        for role in ("kepala", "humas", "penilai"):
            client = client_for(role)
            cookies[role] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        return {"cookies": cookies, "paths": paths}

    from django.test.utils import override_settings

    counts = {"rendered": {}, "kept": {}}
    for name, path in paths.items():
        client = client_for(PAGE_ROLES[name])
        # The page rendered (read models cached): the cost of a first visit after a change.
        with override_settings(SANTUN_PAGE_CACHE=False):
            client.get(path)  # warm-up: session, caches
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            counts["rendered"][name] = len(queries)
        if response.status_code != 200:
            raise RuntimeError(f"{name} ({path}) answered {response.status_code}")
        # The visitor's kept page, served without rendering.
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        counts["kept"][name] = len(queries)
    return counts


def _record_mfa(client, user) -> None:
    """Mark the session as signed in with password and TOTP, the way allauth records it."""
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from allauth.mfa.models import Authenticator

    session = client.session
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "id": totp.pk, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


if __name__ == "__main__":
    main()
