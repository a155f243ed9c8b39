"""The pieces of `make bench` that can go wrong without anyone noticing: the yardstick view, the
reading of wrk's report, and the refusal to recreate a database that is not a benchmark's."""

import importlib.util
from pathlib import Path

import pytest
from django.test import override_settings

spec = importlib.util.spec_from_file_location("bench_run", Path(__file__).resolve().parent.parent / "bench" / "run.py")
bench_run = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_run)

WRK_REPORT = """Running 15s test @ http://127.0.0.1:8100/instansi/prov2-mtsn-1/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   652.43ms  120.11ms   1.12s    70.00%
    Req/Sec     6.51      2.90    10.00     60.00%
  Latency Distribution
     50%  652.43ms
     75%  700.00ms
     90%  800.00ms
     99%    1.12s
  188 requests in 15.03s, 5.10MB read
  Non-2xx or 3xx responses: 3
Requests/sec:     12.51
Transfer/sec:    347.12KB
"""


def test_wrk_report_is_read_in_milliseconds():
    result = bench_run.parse_wrk(WRK_REPORT)
    assert result["requests_per_second"] == 12.5
    assert result["p50_ms"] == 652.43
    assert result["p99_ms"] == 1120.0
    assert result["non_2xx"] == 3


def test_microsecond_latencies_are_converted():
    result = bench_run.parse_wrk(WRK_REPORT.replace("652.43ms", "950.00us").replace("1.12s", "2.50ms"))
    assert (result["p50_ms"], result["p99_ms"]) == (0.95, 2.5)


@pytest.mark.parametrize("url", ["postgres://postgres@127.0.0.1:5432/santun", "postgres://postgres@127.0.0.1/postgres"])
def test_only_benchmark_databases_are_recreated(url):
    with pytest.raises(SystemExit, match="santun_bench"):
        bench_run.database_name(url)
    assert bench_run.database_name("postgres://postgres@127.0.0.1:5432/santun_bench_x") == "santun_bench_x"


@override_settings(ROOT_URLCONF="config.bench_urls")
def test_the_minimal_view_answers_beside_the_portal(client, db):
    response = client.get("/__bench__/minimal/")
    assert response.status_code == 200 and response.content == b"ok"
    assert "Content-Security-Policy" in response.headers  # it went through the same middleware
    assert client.get("/healthz").status_code == 200
