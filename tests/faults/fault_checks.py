"""What every fault-injection test checks after kprof has ended: that no process it started is left
(found by a mark in their environment) and that no temporary file or folder is left."""
import os


def marked_processes(mark):
    """Processes (other than zombies) whose environment holds this case's mark: what kprof started."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                if mark.encode() not in f.read():
                    continue
            with open(f"/proc/{pid}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
            if state != "Z":
                found.append(pid + " " + open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode()[:80])
        except OSError:
            continue
    return found


def temporaries(*folders):
    left = []
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            for name in dirs + files:
                if ".tmp." in name or name.startswith(("kprof-mem-", "kprof-regress-")) or name.endswith(".trace"):
                    left.append(os.path.join(root, name))
    return left
