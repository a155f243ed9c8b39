"""Benchmark: parse (and flag) a 100,000-message WhatsApp export, and compare with whatstk.

    .venv/bin/pip install -r requirements-bench.txt
    .venv/bin/python bench/chat_parse.py [--messages 100000] [--repeat 3]

Prints one JSON document. Two files are measured, both in the Android header format
``dd/mm/yyyy, HH:MM - name:`` that both parsers understand:

* ``santun_generated``: written by ``triage.tests.generate`` (multi-line messages, media lines,
  emoji; no system lines and no names with colons, which whatstk would count differently);
* ``whatstk_generated``: written by whatstk's own ``ChatGenerator``.

For each: the median wall time of ``--repeat`` runs (taking turns) of Santun's parser (every message materialised
with its timezone-aware datetime), of Santun's triage path as an upload runs it (``triage_scan``: parse,
normalise, match, flags with 3 messages of context, authors counted) and of the old path it replaced
(every message built, then ``with_context``), of whatstk's
``df_from_whatsapp`` as it is normally called (automatic header detection) and of whatstk with the
header format given explicitly; messages per second and the speed-ups (the parser alone, and the
whole triage path of an upload — read, detect, parse, normalise, match the lexicons, collect the
flags — against whatstk). ``memory`` shows the peak Python allocation while streaming files of two
sizes without keeping the messages, for the parser and for the whole path: it stays flat.
This is a measurement, not a test: nothing fails when the numbers change. The machine's load average
is printed too: on a shared machine, run it when the load is low.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from triage.chat import build_matcher, parse, with_context  # noqa: E402
from triage.chat.fast import triage_scan  # noqa: E402
from triage.chat.formats import FormatSpec  # noqa: E402
from triage.tests.generate import make_entries, write_text  # noqa: E402

HFORMAT = "%d/%m/%Y, %H:%M - %name:"
SPEC = FormatSpec("android", "dmy", "/", 4, 24, ":", seconds=False, comma=True)
TZ = "Asia/Jakarta"


def interleaved(repeat: int, runs: dict) -> dict:
    """Median wall time and last result of each run; the runs take turns, so that a change in the
    machine's load affects all of them alike."""
    times = {name: [] for name in runs}
    last = {}
    for _ in range(repeat):
        for name, run in runs.items():
            gc.collect()
            start = time.perf_counter()
            last[name] = run()
            times[name].append(time.perf_counter() - start)
    return {name: (statistics.median(times[name]), last[name]) for name in runs}


def santun_parse(path):
    with parse(path, TZ) as result:
        n = 0
        for message in result.messages:
            n += 1
            message.sent_at  # noqa: B018 - materialised like a DataFrame row
    return n


def santun_parse_and_flag(path, matcher):
    """What an upload runs (``triage.services._store``): parse, then the fast triage path with the
    upload's default context of 3 messages, every author's messages counted."""
    with parse(path, TZ) as result:
        scan = triage_scan(result, matcher, 3)
        flags = sum(1 for _ in scan)
        return result.total, flags


def santun_parse_and_flag_old(path, matcher):
    """The path uploads took before: every message built, then with_context (for comparison)."""
    with parse(path, TZ) as result:
        flags = sum(1 for _ in with_context(result.messages, matcher, 3))
        return result.total, flags


def whatstk_parse(path, auto: bool):
    from whatstk import df_from_whatsapp

    df = df_from_whatsapp(str(path), auto_header=auto, hformat=None if auto else HFORMAT)
    return len(df)


def measure(path: Path, repeat: int, matcher) -> dict:
    best = interleaved(repeat, {
        "parse": lambda: santun_parse(path),
        "flag": lambda: santun_parse_and_flag(path, matcher),
        "flag_old": lambda: santun_parse_and_flag_old(path, matcher),
        "auto": lambda: whatstk_parse(path, True),
        "hformat": lambda: whatstk_parse(path, False),
    })
    (t_parse, n), (t_flag, (n_flag, flags)) = best["parse"], best["flag"]
    t_old, (_, flags_old) = best["flag_old"]
    (t_auto, n_auto), (t_fmt, n_fmt) = best["auto"], best["hformat"]
    return {
        "bytes": path.stat().st_size,
        "messages": {"santun": n, "whatstk_auto_header": n_auto, "whatstk_hformat": n_fmt},
        "seconds": {
            "santun_parse": round(t_parse, 4),
            "santun_parse_and_flag": round(t_flag, 4),
            "santun_parse_and_flag_old_path": round(t_old, 4),
            "whatstk_auto_header": round(t_auto, 4),
            "whatstk_hformat": round(t_fmt, 4),
        },
        "messages_per_second": {
            "santun_parse": round(n / t_parse),
            "santun_parse_and_flag": round(n_flag / t_flag),
            "whatstk_auto_header": round(n_auto / t_auto),
            "whatstk_hformat": round(n_fmt / t_fmt),
        },
        "speedup_parse_vs_whatstk_auto_header": round(t_auto / t_parse, 1),
        "speedup_parse_vs_whatstk_hformat": round(t_fmt / t_parse, 1),
        "speedup_parse_and_flag_vs_whatstk_auto_header": round(t_auto / t_flag, 1),
        "speedup_parse_and_flag_vs_whatstk_hformat": round(t_fmt / t_flag, 1),
        "speedup_parse_and_flag_old_path_vs_whatstk_hformat": round(t_fmt / t_old, 1),
        "fast_path_vs_old_path": round(t_old / t_flag, 2),
        "flagged_messages": flags,
        "flagged_messages_old_path": flags_old,
    }


def peak_memory(run) -> int:
    gc.collect()
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    logging.disable(logging.INFO)  # whatstk logs the detected header format at INFO
    matcher = build_matcher()
    out = {
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "messages_requested": args.messages,
        "repeat": args.repeat,
        "header_format": HFORMAT,
        "lexicon_terms": matcher.term_count,
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    with tempfile.TemporaryDirectory() as tmp:
        ours = Path(tmp) / "santun.txt"
        entries = make_entries(args.messages, seed=1, system=False, tricky=False)
        write_text(ours, SPEC, entries)
        out["santun_generated"] = measure(ours, args.repeat, matcher)

        from whatstk.whatsapp.generation import ChatGenerator

        theirs = Path(tmp) / "whatstk.txt"
        ChatGenerator(size=args.messages, seed=1).generate(
            filepath=str(theirs), hformat=HFORMAT, last_timestamp=dt.datetime(2024, 6, 30, 12, 0))
        out["whatstk_generated"] = measure(theirs, args.repeat, matcher)

        small = Path(tmp) / "small.txt"
        write_text(small, SPEC, entries[: max(1, args.messages // 10)])
        out["memory"] = {
            "peak_bytes_streaming_tenth": peak_memory(lambda: santun_parse(small)),
            "peak_bytes_streaming_full": peak_memory(lambda: santun_parse(ours)),
            # the whole triage path, with a fresh matcher (its bounded caches included)
            "peak_bytes_parse_and_flag_tenth": peak_memory(lambda: santun_parse_and_flag(small, build_matcher())),
            "peak_bytes_parse_and_flag_full": peak_memory(lambda: santun_parse_and_flag(ours, build_matcher())),
            "file_bytes_full": ours.stat().st_size,
        }
    out["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
