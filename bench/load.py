"""Bounded load on loopback with wrk: requests a second and latency percentiles."""
import json
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


def run_wrk(url, path, bodies=("",), method="GET", headers=None, seconds=10, connections=8, threads=2):
    """Run wrk against url+path cycling through bodies; return its figures as a dict."""
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
        out = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency", "-s", str(lua), url + path],
            capture_output=True, text=True, check=True,
        )
    line = next((l for l in out.stdout.splitlines() if l.startswith("WRKJSON")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no figures: {out.stdout[-500:]} {out.stderr[-500:]}")
    figures = json.loads(line[len("WRKJSON"):])
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    return figures


def describe(name, figures):
    """Return one report line for a wrk run."""
    return (f"  {name:<28}{figures['rps']:10.0f} req/s   p50 {figures['p50_us'] / 1000:7.2f} ms   "
            f"p95 {figures['p95_us'] / 1000:7.2f} ms   p99 {figures['p99_us'] / 1000:7.2f} ms   "
            f"non-2xx {figures['non2xx']}, socket errors {figures['socket_errors']}, "
            f"over 10 s {figures['timeouts']}")
