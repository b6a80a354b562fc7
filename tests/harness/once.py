"""Build a read-only folder once per test run, shared by the pytest-xdist workers."""
import fcntl
import shutil


def built_once(request, tmp_path_factory, name, build):
    """Return a folder that build(folder) fills once per run; every xdist worker reads the same one.

    Without xdist it is a fresh folder of this session. Tests only read it (as they read one folder per worker
    before): a build costs each worker the same ingest, which on two cores is time the suite waits twice.
    """
    if not hasattr(request.config, "workerinput"):
        folder = tmp_path_factory.mktemp(name)
        build(folder)
        return folder
    root = tmp_path_factory.getbasetemp().parent  # xdist gives each worker <run>/popen-gwN: <run> is shared
    folder, done = root / f"shared-{name}", root / f"shared-{name}.done"
    with open(root / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not done.exists():
                shutil.rmtree(folder, ignore_errors=True)  # what a failed build left
                folder.mkdir()
                build(folder)
                done.touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return folder
