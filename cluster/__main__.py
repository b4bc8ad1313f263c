"""`python -m cluster [--processes N] [--port P] [--run-dir DIR]`: start nginx, Redis, PostgreSQL and N
server processes on loopback (`make cluster`), print the address, and stop them all by PID at Ctrl+C.
`python -m cluster --machines 127.0.0.2,127.0.0.3 --private 127.0.0.4 --processes 2`: N processes on
each simulated machine (a loopback address each), PostgreSQL and Redis on the private one.
`python -m cluster stop [--run-dir DIR]` stops a cluster left running (its PIDs are in cluster.json)."""
import argparse
import signal
import sys
import tempfile
import time

from . import LOOPBACK, Cluster, loopback_address, stop_from_state


def address_list(text):
    """--machines' value: loopback addresses separated by commas, or a clear refusal."""
    try:
        return [loopback_address(part) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def one_address(text):
    """--private's value: one loopback address, or a clear refusal."""
    try:
        return loopback_address(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m cluster", description=__doc__)
    parser.add_argument("action", nargs="?", default="start", choices=("start", "stop"))
    parser.add_argument("--processes", type=int, default=2,
                        help="server processes behind nginx, on each machine (default 2)")
    parser.add_argument("--machines", type=address_list, default=[LOOPBACK], metavar="ADDR,ADDR,...",
                        help="the machines to simulate, one loopback address each (127.x.y.z): each machine's "
                             "processes listen on its address only (default: 127.0.0.1 alone)")
    parser.add_argument("--private", type=one_address, default=LOOPBACK, metavar="ADDR",
                        help="the machines' private interface, a loopback address: PostgreSQL (when started "
                             "here) and Redis listen there only (default 127.0.0.1)")
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
    cluster = Cluster(run_dir, processes=args.processes, port=args.port, database=args.database,
                      machines=args.machines, private=args.private).start()
    print(f"Atelier cluster running at {cluster.nginx.url}/ ({len(cluster.servers)} processes; "
          f"nginx, Redis {cluster.redis.url}, PostgreSQL {cluster.database})", flush=True)
    if len(cluster.machines) > 1:
        for machine in cluster.machines:
            print(f"  machine {machine}: {', '.join(s.address for s in cluster.on_machine(machine))}", flush=True)
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
