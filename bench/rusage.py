# Runs a command and prints its wall time and peak RSS (of the command and its children) as JSON
# on stderr's last line; the command's stdout passes through.
import json, resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[1:])
wall = time.perf_counter() - t
rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stderr.write(json.dumps({"rc": r.returncode, "wallMs": wall * 1000, "maxRssMB": rss_kb / 1024}) + "\n")
sys.exit(r.returncode)
