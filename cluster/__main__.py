"""`python -m cluster [--processes N] [--port P] [--run-dir DIR]`: start nginx, Redis, PostgreSQL and N
server processes on loopback (`make cluster`), print the address, and stop them all by PID at Ctrl+C.
`python -m cluster stop [--run-dir DIR]` stops a cluster left running (its PIDs are in cluster.json)."""
import argparse
import signal
import sys
import tempfile
import time

from . import Cluster, stop_from_state


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m cluster", description=__doc__)
    parser.add_argument("action", nargs="?", default="start", choices=("start", "stop"))
    parser.add_argument("--processes", type=int, default=2, help="server processes behind nginx (default 2)")
    parser.add_argument("--port", type=int, default=8080, help="nginx's port on 127.0.0.1 (default 8080)")
    parser.add_argument("--run-dir", default=None, help="where configuration, logs and PIDs go (default: a new "
                                                         "temporary folder; `stop` needs the one `start` printed)")
    parser.add_argument("--database", default=None, help="a postgresql:// URL to use instead of starting "
                                                          "a PostgreSQL of its own")
    args = parser.parse_args(argv)
    if args.action == "stop":
        if not args.run_dir or not stop_from_state(args.run_dir):
            sys.exit("no cluster.json there: give the --run-dir that `start` printed")
        print("stopped")
        return
    run_dir = args.run_dir or tempfile.mkdtemp(prefix="atelier-cluster-")
    cluster = Cluster(run_dir, processes=args.processes, port=args.port, database=args.database).start()
    print(f"Atelier cluster running at {cluster.nginx.url}/ ({args.processes} processes; "
          f"nginx, Redis {cluster.redis.url}, PostgreSQL {cluster.database})", flush=True)
    print(f"  run folder (configuration, logs, PIDs in cluster.json): {run_dir}", flush=True)
    print(f"  create a workshop at {cluster.nginx.url}/animer; Ctrl+C stops everything", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        while all(engine.process.poll() is None for engine in [cluster.nginx, cluster.redis, *cluster.servers]):
            time.sleep(0.5)
        print("an engine stopped on its own; stopping the others", flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()
        print("Atelier cluster stopped.", flush=True)


if __name__ == "__main__":
    main()
