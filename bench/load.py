"""Bounded load on loopback with wrk: requests a second and latency percentiles."""
import json
import resource
import subprocess
import tempfile
from pathlib import Path

SCRIPT = """
local bodies = {%(bodies)s}
local headers = {%(headers)s}
local i = 0
request = function()
  i = i %% #bodies + 1
  if bodies[i] == "" then return wrk.format("%(method)s", "%(path)s", headers) end
  return wrk.format("%(method)s", "%(path)s", headers, bodies[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON{"requests":%%d,"duration_us":%%d,"p50_us":%%d,"p95_us":%%d,"p99_us":%%d,"non2xx":%%d,"socket_errors":%%d,"timeouts":%%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.status, e.connect + e.read + e.write, e.timeout))
end
"""


def _lua_string(text):
    """Return text as a Lua long-bracket string literal."""
    return f"[==[{text}]==]"


def run_wrk(url, path, bodies=("",), method="GET", headers=None, seconds=10, connections=8, threads=2,
            server_pid=None):
    """Run wrk against url+path cycling through bodies; return its figures as a dict.

    With server_pid (a gunicorn master), the figures hold the CPU time per request of its workers and of wrk:
    unlike requests a second, CPU time per request hardly moves when other jobs share the machine.
    """
    from bench.memory import workers_cpu_seconds

    headers = headers or {}
    script = SCRIPT % {
        "bodies": ", ".join(_lua_string(b) for b in bodies),
        "headers": ", ".join(f"[ {_lua_string(k)} ] = {_lua_string(v)}" for k, v in headers.items()),
        "method": method,
        "path": path,
    }
    with tempfile.TemporaryDirectory() as tmp:
        lua = Path(tmp) / "load.lua"
        lua.write_text(script)
        server_cpu = workers_cpu_seconds(server_pid) if server_pid else None
        client_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        out = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency", "-s", str(lua), url + path],
            capture_output=True, text=True, check=True,
        )
        client_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        server_after = workers_cpu_seconds(server_pid) if server_pid else None
    line = next((l for l in out.stdout.splitlines() if l.startswith("WRKJSON")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no figures: {out.stdout[-500:]} {out.stderr[-500:]}")
    figures = json.loads(line[len("WRKJSON"):])
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    if server_pid:
        spent = (client_after.ru_utime + client_after.ru_stime) - (client_cpu.ru_utime + client_cpu.ru_stime)
        figures["server_cpu_us"] = (server_after - server_cpu) * 1e6 / figures["requests"]
        figures["client_cpu_us"] = spent * 1e6 / figures["requests"]
    return figures


def alternate(url, bodies, headers, seconds, connections, rounds, server_pid):
    """Warm up, then alternate wrk rounds of /healthz and the chart callbacks; return (health rounds, chart rounds)."""
    run_wrk(url, "/_dash-update-component", bodies, "POST", headers, seconds=2, connections=connections)
    # Alternated so a burst of load from elsewhere on a shared machine hits both alike.
    health, mix = [], []
    for _ in range(rounds):
        health.append(run_wrk(url, "/healthz", seconds=seconds, connections=connections, server_pid=server_pid))
        mix.append(run_wrk(url, "/_dash-update-component", bodies, "POST", headers, seconds=seconds,
                           connections=connections, server_pid=server_pid))
    return health, mix


def describe(name, figures):
    """Return one report line for a wrk run."""
    return (f"  {name:<28}{figures['rps']:10.0f} req/s   p50 {figures['p50_us'] / 1000:7.2f} ms   "
            f"p95 {figures['p95_us'] / 1000:7.2f} ms   p99 {figures['p99_us'] / 1000:7.2f} ms   "
            f"non-2xx {figures['non2xx']}, socket errors {figures['socket_errors']}, "
            f"over 10 s {figures['timeouts']}"
            + (f"; CPU a request: workers {figures['server_cpu_us']:.0f} us, wrk {figures['client_cpu_us']:.0f} us"
               if "server_cpu_us" in figures else ""))
