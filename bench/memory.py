"""Peak resident memory and CPU time of each gunicorn worker, read from /proc."""
import os
from pathlib import Path


def _children(pid):
    """Return the child pids of pid."""
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        children.extend(int(c) for c in text)
    return children


def _status_kb(pid, field):
    """Return a /proc/<pid>/status field in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def worker_peak_rss_mb(master_pid):
    """Return {worker pid: (peak RSS MB, current RSS MB)} for a gunicorn master."""
    return {
        pid: (_status_kb(pid, "VmHWM") / 1024, _status_kb(pid, "VmRSS") / 1024)
        for pid in _children(master_pid)
    }


def reset_peaks(master_pid):
    """Return worker_peak_rss_mb(master_pid), then start each worker's peak (VmHWM) again from its current RSS."""
    peaks = worker_peak_rss_mb(master_pid)
    for pid in peaks:
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # 5: reset the peak resident set size
    return peaks


def workers_cpu_seconds(master_pid):
    """Return the user + system CPU seconds the master's workers have used so far."""
    ticks = 0
    for pid in _children(master_pid):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime and stime, fields 14 and 15 of stat(5)
    return ticks / os.sysconf("SC_CLK_TCK")
